"""Where uploads and their findings live: under ``settings.FGC_DATA_DIR``, outside the web root.

Files are written to a temporary name and renamed into place, so a crash never leaves a
half-written file under a name the database points at.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from fgc.formats.sniff import sniff

SNIFF_BYTES = 64 * 1024


class UploadRejected(ValueError):
    """An upload we will not store; the message is shown to the person as it is."""


def data_dir() -> Path:
    return Path(settings.FGC_DATA_DIR)


def absolute(relative: str) -> Path:
    """The absolute path of a stored file; refuses anything that escapes the data directory."""
    root = data_dir().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"Stored path {relative!r} is outside the data directory")
    return path


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()  # a UTF-8 byte order mark, then spaces
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte order mark
        text = text[2:].replace(b"\x00", b"").lstrip()
    return text.startswith(b"<")


def sniff_upload(head: bytes, kind: str | None = None) -> str:
    """``csv``, ``xlsx`` or ``xml`` from the first bytes of the file, never from its name.

    A CIN census (``kind="cin_census"``) must be XML; the other returns must not be.
    """
    if kind == "cin_census":
        if not head.strip():
            raise UploadRejected("The selected file is empty")
        if not _looks_like_xml(head):
            raise UploadRejected(
                "A CIN census must be the census XML file exported from your case management "
                "system; the selected file is not XML"
            )
        return "xml"
    file_kind = sniff(head)
    if file_kind == "xlsx":
        return "xlsx"
    if file_kind == "encrypted":
        raise UploadRejected(
            "The selected file is password protected. Remove the password and upload it again"
        )
    if file_kind == "xls":
        raise UploadRejected(
            "The selected file is an old Excel 97-2003 workbook. Save it as .xlsx or .csv"
        )
    if not head.strip():
        raise UploadRejected("The selected file is empty")
    if b"\x00" in head:
        raise UploadRejected("The selected file must be a CSV or an Excel (.xlsx) file")
    if _looks_like_xml(head):
        raise UploadRejected(
            "The selected file is XML. To upload a CIN census, choose the kind "
            "'CIN census (FGC items)'; other returns are CSV or Excel (.xlsx) files"
        )
    return "csv"


def _write_temp(directory: Path, chunks: Iterable[bytes] | bytes) -> tuple[str, str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp, digest.hexdigest(), size


def store_upload(
    chunks: Iterable[bytes] | bytes,
    *,
    la_code: str,
    period: str,
    kind: str,
    number: int,
    file_type: str,
) -> tuple[str, str, int]:
    """Store an upload; returns (relative path, sha256 hex, size).

    The name carries the content hash, so two racing uploads never overwrite each other.
    """
    directory = f"{la_code}/{period}/{kind}"
    tmp, sha, size = _write_temp(absolute(directory), chunks)
    relative = f"{directory}/v{number}-{sha[:16]}.{file_type}"
    os.replace(tmp, absolute(relative))
    return relative, sha, size


def write_file(relative: str, data: bytes) -> None:
    """Write a derived file (for example findings) atomically under ``relative``."""
    target = absolute(relative)
    tmp, _, _ = _write_temp(target.parent, data)
    os.replace(tmp, target)


def findings_path(upload_relative: str) -> str:
    return str(Path(upload_relative).with_suffix(".findings.parquet"))


def derived_path(upload_relative: str, name: str) -> str:
    """A file derived from an upload (for example ``aggregate.parquet``), stored beside it."""
    return str(Path(upload_relative).with_suffix(f".{name}"))
