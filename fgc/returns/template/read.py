"""Reading a filled template back into the council's rows of the tidy aggregate, with findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from xlsxwriter.utility import xl_rowcol_to_cell

from fgc.engine.aggregate import AGGREGATE_MEASURES, ID_COLUMNS, output_schema
from fgc.engine.aggregate.tidy import LA_LEVEL, la_table
from fgc.engine.periods import Period, PeriodError
from fgc.engine.validate import FINDINGS_SCHEMA
from fgc.formats.errors import FormatError
from fgc.returns.template.container import _load, _meta, _read_bytes
from fgc.returns.template.layout import (
    FIRST_ROW,
    INPUT_SHEET,
    KEY_ROW,
    LABEL_COL,
    TEMPLATE_KIND,
    TOPIC_COL,
    _applies,
    _as_period,
    _layout,
    _Row,
)
from fgc.returns.template.reconcile import _cell_value, _evaluate_checks, _finding
from fgc.returns.template_checks import CHECKS_BY_CODE
from fgc.standard import ENGLAND_CODE, ENGLAND_NAME, Standard, load_standard


def read_template(
    source: str | Path | bytes,
    *,
    la: str | None = None,
    period: Period | str | None = None,
    standard: Standard | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read a filled template: (the council's rows of the tidy aggregate, findings).

    The frame has ``fgc.engine.aggregate.output_schema()`` and equals what ``aggregate`` gives
    for that council and period when the figures were filled from child-level data. Findings
    use the validation findings schema (row = Excel row on the Input sheet, field = measure).
    Raises ``FormatError`` for anything that is not a readable template.
    """
    std = standard or load_standard()
    data, name = _read_bytes(source)
    book = _load(data, name)
    try:
        meta = _meta(book)
        if meta.get("kind") != TEMPLATE_KIND or INPUT_SHEET not in book.sheetnames:
            raise FormatError(
                f"{name}: not an FGC aggregate template (no template details found). Start from "
                "`fgc template` or the hub's download."
            )
        grid = list(book[INPUT_SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    la_code = meta.get("la_code", "")
    try:
        p = Period.parse(meta.get("period", ""))
    except PeriodError as exc:
        raise FormatError(f"{name}: the template's period is damaged ({exc}).") from exc
    findings: list[dict[str, Any]] = []
    agg010 = CHECKS_BY_CODE["AGG010"]
    if la is not None and str(la).strip() != la_code:
        findings.append(
            _finding(
                agg010,
                None,
                "la_code",
                la_code,
                f"template is for council {la_code}, expected {la}",
            )
        )
    if period is not None and _as_period(period).label != p.label:
        findings.append(
            _finding(
                agg010,
                None,
                "period",
                p.label,
                f"template is for {p.label}, expected {_as_period(period).label}",
            )
        )

    keys = [str(v) if v is not None else "" for v in grid[KEY_ROW]] if len(grid) > KEY_ROW else []
    col_of = {k: j for j, k in enumerate(keys)}
    missing = [m.name for m in AGGREGATE_MEASURES if m.name not in col_of]
    if missing:
        raise FormatError(
            f"{name}: the Input sheet's columns were changed (missing {', '.join(missing[:3])})."
        )
    layout = [r for r in _layout(std) if r.kind == "data"]
    found: dict[tuple[str, str], int] = {}
    for i, row in enumerate(grid[FIRST_ROW:], start=FIRST_ROW):
        if row and row[TOPIC_COL] is not None and row[LABEL_COL] is not None:
            found.setdefault((str(row[TOPIC_COL]), str(row[LABEL_COL])), i)
    values: dict[tuple[str, str], dict[str, Any]] = {}
    row_no: dict[tuple[str, str], int] = {}
    blanks = 0
    agg008, agg009 = CHECKS_BY_CODE["AGG008"], CHECKS_BY_CODE["AGG009"]
    for r in layout:
        key = (r.topic, r.label)
        if key not in found:
            raise FormatError(f"{name}: the Input sheet has no row for {r.topic} / {r.label}.")
        i = found[key]
        row_no[key] = i + 1
        vals: dict[str, Any] = {}
        for m in AGGREGATE_MEASURES:
            if not _applies(m, r.topic):
                continue
            j = col_of[m.name]
            raw = grid[i][j] if j < len(grid[i]) else None
            v, ok = _cell_value(raw, m)
            if not ok:
                cell = xl_rowcol_to_cell(i, j)
                findings.append(
                    _finding(
                        agg008,
                        i + 1,
                        m.name,
                        raw,
                        f"cell {cell} ({r.topic} / {r.label}, {m.label})",
                    )
                )
                v = None
            if v is None and m.unit != "days":
                blanks += raw is None
                v = 0
            vals[m.name] = v
        values[key] = vals
    if blanks:
        findings.append(_finding(agg009, None, None, blanks, f"{blanks} blank cells"))
    findings += _evaluate_checks(
        {k: {n: v for n, v in vals.items() if v is not None} for k, vals in values.items()}, row_no
    )
    return _tidy(values, layout, la_code, p), pl.DataFrame(
        findings, schema=FINDINGS_SCHEMA
    ) if findings else pl.DataFrame(schema=FINDINGS_SCHEMA)


def _tidy(
    values: dict[tuple[str, str], dict[str, Any]], layout: list[_Row], la_code: str, p: Period
) -> pl.DataFrame:
    geo = la_table().filter(pl.col("la_code") == la_code)
    g = geo.row(0, named=True) if geo.height else dict.fromkeys(geo.columns)
    ids = {
        "time_period": p.time_period,
        "time_identifier": p.time_identifier,
        "geographic_level": LA_LEVEL,
        "country_code": ENGLAND_CODE,
        "country_name": ENGLAND_NAME,
        "region_code": g["region_code"],
        "region_name": g["region_name"],
        "old_la_code": la_code,
        "new_la_code": g["new_la_code"],
        "la_name": g["la_name"],
    }
    records = []
    for r in layout:
        rec: dict[str, Any] = {**ids, "breakdown_topic": r.topic, "breakdown": r.label}
        vals = values[(r.topic, r.label)]
        rec.update({m.name: vals.get(m.name) for m in AGGREGATE_MEASURES})
        records.append(rec)
    schema = output_schema()
    assert tuple(schema)[: len(ID_COLUMNS)] == ID_COLUMNS
    return pl.DataFrame(records, schema=schema)
