"""Facts a council's tracker keeps implicitly, made explicit on import.

- A service-level default meeting type for meetings held with none recorded (most services
  hold only FGCs), so the FGCs held are counted.
- A stable identifier for an unborn child with none: the same file imported again gives the
  same id, so it updates the child rather than adding another.
- Flagged suggestions, never silent guesses: a blank field the tracker implies (a
  pre-proceedings offer, an exception or a reason no meeting was held read from the notes) is
  suggested with its row and why, and applied only when the user confirms. Notes text is read,
  never stored: a suggestion carries a code and the phrase that prompted it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from fgc.formats.result import ROW_COLUMN, ReadResult
from fgc.standard import load_standard

UNBORN_PREFIX = "UNB-"
NOTES_HEADER = re.compile(r"note|comment|remark", re.IGNORECASE)


class DefaultError(ValueError):
    """A default that is not in the standard; the message says what is."""


def check_meeting_type(code: str) -> str:
    """The code, upper-cased, if it is on the standard's meeting type list."""
    std = load_standard()
    cl = std.codelist_for(std.field("meeting_type"))
    assert cl is not None
    wanted = code.strip().upper()
    if wanted not in cl.values:
        listed = ", ".join(f"{c} ({cl.label_for(c)})" for c in cl.values)
        raise DefaultError(
            f"--default-meeting-type {code}: not a code of '{cl.title}'; use one of {listed}"
        )
    return wanted


def default_meeting_type(frame: pl.DataFrame, code: str) -> tuple[pl.DataFrame, list[int]]:
    """Meetings held (a conference date) with no meeting type get ``code``; and their rows."""
    code = check_meeting_type(code)
    gap = pl.col("conference_date").is_not_null() & pl.col("meeting_type").is_null()
    rows = frame.filter(gap).get_column(ROW_COLUMN).to_list()
    filled = frame.with_columns(
        pl.when(gap).then(pl.lit(code)).otherwise(pl.col("meeting_type")).alias("meeting_type")
    )
    return filled, rows


def meeting_type_note(code: str, rows: list[int]) -> str:
    """What the default did, for a preview or a dry run."""
    from fgc.casework.findings import rows_text

    return (
        f"Meeting type {code} (the service's default) given to meetings held "
        f"with none recorded: {rows_text(rows)} ({len(rows)})"
    )


def meeting_type_choices() -> list[tuple[str, str]]:
    """(code, label) of the standard's meeting types, for a select."""
    std = load_standard()
    cl = std.codelist_for(std.field("meeting_type"))
    assert cl is not None
    return [(c, cl.label_for(c) or c) for c in cl.values]


def is_unborn(row: Mapping[str, Any]) -> bool:
    """No date of birth, and an expected due date or the unborn stage."""
    return row.get("date_of_birth") is None and (
        row.get("expected_due_date") is not None or row.get("stage") == "PREBIRTH"
    )


def unborn_id(la_code: str, row: Mapping[str, Any], seen: dict[str, int]) -> str:
    """``UNB-`` and a short hash of the council, episode and expected due date (or, with no
    due date, the row's standard values): the same on every import of the same file.

    ``seen`` counts the keys already given in this file, so twins due the same day differ.
    """
    episode = str(row.get("episode_id") or "")
    if row.get("expected_due_date"):
        basis = f"due={row['expected_due_date']}"
    else:
        basis = ";".join(
            f"{k}={row[k]}" for k in sorted(row) if not k.startswith("__") and row[k] is not None
        )
    key = f"{la_code}|{episode}|{basis}"
    n = seen.get(key, 0) + 1
    seen[key] = n
    if n > 1:
        key = f"{key}|{n}"
    return UNBORN_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:10].upper()


@dataclass(frozen=True)
class Suggestion:
    """A blank field the tracker implies: applied only when confirmed."""

    row: int
    episode_id: str
    field: str
    value: str
    why: str

    def __str__(self) -> str:
        return (
            f"row {self.row} (episode {self.episode_id}): {self.field} = {self.value} — {self.why}"
        )


# Phrases in notes that read like an exception, a family declining, or a reason not held.
# Each gives the field to suggest, its code, and when the row is one it applies to.
# A named reason comes before the general words, so "best interests: risk of harm" is a risk.
EXCEPTION_PHRASES: tuple[tuple[str, str], ...] = (
    ("risk of harm", "RISK_TO_CHILD"),
    ("risk to the child", "RISK_TO_CHILD"),
    ("domestic abuse", "RISK_FROM_NETWORK"),
    ("urgent application", "URGENT_APPLICATION"),
    ("no one with parental responsibility", "NO_PR_CONTACTABLE"),
    ("not in the child's best interests", "OTHER"),
    ("not in childs best interests", "OTHER"),
    ("not in the best interests", "OTHER"),
    ("exception", "OTHER"),
)
DECLINED_PHRASES = ("parent declined", "parents declined", "family declined", "declined fgc")
NOT_HELD_PHRASES: tuple[tuple[str, str], ...] = (
    ("consent withdrawn", "CONSENT_WITHDRAWN"),
    ("withdrew consent", "CONSENT_WITHDRAWN"),
    ("family withdrew", "CONSENT_WITHDRAWN"),
    ("parents withdrew", "CONSENT_WITHDRAWN"),
    ("could not be contacted", "FAMILY_UNCONTACTABLE"),
    ("uncontactable", "FAMILY_UNCONTACTABLE"),
    ("no network", "NO_NETWORK_IDENTIFIED"),
    ("network unwilling", "NETWORK_UNWILLING"),
    ("concerns resolved", "CONCERNS_RESOLVED"),
    ("proceedings issued", "PROCEEDINGS_ISSUED_FIRST"),
    ("unsafe to convene", "UNSAFE_TO_CONVENE"),
    ("referral withdrawn", "REFERRAL_WITHDRAWN"),
    ("moved away", "MOVED_AWAY"),
    ("moved out of area", "MOVED_AWAY"),
    ("no capacity", "SERVICE_CAPACITY"),
    ("child declined", "CHILD_DECLINED"),
)


def notes_columns(read: ReadResult, mapping: Mapping[str, Any]) -> list[str]:
    """The file's notes columns: those the mapping names under ``"notes"``, else the ignored
    columns whose header says note, comment or remark."""
    original = {v: k for k, v in read.renamed.items()}
    columns = dict(mapping.get("columns", {}))
    listed = mapping.get("notes", [])
    named = {listed} if isinstance(listed, str) else set(listed)
    out = []
    for col in read.data_columns:
        header = original.get(col, col)
        if header in named or (
            not named and not columns.get(header, "") and NOTES_HEADER.search(header)
        ):
            out.append(col)
    return out


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).casefold()


def _first(text: str, phrases: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    for phrase, code in phrases:
        if phrase in text:
            return phrase, code
    return None


def suggestions(
    read: ReadResult, mapping: Mapping[str, Any], frame: pl.DataFrame
) -> list[Suggestion]:
    """Every suggestion for the mapped ``frame``, from its values and the file's notes."""
    notes_cols = notes_columns(read, mapping)
    notes: dict[int, str] = {}
    if notes_cols:
        for rec in read.frame.select(ROW_COLUMN, *notes_cols).iter_rows(named=True):
            text = " ".join(str(rec[c]) for c in notes_cols if rec[c] not in (None, ""))
            if text:
                notes[int(rec[ROW_COLUMN])] = _normal(text)
    out: list[Suggestion] = []
    done: set[tuple[str, str]] = set()  # family fields: once per episode

    def add(row: dict[str, Any], name: str, value: str, why: str) -> None:
        episode = str(row.get("episode_id"))
        if row.get(name) is None and (episode, name) not in done:
            done.add((episode, name))
            out.append(Suggestion(int(row[ROW_COLUMN]), episode, name, value, why))

    for row in frame.iter_rows(named=True):
        text = notes.get(int(row[ROW_COLUMN]), "")
        plo = row.get("stage") == "PLO"
        exception = _first(text, EXCEPTION_PHRASES)
        if exception and row.get("exception") is None:
            add(row, "exception", "Y", f"the notes say '{exception[0]}'")
            add(row, "exception_reason", exception[1], f"the notes say '{exception[0]}'")
        elif plo and row.get("offer_in_lbp") is None and row.get("exception") != "Y":
            known = "an offer date" if row.get("offer_date") else "no offer date"
            why = (
                f"a pre-proceedings family ({known}, no exception) with the offer column blank: "
                "the FGC is offered in the letter before proceedings"
            )
            add(row, "offer_in_lbp", "Y", why)
        declined = next((p for p in DECLINED_PHRASES if p in text), None)
        if declined and row.get("offer_response") is None:
            add(row, "offer_response", "DECLINED", f"the notes say '{declined}'")
        not_held = _first(text, NOT_HELD_PHRASES)
        if (
            not_held
            and row.get("conference_date") is None
            and row.get("offer_response") in ("ACCEPTED", None)
            and not declined
        ):
            add(row, "not_held_reason", not_held[1], f"the notes say '{not_held[0]}'")
    return out


def apply_suggestions(frame: pl.DataFrame, found: Iterable[Suggestion]) -> pl.DataFrame:
    """``frame`` with each suggestion filled in: family fields on every row of the episode."""
    std = load_standard()
    updates: dict[str, dict[Any, str]] = {}
    for s in found:
        level = std.field(s.field).level
        key = s.episode_id if level == "family" else s.row
        updates.setdefault(s.field, {})[key] = s.value
    for name, values in updates.items():
        by = "episode_id" if std.field(name).level == "family" else ROW_COLUMN
        keys = pl.col(by).cast(pl.Utf8) if by == "episode_id" else pl.col(by)
        frame = frame.with_columns(
            pl.coalesce(
                pl.col(name), keys.replace_strict(values, default=None, return_dtype=pl.Utf8)
            ).alias(name)
        )
    return frame
