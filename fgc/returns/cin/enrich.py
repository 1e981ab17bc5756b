"""Fill the CIN census ``PreProceedingsandFGDM`` block from FGC records (Option 3).

How it works, and why:

* The census is streamed Child by Child (``reader.CensusScanner``), so a 50,000-child file
  needs memory for one child, not the whole document.
* The output is the input's own bytes, copied through, with new text *inserted* at byte
  offsets expat reports. Nothing is re-serialised, so everything we do not add (comments,
  attribute quoting, odd whitespace, even invalid text the DfE validator should see) is
  preserved byte for byte.
* Children are matched by ``LAchildID`` = the FGC ``child_id``; a pre-proceedings FGC record
  (stage PLO, with a letter-before-proceedings date) is matched to the ``CINdetails`` episode
  whose existing block has that ``LBPSentDate``, otherwise to the episode open on that date
  (latest referral first).
* Where the block exists we never overwrite: every disagreement goes to the report, and only
  elements that are absent are added. Where the block is absent we add it (last child of
  ``CINdetails``, elements in the DfE order).

* The header is read first: the census year (1 April to ``ReferenceDate``) and council
  (``LEA``). Another council's census is refused, and so is a census for a year none of the
  FGC letters before proceedings fall in. Only facts inside the census year *and* inside the
  CIN episode they are attached to (referral to closure) are written; every fact left out is
  in the report with the reason (``FACT_LEFT_OUT``).

Derivations (standard section 2b): ``LBPSentDate`` = ``lbp_date``; ``FGDMMeetingOffer`` =
offered at or before the letter before proceedings, the DfE quarterly's definition
(``fgc.engine.derive.offered_at_or_before_lbp_expr``), so a family counts the same in both;
``FGDMMeetingFac`` = a meeting of type FGC or FNM held on or after the letter, not after any
care application (as the aggregate's ``fgdm_facilitated``), not after the episode closed or
the census year ended and, when the census records a step decision, on or before it;
``CourtAppDate`` = ``care_application_date``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import IO

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.derive import offered_at_or_before_lbp_expr
from fgc.formats.errors import FormatError
from fgc.formats.xml_safe import CHUNK_SIZE, XmlSource, open_xml, source_name
from fgc.returns.cin.config import CinConfig, load_cin_config
from fgc.returns.cin.header import CensusHeader, census_header
from fgc.returns.cin.reader import PP_BLOCK, CensusScanner, Node, parse_date, pp_values
from fgc.standard import Standard, load_standard

# Element order inside the block, as in the DfE 2026-27 sample census.
PP_ELEMENTS: tuple[str, ...] = (
    "PPStartDate",
    "LBPSentDate",
    "FGDMMeetingOffer",
    "FGDMMeetingFac",
    "InitialPPMeetingDate",
    "ReviewMeetingsCount",
    "StepDecisionDate",
    "PPOutcome",
    "CourtAppDate",
    "LetterInitCPDate",
)
FILLED_ELEMENTS: tuple[str, ...] = (
    "LBPSentDate",
    "FGDMMeetingOffer",
    "FGDMMeetingFac",
    "CourtAppDate",
)
BOOLEAN_ELEMENTS = frozenset({"FGDMMeetingOffer", "FGDMMeetingFac"})
MEETING_TYPES = frozenset({"FGC", "FNM"})

# Report kinds.
ADDED_BLOCK = "added_block"
ADDED_ELEMENT = "added_element"
DISAGREEMENT = "disagreement"
FGC_CHILD_NOT_IN_CENSUS = "fgc_child_not_in_census"
FGC_PP_NOT_IN_CENSUS = "fgc_pre_proceedings_not_in_census"
CENSUS_PP_WITHOUT_FGC = "census_pre_proceedings_without_fgc"
BLOCK_NOT_CHANGED = "block_not_changed"
FACT_LEFT_OUT = "fgc_fact_left_out"

REPORT_COLUMNS: tuple[str, ...] = (
    "kind",
    "la_child_id",
    "fgc_episode_id",
    "cin_referral_date",
    "element",
    "census_value",
    "fgc_value",
    "message",
)


@dataclass
class FgcPreProceedings:
    """What the FGC records say about one child's pre-proceedings (one letter date)."""

    child_id: str
    lbp_date: date
    episode_ids: list[str] = field(default_factory=list)
    offer: bool | None = None
    meetings: list[tuple[date, str]] = field(default_factory=list)
    court_date: date | None = None

    def facilitated(self, step_decision: date | None, last_day: date | None = None) -> bool:
        return any(
            self._counts(held, kind, step_decision, last_day) for held, kind in self.meetings
        )

    def _counts(
        self, held: date, kind: str, step_decision: date | None, last_day: date | None
    ) -> bool:
        return (
            kind in MEETING_TYPES
            and held >= self.lbp_date
            and (step_decision is None or held <= step_decision)
            and (self.court_date is None or held <= self.court_date)
            and (last_day is None or held <= last_day)
        )

    def derived(
        self,
        config: CinConfig,
        step_decision: date | None,
        window: tuple[date, date] | None = None,
    ) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
        """(element -> value to write, [(element, value, why it was left out)]).

        ``window`` is the first and last day a fact may fall on: the CIN episode's dates
        within the census year.
        """
        values = {"LBPSentDate": self.lbp_date.isoformat()}
        left: list[tuple[str, str, str]] = []
        if self.offer is not None:
            values["FGDMMeetingOffer"] = config.encode(self.offer)
        last = window[1] if window else None
        values["FGDMMeetingFac"] = config.encode(self.facilitated(step_decision, last))
        if last is not None:
            for held, kind in self.meetings:
                if self._counts(held, kind, step_decision, None) and held > last:
                    left.append(
                        (
                            "FGDMMeetingFac",
                            held.isoformat(),
                            f"the meeting on {held.isoformat()} was after {last.isoformat()}, "
                            "the end of the CIN episode within the census year",
                        )
                    )
        if self.court_date is not None:
            if window and not window[0] <= self.court_date <= window[1]:
                left.append(
                    (
                        "CourtAppDate",
                        self.court_date.isoformat(),
                        f"the care application on {self.court_date.isoformat()} is outside "
                        f"{window[0].isoformat()} to {window[1].isoformat()}, the CIN episode "
                        "within the census year",
                    )
                )
            else:
                values["CourtAppDate"] = self.court_date.isoformat()
        return values, left


@dataclass
class EnrichResult:
    report: pl.DataFrame
    children: int = 0
    blocks_added: int = 0
    elements_added: int = 0
    disagreements: int = 0

    def summary(self) -> str:
        kinds = (
            self.report.get_column("kind").value_counts(sort=True) if self.report.height else None
        )
        lines = [
            f"{self.children} children in the census; {self.blocks_added} pre-proceedings blocks "
            f"added, {self.elements_added} elements added to existing blocks, "
            f"{self.disagreements} disagreements reported (existing values never overwritten)."
        ]
        if kinds is not None:
            lines += [f"  {k}: {n}" for k, n in kinds.iter_rows()]
        return "\n".join(lines)


def _collect_fgc(
    frame: pl.DataFrame, std: Standard
) -> tuple[dict[str, list[FgcPreProceedings]], dict[str, list[str]]]:
    """Pre-proceedings records by child, and every child the census should hold."""
    typed = type_frame(frame, std).with_columns(
        offered_at_or_before_lbp_expr().alias("_offered_at_lbp"),
        (pl.col("offer_in_lbp").is_null() & pl.col("offer_date").is_null()).alias("_offer_unknown"),
    )
    plo: dict[tuple[str, date], FgcPreProceedings] = {}
    expected: dict[str, list[str]] = defaultdict(list)
    cols = [
        "child_id",
        "episode_id",
        "stage",
        "known_to_csc",
        "lbp_date",
        "offer_in_lbp",
        "conference_date",
        "meeting_type",
        "care_application_date",
        "_offered_at_lbp",
        "_offer_unknown",
    ]
    for row in typed.select(cols).iter_rows(named=True):
        child = row["child_id"]
        if not child:
            continue
        if row["known_to_csc"] == "Y" or row["stage"] == "PLO":
            expected[child].append(row["episode_id"] or "")
        if row["stage"] != "PLO" or row["lbp_date"] is None:
            continue
        rec = plo.setdefault((child, row["lbp_date"]), FgcPreProceedings(child, row["lbp_date"]))
        rec.episode_ids.append(row["episode_id"] or "")
        if not row["_offer_unknown"]:
            rec.offer = bool(rec.offer) or bool(row["_offered_at_lbp"])
        if row["conference_date"] is not None and row["meeting_type"]:
            rec.meetings.append((row["conference_date"], row["meeting_type"]))
        if row["care_application_date"] is not None:
            d = row["care_application_date"]
            rec.court_date = d if rec.court_date is None else min(rec.court_date, d)
    by_child: dict[str, list[FgcPreProceedings]] = defaultdict(list)
    for rec in plo.values():
        by_child[rec.child_id].append(rec)
    return by_child, expected


def pre_proceedings_blocks(
    frame: pl.DataFrame, standard: Standard | None = None
) -> dict[str, list[FgcPreProceedings]]:
    """The census's pre-proceedings modules the FGC records give, by child id."""
    return _collect_fgc(frame, standard or load_standard())[0]


def _is_blank(text: str) -> bool:
    return text.strip() == ""


def _insert_before_close(parent: Node, content: str) -> tuple[int, str]:
    """Text to insert just before ``parent``'s end tag, indented like its other children."""
    close_ws = parent.ws_before_end if _is_blank(parent.ws_before_end) else ""
    last = parent.children[-1] if parent.children else None
    child_ws = last.ws_before if last is not None and _is_blank(last.ws_before) else close_ws
    if close_ws and child_ws.startswith(close_ws):
        return parent.end, child_ws[len(close_ws) :] + content + close_ws
    return parent.end, content


def _child_ws(parent: Node) -> tuple[str, str]:
    """(indentation of parent's children, one indentation step) — empty for compact files."""
    close_ws = parent.ws_before_end if _is_blank(parent.ws_before_end) else ""
    last = parent.children[-1] if parent.children else None
    child_ws = last.ws_before if last is not None and _is_blank(last.ws_before) else ""
    step = child_ws[len(close_ws) :] if close_ws and child_ws.startswith(close_ws) else ""
    return child_ws, step


def _element(name: str, value: str) -> str:
    return f"<{name}>{value}</{name}>"


class _Enricher:
    def __init__(
        self, frame: pl.DataFrame, config: CinConfig, std: Standard, source: str, la: str | None
    ) -> None:
        self.config = config
        self.frame = frame
        self.std = std
        self.source = source
        self.la = la
        self.header: CensusHeader | None = None
        self.fgc: dict[str, list[FgcPreProceedings]] = {}
        self.expected: dict[str, list[str]] = {}
        self.rows: list[dict[str, str | None]] = []
        self.seen: set[str] = set()
        self.result = EnrichResult(report=pl.DataFrame())

    def start(self, node: Node | None) -> None:
        """Read the header; refuse another council's census or a census for another year."""
        header = census_header(node, self.source)
        frame = self.frame
        councils: list[str] = []
        if "la_code" in frame.columns:
            councils = sorted(
                {str(c).strip() for c in frame.get_column("la_code").drop_nulls()} - {""}
            )
        expected = self.la or (councils[0] if len(councils) == 1 else None)
        if (
            header.lea is not None
            and (expected or councils)
            and (
                (expected and header.lea != expected)
                or (not expected and header.lea not in councils)
            )
        ):
            ours = expected or ", ".join(councils)
            raise FormatError(
                f"{self.source} is the census of council {header.lea} (its header's LEA), "
                f"but the FGC records are for council {ours}. Nothing was written: use "
                f"your own council's census."
            )
        if councils and header.lea is not None:
            frame = frame.filter(pl.col("la_code").cast(pl.Utf8).str.strip_chars() == header.lea)
        self.fgc, self.expected = _collect_fgc(frame, self.std)
        letters = [r.lbp_date for recs in self.fgc.values() for r in recs]
        if letters and not any(header.contains(d) for d in letters):
            raise FormatError(
                f"{self.source} is the census for {header.span} (its header's ReferenceDate "
                f"is {header.reference_date.isoformat()}), but none of the FGC records' letters "
                f"before proceedings fall in that year (they run from {min(letters).isoformat()} "
                f"to {max(letters).isoformat()}). Nothing was written: use the census for the "
                f"year you are returning."
            )
        self.header = header

    def _window(self, episode: Node) -> tuple[date, date]:
        """The days a fact may fall on for this episode: its dates inside the census year."""
        assert self.header is not None
        ref = parse_date(episode.value("CINreferralDate"))
        close = parse_date(episode.value("CINclosureDate"))
        first = max(ref, self.header.year_start) if ref else self.header.year_start
        last = min(close, self.header.year_end) if close else self.header.year_end
        return first, last

    def _left_out(
        self, child: str, ids: str, ref: str | None, left: list[tuple[str, str, str]]
    ) -> None:
        for element, value, why in left:
            self.note(
                FACT_LEFT_OUT,
                child,
                f"{element} not written: {why}.",
                fgc_episode_id=ids,
                cin_referral_date=ref,
                element=element,
                fgc_value=value,
            )

    def note(self, kind: str, child: str, message: str, **extra: str | None) -> None:
        row: dict[str, str | None] = dict.fromkeys(REPORT_COLUMNS)
        row.update(kind=kind, la_child_id=child, message=message, **extra)
        self.rows.append(row)

    def _same(self, element: str, census: str, fgc: str) -> bool:
        if element in BOOLEAN_ELEMENTS:
            return self.config.decode(census) == self.config.decode(fgc)
        return parse_date(census) == parse_date(fgc) and parse_date(census) is not None

    def _match(
        self, episodes: list[Node], records: list[FgcPreProceedings]
    ) -> dict[int, FgcPreProceedings]:
        matched: dict[int, FgcPreProceedings] = {}
        assert self.header is not None
        for rec in sorted(records, key=lambda r: r.lbp_date):
            if not self.header.contains(rec.lbp_date):
                self.note(
                    FACT_LEFT_OUT,
                    rec.child_id,
                    f"Pre-proceedings not written: the letter before proceedings of "
                    f"{rec.lbp_date.isoformat()} is outside the census year {self.header.span}.",
                    fgc_episode_id=";".join(rec.episode_ids),
                    fgc_value=rec.lbp_date.isoformat(),
                    element="LBPSentDate",
                )
                continue
            idx = next(
                (
                    i
                    for i, ep in enumerate(episodes)
                    if i not in matched
                    and (block := ep.find(PP_BLOCK)) is not None
                    and parse_date(block.value("LBPSentDate")) == rec.lbp_date
                ),
                None,
            )
            if idx is None:
                open_on: list[tuple[date, int]] = []
                for i, ep in enumerate(episodes):
                    ref = parse_date(ep.value("CINreferralDate"))
                    close = parse_date(ep.value("CINclosureDate"))
                    if i in matched or ref is None or ref > rec.lbp_date:
                        continue
                    if close is None or rec.lbp_date <= close:
                        open_on.append((ref, i))
                idx = max(open_on)[1] if open_on else None
            if idx is None:
                self.note(
                    FGC_PP_NOT_IN_CENSUS,
                    rec.child_id,
                    "FGC record of pre-proceedings (letter before proceedings "
                    f"{rec.lbp_date.isoformat()}) matches no CIN episode open on that date.",
                    fgc_episode_id=";".join(rec.episode_ids),
                    fgc_value=rec.lbp_date.isoformat(),
                    element="LBPSentDate",
                )
                continue
            matched[idx] = rec
        return matched

    def child(self, node: Node, self_closing: set[int]) -> list[tuple[int, str]]:
        self.result.children += 1
        ident = node.find("ChildIdentifiers")
        child_id = (ident.value("LAchildID") if ident is not None else None) or ""
        self.seen.add(child_id)
        episodes = node.findall("CINdetails")
        matched = self._match(episodes, self.fgc.get(child_id, []))
        inserts: list[tuple[int, str]] = []
        for i, ep in enumerate(episodes):
            block = ep.find(PP_BLOCK)
            ref = ep.value("CINreferralDate")
            rec = matched.get(i)
            if rec is None:
                if block is not None:
                    self.note(
                        CENSUS_PP_WITHOUT_FGC,
                        child_id,
                        "Census episode has a pre-proceedings block but no FGC record matches it "
                        "(was an FGDM offered? is the FGC record missing?).",
                        cin_referral_date=ref,
                        census_value=block.value("LBPSentDate"),
                        element="LBPSentDate",
                    )
                continue
            ids = ";".join(rec.episode_ids)
            if block is None:
                if ep.end in self_closing:
                    continue
                derived, left = rec.derived(self.config, None, self._window(ep))
                self._left_out(child_id, ids, ref, left)
                child_ws, step = _child_ws(ep)
                inner = child_ws + step
                body = "".join(inner + _element(n, derived[n]) for n in PP_ELEMENTS if n in derived)
                inserts.append(
                    _insert_before_close(ep, f"<{PP_BLOCK}>{body}{child_ws}</{PP_BLOCK}>")
                )
                self.result.blocks_added += 1
                self.note(
                    ADDED_BLOCK,
                    child_id,
                    "Pre-proceedings block added: "
                    + ", ".join(f"{k}={v}" for k, v in derived.items()),
                    fgc_episode_id=ids,
                    cin_referral_date=ref,
                )
                continue
            inserts += self._check_block(block, rec, child_id, ids, ref, self_closing, ep)
        return inserts

    def _check_block(
        self,
        block: Node,
        rec: FgcPreProceedings,
        child_id: str,
        ids: str,
        ref: str | None,
        self_closing: set[int],
        episode: Node,
    ) -> list[tuple[int, str]]:
        census = pp_values(block)
        derived, left = rec.derived(
            self.config, parse_date(census.get("StepDecisionDate")), self._window(episode)
        )
        self._left_out(child_id, ids, ref, left)
        inserts: list[tuple[int, str]] = []
        for name in PP_ELEMENTS:
            if name not in derived:
                continue
            fgc_value = derived[name]
            if name not in census:
                if block.end in self_closing:
                    self.note(
                        BLOCK_NOT_CHANGED,
                        child_id,
                        f"Empty pre-proceedings block <{PP_BLOCK}/> left unchanged.",
                        fgc_episode_id=ids,
                        cin_referral_date=ref,
                    )
                    return []
                later = [
                    c
                    for c in block.children
                    if c.tag in PP_ELEMENTS and PP_ELEMENTS.index(c.tag) > PP_ELEMENTS.index(name)
                ]
                text = _element(name, fgc_value)
                if later:
                    ws = later[0].ws_before if _is_blank(later[0].ws_before) else ""
                    inserts.append((later[0].start, text + ws))
                else:
                    inserts.append(_insert_before_close(block, text))
                self.result.elements_added += 1
                self.note(
                    ADDED_ELEMENT,
                    child_id,
                    f"{name} added to the existing block.",
                    fgc_episode_id=ids,
                    cin_referral_date=ref,
                    element=name,
                    fgc_value=fgc_value,
                )
            elif not self._same(name, census[name], fgc_value):
                self.result.disagreements += 1
                self.note(
                    DISAGREEMENT,
                    child_id,
                    f"{name}: the census says {census[name]!r}, the FGC records say "
                    f"{fgc_value!r}. The census value was left unchanged; correct whichever "
                    "is wrong.",
                    fgc_episode_id=ids,
                    cin_referral_date=ref,
                    element=name,
                    census_value=census[name],
                    fgc_value=fgc_value,
                )
        outcome = census.get("PPOutcome")
        court_codes = self.config.court_application_codes
        if court_codes and outcome:
            census_court = outcome in court_codes
            if census_court != (rec.court_date is not None):
                self.result.disagreements += 1
                label = self.config.pp_outcome_labels.get(outcome, outcome)
                self.note(
                    DISAGREEMENT,
                    child_id,
                    f"PPOutcome {outcome} ({label}) "
                    + (
                        "means a court application but the FGC records have no care "
                        "application date."
                        if census_court
                        else "does not mean a court application but the FGC records have a care "
                        "application date."
                    ),
                    fgc_episode_id=ids,
                    cin_referral_date=ref,
                    element="PPOutcome",
                    census_value=outcome,
                    fgc_value=rec.court_date.isoformat() if rec.court_date else None,
                )
        return inserts

    def finish(self) -> EnrichResult:
        for child, episodes in self.expected.items():
            if child not in self.seen:
                self.note(
                    FGC_CHILD_NOT_IN_CENSUS,
                    child,
                    "Child in the FGC records (known to children's social care or in "
                    "pre-proceedings) is not in the census: check the child id is the LAchildID.",
                    fgc_episode_id=";".join(sorted(set(episodes))),
                )
        schema = dict.fromkeys(REPORT_COLUMNS, pl.Utf8)
        self.result.report = (
            pl.DataFrame(self.rows, schema=schema) if self.rows else pl.DataFrame(schema=schema)
        )
        return self.result


def enrich_census(
    fgc_frame: pl.DataFrame,
    census: XmlSource,
    out: IO[bytes],
    *,
    config: CinConfig | None = None,
    standard: Standard | None = None,
    la: str | None = None,
) -> EnrichResult:
    """Write ``census`` to ``out`` with pre-proceedings blocks filled from ``fgc_frame``.

    ``fgc_frame`` is child-level FGC data (text as read, or typed); ``la`` the council whose
    census this must be (default: the frame's one ``la_code``). Raises ``FormatError`` for
    unsafe or malformed XML, another council's census or a census for another year; nothing
    is written to ``out`` before the header has been checked.
    """
    std = standard or load_standard()
    name = source_name(census)
    enricher = _Enricher(fgc_frame, config or load_cin_config(), std, name, la)
    scanner = CensusScanner(name)
    buf = bytearray()
    buf_start = 0  # absolute offset of buf[0]
    pending: list[tuple[int, str]] = []
    newline: str | None = None

    def emit(upto: int) -> None:
        nonlocal buf, buf_start
        # A Child whose start tag straddled two reads may begin before bytes already written;
        # nothing is ever inserted inside a start tag, so never step back.
        upto = max(upto, buf_start)
        pending.sort(key=lambda p: p[0])
        cursor = buf_start
        while pending and pending[0][0] <= upto:
            pos, text = pending.pop(0)
            out.write(buf[cursor - buf_start : pos - buf_start])
            if newline == "\r\n":
                text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            out.write(text.encode("utf-8"))
            cursor = pos
        out.write(buf[cursor - buf_start : upto - buf_start])
        del buf[: upto - buf_start]
        buf_start = upto

    with open_xml(census) as handle:
        while True:
            chunk = handle.read(CHUNK_SIZE)
            final = not chunk
            buf += chunk
            if newline is None and b"\n" in buf:
                newline = "\r\n" if b"\r\n" in buf[: buf.index(b"\n") + 1] else "\n"
            for node in scanner.feed(chunk, final):
                if node.tag == "Header":
                    enricher.start(node)
                    continue
                if node.tag != "Child":
                    continue
                if enricher.header is None:
                    enricher.start(None)  # a child before any header: refused
                closing = {
                    n.end
                    for ep in node.findall("CINdetails")
                    for n in (ep, ep.find(PP_BLOCK))
                    if n is not None
                    and bytes(buf[n.end - buf_start : n.end - buf_start + 2]) != b"</"
                }
                pending += enricher.child(node, closing)
            if enricher.header is None and not final:
                continue  # nothing leaves before the header says whose census, which year
            if enricher.header is None:
                enricher.start(None)
            end = buf_start + len(buf)
            emit(end if final or scanner.child_start is None else scanner.child_start)
            if final:
                break
    return enricher.finish()
