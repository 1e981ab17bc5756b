"""Pass 1 (per-row checks a chunk at a time, keys and spill kept for the cross-row rules)
and pass 2 (the cross-row rules screened over the whole file, checked on the suspect rows),
then the findings merged into ``validate``'s order (row, code, field)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from fgc.engine.rules.episodes import EPISODE
from fgc.engine.rules.model import RuleContext
from fgc.engine.rules.registry import RULES
from fgc.engine.stream.chunks import _CsvChunks
from fgc.engine.stream.keys import _EP_KEY, STREAM_KEYS
from fgc.engine.stream.progress import Phase, Progress, StreamProgress
from fgc.engine.stream.report import StreamReport, _Summary
from fgc.engine.validate import (
    ROW_COLUMN,
    _checks,
    _header_findings,
    _prepare,
    _row_findings,
    _unknown_columns,
)
from fgc.standard import Standard

_BUCKET_ROWS = 1_000_000  # suspect rows checked at once
_SORT = ["row", "code", "field"]


def _run(
    reader: _CsvChunks,
    work: Path,
    tmp: tempfile.TemporaryDirectory[str],
    std: Standard,
    ref: date,
    chunk_rows: int,
    bucket_rows: int = _BUCKET_ROWS,
    progress: Progress | None = None,
) -> StreamReport:
    def tell(phase: Phase, rows: int) -> None:
        if progress is not None:
            done = reader.scan.size if phase != "check" else reader.bytes_read
            progress(StreamProgress(phase, rows, done, reader.scan.size))

    ctx = RuleContext(std=std, reference_date=ref)
    checks = _checks(ctx, RULES)
    plain = [c for c in checks if c.rule.screen is None]
    screened = [c for c in checks if c.rule.screen is not None]
    codes = sorted({c.rule.code for c in screened})
    missing = [c for c in codes if c not in STREAM_KEYS]
    if missing:  # a new cross-row rule: it needs its global key before it can be streamed
        raise RuntimeError(f"No streaming key for the screened rule(s) {', '.join(missing)}")
    keys = [
        ctx.text(EPISODE).hash(0).alias(_EP_KEY),
        *(e for code in codes for e in STREAM_KEYS[code].keys(ctx)),
    ]
    spilled = list(
        dict.fromkeys(
            n for code in codes for n in STREAM_KEYS[code].columns(std) if std.has_field(n)
        )
    )

    # Pass 1: per chunk, the checks that need no other row; keys and spill for the rest.
    plain_parts: list[Path] = []
    spill_parts: list[Path] = []
    first_rows: list[int] = []
    key_parts: list[pl.DataFrame] = []
    rows = 0
    for i, chunk in enumerate(reader.chunks(chunk_rows)):
        base = _prepare(chunk, std)
        part = work / f"plain-{i}.arrow"
        _row_findings(ctx, base, plain).write_ipc(part, compression="lz4")
        plain_parts.append(part)
        first_rows.append(int(base[ROW_COLUMN][0]))
        rows += chunk.height
        tell("check", rows)
        if screened:
            key_parts.append(base.select(ROW_COLUMN, *keys))
            spill = work / f"spill-{i}.arrow"
            base.select(ROW_COLUMN, *spilled).write_ipc(spill, compression="lz4")
            spill_parts.append(spill)
    assert reader.columns is not None

    tell("cross-row", rows)
    # Pass 2: screen the whole file on its keys; the exact checks on the suspect rows only,
    # a bucket of episodes at a time (every cross-row rule compares rows within an episode),
    # so a file whose every row is suspect (a file pasted twice) still fits in memory.
    cross: dict[int, list[Path]] = {}
    if key_parts:
        all_keys = pl.concat(key_parts)
        key_parts.clear()
        suspect = all_keys.filter(
            pl.any_horizontal([STREAM_KEYS[c].suspect for c in codes])
        ).select(ROW_COLUMN, _EP_KEY)
        del all_keys
        buckets = -(-suspect.height // bucket_rows)
        bounds = np.array(first_rows)
        for b in range(buckets):
            wanted = suspect.filter(pl.col(_EP_KEY) % buckets == b).get_column(ROW_COLUMN)
            gathered = (
                pl.scan_ipc(spill_parts)
                .filter(pl.col(ROW_COLUMN).is_in(wanted.implode()))
                .collect()
            )
            found = _row_findings(ctx, gathered, screened)
            del gathered
            chunk_of = np.searchsorted(bounds, found["row"].to_numpy(), side="right") - 1
            keyed = found.with_columns(pl.Series("__chunk", chunk_of))
            for (index,), part_frame in keyed.partition_by("__chunk", as_dict=True).items():
                p = work / f"cross-{b}-{index}.arrow"
                part_frame.drop("__chunk").write_ipc(p, compression="lz4")
                cross.setdefault(int(index), []).append(p)
    for p in spill_parts:
        p.unlink()

    tell("merge", rows)
    # Merge: each chunk's findings with the cross-row findings of its rows, in order.
    frame_columns = pl.DataFrame(schema=dict.fromkeys(reader.columns.kept_names(), pl.Utf8))
    header = _header_findings(
        _unknown_columns(frame_columns, std, reader.columns.unknown), rows
    ).sort(_SORT, maintain_order=True)
    summary = _Summary()
    parts = [work / "final-header.arrow"]
    header.write_ipc(parts[0], compression="lz4")
    summary.add(header)
    for i, p in enumerate(plain_parts):
        found = pl.concat([pl.read_ipc(p), *(pl.read_ipc(c) for c in cross.get(i, ()))])
        for c in cross.pop(i, ()):
            c.unlink()
        found = found.sort(_SORT, maintain_order=True)
        final = work / f"final-{i}.arrow"
        found.write_ipc(final, compression="lz4")
        p.unlink()
        parts.append(final)
        summary.add(found)
    entries = summary.result()
    tell("done", rows)
    return StreamReport(
        standard_version=std.version,
        rows=rows,
        source=reader.source,
        reference_date=ref,
        error_count=sum(e["count"] for e in entries if e["severity"] == "error"),
        query_count=sum(e["count"] for e in entries if e["severity"] == "query"),
        _summary=entries,
        _parts=parts,
        _tmp=tmp,
    )
