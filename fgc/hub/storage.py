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


def sniff_upload(head: bytes) -> str:
    """``csv`` or ``xlsx`` from the first bytes of the file, never from its name."""
    kind = sniff(head)
    if kind == "xlsx":
        return "xlsx"
    if kind == "encrypted":
        raise UploadRejected(
            "The selected file is password protected. Remove the password and upload it again"
        )
    if kind == "xls":
        raise UploadRejected(
            "The selected file is an old Excel 97-2003 workbook. Save it as .xlsx or .csv"
        )
    if not head.strip():
        raise UploadRejected("The selected file is empty")
    if b"\x00" in head:
        raise UploadRejected("The selected file must be a CSV or an Excel (.xlsx) file")
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
