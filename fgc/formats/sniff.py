"""Tell what a file is from its first bytes, never from its name."""

from __future__ import annotations

from typing import Literal

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, .doc, encrypted .xlsx
# An encrypted (password-protected) .xlsx is an OLE container holding this stream.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

FileKind = Literal["xlsx", "xls", "encrypted", "text"]


def sniff(data: bytes) -> FileKind:
    """Classify the bytes: a zip workbook, an old/encrypted OLE file, or (maybe) text."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "encrypted" if _ENCRYPTED_STREAM in data else "xls"
    return "text"
