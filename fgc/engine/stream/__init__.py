"""Validate a CSV too large to hold in memory, a chunk at a time, with ``validate``'s findings.

Pass 0 scans the bytes (the streaming ceilings, the encoding, line lengths) so a file over
a ceiling is refused before anything is checked. Pass 1 reads the file a block of records at
a time exactly as ``read_table`` would (the same header mapping, blank rows, Excel row
numbers and error wording), runs every per-row check that needs no other row on each chunk
and spills its findings to a temporary Arrow IPC file. For the whole file it keeps only the
row number and u64 hashes the cross-row rules (FGC012, FGC013) screen on, and spills the few
columns those rules check. Pass 2 screens globally, gathers the suspect rows from the spill
and runs the exact cross-row checks on them. The findings are merged chunk by chunk into
``validate``'s order (row, code, field), so a report can be written without holding them all.

The modules: ``scan`` (pass 0 over the bytes), ``blocks`` and ``chunks`` (pass 1's reader),
``transcode`` (a UTF-16 file read as UTF-8), ``keys`` (what the cross-row rules keep),
``passes`` (pass 1, pass 2 and the merge) and ``report`` (the StreamReport).
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from fgc.engine.stream.chunks import _CsvChunks
from fgc.engine.stream.keys import STREAM_KEYS, StreamKey
from fgc.engine.stream.passes import _BUCKET_ROWS, _run
from fgc.engine.stream.progress import Progress, StreamProgress
from fgc.engine.stream.report import StreamReport
from fgc.engine.stream.scan import BLOCK_BYTES, _scan
from fgc.formats.limits import Limits, default_limits
from fgc.standard import Standard, load_standard

__all__ = [
    "BLOCK_BYTES",
    "DEFAULT_CHUNK_ROWS",
    "STREAM_KEYS",
    "StreamKey",
    "StreamProgress",
    "StreamReport",
    "validate_stream",
]

DEFAULT_CHUNK_ROWS = 200_000


def validate_stream(
    path: str | Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    reference_date: date | None = None,
    standard: Standard | None = None,
    limits: Limits | None = None,
    block_bytes: int = BLOCK_BYTES,
    progress: Progress | None = None,
) -> StreamReport:
    """Validate a CSV file in chunks of ``chunk_rows`` rows; the findings are exactly those
    of ``validate(read_table(path).frame, ...)``. Any problem with the file is a FormatError
    (read_table's wording), raised before a report exists; no temporary file is left.
    ``progress``, if given, is called with a StreamProgress after each block scanned and
    each chunk checked, at each later phase, and once at the end (phase "done")."""
    path = Path(path)
    std = standard or load_standard()
    ref = reference_date or date.today()
    lim = limits or default_limits()
    source = path.name
    scan = _scan(path, source, lim, progress)
    tmp = tempfile.TemporaryDirectory(prefix="fgc-stream-")
    try:
        reader = _CsvChunks(path, scan, source, std, lim, max(1, block_bytes))
        return _run(
            reader, Path(tmp.name), tmp, std, ref, max(1, chunk_rows), _BUCKET_ROWS, progress
        )
    except BaseException:
        tmp.cleanup()
        raise
