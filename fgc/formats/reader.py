"""`read_table`: any supported file (CSV or XLSX, told apart by its bytes) -> ReadResult."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import polars as pl

from fgc.formats.csv_reader import (
    HEAD_BYTES,
    cells_fit,
    check_csv_size,
    read_csv_file,
    read_csv_grid,
)
from fgc.formats.errors import FormatError, NotTextError
from fgc.formats.limits import MIB, Limits, default_limits
from fgc.formats.result import ReadResult
from fgc.formats.sniff import sniff
from fgc.formats.table import build_table
from fgc.formats.workbook_check import check_grid, check_workbook
from fgc.formats.xlsx_reader import read_xlsx_grid
from fgc.standard import Standard, load_standard

_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_BLANK_BYTES = b"\xef\xbb\xbf \t\r\n"  # what may come before an XML file's first tag
_LEADING_BLANK = re.compile(b"[" + re.escape(_BLANK_BYTES) + b"]*")
# From this size a CSV is counted in pieces with numpy and parsed by polars from its path
# (read_csv_file); below it, copying the bytes costs less than importing numpy (byte_counts).
_ON_DISK_FROM = 64 << 20


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    standard: Standard | None = None,
    limits: Limits | None = None,
) -> ReadResult:
    """Read a CSV or XLSX file as text columns named by the standard (see ReadResult)."""
    path = Path(path)
    lim = limits or default_limits()
    read = _read_csv_on_disk(path, standard, lim)
    if read is not None:
        return read
    # No local name for the bytes: read_table_bytes then holds the only reference and can free
    # them as soon as they are parsed, which matters for a 200 MB file.
    return read_table_bytes(
        _read_bytes(path, lim), path.name, sheet=sheet, standard=standard, limits=lim
    )


def _read_csv_on_disk(path: Path, standard: Standard | None, lim: Limits) -> ReadResult | None:
    """A large UTF-8 CSV with even rows, read without copying its bytes (read_csv_file); None
    for any other file, read as read_table_bytes reads it (the same result or message).

    A file that changes while it is read (its size, time or inode after the parse differ from
    before) is read again as bytes, which checks it all again. Only a regular file is opened
    here: a named pipe opened to look, then again to read, would lose what it holds.
    """
    try:
        before = path.stat()
        size = before.st_size
        if not stat.S_ISREG(before.st_mode) or size < _ON_DISK_FROM or size > lim.max_bytes:
            return None  # small files: numpy's import costs more than the copy
        with path.open("rb") as file:
            if _changed(before, os.fstat(file.fileno())):
                return None
            head = file.read(HEAD_BYTES)
            lead = _leading_blank(head)
            if sniff(head) != "text" or lead + 5 > len(head) or _is_xml(head, lead):
                return None
            file.seek(0)
            read = read_csv_file(str(path.absolute()), file, head, lim)
        if read is None or _changed(before, os.stat(path)):
            return None
    except OSError:
        return None
    grid, first_row, fit = read
    source = path.name or "the file"
    try:
        return _csv_result(grid, source, lim, first_row, fit, standard or load_standard(), "utf-8")
    except (pl.exceptions.PolarsError, MemoryError, ValueError, OverflowError):
        raise _unreadable(source) from None


def _csv_result(
    grid: pl.DataFrame,
    source: str,
    lim: Limits,
    first_row: int,
    fit: bool,
    std: Standard,
    encoding: str,
    letter_headerless: bool = False,
) -> ReadResult:
    """A CSV's parsed grid, its cells checked (their lengths only if ``fit`` cannot vouch
    for them), as the standard's table: the last step of both ways of reading a CSV."""
    check_grid(grid, source, lim, first_row, cell_lengths=not fit)
    frame, unknown, renamed = build_table(
        grid, where=source, standard=std, first_row=first_row, letter_headerless=letter_headerless
    )
    return ReadResult(frame, unknown, source, None, "csv", encoding, renamed)


def _changed(before: os.stat_result, after: os.stat_result) -> bool:
    return (before.st_size, before.st_mtime_ns, before.st_ino, before.st_dev) != (
        after.st_size,
        after.st_mtime_ns,
        after.st_ino,
        after.st_dev,
    )


def _is_xml(data: bytes, lead: int) -> bool:
    return data[lead : lead + 5] in (b"<?xml", b"<Mess")


def _unreadable(source: str) -> FormatError:
    return FormatError(
        f"{source} could not be read as a table. Check it opens in Excel, then save it "
        f"again as an Excel Workbook (.xlsx) or CSV UTF-8."
    )


def _leading_blank(data: bytes) -> int:
    """``len(data) - len(data.lstrip(_BLANK_BYTES))``, without copying the whole file (a file
    saved by Excel as CSV UTF-8 starts with a BOM, so lstrip would copy it)."""
    match = _LEADING_BLANK.match(data)
    return match.end() if match else 0


def _too_large(source: str, size: int, limits: Limits) -> FormatError:
    return FormatError(
        f"{source} is {size / MIB:,.0f} MB, over the limit of {limits.max_bytes // MIB:,} MB; "
        f"split the return into smaller files (for example one per year)."
    )


def _read_bytes(path: Path, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_file() and size > limits.max_bytes:
            raise _too_large(path.name, size, limits)
        return path.read_bytes()
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise FormatError(f"{path} is a folder, not a file.") from None
    except OSError as exc:
        raise FormatError(f"{path} could not be read: {exc.strerror}.") from None


def read_table_bytes(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    standard: Standard | None = None,
    limits: Limits | None = None,
    letter_headerless: bool = False,
) -> ReadResult:
    """Same as read_table for bytes already in memory (web uploads); filename is for messages.

    Every ceiling in ``limits`` (default: from the environment) is checked before the file is
    parsed; any failure is a FormatError naming the file, never a library's own message.
    """
    std = standard or load_standard()
    lim = limits or default_limits()
    source = Path(filename).name or "the file"
    kind = sniff(data)
    if not data:
        raise FormatError(f"{source}: the file is empty.")
    if len(data) > lim.max_bytes:
        raise _too_large(source, len(data), lim)
    try:
        return _parse(data, kind, source, sheet, std, lim, letter_headerless)
    except FormatError:
        raise
    except (pl.exceptions.PolarsError, MemoryError, ValueError, OverflowError):
        # A library failing on a file we let through is still the file's problem to report.
        raise _unreadable(source) from None


def _parse(
    data: bytes,
    kind: str,
    source: str,
    sheet: str | None,
    std: Standard,
    lim: Limits,
    letter_headerless: bool = False,
) -> ReadResult:
    if kind == "xls":
        raise FormatError(
            f"{source} is an old-style Excel 97-2003 workbook (.xls) or another Office file; "
            f"open it in Excel and save it as an Excel Workbook (.xlsx)."
        )
    if kind == "encrypted":
        raise FormatError(
            f"{source} is password-protected (encrypted); open it in Excel, remove the "
            f"password (File > Info > Protect Workbook) and save it again as .xlsx."
        )
    if kind == "xlsx":
        check_workbook(data, source, lim)
        grid, name, first_column, where = read_xlsx_grid(data, source, sheet)
        check_grid(grid, where, lim)
        frame, unknown, renamed = build_table(
            grid,
            where=where,
            standard=std,
            first_column=first_column,
            letter_headerless=letter_headerless,
        )
        return ReadResult(frame, unknown, source, name, "xlsx", None, renamed)
    if _is_xml(data, _leading_blank(data)):
        raise FormatError(
            f"{source} is an XML file, not a table: a Children in Need census file is checked "
            f"by uploading it to the hub as a CIN census return. "
            f"For FGC records, save the spreadsheet as CSV UTF-8 or Excel Workbook (.xlsx)."
        )
    counts = check_csv_size(data, source, lim)
    try:
        grid, first_row, encoding = read_csv_grid(data, source, counts)
    except NotTextError:
        # A file named like a workbook that is not text either: say what it should have been.
        if source.lower().endswith(_EXCEL_SUFFIXES):
            raise FormatError(
                f"{source} is named like an Excel workbook but is neither an .xlsx workbook nor "
                f"a CSV text file; the file may be damaged. Save it again from Excel as .xlsx."
            ) from None
        raise
    # UTF-16 lines are not split at the byte 0x0A, so only single-byte-break encodings qualify.
    fit = encoding != "utf-16" and cells_fit(data, lim)
    del data  # parsed: free the raw bytes before building the table
    return _csv_result(grid, source, lim, first_row, fit, std, encoding, letter_headerless)
