"""The text a ReportLab PDF shows (no PDF library needed: its page streams are inflated)."""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb">>\s*stream\r?\n(.*?)\r?\n?endstream", re.S)
_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")


def _decode(header: bytes, data: bytes) -> bytes:
    if b"ASCII85Decode" in header:
        data = base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False)
    if b"FlateDecode" in header:
        data = zlib.decompress(data)
    return data


def _unescape(raw: bytes) -> str:
    """PDF string escapes: ``\\ddd`` octal (WinAnsi, so "–" is ``\\226``) and ``\\(``."""
    octal = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), raw)
    return re.sub(rb"\\(.)", rb"\1", octal).decode("cp1252")


def pdf_strings(pdf: bytes) -> list[str]:
    """Every string drawn with ``Tj``, in drawing order (ReportLab draws one per cell/line)."""
    out = []
    for m in _STREAM.finditer(pdf):
        header, data = pdf[pdf.rfind(b"<<", 0, m.start()) : m.start()], m.group(1)
        try:
            content = _decode(header, data)
        except (ValueError, zlib.error):
            continue
        for raw in _STRING.findall(content):
            out.append(_unescape(raw))
    return out
