"""Checking an uploaded CIN census (Option 3): its FGC items, read safely and summarised.

The census is streamed with the hardened parser of ``fgc.returns.cin.reader`` (built on
``fgc.formats.xml_safe``): a file with a DTD or entity declarations is refused with a clear
message before anything in it is used. Each ``PreProceedingsandFGDM`` block becomes one row
of a summary in child-level field names (``child_id``, ``lbp_date``, ``offer_in_lbp``,
``care_application_date``, plus the census's own ``fgdm_meeting_facilitated``), and the
block is checked against the rules below. The ``row`` of a finding is the line in the XML.

This module does not import Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from fgc.engine.validate import FINDINGS_SCHEMA, ValidationReport
from fgc.formats.xml_safe import XmlSource
from fgc.returns.cin.config import CinConfig, load_cin_config
from fgc.returns.cin.denominators import read_cin_denominators
from fgc.returns.cin.reader import PP_BLOCK, Node, iter_census, parse_date
from fgc.standard import Standard, load_standard

# The items of the block the FGC module fills (see docs/returns.md, Option 3).
FGC_ITEMS = ("LBPSentDate", "FGDMMeetingOffer", "FGDMMeetingFac", "CourtAppDate")
DATE_ITEMS: tuple[str, ...] = (
    *("PPStartDate", "LBPSentDate", "InitialPPMeetingDate", "StepDecisionDate"),
    *("CourtAppDate", "LetterInitCPDate"),
)
BOOLEAN_ITEMS = ("FGDMMeetingOffer", "FGDMMeetingFac")

SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.Int64(),
    "child_id": pl.Utf8(),
    "cin_referral_date": pl.Utf8(),
    "lbp_date": pl.Utf8(),
    "offer_in_lbp": pl.Utf8(),
    "fgdm_meeting_facilitated": pl.Utf8(),
    "care_application_date": pl.Utf8(),
    "pp_outcome": pl.Utf8(),
}


@dataclass(frozen=True)
class CensusRule:
    code: str
    severity: Literal["error", "query"]
    message: str


# Declared once: the report page shows these messages, findings add where and what.
RULES: tuple[CensusRule, ...] = (
    CensusRule("CIN001", "error", "A child in the census has no LAchildID."),
    CensusRule(
        "CIN002",
        "error",
        "A pre-proceedings block has no LBPSentDate, so it cannot be matched to FGC records.",
    ),
    CensusRule(
        "CIN003",
        "query",
        "A pre-proceedings block is missing FGC items (FGDMMeetingOffer, FGDMMeetingFac): "
        "`fgc export cin` can add them from your FGC records.",
    ),
    CensusRule("CIN004", "error", "A date in a pre-proceedings block is not a YYYY-MM-DD date."),
    CensusRule(
        "CIN005",
        "error",
        "FGDMMeetingOffer / FGDMMeetingFac is not in the configured yes/no encoding.",
    ),
    CensusRule("CIN006", "query", "CourtAppDate is before LBPSentDate."),
    CensusRule("CIN007", "query", "PPOutcome is not one of the configured codes."),
    CensusRule("CIN008", "query", "The census header is for another council (Source/LEA)."),
)
RULES_BY_CODE: dict[str, CensusRule] = {r.code: r for r in RULES}


@dataclass(frozen=True)
class CensusCheck:
    summary: pl.DataFrame  # one row per pre-proceedings block (SUMMARY_SCHEMA)
    denominators: pl.DataFrame  # read_cin_denominators
    report: ValidationReport
    children: int
    children_with_block: int


def rule_messages() -> dict[str, str]:
    return {r.code: r.message for r in RULES}


def _finding(
    code: str, line: int | None, child: str | None, field: str | None, value: Any, detail: str
) -> dict[str, Any]:
    rule = RULES_BY_CODE[code]
    return {
        "row": line,
        "episode_id": None,
        "child_id": child,
        "field": field,
        "value": None if value is None else str(value),
        "code": code,
        "severity": rule.severity,
        "message": f"{detail}: {rule.message}" if detail else rule.message,
    }


def _yn(config: CinConfig, text: str | None) -> str | None:
    decoded = config.decode(text)
    return None if decoded is None else ("Y" if decoded else "N")


def _check_block(
    block: Node, child: str | None, config: CinConfig, out: list[dict[str, Any]]
) -> dict[str, Any]:
    items = {c.tag: c for c in block.children}
    text = {tag: node.text.strip() for tag, node in items.items()}
    line = block.line
    if not text.get("LBPSentDate"):
        out.append(_finding("CIN002", line, child, "LBPSentDate", None, "no LBPSentDate"))
    absent = [t for t in BOOLEAN_ITEMS if not text.get(t)]
    if absent:
        out.append(_finding("CIN003", line, child, absent[0], None, "missing " + ", ".join(absent)))
    for tag in DATE_ITEMS:
        if text.get(tag) and parse_date(text[tag]) is None:
            out.append(_finding("CIN004", items[tag].line, child, tag, text[tag], tag))
    for tag in BOOLEAN_ITEMS:
        if text.get(tag) and config.decode(text[tag]) is None:
            allowed = f"yes: {config.true}, no: {config.false}"
            out.append(_finding("CIN005", items[tag].line, child, tag, text[tag], allowed))
    letter, court = parse_date(text.get("LBPSentDate")), parse_date(text.get("CourtAppDate"))
    if letter and court and court < letter:
        detail = f"CourtAppDate {court} is before LBPSentDate {letter}"
        line_no = items["CourtAppDate"].line
        out.append(_finding("CIN006", line_no, child, "CourtAppDate", court, detail))
    outcome = text.get("PPOutcome")
    if outcome and outcome not in config.pp_outcome_codes:
        codes = ", ".join(config.pp_outcome_codes)
        out.append(
            _finding("CIN007", items["PPOutcome"].line, child, "PPOutcome", outcome, f"not {codes}")
        )
    return {
        "line": line,
        "child_id": child,
        "lbp_date": text.get("LBPSentDate") or None,
        "offer_in_lbp": _yn(config, text.get("FGDMMeetingOffer")),
        "fgdm_meeting_facilitated": _yn(config, text.get("FGDMMeetingFac")),
        "care_application_date": text.get("CourtAppDate") or None,
        "pp_outcome": outcome or None,
    }


def check_census(
    source: XmlSource,
    *,
    la: str,
    config: CinConfig | None = None,
    standard: Standard | None = None,
) -> CensusCheck:
    """Read and check a census file. Raises ``FormatError`` (``UnsafeXMLError`` for a hostile
    file) when it is not a readable, safe census."""
    std = standard or load_standard()
    config = config or load_cin_config()
    findings: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    children = with_block = 0
    for node in iter_census(source):
        if node.tag == "Header":
            lea = node.value("Source/LEA")
            if lea and lea != str(la).strip():
                findings.append(
                    _finding("CIN008", node.line, None, "LEA", lea, f"LEA {lea}, expected {la}")
                )
            continue
        if node.tag != "Child":
            continue
        children += 1
        ident = node.find("ChildIdentifiers")
        child = (ident.value("LAchildID") if ident else None) or ""
        if not child:
            findings.append(_finding("CIN001", node.line, None, "LAchildID", None, ""))
        blocks = 0
        for episode in node.findall("CINdetails"):
            block = episode.find(PP_BLOCK)
            if block is None:
                continue
            blocks += 1
            row = _check_block(block, child or None, config, findings)
            row["cin_referral_date"] = episode.value("CINreferralDate")
            rows.append(row)
        with_block += blocks > 0
    summary = pl.DataFrame(rows or None, schema=SUMMARY_SCHEMA)
    denominators = read_cin_denominators(source, standard=std)
    frame = (
        pl.DataFrame(findings, schema=FINDINGS_SCHEMA)
        if findings
        else pl.DataFrame(schema=FINDINGS_SCHEMA)
    )
    report = ValidationReport(standard_version=std.version, rows=children, findings=frame)
    return CensusCheck(summary, denominators, report, children, with_block)
