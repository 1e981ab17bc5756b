"""Pass 1 (per-row checks a chunk at a time, keys and spill kept for the cross-row rules)
and pass 2 (the cross-row rules screened over the whole file, checked on the suspect rows),
then the findings merged into ``validate``'s order (row, code, field)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from fgc.engine.rules.episodes import EPISODE
from fgc.engine.rules.model import RuleContext
from fgc.engine.rules.registry import RULES
from fgc.engine.stream.chunks import _Columns, _CsvChunks
from fgc.engine.stream.keys import _EP_KEY, STREAM_KEYS
from fgc.engine.stream.progress import Phase, Progress, StreamProgress
from fgc.engine.stream.report import StreamReport, _Summary
from fgc.engine.stream.spill import Spill
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


@dataclass
class _Plan:
    """Which checks run per chunk (``plain``) and over the whole file (``screened``), the key
    columns kept for every row and the columns spilled for the exact cross-row checks."""

    ctx: RuleContext
    # validate's _Check objects (from _checks): typed loosely so that this module imports
    # only the names of fgc.engine.validate it imported before the split.
    plain: list[Any]
    screened: list[Any]
    codes: list[str]
    keys: list[pl.Expr]
    spilled: list[str]


@dataclass
class _Pass1:
    plain_parts: list[Path] = field(default_factory=list)
    spill_parts: list[Path] = field(default_factory=list)
    first_rows: list[int] = field(default_factory=list)
    key_parts: list[pl.DataFrame] = field(default_factory=list)
    rows: int = 0


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

    plan = _plan(std, ref)
    spill = Spill(work)
    first = _pass1(reader, plan, spill, chunk_rows, lambda rows: tell("check", rows))
    assert reader.columns is not None
    tell("cross-row", first.rows)
    cross = _pass2(first, plan, spill, bucket_rows)
    tell("merge", first.rows)
    parts, entries = _merge(reader.columns, first, cross, spill, std)
    tell("done", first.rows)
    return StreamReport(
        standard_version=std.version,
        rows=first.rows,
        source=reader.source,
        reference_date=ref,
        error_count=sum(e["count"] for e in entries if e["severity"] == "error"),
        query_count=sum(e["count"] for e in entries if e["severity"] == "query"),
        _summary=entries,
        _parts=parts,
        _tmp=tmp,
    )


def _plan(std: Standard, ref: date) -> _Plan:
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
    return _Plan(ctx, plain, screened, codes, keys, spilled)


def _pass1(
    reader: _CsvChunks, plan: _Plan, spill: Spill, chunk_rows: int, told: Callable[[int], None]
) -> _Pass1:
    """Per chunk, the checks that need no other row; keys and spill for the rest."""
    out = _Pass1()
    for i, chunk in enumerate(reader.chunks(chunk_rows)):
        base = _prepare(chunk, plan.ctx.std)
        out.plain_parts.append(spill.write(_row_findings(plan.ctx, base, plan.plain), f"plain-{i}"))
        out.first_rows.append(int(base[ROW_COLUMN][0]))
        out.rows += chunk.height
        told(out.rows)
        if plan.screened:
            out.key_parts.append(base.select(ROW_COLUMN, *plan.keys))
            spilled = base.select(ROW_COLUMN, *plan.spilled)
            out.spill_parts.append(spill.write(spilled, f"spill-{i}"))
    return out


def _pass2(first: _Pass1, plan: _Plan, spill: Spill, bucket_rows: int) -> dict[int, list[Path]]:
    """Screen the whole file on its keys; the exact checks on the suspect rows only, a bucket
    of episodes at a time (every cross-row rule compares rows within an episode), so a file
    whose every row is suspect (a file pasted twice) still fits in memory. The findings are
    spilled by the pass-1 chunk their rows are in."""
    cross: dict[int, list[Path]] = {}
    if first.key_parts:
        all_keys = pl.concat(first.key_parts)
        first.key_parts.clear()
        suspect = all_keys.filter(
            pl.any_horizontal([STREAM_KEYS[c].suspect for c in plan.codes])
        ).select(ROW_COLUMN, _EP_KEY)
        del all_keys
        buckets = -(-suspect.height // bucket_rows)
        bounds = np.array(first.first_rows)
        for b in range(buckets):
            wanted = suspect.filter(pl.col(_EP_KEY) % buckets == b).get_column(ROW_COLUMN)
            gathered = (
                spill.scan(first.spill_parts)
                .filter(pl.col(ROW_COLUMN).is_in(wanted.implode()))
                .collect()
            )
            found = _row_findings(plan.ctx, gathered, plan.screened)
            del gathered
            chunk_of = np.searchsorted(bounds, found["row"].to_numpy(), side="right") - 1
            keyed = found.with_columns(pl.Series("__chunk", chunk_of))
            for (index,), part_frame in keyed.partition_by("__chunk", as_dict=True).items():
                p = spill.write(part_frame.drop("__chunk"), f"cross-{b}-{index}")
                cross.setdefault(int(index), []).append(p)
    for p in first.spill_parts:
        p.unlink()
    return cross


def _merge(
    columns: _Columns, first: _Pass1, cross: dict[int, list[Path]], spill: Spill, std: Standard
) -> tuple[list[Path], list[dict[str, Any]]]:
    """Each chunk's findings with the cross-row findings of its rows, in order: the final
    parts and the summary."""
    frame_columns = pl.DataFrame(schema=dict.fromkeys(columns.kept_names(), pl.Utf8))
    header = _header_findings(
        _unknown_columns(frame_columns, std, columns.unknown), first.rows
    ).sort(_SORT, maintain_order=True)
    summary = _Summary()
    parts = [spill.write(header, "final-header")]
    summary.add(header)
    for i, p in enumerate(first.plain_parts):
        found = pl.concat([spill.read(p), *(spill.read(c) for c in cross.get(i, ()))])
        for c in cross.pop(i, ()):
            c.unlink()
        found = found.sort(_SORT, maintain_order=True)
        parts.append(spill.write(found, f"final-{i}"))
        p.unlink()
        summary.add(found)
    return parts, summary.result()
