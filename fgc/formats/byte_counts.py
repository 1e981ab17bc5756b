"""One pass over a CSV's bytes for what three checks count: line breaks (the row ceiling),
commas (the even-rows shortcut) and whether any control byte is there (the encoding check).

Each check scanning the 200 MB for itself cost three passes; numpy does all three over a
piece that stays in the CPU cache. Below ``_NUMPY_FROM`` bytes the counts are bytes.count and
bytes.translate: importing numpy costs more than it saves on a file that small.
"""

from __future__ import annotations

from dataclasses import dataclass

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
