"""Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode Text") or
Windows-1252, nothing else.

Excel's plain "CSV (Comma delimited)" saves Windows-1252 on English Windows, so £, é and
smart quotes arrive as single bytes that are not UTF-8. We accept those and turn them into
UTF-8. UTF-16 is told by its BOM or by the zero bytes of its ASCII characters. Anything else
(binary, text in another code page such as Latin-2) is refused with a message, because
guessing wrong silently corrupts names.
"""

from __future__ import annotations

import codecs

import polars as pl

from fgc.formats.errors import NotTextError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Control characters never found in a real CSV (tab, LF and CR are fine).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# bytes.translate deleting every other byte leaves only the control bytes: one pass in C,
# much faster than a regex over the text of a 200 MB file.
NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)

# Signs that bytes decoded as Windows-1252 were really another single-byte code page such as
# Latin-2 (Polish "Łódź" reads as "£ód¼", "gęślą" as "gê¶l±"): symbols that in Windows-1252
# are punctuation but in those code pages are letters, so they sit inside words.
# (¿ and ¡ only count after a letter, so Spanish "¿Qué" stays readable; £ only before one.)
_SYMBOLS_IN_WORDS = r"[^\W\d_][¡¥¦¬¯¶¹³±¼¾¿]|[¥¦¬¯¶¹³±¼¾£][^\W\d_]"


def _contains(text: str, pattern: str) -> bool:
    """Regex search run by polars (Rust): a 50 MB file takes a fraction of a second."""
    return bool(pl.Series([text]).str.contains(pattern).item())


SAVE_AS_HINT = 'save it from Excel as "CSV UTF-8 (Comma delimited) (*.csv)"'


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise FormatError saying why the bytes are not CSV text."""
    text, encoding = check_text(data, source)
    if text is None:
        text = data.removeprefix(_UTF8_BOM).decode("utf-8")
    return text, encoding


def check_text(data: bytes, source: str, controls: bool | None = None) -> tuple[str | None, str]:
    """As ``decode_text``, but UTF-8 is only checked, not decoded: (None, "utf-8").

    A 200 MB file decoded into one str costs a third of a second and as much memory again,
    only to be thrown away: UTF-8 bytes are what polars parses, so they need no text.
    ``controls``, when given, says whether ``data`` holds a control byte (counted with the
    line breaks in one pass, see byte_counts), so the bytes are not scanned again for them.
    """
    utf16 = utf16_codec(data)
    if utf16:
        # Excel's "Unicode Text" and some case systems' exports: read it, as people expect.
        try:
            text = data.decode(utf16).removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise NotTextError(
                f"{source} looks like UTF-16 text (Excel's 'Unicode Text') but is damaged; "
                f"{SAVE_AS_HINT}."
            ) from None
        if text.translate(_TEXT_CONTROLS) != text:
            raise NotTextError(
                f"{source} is UTF-16 text holding control characters, so not a CSV; {SAVE_AS_HINT}."
            )
        return text, "utf-16"
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if controls is not False and b"\x00" in data:  # a zero byte is a control: none if none
        raise NotTextError(
            f"{source} is not a text file (it holds binary data); "
            f"upload a CSV or an Excel workbook (.xlsx)."
        )
    decoded, encoding = None, "utf-8"
    if not _is_utf8(data):
        decoded, encoding = decode_cp1252(data, source), "cp1252"
    # cp1252 maps no byte to a C0 control, so checking the bytes is the same as the text.
    if data.translate(None, NOT_CONTROL) if controls is None else controls:
        raise NotTextError(
            f"{source} is not a CSV text file (it holds control characters); "
            f"upload a CSV or an Excel workbook (.xlsx)."
        )
    return decoded, encoding


_UTF8_PIECE = 1 << 20  # small enough for the decoded piece to stay in the CPU cache


def _is_utf8(data: bytes) -> bool:
    """Whether ``data.decode("utf-8")`` would succeed, without building the whole str.

    ASCII (most returns) is told in one pass; otherwise the bytes are decoded a piece at a
    time and each piece thrown away, which is several times faster than one huge str. The
    incremental decoder carries a character cut between pieces over to the next.
    """
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _UTF8_PIECE):
            decoder.decode(view[start : start + _UTF8_PIECE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# str.translate table deleting the C0 controls (as _CONTROL_BYTES) from decoded text.
_TEXT_CONTROLS = dict.fromkeys(_CONTROL_BYTES)


def utf16_codec(data: bytes) -> str | None:
    """The UTF-16 codec the bytes use, by their BOM or (no BOM) by zero bytes in the head."""
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    # ASCII text in UTF-16 has a zero in every other byte; binary files rarely do so evenly.
    if head[1::2].count(0) > 0.9 * (len(head) // 2) and head[0::2].count(0) == 0:
        return "utf-16-le"
    if head[0::2].count(0) > 0.9 * (len(head) // 2) and head[1::2].count(0) == 0:
        return "utf-16-be"
    return None


def decode_cp1252(data: bytes, source: str) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise NotTextError(
            f"{source} is not UTF-8 or Windows-1252 text and cannot be read; {SAVE_AS_HINT}."
        ) from None
    if _contains(text, _SYMBOLS_IN_WORDS):
        raise NotTextError(
            f"{source} looks like text in a character set other than UTF-8 or Windows-1252 "
            f"(letters come out as symbols); {SAVE_AS_HINT}."
        )
    return text
