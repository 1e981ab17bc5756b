"""One pass over a CSV's bytes for what three checks count: line breaks (the row ceiling),
commas (the even-rows shortcut) and whether any control byte is there (the encoding check).

Each check scanning the 200 MB for itself cost three passes; numpy does all three over a
piece that stays in the CPU cache. Below ``_NUMPY_FROM`` bytes the counts are bytes.count and
bytes.translate: importing numpy costs more than it saves on a file that small.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from io import BufferedReader

from fgc.formats.encoding import NOT_CONTROL

_PIECE = 256 << 10  # numpy's passes over a piece stay within the CPU cache
# numpy's import (about 0.06 s with bytecode, 0.2 s without) is more than bytes.count and
# bytes.translate take on files below this size (about 1 ms a MB for the three).
_NUMPY_FROM = 64 << 20


@dataclass(frozen=True)
class ByteCounts:
    """Counts over a whole file's bytes (BOM included: it holds none of these bytes)."""

    breaks: int  # line feeds
    commas: int
    controls: bool  # any C0 control other than tab, LF and CR, or DEL


def count_csv_bytes(data: bytes) -> ByteCounts:
    if len(data) < _NUMPY_FROM:
        return ByteCounts(
            data.count(b"\n"), data.count(b","), bool(data.translate(None, NOT_CONTROL))
        )
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    breaks = commas = 0
    controls = False
    for at in range(0, len(a), _PIECE):
        piece = a[at : at + _PIECE]
        lf = int(np.count_nonzero(piece == 10))
        breaks += lf
        commas += int(np.count_nonzero(piece == 44))
        if controls:
            continue
        # Below 0x20 only LF, tab and CR are allowed: when the bytes below 0x20 are just the
        # line feeds and carriage returns (LF or CRLF endings), the piece has no control;
        # otherwise (tabs, say) bytes.translate on the piece, still in the cache, decides.
        low = int(np.count_nonzero(piece < 32))
        if low != lf and low != lf + int(np.count_nonzero(piece == 13)):
            controls = bool(data[at : at + _PIECE].translate(None, NOT_CONTROL))
        controls = controls or bool(np.count_nonzero(piece == 127))
    return ByteCounts(breaks, commas, controls)


def count_bytes(data: bytes, values: bytes, start: int = 0) -> list[int]:
    """How many of each byte value ``data[start:]`` holds (numpy over cache-sized pieces is
    several times faster than ``bytes.count`` for a byte as common as the comma, once
    numpy is imported: below ``_NUMPY_FROM`` bytes it is not)."""
    if len(data) - start < _NUMPY_FROM:
        return [data.count(bytes((value,)), start) for value in values]
    import numpy as np

    a = np.frombuffer(memoryview(data)[start:], dtype=np.uint8)
    counts = [0] * len(values)
    for at in range(0, len(a), _PIECE):
        piece = a[at : at + _PIECE]
        for i, value in enumerate(values):
            counts[i] += int(np.count_nonzero(piece == value))
    return counts


@dataclass(frozen=True)
class FileScan:
    """What one pass over a CSV file on disk learnt, for a file the fast read can take."""

    size: int  # bytes read, which the caller compares with the size it was told
    breaks: int  # line feeds
    commas: int
    ends_with_break: bool
    cells_fit: bool  # no line is long enough to hold a cell over the cell limit (cells_fit)


# Beyond this many windows (a tiny cell limit), finding a line break in each costs more than
# the grid's own check of the cell lengths (csv_reader.cells_fit uses it too).
MAX_CELL_WINDOWS = 100_000


def scan_csv_file(file: BufferedReader, line_window: int, cell_window: int) -> FileScan | None:
    """Count a CSV file's line breaks and commas a piece at a time, in one pass with no copy of
    the file; None when the file needs the exact read of its bytes: a quote mark, a control
    byte, bytes that are not UTF-8, or an aligned ``line_window`` with no line break (a line
    over the line limit, whose message that read gives).

    Read into one reused buffer rather than mapped: a file truncated while it is mapped would
    kill the process (SIGBUS); read, it only gives other counts. ``cell_window`` is the
    window of ``csv_reader.cells_fit``, told here from the same line breaks.
    """
    import numpy as np

    buf = bytearray(_PIECE)
    view = memoryview(buf)
    breaks = commas = at = 0
    last_break = -1  # position of the last line feed so far (-1: none yet)
    decoder = None  # from the first non-ASCII byte on, the UTF-8 check
    cells_fit = cell_window >= 2
    last = b""
    while n := file.readinto(buf):
        a = np.frombuffer(buf, dtype=np.uint8, count=n)
        piece = view[:n]
        if buf.find(b'"', 0, n) != -1:
            return None
        lf = int(np.count_nonzero(a == 10))
        breaks += lf
        commas += int(np.count_nonzero(a == 44))
        # As count_csv_bytes: below 0x20 only LF and CR (and tab, checked by translate).
        low = int(np.count_nonzero(a < 32))
        plain = low == lf or low == lf + int(np.count_nonzero(a == 13))
        if not plain and bytes(piece).translate(None, NOT_CONTROL):
            return None
        if buf.find(b"\x7f", 0, n) != -1:  # DEL, the control above 0x20
            return None
        if decoder is None and not (buf.isascii() if n == len(buf) else bytes(piece).isascii()):
            decoder = codecs.getincrementaldecoder("utf-8")()
        if decoder is not None:
            try:
                decoder.decode(piece)
            except UnicodeDecodeError:
                return None
        cells_fit = cells_fit and (at + n) // cell_window <= MAX_CELL_WINDOWS
        if _window_without_break(buf, n, at, last_break, line_window):
            return None
        if cells_fit and _window_without_break(buf, n, at, last_break, cell_window):
            cells_fit = False
        if lf:
            last_break = at + buf.rfind(b"\n", 0, n)
        at += n
        last = bytes(piece[-1:])
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    if _covers_window(last_break + 1, at, line_window):  # the last line
        return None
    cells_fit = cells_fit and not _covers_window(last_break + 1, at, cell_window)
    return FileScan(at, breaks, commas, last == b"\n", cells_fit)


def _window_without_break(buf: bytearray, n: int, at: int, last_break: int, window: int) -> bool:
    """Whether an aligned window of ``window`` bytes ending in this piece (``buf[:n]``, file
    bytes ``at`` on) holds no line feed, ``last_break`` being the last one before the piece.

    A window within the piece is looked at with ``find``; one that starts in an earlier piece
    lies between ``last_break`` and the piece's first line feed (or goes on past the piece,
    and is then seen with a later piece or as the last line).
    """
    first = buf.find(b"\n", 0, n)
    if first != -1 and _covers_window(last_break + 1, at + first, window):
        return True
    start = -(-at // window) * window
    for k in range(start - at, n - window + 1, window):
        if buf.find(b"\n", k, k + window) == -1:
            return True
    return False


def _covers_window(start: int, end: int, window: int) -> bool:
    """Whether the bytes ``[start, end)`` hold a whole window ``[k*window, (k+1)*window)``."""
    return -(-start // window) * window + window <= end
