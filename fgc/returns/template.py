"""Option 1: the aggregate return as an Excel template, written and read back.

The workbook is generated from the declarations: the rows are the breakdown values of
``fgc.engine.aggregate.BREAKDOWN_TOPICS``, the columns ``AGGREGATE_MEASURES``, the checks
``template_checks.CHECKS``. A person fills it by hand; ``fill_template`` fills it from
child-level data; either way ``read_template`` turns it back into the council's rows of the
tidy aggregate (``fgc.engine.aggregate.aggregate``), with findings for anything that does not
add up.

Sheets: Guidance (definitions, counting rules, checks, an example), Input (locked labels,
unlocked whole-number cells, live checks), Code lists, and a hidden _meta sheet identifying
the council, period, standard and template version.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from fgc.engine.aggregate import (
    AGGREGATE_MEASURES,
    BREAKDOWN_TOPICS,
    ID_COLUMNS,
    Measure,
    breakdown_values,
    output_schema,
)
from fgc.engine.aggregate.tidy import LA_LEVEL, la_table
from fgc.engine.periods import Period, PeriodError
from fgc.engine.validate import FINDINGS_SCHEMA, ValidationReport
from fgc.formats.errors import FormatError
from fgc.formats.escape import escape_formula
from fgc.returns.template_checks import CHECKS, CHECKS_BY_CODE, ReconciliationCheck
from fgc.standard import ENGLAND_CODE, ENGLAND_NAME, Standard, get_la, load_standard

TEMPLATE_KIND = "fgc-aggregate-template"
TEMPLATE_VERSION = "1"
INPUT_SHEET = "Input"
META_SHEET = "_meta"
TOTAL = "Total"
CHECK_LABEL = "Check"
TOPIC_MISMATCH = "AGG007 not = Total"
SOURCE_CHOICES = ("Case management system", "Spreadsheet records", "Manual count")

# Input sheet layout (0-based rows/columns as xlsxwriter counts them).
TITLE_ROW, SOURCE_ROW, HEADER_ROW, KEY_ROW, FIRST_ROW = 0, 1, 3, 4, 5
TOPIC_COL, LABEL_COL, FIRST_MEASURE_COL = 0, 1, 2

# Hostile workbook limits: a real template is well under 1 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 500


@dataclass(frozen=True)
class _Row:
    kind: str  # "data" or "check"
    topic: str
    label: str


def _layout(std: Standard) -> list[_Row]:
    rows: list[_Row] = []
    for topic in BREAKDOWN_TOPICS:
        rows += [_Row("data", topic, b.label) for b in breakdown_values(topic, std)]
        if topic != TOTAL:
            rows.append(_Row("check", topic, f"{CHECK_LABEL}: {topic} adds up to Total"))
    return rows


def _as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else Period.parse(str(period))


def _applies(m: Measure, topic: str) -> bool:
    return topic in m.topics


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


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DEE0E2", "border": 1}
        ),
        "label": book.add_format({"border": 1}),
        "topic": book.add_format({"bold": True, "border": 1}),
        "input": book.add_format({"locked": False, "border": 1, "bg_color": "#FFFFFF"}),
        "median": book.add_format(
            {"locked": False, "border": 1, "bg_color": "#FFFFFF", "num_format": "0.0"}
        ),
        "na": book.add_format({"bg_color": "#B1B4B6", "border": 1}),
        "check": book.add_format({"italic": True, "font_color": "#505A5F", "border": 1}),
        "red": book.add_format({"bg_color": "#F4C7C3", "font_color": "#942514", "bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "bold": book.add_format({"bold": True}),
        "unlocked": book.add_format({"locked": False, "bg_color": "#FFFFFF", "border": 1}),
    }


def _write_guidance(
    ws: Worksheet, f: dict[str, Any], la_name: str, p: Period, std: Standard
) -> None:
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 90)
    ws.write(0, 0, f"FGC aggregate return: {la_name}, {p.label}", f["title"])
    intro = (
        f"Enter your council's figures for {p.label} ({p.start.isoformat()} to "
        f"{p.end.isoformat()}) on the Input sheet. Families are FGC episodes (one family group's "
        "journey); children are the children in those episodes. A family counts in a figure when "
        "any of its children does. Each breakdown (stage, reasons, meeting type, ethnicity group, "
        "age band, sex, disability) must add up to its Total row: use 'Not recorded' for the "
        "rest. Grey cells do not apply. The Checks column turns red while something does not add "
        f"up. Standard version {std.version}; template version {TEMPLATE_VERSION}."
    )
    ws.merge_range(1, 0, 1, 3, intro, f["wrap"])
    ws.set_row(1, 90)
    row = 3
    ws.write_row(row, 0, ["Measure", "Column name", "Unit", "Counting rule"], f["header"])
    for m in AGGREGATE_MEASURES:
        row += 1
        ws.write_row(row, 0, [m.label, m.name, m.unit], f["wrap"])
        ws.write(row, 3, f"{m.description} Reported by: {', '.join(m.topics)}.", f["wrap"])
    row += 2
    ws.write_row(row, 0, ["Check", "Severity", "", "What it means"], f["header"])
    for c in CHECKS:
        row += 1
        ws.write_row(row, 0, [c.code, c.severity, ""], f["wrap"])
        ws.write(row, 3, c.message, f["wrap"])
    row += 2
    ws.write(row, 0, "Example", f["bold"])
    example = (
        "40 families (62 children) were offered an FGC in the year: 25 accepted, 9 declined, "
        "4 gave no response and 2 are pending, so offered (40) = 25 + 9 + 4 + 2 + 0 not "
        "recorded. By stage, the 40 families split as, say, CP 22, PLO 12, CIN 6, and the other "
        "stages 0: 22 + 12 + 6 = 40, the Total row."
    )
    ws.merge_range(row + 1, 0, row + 1, 3, example, f["wrap"])
    ws.set_row(row + 1, 60)
    ws.protect()


def _write_codelists(ws: Worksheet, f: dict[str, Any], std: Standard) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 60)
    ws.set_column(3, 3, 14)
    ws.write_row(0, 0, ["Code list", "Code", "Label", "Group"], f["header"])
    row = 0
    for name in (
        "stage",
        "exception_reason",
        "offer_response",
        "decline_reason",
        "meeting_type",
        "not_held_reason",
        "sex",
        "ethnicity",
        "disability",
    ):
        for c in std.codelists[name].codes:
            row += 1
            ws.write_row(row, 0, [name, c.code, escape_formula(c.label), c.group or ""])
    ws.protect()


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


# ---------------------------------------------------------------------------------- reading


def _read_bytes(source: str | Path | bytes) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, "the uploaded workbook"
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FormatError(
                f"{path.name}: the file is {size // 1_048_576} MB; a template is < 1 MB."
            )
        return path.read_bytes(), path.name
    except OSError as exc:
        raise FormatError(f"{path.name}: cannot open the file ({exc.strerror}).") from exc


def _check_container(data: bytes, name: str) -> None:
    """Refuse anything that is not a plausible .xlsx before a spreadsheet library sees it."""
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(f"{name}: the file is too large to be an FGC aggregate template.")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FormatError(
            f"{name}: this is an old-style Excel .xls file. Open it in Excel and save it as "
            "an .xlsx workbook, then try again."
        )
    if data[:4] != b"PK\x03\x04":
        raise FormatError(f"{name}: not an Excel .xlsx workbook (the file is not a zip package).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FormatError(f"{name}: the workbook is damaged ({exc}).") from exc
    total = sum(i.file_size for i in infos)
    if (
        len(infos) > MAX_MEMBERS
        or total > MAX_UNZIPPED_BYTES
        or any(
            i.file_size > 1_048_576 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
            for i in infos
        )
    ):
        raise FormatError(
            f"{name}: the workbook expands to far more data than a template holds "
            "(a possible zip bomb), so it was not opened."
        )


def _load(data: bytes, name: str) -> Any:
    import openpyxl  # defusedxml is installed, so openpyxl parses the package's XML safely

    _check_container(data, name)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken packages
        raise FormatError(
            f"{name}: the workbook cannot be read ({type(exc).__name__}: {exc})."
        ) from exc


def _meta(book: Any) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        return {}
    out: dict[str, str] = {}
    for row in book[META_SHEET].iter_rows(max_col=2, values_only=True):
        if row and row[0] is not None:
            out[str(row[0])] = "" if row[1] is None else str(row[1])
    return out


def is_template(source: str | Path | bytes) -> bool:
    """True if ``source`` is an FGC aggregate template workbook (blank or filled)."""
    try:
        data, name = _read_bytes(source)
        book = _load(data, name)
    except FormatError:
        return False
    try:
        return _meta(book).get("kind") == TEMPLATE_KIND
    finally:
        book.close()


def _finding(
    check: ReconciliationCheck, row: int | None, field: str | None, value: Any, detail: str
) -> dict[str, Any]:
    return {
        "row": row,
        "episode_id": None,
        "child_id": None,
        "field": field,
        "value": None if value is None else str(value),
        "code": check.code,
        "severity": check.severity,
        "message": f"{detail}: {check.message}" if detail else check.message,
    }


def _cell_value(raw: Any, m: Measure) -> tuple[float | int | None, bool]:
    """(value, ok). Blank → (None, True)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, True
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, str):
        try:
            raw = float(raw.strip())
        except ValueError:
            return None, False
    if not isinstance(raw, int | float) or raw < 0:
        return None, False
    if m.unit == "days":
        return float(raw), True
    if float(raw) != int(raw):
        return None, False
    return int(raw), True


def _evaluate_checks(
    values: dict[tuple[str, str], dict[str, Any]], row_no: dict[tuple[str, str], int]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    by_name = {m.name: m for m in AGGREGATE_MEASURES}
    for (topic, label), vals in values.items():
        where = f"{topic} / {label}"
        xr = row_no[(topic, label)]
        for check in CHECKS:
            for unit in ("families", "children"):
                if check.kind not in ("sum_equals", "at_most"):
                    continue
                left = f"{unit}_{check.left}"
                right = [f"{unit}_{s}" for s in check.right]
                if any(n not in vals for n in (left, *right)):
                    continue
                total = sum(vals[n] for n in right)
                bad = vals[left] != total if check.kind == "sum_equals" else total > vals[left]
                if bad:
                    detail = f"{where}: {left} = {vals[left]}, " + " + ".join(right) + f" = {total}"
                    out.append(_finding(check, xr, left, vals[left], detail))
            if check.kind == "children_at_least_families":
                for name, v in vals.items():
                    m = by_name[name]
                    if m.unit != "families":
                        continue
                    ch = f"children_{m.step}"
                    if ch in vals and vals[ch] < v:
                        detail = f"{where}: {ch} = {vals[ch]} < {name} = {v}"
                        out.append(_finding(check, xr, ch, vals[ch], detail))
    totals = values.get((TOTAL, TOTAL), {})
    agg007 = CHECKS_BY_CODE["AGG007"]
    for topic in BREAKDOWN_TOPICS:
        if topic == TOTAL:
            continue
        rows = [v for (t, _), v in values.items() if t == topic]
        for name, total in totals.items():
            if by_name[name].unit == "days" or not rows or name not in rows[0]:
                continue
            s = sum(r[name] for r in rows)
            if s != total:
                detail = f"{topic}: {name} rows add up to {s}, the Total row says {total}"
                out.append(_finding(agg007, None, name, s, detail))
    return out


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


class TemplateReport(ValidationReport):
    """A ``ValidationReport`` for a template: the AGG checks' messages in the summary."""

    def summary(self, examples: int = 5) -> list[dict[str, Any]]:
        if self.findings.is_empty():
            return []
        grouped = (
            self.findings.group_by("code", maintain_order=True)
            .agg(
                pl.len().alias("count"),
                pl.col("severity").first(),
                pl.col("row").drop_nulls().unique(maintain_order=True).head(examples).alias("rows"),
                pl.col("field").drop_nulls().unique(maintain_order=True).alias("fields"),
            )
            .sort("code")
        )
        return [
            {
                "code": g["code"],
                "severity": g["severity"],
                "message": CHECKS_BY_CODE[g["code"]].message,
                "count": g["count"],
                "rows": list(g["rows"]),
                "fields": list(g["fields"]),
            }
            for g in grouped.iter_rows(named=True)
        ]


def validate_template(
    source: str | Path | bytes, *, standard: Standard | None = None
) -> TemplateReport:
    """Check a filled template; a report the validate CLI and the hub print like any other."""
    std = standard or load_standard()
    frame, findings = read_template(source, standard=std)
    name = source if isinstance(source, bytes) else Path(source).name
    return TemplateReport(
        standard_version=std.version,
        rows=frame.height,
        findings=findings,
        source=None if isinstance(name, bytes) else name,
    )
