"""Comparison and impact figures for the insight pages, built by the refresh job.

The figures come from the hub's linked children (``fgc.hub.national.linked_children``: every
council's FGC children with the outcomes derived from their SSDA903 and CIN census files,
and the pre-proceedings children not offered an FGC). The "insight.refresh" job calls
``build`` after the measures: it fingerprints the linked frame and, when that changed,
computes the comparison (already suppressed: pages never hold a small group's figure) and
the impact inputs, and stores them under ``FGC_DATA_DIR/insight-cache/impact/<fingerprint>/``.
Pages read the latest stored set (``current``) and never compute it; the sensitivity form
recomputes one area's estimate from the stored inputs, which is cheap arithmetic.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings

from fgc.engine.impact import Comparison, compare, estimate, impact_inputs, suppress_comparison
from fgc.engine.impact.estimate import ImpactEstimate

DIR = "impact"
# Part of every stored set's key: a change to what is stored (such as the disclosure rules
# the comparison is stored under) makes the next refresh build the figures again.
FORMAT = "2: regional and England figures over rounded counts"
LATEST = "latest.txt"
KEEP = 3
log = logging.getLogger(__name__)
_lock = threading.RLock()
_memo: dict[str, ImpactData] = {}


@dataclass(frozen=True)
class ImpactData:
    key: str
    comparison: Comparison  # suppressed
    inputs: pl.DataFrame  # per council: children not offered, baseline counts
    estimates: dict[str, ImpactEstimate]  # area code → default estimate

    @property
    def period(self) -> str:
        return str(self.inputs.get_column("period")[0]) if self.inputs.height else ""


def _root() -> Path:
    return Path(settings.FGC_DATA_DIR) / "insight-cache" / DIR


def linked_frame() -> pl.DataFrame:
    """The hub's linked children (empty until statutory data have been linked)."""
    from fgc.hub import national

    return national.linked_children()


def fingerprint(frame: pl.DataFrame) -> str:
    h = hashlib.sha256(FORMAT.encode())
    h.update(json.dumps({k: str(v) for k, v in frame.schema.items()}).encode())
    if frame.height:
        h.update(frame.sort("la_code", "child_key").hash_rows(seed=7).to_numpy().tobytes())
    return h.hexdigest()[:32]


def build(progress: Callable[[int, str], None] | None = None) -> str | None:
    """Compute and store the figures for the linked data now (the refresh job's work)."""
    report = progress or (lambda _p, _m: None)
    frame = linked_frame()
    if frame.height == 0:
        return None
    key = fingerprint(frame)
    target = _root() / key
    if not (target / "complete").exists():
        report(96, f"Comparing groups and estimating impact for {frame.height:,} children")
        shown = suppress_comparison(compare(frame))
        inputs = impact_inputs(frame)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
        try:
            shown.save(tmp)
            inputs.write_parquet(tmp / "inputs.parquet")
            (tmp / "complete").write_text(key, "utf-8")
            try:
                tmp.rename(target)
            except OSError:  # another worker stored the same figures first
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    latest = _root() / LATEST
    tmp_latest = latest.with_suffix(".tmp")
    tmp_latest.write_text(key, "utf-8")
    tmp_latest.replace(latest)
    _prune(key)
    log.info("Impact figures %s ready (%d linked children)", key, frame.height)
    return key


def _prune(keep: str) -> None:
    done = sorted(_root().glob("*/complete"), key=lambda p: p.stat().st_mtime, reverse=True)
    for marker in done[KEEP:]:
        if marker.parent.name != keep:
            shutil.rmtree(marker.parent, ignore_errors=True)


def current() -> ImpactData | None:
    """The latest stored figures, or None before the first linked data are in."""
    try:
        key = (_root() / LATEST).read_text("utf-8").strip()
    except OSError:
        return None
    with _lock:
        if key in _memo:
            return _memo[key]
    d = _root() / key
    if not (d / "complete").exists():
        return None
    inputs = pl.read_parquet(d / "inputs.parquet")
    data = ImpactData(
        key,
        Comparison.load(d),
        inputs,
        {e.area_code: e for e in estimate(inputs)},
    )
    with _lock:
        _memo.clear()  # one set at a time: the newest
        _memo[key] = data
    return data


def clear_memory() -> None:
    with _lock:
        _memo.clear()
