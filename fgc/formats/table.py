"""Turn a raw grid of text cells (as both readers produce it) into the table the engine reads.

The grid's first non-blank row is the header. Fully blank rows are dropped, but every kept row
carries its original row number in ROW_COLUMN so messages point at the row people see in Excel.
"""

from __future__ import annotations

import polars as pl

from fgc.formats.errors import FormatError
from fgc.formats.headers import column_letter, match_header
from fgc.formats.result import ROW_COLUMN
from fgc.standard import Standard


def _blank(name: str) -> pl.Expr:
    col = pl.col(name)
    return col.is_null() | (col.str.strip_chars() == "")


def build_table(
    grid: pl.DataFrame,
    *,
    where: str,
    standard: Standard,
    first_row: int = 1,
    first_column: int = 0,
    letter_headerless: bool = False,
) -> tuple[pl.DataFrame, list[str], dict[str, str]]:
    """Return (frame, unknown columns, {original header: field}) from a header-less text grid.

    ``where`` names the file (and sheet) in messages; ``first_row`` is the file row number of
    the grid's first row and ``first_column`` the index of its first column (for letters).
    With ``letter_headerless`` a column with no header but with values is kept, named by its
    spreadsheet letter (casework imports map it by that letter); otherwise it is an error.
    """
    raw_names = grid.columns
    numbered = grid.with_columns(
        pl.int_range(first_row, first_row + grid.height, dtype=pl.Int64).alias(ROW_COLUMN)
    )
    if raw_names:
        numbered = drop_blank_rows(numbered, raw_names)
    if numbered.height == 0:
        raise FormatError(f"{where} is empty.")

    header_row = numbered.row(0)
    header_number = header_row[-1]
    data = numbered.slice(1)
    headers = [(v or "").strip() for v in header_row[:-1]]

    keep: list[str] = []
    rename: dict[str, str] = {}
    seen: dict[str, str] = {}  # final column name -> the header it came from
    unknown: list[str] = []
    renamed: dict[str, str] = {}
    for index, (raw, header) in enumerate(zip(raw_names, headers, strict=True)):
        letter = column_letter(first_column + index)
        if not header and letter_headerless and data.filter(~_blank(raw)).height:
            header = letter
        if not header:
            check_headerless(data, raw, letter, header_number, where)
            continue
        name = match_header(header, standard) or header
        if name == ROW_COLUMN:
            raise FormatError(f"{where}: column {letter} is headed {header!r}, a reserved name.")
        if name in seen and seen[name] == header:
            raise FormatError(
                f"{where}: the header {header!r} appears twice (again in column {letter}); "
                f"keep one and delete or rename the other."
            )
        if name in seen:
            raise FormatError(
                f"{where}: the headers {seen[name]!r} and {header!r} (column {letter}) both mean "
                f"the field {name}; keep one and delete or rename the other."
            )
        seen[name] = header
        keep.append(raw)
        rename[raw] = name
        if name == header and not standard.has_field(name):
            unknown.append(header)
        elif name != header:
            renamed[header] = name
    # Built from the columns, not data.select(...), which would copy (rechunk) every column of
    # a large file and double the memory needed to read it.
    frame = pl.DataFrame(
        [data.get_column(ROW_COLUMN), *(data.get_column(c).alias(rename[c]) for c in keep)]
    )
    return frame, unknown, renamed


def drop_blank_rows(numbered: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Drop fully blank rows; only rows whose first cell is blank can be, so check those alone."""
    # Filtering a wide frame copies every column (even with nothing to drop), so compute the
    # mask first and filter only when there really are blank rows.
    # (Series operations, for the same reason as in build_table.)
    first = numbered.get_column(names[0])
    first_blank = first.is_null() | (first.str.strip_chars() == "")
    if not first_blank.any():
        return numbered
    candidates = numbered.filter(first_blank)
    blank_rows = candidates.filter(pl.all_horizontal([_blank(c) for c in names]))[ROW_COLUMN]
    if blank_rows.len() == 0:
        return numbered
    return numbered.filter(~pl.col(ROW_COLUMN).is_in(blank_rows.implode()))


def check_headerless(
    data: pl.DataFrame, raw: str, letter: str, header_number: int, where: str
) -> None:
    """A column with no header is dropped when empty; holding values, it is an error."""
    filled = data.filter(~_blank(raw))
    if filled.height:
        first = filled[ROW_COLUMN][0]
        raise FormatError(
            f"{where}: column {letter} has no header in row {header_number} but holds values "
            f"(first in row {first}); give it a header or delete it."
        )
