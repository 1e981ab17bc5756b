"""Check an .xlsx package before any spreadsheet library opens it.

A workbook is a zip file, so a few megabytes can expand to gigabytes (a "zip bomb"): 20
million rows of one repeated cell compress to 7 MB. The zip directory gives every member's
unzipped size without unzipping, and the worksheet XML's rows are counted by streaming it in
small chunks, so memory stays flat whatever the file claims.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import polars as pl

from fgc.formats.errors import FormatError
from fgc.formats.headers import column_letter
from fgc.formats.limits import MIB, Limits

_SHEET_MEMBER = re.compile(r"^xl/worksheets/[^/]+\.xml$")
# A row element, with or without a namespace prefix (<row r="2">, <x:row>), not <rowBreaks>.
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_CHUNK = 1 * MIB
EXCEL_MAX_ROWS = 1_048_576  # no real workbook has more (header included)


def check_workbook(data: bytes, source: str, limits: Limits) -> None:
    """Raise FormatError if the package is too large, too compressed, or its sheets too big."""
    if limits.max_rows >= EXCEL_MAX_ROWS:
        limits = replace(limits, max_rows=EXCEL_MAX_ROWS - 1)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_members(infos, source, limits)
            for info in infos:
                if _SHEET_MEMBER.match(info.filename):
                    _check_sheet(zf, info, source, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise FormatError(
            f"{source} could not be opened as an Excel workbook (.xlsx); the file may be "
            f"damaged. Open it in Excel, check it, and save it again as .xlsx."
        ) from None


def _check_members(infos: list[zipfile.ZipInfo], source: str, limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise FormatError(
            f"{source} holds {len(infos):,} parts; an Excel workbook has far fewer "
            f"(the limit is {limits.max_members:,}), so it was not opened."
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise FormatError(
            f"{source} expands to {total // MIB:,} MB when unzipped, over the limit of "
            f"{limits.max_uncompressed_bytes // MIB:,} MB, so it was not opened. Split the "
            f"return into smaller files, or save it as CSV UTF-8."
        )
    for i in infos:
        if i.file_size > MIB and i.file_size > limits.max_compression_ratio * max(
            i.compress_size, 1
        ):
            ratio = i.file_size // max(i.compress_size, 1)
            raise FormatError(
                f"{source}: part {i.filename} is compressed {ratio:,} to 1 (the limit is "
                f"{limits.max_compression_ratio:,} to 1); a real return does not compress "
                f"like that (a possible zip bomb), so it was not opened."
            )


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _too_big(source: str, sheet: str, what: str, limit_text: str) -> FormatError:
    return FormatError(
        f"{source}: worksheet {sheet} has {what}, over the limit of {limit_text}, so it was "
        f"not read. An FGC return has one row per child; remove the extra rows or columns "
        f"(for example formatting copied to the end of the sheet) and save it again."
    )


def _check_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, limits: Limits) -> None:
    sheet = info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    rows = 0
    tail = b""
    declared_checked = False
    with zf.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            buf = tail + chunk
            if not declared_checked:
                # The declared size, near the top: refuse at once when it is absurd.
                dim = _DIMENSION.search(buf)
                if dim or len(buf) > 64 * 1024:
                    declared_checked = True
                if dim and dim.group(4):
                    d_rows = int(dim.group(4))
                    d_cols = _column_number(dim.group(3))
                    _check_size(source, sheet, d_rows, d_cols, limits)
            # Count tags that end in this buffer; keep a short tail for a tag cut in two.
            rows += len(_ROW_TAG.findall(buf, 0, max(len(buf) - 16, 0)))
            tail = buf[max(len(buf) - 16, 0) :]
            if rows > limits.max_rows + 1:
                raise _too_big(
                    source, sheet, f"more than {limits.max_rows:,} rows", f"{limits.max_rows:,}"
                )
    rows += len(_ROW_TAG.findall(tail))
    if rows > limits.max_rows + 1:  # + 1: the header row
        raise _too_big(source, sheet, f"{rows - 1:,} rows", f"{limits.max_rows:,}")


def _check_size(source: str, sheet: str, rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows + 1:
        raise _too_big(source, sheet, f"{rows - 1:,} rows", f"{limits.max_rows:,} rows")
    if columns > limits.max_columns:
        raise _too_big(source, sheet, f"{columns:,} columns", f"{limits.max_columns:,} columns")
    if rows * columns > limits.max_cells:
        raise _too_big(source, sheet, f"{rows * columns:,} cells", f"{limits.max_cells:,} cells")


def check_grid(
    grid: pl.DataFrame,
    where: str,
    limits: Limits,
    first_row: int = 1,
    *,
    cell_lengths: bool = True,
) -> None:
    """The grid as read, against the same ceilings (a last line behind the cheap checks).

    ``first_row`` is the file row number of the grid's first row (its header), for messages.
    ``cell_lengths=False`` skips the cell lengths, when the reader knows none can be over.
    """
    if grid.width > limits.max_columns:
        raise FormatError(
            f"{where} has {grid.width:,} columns, over the limit of {limits.max_columns:,}; "
            f"an FGC return has one column per field. Delete the extra columns and save again."
        )
    if grid.height > limits.max_rows + 1:
        raise FormatError(
            f"{where} has {grid.height - 1:,} rows, over the limit of {limits.max_rows:,}; "
            f"split the return into smaller files (for example one per year)."
        )
    if cell_lengths:
        _check_cell_lengths(grid, where, limits, first_row)


def _check_cell_lengths(grid: pl.DataFrame, where: str, limits: Limits, first_row: int) -> None:
    # One absurd value (a 20 MB cell) is copied by every rule that reports it: refuse it here.
    text = [c for c, t in grid.schema.items() if t == pl.String]
    if not text or grid.height == 0:
        return
    widest = grid.select(pl.col(text).str.len_bytes().max()).row(0)
    for index, (column, most) in enumerate(zip(text, widest, strict=True)):
        if most is None or most <= limits.max_cell_chars:
            continue  # bytes bound characters: nothing here can be too long
        chars = grid.get_column(column).str.len_chars()
        over = chars > limits.max_cell_chars
        if not over.any():
            continue
        at = int(over.arg_true()[0])
        header = (grid.get_column(column)[0] or "").strip()
        name = header if header and at > 0 else column_letter(index)
        raise FormatError(
            f"{where}, row {first_row + at:,}, column {name}: a value of "
            f"{int(chars[at]):,} characters, over the limit of {limits.max_cell_chars:,} "
            f"(an FGC field holds a code, a date or a short note). Check the file is the "
            f"return, not text pasted into one cell."
        )
