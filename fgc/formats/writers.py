"""Write tables to CSV and XLSX so that no text cell can run as a formula when opened."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import polars as pl

from fgc.formats.escape import escape_formula
from fgc.formats.result import ROW_COLUMN

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

_TEXT_TYPES = (pl.Utf8, pl.Categorical, pl.Enum)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31  # Excel's limit
_WIDTH_SAMPLE = 1000  # rows looked at to size columns
_MIN_WIDTH, _MAX_WIDTH = 6, 60

Target = str | Path | IO[bytes]


def _escaped_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop the hidden row-number column and escape every text column."""
    frame = frame.drop(ROW_COLUMN, strict=False)
    exprs = [
        pl.col(name)
        .cast(pl.Utf8)
        .map_elements(escape_formula, return_dtype=pl.Utf8, skip_nulls=True)
        .alias(name)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, _TEXT_TYPES) or dtype == pl.Utf8
    ]
    return frame.with_columns(exprs) if exprs else frame


def write_csv(frame: pl.DataFrame, path: Target, *, bom: bool = False) -> None:
    """Write ``frame`` as UTF-8 CSV (with a BOM if ``bom``, which Excel needs to show £).

    Text cells that look like formulas get a leading apostrophe; numeric columns are written
    as numbers (a real -3 stays -3). Dates are ISO YYYY-MM-DD.
    """
    _escaped_text(frame).write_csv(path, include_bom=bom, date_format="%Y-%m-%d")


def check_sheet_name(name: str) -> None:
    """Raise ValueError if Excel would refuse ``name`` as a worksheet name."""
    if not name or len(name) > MAX_SHEET_NAME or _BAD_SHEET_CHARS.search(name):
        raise ValueError(
            f"Invalid worksheet name {name!r}: 1-{MAX_SHEET_NAME} characters, none of []:*?/\\"
        )
    if name.startswith("'") or name.endswith("'") or name.casefold() == "history":
        raise ValueError(f"Invalid worksheet name {name!r}")


def safe_sheet_name(title: str, taken: set[str] | None = None) -> str:
    """A valid worksheet name made from ``title``, unique among ``taken`` (compared caselessly)."""
    base = _BAD_SHEET_CHARS.sub(" ", title).strip(" '") or "Sheet"
    base = base[:MAX_SHEET_NAME].rstrip(" '")
    folded = {t.casefold() for t in taken or ()}
    name, n = base, 1
    while name.casefold() in folded or name.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    return name


def write_xlsx(
    sheets: Mapping[str, pl.DataFrame],
    path: Target,
    *,
    formats: Mapping[str, str] | None = None,
) -> None:
    """Write one worksheet per frame: bold frozen header, filter, sized columns.

    ``formats`` maps a column name to an Excel number format (for example ``"0.0%"``) for
    numeric columns. Every text cell is written with ``write_string`` after ``escape_formula``,
    so nothing becomes a formula, number or link.
    """
    for name in sheets:
        check_sheet_name(name)
    options: dict[str, Any] = {
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    if isinstance(path, str | Path):
        options["constant_memory"] = True  # streams rows: big tables stay small in memory
    else:
        options["in_memory"] = True
    # Imported here: xlsxwriter costs every command's start-up ~20 ms, and few write workbooks.
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    workbook = xlsxwriter.Workbook(path, options)
    header_format = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    number_formats = {c: workbook.add_format({"num_format": f}) for c, f in (formats or {}).items()}
    for name, frame in sheets.items():
        frame = frame.drop(ROW_COLUMN, strict=False)
        sheet = workbook.add_worksheet(name)
        writers = [
            _cell_writer(sheet, dtype, number_formats.get(c), date_format, datetime_format)
            for c, dtype in frame.schema.items()
        ]
        for col, header in enumerate(frame.columns):
            sheet.write_string(0, col, escape_formula(header), header_format)
            sheet.set_column(col, col, _width(frame, header))
        columns = [frame[c].to_list() for c in frame.columns]
        for row in range(frame.height):
            for col, write in enumerate(writers):
                value = columns[col][row]
                if value is not None:
                    write(row + 1, col, value)
        sheet.freeze_panes(1, 0)
        if frame.width:
            sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)
    try:
        workbook.close()
    except FileCreateError as exc:  # surface the underlying OSError (missing folder, no access)
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise OSError(str(exc)) from None


def _cell_writer(
    sheet: Worksheet,
    dtype: pl.DataType,
    number_format: Any,
    date_format: Any,
    datetime_format: Any,
) -> Callable[[int, int, Any], None]:
    if dtype.is_numeric():

        def number(r: int, c: int, v: Any) -> None:
            if isinstance(v, float) and not math.isfinite(v):
                return  # NaN/inf have no Excel form; leave the cell blank
            sheet.write_number(r, c, v, number_format)

        return number
    if dtype == pl.Boolean:
        return lambda r, c, v: sheet.write_boolean(r, c, v)
    if dtype == pl.Date:
        return lambda r, c, v: sheet.write_datetime(
            r, c, dt.datetime.combine(v, dt.time()), date_format
        )
    if isinstance(dtype, pl.Datetime):
        return lambda r, c, v: sheet.write_datetime(r, c, v.replace(tzinfo=None), datetime_format)
    return lambda r, c, v: sheet.write_string(r, c, escape_formula(str(v)))


def _width(frame: pl.DataFrame, header: str) -> int:
    sample = frame[header].head(_WIDTH_SAMPLE).drop_nulls()
    longest = 0
    if sample.len():
        longest = int(sample.cast(pl.Utf8).str.len_chars().max() or 0)  # type: ignore[arg-type]
    return max(_MIN_WIDTH, min(_MAX_WIDTH, max(len(header), longest) + 2))
