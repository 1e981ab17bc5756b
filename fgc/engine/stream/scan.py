"""Pass 0 over the bytes: the streaming ceilings, the kind of file, the encoding and the
line lengths, so a file over a ceiling is refused before anything is checked."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fgc.engine.stream.progress import Progress, StreamProgress
from fgc.engine.stream.transcode import ByteSource, open_utf8
from fgc.formats.encoding import NOT_CONTROL, SAVE_AS_HINT, utf16_codec
from fgc.formats.errors import FormatError, NotTextError
from fgc.formats.limits import MIB, Limits
from fgc.formats.sniff import sniff

BLOCK_BYTES = 32 * MIB  # records are parsed this many bytes at a time
_HEAD = 64 * 1024


@dataclass(frozen=True)
class _Scan:
    encoding: str  # "utf-8", "cp1252" or a UTF-16 codec, for the whole file, as read_table
    lines: int
    size: int  # bytes on disk


def _open_checked(path: Path, source: str, lim: Limits) -> int:
    try:
        if path.is_dir():
            raise FormatError(f"{path} is a folder, not a file.")
        size = path.stat().st_size
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file.") from None
    except OSError as exc:
        raise FormatError(f"{path} could not be read: {exc.strerror}.") from None
    if size > lim.max_stream_bytes:
        raise FormatError(
            f"{source} is {size / MIB:,.0f} MB, over the streaming limit of "
            f"{lim.max_stream_bytes // MIB:,} MB (FGC_MAX_STREAM_BYTES); split the return into "
            f"smaller files (for example one per year)."
        )
    if size == 0:
        raise FormatError(f"{source}: the file is empty.")
    return size


def _check_kind(head: bytes, source: str) -> None:
    if sniff(head) != "text":
        raise FormatError(
            f"{source} is an Excel or other Office file, not a CSV; stream mode (--stream) "
            f"reads CSV files only: check it without --stream, or save it as CSV UTF-8."
        )
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] in (b"<?xml", b"<Mess"):
        raise FormatError(
            f"{source} is an XML file, not a table: a Children in Need census file is checked "
            f"by uploading it to the hub as a CIN census return. "
            f"For FGC records, save the spreadsheet as CSV UTF-8 or Excel Workbook (.xlsx)."
        )


def _scan(path: Path, source: str, lim: Limits, progress: Progress | None = None) -> _Scan:
    """One pass over the bytes in C: line count (the row ceiling), binary data, line lengths,
    and whether the whole file is UTF-8 (else it is read as Windows-1252, as read_table does).
    A UTF-16 file is told by its head, as read_table tells it, and scanned as UTF-8.
    """
    size = _open_checked(path, source, lim)
    with path.open("rb") as raw:
        head = raw.read(_HEAD)
    _check_kind(head, source)
    utf16 = utf16_codec(head)  # read_table looks at the same first 4 KB
    fh, text = open_utf8(path, utf16 or "utf-8", source)

    def scanned() -> None:
        if progress is not None:
            progress(StreamProgress("scan", 0, fh.tell(), size))

    with fh:
        is_utf8, lines = _scan_text(text, source, lim, utf16 is not None, scanned)
    return _Scan(utf16 or ("utf-8" if is_utf8 else "cp1252"), lines, size)


def _scan_text(
    text: ByteSource, source: str, lim: Limits, utf16: bool, scanned: Callable[[], None]
) -> tuple[bool, int]:
    window = lim.max_line_bytes
    # Whole windows per block, so the windows are the same as over the whole file.
    block = window * max(1, BLOCK_BYTES // window)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8, lines, first = not utf16, 0, True
    while data := text.read(block):
        if first:
            _check_columns(data, source, lim)
            first = False
        if utf16 and (b"\x00" in data or data.translate(None, NOT_CONTROL)):
            raise NotTextError(  # decode_text's wording
                f"{source} is UTF-16 text holding control characters, so not a CSV; {SAVE_AS_HINT}."
            )
        if b"\x00" in data:
            raise NotTextError(
                f"{source} is not a text file (it holds binary data); "
                f"upload a CSV or an Excel workbook (.xlsx)."
            )
        if data.translate(None, NOT_CONTROL):
            raise NotTextError(
                f"{source} is not a CSV text file (it holds control characters); "
                f"upload a CSV or an Excel workbook (.xlsx)."
            )
        _check_windows(data, window, lines, source)
        lines += data.count(b"\n")
        if lines > lim.max_stream_rows + 1:
            raise FormatError(
                f"{source} has more than {lim.max_stream_rows:,} rows (over "
                f"{lines:,} lines), over the streaming limit (FGC_MAX_STREAM_ROWS); split "
                f"the return into smaller files (for example one per year)."
            )
        if is_utf8:
            try:
                utf8.decode(data)
            except UnicodeDecodeError:
                is_utf8 = False
        scanned()
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return is_utf8, lines


def _check_columns(data: bytes, source: str, lim: Limits) -> None:
    end = data.find(b"\n")
    columns = data[: end if end != -1 else len(data)].count(b",") + 1
    if columns > lim.max_columns:
        raise FormatError(
            f"{source}: the first row has {columns:,} columns, over the limit of "
            f"{lim.max_columns:,}; an FGC return has one column per field. Delete the "
            f"extra columns and save it again."
        )


def _check_windows(data: bytes, window: int, lines_before: int, source: str) -> None:
    # As csv_reader._check_line_lengths, with the line counted from the start of the file.
    for start in range(0, len(data), window):
        end = min(start + window, len(data))
        if end - start == window and data.find(b"\n", start, end) == -1:
            line = lines_before + data.count(b"\n", 0, start) + 1
            raise FormatError(
                f"{source}: line {line:,} is longer than {window // 1024:,} KB with no line "
                f"break; a row of an FGC return is a few hundred characters. Check the file "
                f"is the return saved as CSV, not one huge value or a file of another kind."
            )
