"""Checking an uploaded aggregate (Option 1) return: an FGC template workbook or a tidy table.

Both routes end in the same place: the council's rows of the tidy aggregate (the shape of
``fgc aggregate``) and a ``TemplateReport`` whose findings come from the reconciliation checks
declared once in ``fgc.returns.template_checks`` (AGG001–AGG010). A template is read with
``fgc.returns.template.read_template``; a tidy CSV/XLSX is read cell by cell with the same
cell rule and then handed to the same check evaluation, so the two cannot drift apart.

This module does not import Django (the hub's job calls it with bytes and frames).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from fgc.engine.aggregate import AGGREGATE_MEASURES, ID_COLUMNS
from fgc.engine.aggregate.tidy import LA_LEVEL
from fgc.engine.periods import Period
from fgc.engine.validate import FINDINGS_SCHEMA
from fgc.formats.errors import FormatError
from fgc.formats.result import ROW_COLUMN
from fgc.returns.template import TemplateReport, read_template
from fgc.returns.template.layout import _applies, _layout
from fgc.returns.template.read import _tidy
from fgc.returns.template.reconcile import _cell_value, _evaluate_checks, _finding
from fgc.returns.template_checks import CHECKS_BY_CODE
from fgc.standard import Standard, load_standard

KEY_COLUMNS = ("breakdown_topic", "breakdown")


@dataclass(frozen=True)
class AggregateResult:
    """The council's tidy aggregate rows and the report on them."""

    tidy: pl.DataFrame
    report: TemplateReport


def rule_messages() -> dict[str, str]:
    """The declared message of every AGG rule (the report page's one line per rule)."""
    return {code: check.message for code, check in CHECKS_BY_CODE.items()}


def _report(
    tidy: pl.DataFrame, findings: list[dict[str, Any]] | pl.DataFrame, std: Standard, source: str
) -> TemplateReport:
    frame = (
        findings
        if isinstance(findings, pl.DataFrame)
        else pl.DataFrame(findings, schema=FINDINGS_SCHEMA)
    )
    return TemplateReport(
        standard_version=std.version, rows=tidy.height, findings=frame, source=source
    )


def check_template(
    data: bytes,
    *,
    la: str,
    period: Period | str,
    source: str = "template.xlsx",
    standard: Standard | None = None,
) -> AggregateResult:
    """A filled FGC template, checked for the council and period it was uploaded for.

    Raises ``FormatError`` when the workbook is not a readable template.
    """
    std = standard or load_standard()
    tidy, findings = read_template(data, la=la, period=period, standard=std)
    return AggregateResult(tidy, _report(tidy, findings, std, source))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def check_tidy(
    frame: pl.DataFrame,
    *,
    la: str,
    period: Period | str,
    source: str = "aggregate.csv",
    standard: Standard | None = None,
) -> AggregateResult:
    """A tidy aggregate table (text columns, as ``read_table`` gives) with ``fgc aggregate``'s
    columns: the council's ``Local authority`` rows are checked; regional and national rows
    (which ``fgc aggregate`` also writes) are ignored.

    Raises ``FormatError`` when the table is not an aggregate return at all.
    """
    std = standard or load_standard()
    p = period if isinstance(period, Period) else Period.parse(str(period))
    la = str(la).strip()
    agg008, agg009, agg010 = (CHECKS_BY_CODE[c] for c in ("AGG008", "AGG009", "AGG010"))
    needed = [*ID_COLUMNS, *KEY_COLUMNS]
    missing = [c for c in needed if c not in frame.columns]
    measures = [m.name for m in AGGREGATE_MEASURES]
    if missing or not any(m in frame.columns for m in measures):
        what = ", ".join(missing[:4]) if missing else f"measure columns such as {measures[0]}"
        raise FormatError(
            f"{source}: not an aggregate return (missing {what}). Upload the FGC template "
            "workbook, or the CSV that `fgc aggregate` writes."
        )
    rows_of = (
        frame.get_column(ROW_COLUMN)
        if ROW_COLUMN in frame.columns
        else pl.int_range(2, frame.height + 2, eager=True)
    )
    text = frame.with_columns(rows_of.alias("_row"))
    findings: list[dict[str, Any]] = []
    la_rows = text.filter(pl.col("geographic_level").str.strip_chars() == LA_LEVEL)
    others = sorted(
        set(la_rows.get_column("old_la_code").str.strip_chars().drop_nulls().to_list()) - {la}
    )
    for code in others:
        findings.append(
            _finding(agg010, None, "old_la_code", code, f"the file has rows for council {code}")
        )
    mine = la_rows.filter(pl.col("old_la_code").str.strip_chars() == la)
    wrong_period = sorted(
        {
            f"{_text(r['time_period'])}/{_text(r['time_identifier'])}"
            for r in mine.select("time_period", "time_identifier").iter_rows(named=True)
        }
        - {f"{p.time_period}/{p.time_identifier}"}
    )
    for label in wrong_period:
        findings.append(
            _finding(
                agg010,
                None,
                "time_period",
                label,
                f"rows for {label}, expected {p.time_period}/{p.time_identifier} ({p.label})",
            )
        )
    mine = mine.filter(
        (pl.col("time_period").str.strip_chars() == p.time_period)
        & (pl.col("time_identifier").str.strip_chars() == p.time_identifier)
    )
    layout = [r for r in _layout(std) if r.kind == "data"]
    wanted = {(r.topic, r.label) for r in layout}
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in mine.iter_rows(named=True):
        key = (_text(rec["breakdown_topic"]), _text(rec["breakdown"]))
        if key not in wanted:
            findings.append(
                _finding(agg010, rec["_row"], "breakdown", " / ".join(key), "unknown breakdown")
            )
        elif key in by_key:
            findings.append(
                _finding(agg010, rec["_row"], "breakdown", " / ".join(key), "row repeated")
            )
        else:
            by_key[key] = rec
    values: dict[tuple[str, str], dict[str, Any]] = {}
    row_no: dict[tuple[str, str], int] = {}
    blanks = 0
    absent = [r for r in layout if (r.topic, r.label) not in by_key]
    if len(absent) == len(layout):
        findings.append(
            _finding(agg010, None, "old_la_code", la, f"no rows for council {la} in {p.label}")
        )
    elif absent:
        listed = ", ".join(f"{r.topic} / {r.label}" for r in absent[:3])
        findings.append(
            _finding(agg010, None, "breakdown", None, f"{len(absent)} rows missing ({listed})")
        )
    for r in layout:
        key = (r.topic, r.label)
        found = by_key.get(key)
        row_no[key] = int(found["_row"]) if found else 0
        vals: dict[str, Any] = {}
        for m in AGGREGATE_MEASURES:
            if not _applies(m, r.topic):
                continue
            raw = found.get(m.name) if found else None
            raw = None if raw is None or not str(raw).strip() else str(raw).strip()
            v, ok = _cell_value(raw, m)
            if not ok:
                findings.append(
                    _finding(
                        agg008,
                        row_no[key] or None,
                        m.name,
                        raw,
                        f"{r.topic} / {r.label}, {m.label}",
                    )
                )
            if v is None and m.unit != "days":
                blanks += raw is None and found is not None
                v = 0
            vals[m.name] = v
        values[key] = vals
    if blanks:
        findings.append(_finding(agg009, None, None, blanks, f"{blanks} blank cells"))
    findings += _evaluate_checks(
        {k: {n: v for n, v in vals.items() if v is not None} for k, vals in values.items()},
        row_no,
    )
    tidy = _tidy(values, layout, la, p)
    return AggregateResult(tidy, _report(tidy, findings, std, source))


def is_tidy_aggregate(frame: pl.DataFrame) -> bool:
    """True if the table has the tidy aggregate's identifying columns (``fgc aggregate``'s)."""
    return all(c in frame.columns for c in (*ID_COLUMNS, *KEY_COLUMNS))


def _period_of(time_period: str, time_identifier: str) -> Period | None:
    tp, ti = time_period.strip(), time_identifier.strip()
    if len(tp) != 6 or not tp.isdigit():
        return None
    label = f"{tp[:4]}-{tp[4:]}"
    if ti.startswith("Financial year Q") and ti[-1:] in "1234":
        label += f"-Q{ti[-1]}"
    try:
        return Period.parse(label)
    except ValueError:
        return None


def check_tidy_file(
    frame: pl.DataFrame, *, source: str, standard: Standard | None = None
) -> TemplateReport:
    """Every council and period in a tidy aggregate file (``fgc aggregate`` may write many),
    each checked as ``check_tidy`` checks an upload, in one report."""
    std = standard or load_standard()
    if not is_tidy_aggregate(frame):
        return check_tidy(frame, la="", period="2025-26", source=source, standard=std).report
    la_rows = frame.filter(pl.col("geographic_level").str.strip_chars() == LA_LEVEL)
    keys = la_rows.select(
        pl.col("old_la_code").str.strip_chars(),
        pl.col("time_period").fill_null(""),
        pl.col("time_identifier").fill_null(""),
    ).unique(maintain_order=True)
    parts: list[pl.DataFrame] = []
    rows = 0
    for la, tp, ti in keys.iter_rows():
        period = _period_of(tp, ti)
        if period is None:
            parts.append(
                pl.DataFrame(
                    [
                        _finding(
                            CHECKS_BY_CODE["AGG010"],
                            None,
                            "time_period",
                            f"{tp}/{ti}",
                            "not a financial year or quarter",
                        )
                    ],
                    schema=FINDINGS_SCHEMA,
                )
            )
            continue
        one = frame.filter(
            (pl.col("geographic_level").str.strip_chars() == LA_LEVEL)
            & (pl.col("old_la_code").str.strip_chars() == la)
            & (pl.col("time_period") == tp)
            & (pl.col("time_identifier") == ti)
        )
        result = check_tidy(one, la=la or "", period=period, source=source, standard=std)
        rows += result.tidy.height
        parts.append(result.report.findings)
    if not parts:
        parts.append(
            pl.DataFrame(
                [
                    _finding(
                        CHECKS_BY_CODE["AGG010"],
                        None,
                        "geographic_level",
                        None,
                        "the file has no Local authority rows",
                    )
                ],
                schema=FINDINGS_SCHEMA,
            )
        )
    findings = pl.concat(parts, how="vertical_relaxed")
    return TemplateReport(standard_version=std.version, rows=rows, findings=findings, source=source)
