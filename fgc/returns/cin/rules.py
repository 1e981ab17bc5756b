"""The DfE 2026-27 pre-proceedings rules, declared in ``rules_2026_27.toml``, run on a census.

``check_census`` streams a census (the one the council sends, or the one ``fgc export cin``
wrote), builds one row per ``PreProceedingsandFGDM`` block and evaluates each declared rule
as a polars expression over those rows, so an enriched file is checked against the same rules
the DfE's validator will apply before the council sends it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import polars as pl

from fgc.formats.xml_safe import XmlSource, source_name
from fgc.returns.cin.config import CinConfig, load_cin_config
from fgc.returns.cin.enrich import PP_ELEMENTS
from fgc.returns.cin.header import CensusHeader, census_header
from fgc.returns.cin.reader import PP_BLOCK, iter_census, pp_values

# The block's elements, in the DfE order (as the enricher writes them).
BLOCK_ELEMENTS = PP_ELEMENTS
FINDING_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.Utf8(),
    "severity": pl.Utf8(),
    "la_child_id": pl.Utf8(),
    "cin_referral_date": pl.Utf8(),
    "line": pl.Int64(),
    "element": pl.Utf8(),
    "value": pl.Utf8(),
    "message": pl.Utf8(),
}
_KINDS = frozenset({"no_blocks", "missing", "in_year", "requires", "codelist"})


@dataclass(frozen=True)
class CinRule:
    code: str
    severity: str  # "error" or "query"
    kind: str
    field: str
    message: str
    not_before: str | None = None
    when: str | None = None
    when_true: bool = False
    codes_from: str | None = None
    correction: str | None = None


@cache
def cin_rules() -> tuple[CinRule, ...]:
    """The declared rules, in code order."""
    text = resources.files("fgc.returns.cin").joinpath("rules_2026_27.toml").read_text("utf-8")
    rules = tuple(CinRule(**r) for r in tomllib.loads(text)["rules"])
    for r in rules:
        if r.kind not in _KINDS or r.severity not in ("error", "query"):
            raise RuntimeError(f"CIN rule {r.code}: unknown kind or severity")
    return rules


@dataclass(frozen=True)
class CensusBlocks:
    header: CensusHeader
    blocks: pl.DataFrame  # la_child_id, cin_referral_date, line, one text column per element


def census_blocks(source: XmlSource) -> CensusBlocks:
    """Every pre-proceedings block of a census, streamed, with the census header."""
    name = source_name(source)
    header_node = None
    rows: list[dict[str, object]] = []
    for node in iter_census(source):
        if node.tag == "Header":
            header_node = node
            continue
        ident = node.find("ChildIdentifiers")
        child = (ident.value("LAchildID") if ident is not None else None) or ""
        for ep in node.findall("CINdetails"):
            block = ep.find(PP_BLOCK)
            if block is None:
                continue
            values = pp_values(block)
            row: dict[str, object] = {
                "la_child_id": child,
                "cin_referral_date": ep.value("CINreferralDate"),
                "line": block.line,
            }
            row.update({e: (values.get(e) or None) for e in BLOCK_ELEMENTS})
            rows.append(row)
    schema = {"la_child_id": pl.Utf8, "cin_referral_date": pl.Utf8, "line": pl.Int64}
    schema.update(dict.fromkeys(BLOCK_ELEMENTS, pl.Utf8))
    return CensusBlocks(census_header(header_node, name), pl.DataFrame(rows, schema=schema))


def _date(name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def _present(name: str) -> pl.Expr:
    return pl.col(name).is_not_null() & (pl.col(name).str.strip_chars() != "")


def _failing(rule: CinRule, header: CensusHeader, config: CinConfig) -> pl.Expr:
    if rule.kind == "missing":
        return ~_present(rule.field)
    if rule.kind == "in_year":
        d = _date(rule.field)
        bad = (d < header.year_start) | (d > header.year_end)
        if rule.not_before:
            bad = bad | (d < _date(rule.not_before))
        return bad.fill_null(False)
    if rule.kind == "requires":
        assert rule.when is not None
        when = _present(rule.when)
        if rule.when_true:
            yes = [t.lower() for t in config.accept_true]
            when = when & pl.col(rule.when).str.strip_chars().str.to_lowercase().is_in(yes)
        return (when & ~_present(rule.field)).fill_null(False)
    if rule.kind == "codelist":
        codes = list(config.pp_outcome_codes)
        return (
            _present(rule.field) & ~pl.col(rule.field).str.strip_chars().is_in(codes)
        ).fill_null(False)
    raise AssertionError(rule.kind)


def check_census(source: XmlSource, config: CinConfig | None = None) -> pl.DataFrame:
    """Findings of every declared rule on a census file (FINDING_SCHEMA), in file order.

    Raises ``FormatError`` for unsafe or malformed XML, or a census with no usable header.
    """
    cfg = config or load_cin_config()
    read = census_blocks(source)
    return evaluate(read.blocks, read.header, cfg)


def evaluate(blocks: pl.DataFrame, header: CensusHeader, config: CinConfig) -> pl.DataFrame:
    """The rules over a frame of blocks (as ``census_blocks`` gives)."""
    parts: list[pl.DataFrame] = []
    for rule in cin_rules():
        if rule.kind == "no_blocks":
            if blocks.height == 0:
                parts.append(
                    pl.DataFrame(
                        [{"code": rule.code, "severity": rule.severity, "message": rule.message}],
                        schema=FINDING_SCHEMA,
                    )
                )
            continue
        hits = blocks.filter(_failing(rule, header, config))
        if hits.height:
            parts.append(
                hits.select(
                    pl.lit(rule.code).alias("code"),
                    pl.lit(rule.severity).alias("severity"),
                    "la_child_id",
                    "cin_referral_date",
                    "line",
                    pl.lit(rule.field).alias("element"),
                    pl.col(rule.field).alias("value"),
                    pl.lit(rule.message).alias("message"),
                )
            )
    if not parts:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    return pl.concat(parts, how="vertical_relaxed").sort("line", "code", nulls_last=False)


def rules_markdown() -> str:
    """The catalogue as a Markdown table, for docs/returns.md."""
    lines = ["| code | severity | field | rule | how fgc applies it |", "|---|---|---|---|---|"]
    for r in cin_rules():
        how = r.correction or "as published"
        lines.append(f"| {r.code} | {r.severity} | {r.field or '(file)'} | {r.message} | {how} |")
    return "\n".join(lines) + "\n"


def as_report_rows(findings: pl.DataFrame) -> pl.DataFrame:
    """Findings in the export report's columns (kind ``cin_rule_error`` / ``cin_rule_query``)."""
    return findings.select(
        ("cin_rule_" + pl.col("severity")).alias("kind"),
        "la_child_id",
        pl.lit(None, dtype=pl.Utf8).alias("fgc_episode_id"),
        "cin_referral_date",
        "element",
        pl.col("value").alias("census_value"),
        pl.lit(None, dtype=pl.Utf8).alias("fgc_value"),
        (pl.col("code") + ": " + pl.col("message")).alias("message"),
    )


def errors_in_added(findings: pl.DataFrame, report: pl.DataFrame) -> pl.DataFrame:
    """Error findings on the blocks the enricher added or added elements to.

    Those the export itself would have caused, so it must not write them; errors in blocks the
    case system wrote are the council's to correct and are only reported.
    """
    touched = report.filter(pl.col("kind").is_in(["added_block", "added_element"])).select(
        "la_child_id", "cin_referral_date"
    )
    errors = findings.filter(pl.col("severity") == "error")
    return errors.join(touched.unique(), on=["la_child_id", "cin_referral_date"], how="semi")
