"""Read CSV bytes into a text grid: check the encoding (UTF-8 is never decoded whole), check
the row widths (two byte counts when every row is even, else per record), let polars parse."""

from __future__ import annotations

import re
from functools import cache
from io import BufferedReader
from typing import TYPE_CHECKING

import polars as pl

from fgc.formats.byte_counts import (
    MAX_CELL_WINDOWS,
    ByteCounts,
    count_bytes,
    count_csv_bytes,
    scan_csv_file,
)
from fgc.formats.encoding import check_text, utf16_codec
from fgc.formats.errors import FormatError
from fgc.formats.limits import Limits

if TYPE_CHECKING:
    import numpy as np

_MAX_REPORTED = 3
_HEAD_CHARS = 64 * 1024  # enough text to see the header row's separator
# Widths are counted chunk by chunk, to bound memory on large files and to keep numpy's
# passes over a chunk within the CPU cache (256 KB reads 1M rows twice as fast as 8 MB).
_CHUNK_BYTES = 256 << 10


def check_csv_size(data: bytes, source: str, limits: Limits) -> ByteCounts:
    """Refuse a CSV with too many lines or header columns before decoding it; return the
    byte counts, which the encoding check and the even-rows shortcut then reuse.

    Counting line breaks over the bytes is one pass in C; a quoted value with a line break
    counts twice, which only makes the ceiling a little stricter for such files.
    """
    counts = count_csv_bytes(data)
    lines = counts.breaks
    if lines > limits.max_rows + 1:
        raise FormatError(
            f"{source} has more than {limits.max_rows:,} rows ({lines:,} lines), over the "
            f"limit; split the return into smaller files (for example one per year)."
        )
    _check_line_lengths(data, source, limits)
    first = data[: data.find(b"\n") if b"\n" in data else len(data)]
    columns = first.count(b",") + 1
    if columns > limits.max_columns:
        raise FormatError(
            f"{source}: the first row has {columns:,} columns, over the limit of "
            f"{limits.max_columns:,}; an FGC return has one column per field. Delete the "
            f"extra columns and save it again."
        )
    if columns * max(lines, 1) > limits.max_cells:
        raise FormatError(
            f"{source} has about {columns * lines:,} cells, over the limit of "
            f"{limits.max_cells:,}; split the return into smaller files."
        )
    return counts


def _check_line_lengths(data: bytes, source: str, limits: Limits) -> None:
    """Refuse a line of absurd length (one 200 MB value) before decoding anything.

    Any line of twice the window or more covers a whole aligned window without a line break,
    so looking for a break in each window finds it in one pass in C, with no copies.
    """
    window = limits.max_line_bytes
    for start in range(0, len(data), window):
        end = min(start + window, len(data))
        if end - start == window and data.find(b"\n", start, end) == -1:
            line = data.count(b"\n", 0, start) + 1
            raise FormatError(
                f"{source}: line {line:,} is longer than {window // 1024:,} KB with no line "
                f"break; a row of an FGC return is a few hundred characters. Check the file "
                f"is the return saved as CSV, not one huge value or a file of another kind."
            )


def cells_fit(data: bytes, limits: Limits) -> bool:
    """Whether no cell of this CSV (UTF-8 or Windows-1252 bytes) can be over the cell limit,
    known from the bytes, so the grid's cell-length check (a pass over every cell) is spared.

    Without quote marks a cell lies within a line, and has no more characters than bytes. If
    every aligned window of ``w`` bytes holds a line break, no line has more than ``2w - 2``
    bytes besides its break: with ``w`` about half the limit, one short ``find`` per window.
    """
    window = (limits.max_cell_chars + 2) // 2
    if window < 2 or len(data) // window > MAX_CELL_WINDOWS or data.find(b'"') != -1:
        return False
    for start in range(0, len(data) - window + 1, window):
        if data.find(b"\n", start, start + window) == -1:
            return False
    return True


def read_csv_grid(
    data: bytes, source: str, counts: ByteCounts | None = None
) -> tuple[pl.DataFrame, int, str]:
    """Return (grid of text cells without a header, file row number of its first row, encoding).

    ``counts`` (from check_csv_size, over ``data``) spares the checks another pass each."""
    text, encoding = check_text(data, source, None if counts is None else counts.controls)
    if text is None:  # UTF-8: the bytes are parsed as they are, never decoded whole
        body = data.removeprefix(_UTF8_BOM)
        if _is_empty(body):
            raise _empty(source)
        head = _head_text(body)
    else:
        if not text.strip():
            raise _empty(source)
        body = text.encode("utf-8")
        head = text[:_HEAD_CHARS]
        del text  # a decoded copy of a large file: free it before the width check and polars
        counts = None  # counted over the bytes as they were, not this UTF-8 copy
    even = _read_even(body, head, source, counts)
    if even is not None:
        return even[0], even[1] + 1, encoding
    widths = _record_widths_chunked(body)
    filled = (widths > 0).arg_true()
    if filled.len() == 0:  # only commas and spaces: no header, no rows
        raise _empty(source)
    first = int(filled[0])  # the header
    _check_widths(widths, first, head, source)
    return parse_records(body, first, len(widths) - first, source), first + 1, encoding


# The bytes of a file's head that read_csv_grid looks at: a BOM, then what _head_text decodes.
HEAD_BYTES = len(b"\xef\xbb\xbf") + 4 * _HEAD_CHARS + 3


def read_csv_file(
    path: str, file: BufferedReader, head: bytes, limits: Limits
) -> tuple[pl.DataFrame, int, bool] | None:
    """What read_csv_grid gives for a UTF-8 file on disk that its even-rows shortcut reads
    (grid, file row number of its first row), and whether no cell can be over the cell limit;
    None for any other file, whose bytes are then read as read_csv_grid reads them, for the
    same result or message. ``head`` is the file's first HEAD_BYTES (or all of it).

    The file is counted a piece at a time (scan_csv_file) and polars parses it from its path
    (mapping it itself), so the file is never copied into one bytes object: a tenth of a
    second and its size in memory, for a 200 MB file. Every ceiling check_csv_size applies is
    applied to the counts first; a file over one is left to the bytes read, which says so.
    """
    if utf16_codec(head) is not None:
        return None
    body = head.removeprefix(_UTF8_BOM)
    if not _NOT_SPACE.search(body):  # perhaps empty: let the exact read tell
        return None
    nl = head.find(b"\n")
    if nl == -1:  # the first line is longer than the head
        return None
    columns = head.count(b",", 0, nl) + 1
    scan = scan_csv_file(file, limits.max_line_bytes, (limits.max_cell_chars + 2) // 2)
    if scan is None or scan.breaks > limits.max_rows + 1 or columns > limits.max_columns:
        return None
    if columns * max(scan.breaks, 1) > limits.max_cells:
        return None
    # The header is the first line that is not blank (as _read_even finds it).
    first, offset = 0, 0
    while True:
        end = body.find(b"\n", offset) + 1
        if end == 0:  # the line goes on past the head
            return None
        if not _blank_line(body[offset:end]):
            break
        first, offset = first + 1, end
    expected = body.count(b",", offset, end) + 1
    if expected == 1 and looks_like_other_separator(_head_text(body)):
        return None
    commas = scan.commas - body.count(b",", 0, offset)
    records = scan.breaks - first + (0 if scan.ends_with_break else 1)
    if commas != records * (expected - 1):
        return None
    try:
        grid = _polars_grid(path, first, ragged=False, quotes=False)
    except (pl.exceptions.PolarsError, OSError, MemoryError, ValueError, OverflowError):
        return None  # the bytes read gives the message (as read_table_bytes catches these)
    if grid.height != records or grid.width != expected:
        return None
    return grid, first + 1, scan.cells_fit


def _empty(source: str) -> FormatError:
    return FormatError(f"{source}: the file is empty.")


_UTF8_BOM = b"\xef\xbb\xbf"
# A byte that is not whitespace in any encoding: ASCII other than space, tab and line breaks.
_NOT_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c\x80-\xff]")


def _is_empty(body: bytes) -> bool:
    """``not body.decode().strip()`` for UTF-8 bytes, without decoding a file with text in it."""
    if _NOT_SPACE.search(body):  # stops at the first such byte: the first letter of the header
        return False
    return not body.decode("utf-8").strip()


def _head_text(body: bytes) -> str:
    """The first ``_HEAD_CHARS`` characters of UTF-8 ``body``: a character is at most 4 bytes,
    and 3 more bytes cover one cut at the end (dropped, being beyond those characters)."""
    return body[: 4 * _HEAD_CHARS + 3].decode("utf-8", errors="ignore")[:_HEAD_CHARS]


def _read_even(
    body: bytes, head: str, source: str, counts: ByteCounts | None = None
) -> tuple[pl.DataFrame, int] | None:
    """(grid, index of the header record) when every record has the header's width, else None.

    The common file has no quote marks: then a record is a line and its width is its commas
    plus one, so with polars refusing any line wider than the header (``truncate_ragged_lines``
    off), every line has exactly the header's width when the commas after the header number
    (header width - 1) x records. That is two counts over the bytes instead of the exact
    width of each record; any other file (quotes, blank or short lines, an error to report)
    returns None for the exact path, so its result and messages are the same. ``counts``, over
    ``body`` with at most a BOM before it (which holds no comma or line break), are reused.
    """
    if body.find(b'"') != -1:
        return None
    # The header is the first line that is not blank; with no quote marks a line is a record.
    first, offset = 0, 0
    while _blank_line(body[offset : (end := line_end(body, offset))]):
        if end >= len(body) or end - offset > _CHUNK_BYTES:
            return None
        first, offset = first + 1, end
    expected = body.count(b",", offset, end) + 1
    if expected == 1 and looks_like_other_separator(head):
        return None  # the exact path explains it
    if counts is None:
        commas, breaks = count_bytes(body, b",\n", offset)
    else:  # the counts from the header on: the whole file's, less those of the lines before
        commas = counts.commas - body.count(b",", 0, offset)
        breaks = counts.breaks - body.count(b"\n", 0, offset)
    records = breaks + (0 if body.endswith(b"\n") else 1)
    if commas != records * (expected - 1):
        return None
    try:
        grid = _polars_grid(body, first, ragged=False, quotes=False)
    except pl.exceptions.PolarsError:
        return None
    if grid.height != records or grid.width != expected:
        return None
    return grid, first


_NOT_FILL = re.compile(rb"[^,\t\n\x0b\x0c\r \x80-\xff]")


def _blank_line(line: bytes) -> bool:
    """Whether a line without quote marks is blank as ``record_widths`` counts it (only
    commas and whitespace), without numpy: the header is found this way on the common path."""
    if _NOT_FILL.search(line):
        return False
    if line.isascii():
        return True
    text = line.decode("utf-8", errors="replace")
    return bool(pl.Series([text]).str.contains(r"^[,\s]*$").item())


def unreadable_csv(source: str) -> FormatError:
    return FormatError(
        f'{source} could not be read as CSV; check for a stray or unclosed quote mark (").'
    )


def _polars_grid(
    body: bytes | str, skip_rows: int, *, ragged: bool, quotes: bool = True
) -> pl.DataFrame:
    """Every cell as text after ``skip_rows`` lines of ``body`` (bytes, or a file's path);
    ``ragged`` pads short and cuts long records (their widths already checked), else polars
    refuses a record wider than the first. ``quotes=False`` (the file holds no quote mark)
    spares polars looking for them, a few per cent of the parse."""
    return pl.read_csv(
        body,
        has_header=False,
        infer_schema=False,
        skip_rows=skip_rows,
        raise_if_empty=False,
        truncate_ragged_lines=ragged,
        quote_char='"' if quotes else None,
        glob=False,  # a path is the file's name, even with * or [ in it
    )


def parse_records(body: bytes, skip_rows: int, records: int, source: str) -> pl.DataFrame:
    """The text cells of ``body`` after ``skip_rows`` lines, which must hold ``records``
    records (counted by ``record_widths``): when polars counts otherwise, a quote mark is
    stray or unclosed."""
    try:
        grid = _polars_grid(body, skip_rows, ragged=True)
    except pl.exceptions.PolarsError:
        raise unreadable_csv(source) from None
    if grid.height != records:
        raise unreadable_csv(source)
    return grid


def _record_widths_chunked(body: bytes) -> pl.Series:
    """``record_widths`` over UTF-8 bytes, a chunk at a time.

    Chunks end at a line break outside quotes (an even number of quote marks so far), so a
    quoted value with line breaks is never split; commas, quotes and line breaks are ASCII and
    never occur inside a UTF-8 multi-byte character, so cutting the bytes there is safe.
    """
    parts: list[pl.Series] = []
    view = memoryview(body)  # slices without copying the chunk
    start, n = 0, len(body)
    while start < n:
        end = line_end(body, min(start + _CHUNK_BYTES, n))
        quotes = body.count(b'"', start, end)
        while quotes % 2 and end < n:
            nxt = line_end(body, end)
            quotes += body.count(b'"', end, nxt)
            end = nxt
        parts.append(record_widths(view[start:end]))
        start = end
    return pl.concat(parts) if parts else pl.Series("width", [], dtype=pl.Int32)


def line_end(body: bytes, pos: int) -> int:
    """The position just after the first line break at or after ``pos`` (or the end)."""
    if pos >= len(body):
        return len(body)
    nl = body.find(b"\n", pos)
    return len(body) if nl == -1 else nl + 1


# Bytes that leave a record blank when outside quotes: the comma, what the regex class \s
# matches below 0x80 (tab, line feed, vertical tab, form feed, carriage return, space) and any
# non-ASCII byte (whether that character is whitespace is checked by the regex below).
@cache
def _fill_table() -> np.ndarray:
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[[9, 10, 11, 12, 13, 32, ord(",")]] = True
    table[0x80:] = True
    return table


def record_widths(chunk: bytes | memoryview) -> pl.Series:
    """Number of fields in each record (0 for a blank record), in file order.

    Each line is one record, as Excel shows it on one row; a quoted field ("...", paired left
    to right) counts as one character, so commas and line breaks inside quotes do not count,
    and an unpaired quote mark is an ordinary character. A record is blank when it holds only
    commas and whitespace. Counted with numpy over the bytes, with no decoded copy and no
    per-line strings: a byte is inside quotes when an odd number of paired quote marks come
    up to it, and ``np.add.reduceat`` sums the commas and other bytes of each line.
    """
    import numpy as np

    a = np.frombuffer(chunk, dtype=np.uint8)
    n = len(a)
    if n == 0:
        return pl.Series("width", [], dtype=pl.Int32)
    commas = a == ord(",")
    fill = _fill_table()[a]
    quote = a == ord('"')
    quotes = int(np.count_nonzero(quote))
    if quotes:  # the exact path; a chunk without quote marks skips it
        if quotes % 2:  # a last unpaired quote is an ordinary byte
            quote[n - 1 - int(np.argmax(quote[::-1]))] = False
        # The parity of quote marks up to and including each byte (an xor running sum, far
        # faster than a cumsum). Including the byte only matters for quote marks: an opening
        # one is then inside, but a quote mark is never fill, comma or break.
        outside = np.bitwise_xor.accumulate(quote.view(np.uint8)) == 0
        commas &= outside
        fill &= outside
        breaks = np.flatnonzero((a == ord("\n")) & outside)
    else:
        outside = None
        breaks = np.flatnonzero(a == ord("\n"))
    # Each line with its line break: never empty, as reduceat needs (a last line may lack one).
    last = len(breaks) - 1 if len(breaks) and breaks[-1] == n - 1 else len(breaks)
    starts = np.concatenate(([0], breaks[:last] + 1))
    n_commas = np.add.reduceat(commas, starts, dtype=np.int32)
    blank = np.add.reduceat(~fill, starts, dtype=np.int32) == 0
    high = a >= 0x80
    if blank.any() and high.any():
        # Only commas, ASCII whitespace and non-ASCII characters: is the non-ASCII whitespace?
        if outside is not None:
            high &= outside
        unsure = np.flatnonzero(blank & (np.add.reduceat(high, starts, dtype=np.int32) > 0))
        if len(unsure):
            ends = np.append(starts[1:], n)
            lines = [bytes(chunk[starts[i] : ends[i]]).decode("utf-8") for i in unsure]
            blank[unsure] = pl.Series(lines).str.contains(r"^[,\s]*$").to_numpy()
    return pl.Series("width", np.where(blank, 0, n_commas + 1).astype(np.int32))


def _check_widths(widths: pl.Series, first: int, text: str, source: str) -> None:
    expected = int(widths[first])
    if expected == 1 and looks_like_other_separator(text):
        raise FormatError(
            f"{source} does not use commas between values (it looks like semicolons or tabs); "
            f'save it from Excel as "CSV UTF-8 (Comma delimited) (*.csv)".'
        )
    uneven = (
        widths.to_frame()
        .with_row_index("row", offset=1)
        .filter((pl.col("width") > 0) & (pl.col("width") != expected))
    )
    if uneven.height == 0:
        return
    shown = "; ".join(
        f"row {row} has {w} value{'s' if w != 1 else ''}"
        for row, w in uneven.head(_MAX_REPORTED).iter_rows()
    )
    extra = uneven.height - _MAX_REPORTED
    more = f" (and {extra} more rows)" if extra > 0 else ""
    raise FormatError(
        f"{source}: the header (row {first + 1}) has {expected} columns but {shown}{more}. "
        f"Check for extra commas or missing cells in those rows."
    )


def looks_like_other_separator(text: str) -> bool:
    head = text.lstrip().split("\n", 1)[0]
    return ";" in head or "\t" in head
