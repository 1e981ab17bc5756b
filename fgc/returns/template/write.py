"""Writing the template: the Input sheet with its live checks, blank or filled from data."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from fgc.engine.aggregate import AGGREGATE_MEASURES
from fgc.engine.aggregate.tidy import LA_LEVEL
from fgc.engine.periods import Period
from fgc.returns.template.layout import (
    FIRST_MEASURE_COL,
    FIRST_ROW,
    HEADER_ROW,
    INPUT_SHEET,
    KEY_ROW,
    LABEL_COL,
    META_SHEET,
    SOURCE_CHOICES,
    SOURCE_ROW,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    TITLE_ROW,
    TOPIC_COL,
    TOPIC_MISMATCH,
    TOTAL,
    _applies,
    _as_period,
    _layout,
)
from fgc.returns.template.sheets import _formats, _write_codelists, _write_guidance
from fgc.returns.template_checks import CHECKS
from fgc.standard import Standard, get_la, load_standard


def _row_conditions(topic: str, cell: dict[str, str]) -> list[tuple[str, str]]:
    """(Excel condition that is TRUE when wrong, short message) for a data row."""
    out: list[tuple[str, str]] = []
    names = {m.name for m in AGGREGATE_MEASURES if _applies(m, topic)}
    steps = {m.step for m in AGGREGATE_MEASURES if m.unit != "days"}
    for check in CHECKS:
        for unit in ("families", "children"):
            if check.kind in ("sum_equals", "at_most"):
                left, right = f"{unit}_{check.left}", [f"{unit}_{s}" for s in check.right]
                if not {left, *right} <= names:
                    continue
                total = "+".join(cell[n] for n in right)
                op = "<>" if check.kind == "sum_equals" else "<"
                out.append((f"{cell[left]}{op}({total})", f"{check.code} {unit}: {check.short}"))
        if check.kind == "children_at_least_families":
            for step in sorted(steps):
                fam, ch = f"families_{step}", f"children_{step}"
                if {fam, ch} <= names:
                    out.append((f"{cell[ch]}<{cell[fam]}", f"{check.code} {step}: {check.short}"))
    return out


def write_template(
    la: str,
    period: Period | str,
    *,
    values: pl.DataFrame | None = None,
    source_of_figures: str | None = None,
    standard: Standard | None = None,
) -> bytes:
    """The Option 1 workbook for a council and period, blank or filled with ``values``.

    ``values`` holds the council's rows of the tidy aggregate (breakdown_topic, breakdown and
    measure columns); cells it has no row for stay blank.
    """
    std = standard or load_standard()
    p = _as_period(period)
    council = get_la(str(la).strip())
    filled: dict[tuple[str, str], dict[str, Any]] = {}
    if values is not None:
        for given_row in values.iter_rows(named=True):
            filled[(given_row["breakdown_topic"], given_row["breakdown"])] = given_row
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    f = _formats(book)
    guidance = book.add_worksheet("Guidance")
    ws = book.add_worksheet(INPUT_SHEET)
    codes = book.add_worksheet("Code lists")
    meta = book.add_worksheet(META_SHEET)
    _write_guidance(guidance, f, council.name, p, std)
    _write_codelists(codes, f, std)

    measures = list(AGGREGATE_MEASURES)
    check_col = FIRST_MEASURE_COL + len(measures)
    ws.write(
        TITLE_ROW,
        0,
        f"FGC aggregate return: {council.name} ({council.old_la_code}), {p.label}",
        f["title"],
    )
    ws.write(SOURCE_ROW, 0, "Where the figures come from", f["bold"])
    ws.write(SOURCE_ROW, 1, source_of_figures or "", f["unlocked"])
    ws.data_validation(
        SOURCE_ROW, 1, SOURCE_ROW, 1, {"validate": "list", "source": list(SOURCE_CHOICES)}
    )
    ws.write_row(HEADER_ROW, 0, ["Breakdown topic", "Breakdown"], f["header"])
    ws.write_row(KEY_ROW, 0, ["breakdown_topic", "breakdown"])
    for j, m in enumerate(measures):
        ws.write(HEADER_ROW, FIRST_MEASURE_COL + j, m.label, f["header"])
        ws.write(KEY_ROW, FIRST_MEASURE_COL + j, m.name)
    ws.write(HEADER_ROW, check_col, "Checks (red = does not add up)", f["header"])
    ws.set_row(HEADER_ROW, 75)
    ws.set_row(KEY_ROW, None, None, {"hidden": True})
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 34)
    ws.set_column(FIRST_MEASURE_COL, check_col - 1, 12)
    ws.set_column(check_col, check_col, 60)
    ws.freeze_panes(KEY_ROW + 1, FIRST_MEASURE_COL)

    rows = _layout(std)
    row_of: dict[tuple[str, str], int] = {}
    topic_rows: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        xr = FIRST_ROW + i
        if r.kind == "data":
            row_of[(r.topic, r.label)] = xr
            topic_rows.setdefault(r.topic, []).append(xr)
    total_row = row_of[(TOTAL, TOTAL)]
    for i, r in enumerate(rows):
        xr = FIRST_ROW + i
        ws.write(xr, TOPIC_COL, r.topic, f["topic"])
        ws.write(xr, LABEL_COL, r.label, f["check"] if r.kind == "check" else f["label"])
        cells = {
            m.name: xl_rowcol_to_cell(xr, FIRST_MEASURE_COL + j) for j, m in enumerate(measures)
        }
        if r.kind == "check":
            first, last = topic_rows[r.topic][0], topic_rows[r.topic][-1]
            for j, m in enumerate(measures):
                col = FIRST_MEASURE_COL + j
                if not _applies(m, r.topic) or m.unit == "days":
                    ws.write_blank(xr, col, None, f["na"])
                    continue
                rng = f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"
                total = xl_rowcol_to_cell(total_row, col)
                ws.write_formula(
                    xr, col, f'=IF(SUM({rng})<>{total},"{TOPIC_MISMATCH}","")', f["check"], ""
                )
            continue
        given = filled.get((r.topic, r.label), {})
        for j, m in enumerate(measures):
            col = FIRST_MEASURE_COL + j
            if not _applies(m, r.topic):
                ws.write_blank(xr, col, None, f["na"])
                continue
            fmt = f["median"] if m.unit == "days" else f["input"]
            value = given.get(m.name)
            if value is None:
                ws.write_blank(xr, col, None, fmt)
            else:
                ws.write_number(xr, col, value, fmt)
        conds = _row_conditions(r.topic, cells)
        if conds:
            parts = [f'IF({c},"{msg}; ","")' for c, msg in conds]
            ws.write_formula(xr, check_col, "=" + "&".join(parts), f["check"], "")
        else:
            ws.write_blank(xr, check_col, None, f["check"])
    last_row = FIRST_ROW + len(rows) - 1
    # Whole numbers >= 0 (counts) and days >= 0 (medians), column by column.
    for j, m in enumerate(measures):
        col = FIRST_MEASURE_COL + j
        kind = "decimal" if m.unit == "days" else "integer"
        for topic, xrs in topic_rows.items():
            if _applies(m, topic):
                ws.data_validation(
                    xrs[0], col, xrs[-1], col,
                    {
                        "validate": kind, "criteria": ">=", "value": 0,
                        "error_title": "Not a valid figure",
                        "error_message": "Enter a whole number, 0 or more"
                        if kind == "integer" else "Enter a number of days, 0 or more",
                    },
                )  # fmt: skip
    red = {"type": "formula", "format": f["red"]}
    ws.conditional_format(
        FIRST_ROW, check_col, last_row, check_col,
        {**red, "criteria": f"=LEN({xl_rowcol_to_cell(FIRST_ROW, check_col)})>0"},
    )  # fmt: skip
    first_cell = xl_rowcol_to_cell(FIRST_ROW, FIRST_MEASURE_COL)
    ws.conditional_format(
        FIRST_ROW, FIRST_MEASURE_COL, last_row, check_col - 1,
        {**red, "criteria": f'={first_cell}="{TOPIC_MISMATCH}"'},
    )  # fmt: skip
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})

    for i, (k, v) in enumerate(
        [
            ("kind", TEMPLATE_KIND),
            ("template_version", TEMPLATE_VERSION),
            ("standard_version", std.version),
            ("la_code", council.old_la_code),
            ("period", p.label),
        ]
    ):
        meta.write_row(i, 0, [k, v])
    meta.very_hidden()
    meta.protect()
    book.close()
    return out.getvalue()


def fill_template(
    aggregate_frame: pl.DataFrame,
    la: str,
    period: Period | str,
    *,
    standard: Standard | None = None,
) -> bytes:
    """A template filled with a council's rows of ``fgc.engine.aggregate.aggregate`` output."""
    la = str(la).strip()
    rows = aggregate_frame.filter(
        (pl.col("geographic_level") == LA_LEVEL) & (pl.col("old_la_code") == la)
    )
    return write_template(
        la, period, values=rows, source_of_figures=SOURCE_CHOICES[0], standard=standard
    )
