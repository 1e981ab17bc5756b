"""The file's bytes a block at a time, each block ending at a line break outside quotes."""

from __future__ import annotations

from collections.abc import Iterator

from fgc.engine.stream.transcode import ByteSource
from fgc.formats.csv_reader import line_end, unreadable_csv
from fgc.formats.limits import MIB

_QUOTE_SPAN = 64 * MIB  # an open quote running further than this is reported, not buffered


def _blocks(fh: ByteSource, size: int, source: str) -> Iterator[bytes]:
    """The file's bytes in pieces of about ``size``, each ending at a line break outside
    quotes (an even number of quote marks so far), as csv_reader._record_widths_chunked cuts
    them, so a quoted value with line breaks is never split."""
    buf, eof = b"", False
    while True:
        while not eof and len(buf) < size:
            more = fh.read(size)
            eof = not more
            buf += more
        if not buf:
            return
        end = _cut(buf, size, eof)
        if end is None:
            if len(buf) > size + _QUOTE_SPAN:
                raise unreadable_csv(source)
            more = fh.read(size)
            eof = not more
            buf += more
            continue
        yield buf[:end]
        buf = buf[end:]


def _cut(buf: bytes, size: int, eof: bool) -> int | None:
    """Where to end the next block, or None if more bytes are needed to know."""
    end = line_end(buf, min(size, len(buf)))
    quotes = buf.count(b'"', 0, end)
    while quotes % 2 and end < len(buf):
        nxt = line_end(buf, end)
        quotes += buf.count(b'"', end, nxt)
        end = nxt
    if eof:
        return len(buf) if quotes % 2 else end
    if quotes % 2 or (end == len(buf) and not buf.endswith(b"\n")):
        return None
    return end
