"""A UTF-16 file (Excel's "Unicode Text") read as UTF-8 bytes a block at a time, so the rest
of stream mode reads it as it reads a UTF-8 CSV."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import IO, Protocol

from fgc.formats.encoding import SAVE_AS_HINT
from fgc.formats.errors import NotTextError


class ByteSource(Protocol):
    """What the passes read bytes from: a binary file, or a UTF-16 file as UTF-8."""

    def read(self, size: int, /) -> bytes: ...


def damaged_utf16(source: str) -> NotTextError:
    # decode_text's wording.
    return NotTextError(
        f"{source} looks like UTF-16 text (Excel's 'Unicode Text') but is damaged; {SAVE_AS_HINT}."
    )


class Utf16AsUtf8:
    """``read(size)`` gives exactly ``size`` bytes of the file's text in UTF-8 (fewer only at
    the end, b"" after it). The incremental decoder keeps a code unit or a surrogate pair cut
    by a read until its other bytes arrive; the "utf-16" codec reads and drops the BOM."""

    def __init__(self, fh: IO[bytes], codec: str, source: str) -> None:
        self._fh, self._source = fh, source
        self._decoder = codecs.getincrementaldecoder(codec)()
        self._buf = bytearray()
        self._eof = False

    def read(self, size: int, /) -> bytes:
        while len(self._buf) < size and not self._eof:
            raw = self._fh.read(max(size, 4))
            self._eof = not raw
            try:
                self._buf += self._decoder.decode(raw, final=self._eof).encode("utf-8")
            except UnicodeDecodeError:
                raise damaged_utf16(self._source) from None
        out = bytes(self._buf[:size])
        del self._buf[:size]
        return out


def open_utf8(path: Path, encoding: str, source: str) -> tuple[IO[bytes], ByteSource]:
    """The open file (to close) and what to read its text from: the file itself for UTF-8 and
    Windows-1252 (decoded later, block by block), the transcoder for UTF-16."""
    fh = path.open("rb")
    if encoding.startswith("utf-16"):
        return fh, Utf16AsUtf8(fh, encoding, source)
    return fh, fh
