"""Opening an uploaded workbook safely, and telling whether it is a template (its _meta sheet)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from fgc.formats.errors import FormatError
from fgc.formats.limits import default_limits
from fgc.formats.workbook_check import check_workbook
from fgc.returns.template.layout import META_SHEET, TEMPLATE_KIND

# Hostile workbook limits: a real template is well under 1 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 500


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
    # The same sheet-size ceilings as every other workbook (rows counted without unzipping
    # the sheet into memory).
    check_workbook(data, name, default_limits())
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
