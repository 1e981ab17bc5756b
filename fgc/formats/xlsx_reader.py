"""Read one worksheet of an .xlsx workbook into a text grid with fastexcel.

fastexcel (calamine) reads the values Excel cached; it never evaluates a formula, so a cell
holding "=HYPERLINK(...)" arrives as its last computed value (or blank), never as code.
"""

from __future__ import annotations

import fastexcel
import polars as pl

from fgc.formats.errors import FormatError

# Excel stores dates as numbers with a date format; fastexcel gives them as "YYYY-MM-DD
# 00:00:00" when read as text. A date with no time of day becomes a plain ISO date.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?$"


def read_xlsx_grid(
    data: bytes, source: str, sheet: str | None
) -> tuple[pl.DataFrame, str, int, str]:
    """Return (text grid without header, sheet name, first column index, where-for-messages)."""
    try:
        reader = fastexcel.read_excel(data)
    except fastexcel.FastExcelError:
        raise FormatError(
            f"{source} could not be opened as an Excel workbook (.xlsx); the file may be "
            f"damaged. Open it in Excel, check it, and save it again as .xlsx."
        ) from None
    names = reader.sheet_names
    name = _pick_sheet(names, sheet, source)
    where = f"{source} (sheet {name!r})"
    try:
        loaded = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        grid = loaded.to_polars()
    except fastexcel.FastExcelError:
        # The reader's own message ("calamine error: Xlsx error: …") helps nobody.
        raise FormatError(
            f"{where} could not be read: the sheet's contents are damaged or not what Excel "
            f"writes (for example a declared entity or an unreadable cell). Open it in Excel, "
            f"check it, and save it again as an Excel Workbook (.xlsx)."
        ) from None
    if grid.width == 0:
        raise FormatError(f"{where} is empty.")
    columns = loaded.available_columns()
    first_column = columns[0].absolute_index if columns else 0
    grid = grid.with_columns(pl.all().str.replace(_MIDNIGHT, "$1"))
    return grid, name, first_column, where


def _pick_sheet(names: list[str], sheet: str | None, source: str) -> str:
    if not names:
        raise FormatError(f"{source} has no worksheets.")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    folded = [n for n in names if n.casefold() == sheet.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(repr(n) for n in names)
    raise FormatError(f"{source} has no sheet named {sheet!r}; its sheets are {listed}.")
