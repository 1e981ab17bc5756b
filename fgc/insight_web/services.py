"""Accepted child-level data → insight measures, computed once per set of accepted versions.

The cache key is a hash of the standard version, the sorted ids of every accepted child-level
version (all periods) and the ids of the population uploads in use. Accepting a new version
or uploading population counts changes the key, so stale results are never served; nothing
has to be invalidated by hand. Results live in a small in-process LRU and on disk as parquet
under ``FGC_DATA_DIR/insight-cache/<key>/`` (shared by every worker process).

Pages never compute: the "insight.refresh" background job (``fgc.insight_web.jobs``, queued
when a return is accepted or population counts are uploaded) builds a key's cache with
``build_cache``, and ``current`` serves the newest complete one meanwhile.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from fgc.engine.coerce import type_frame
from fgc.engine.disclosure import DisclosureConfig, Publication, publish
from fgc.engine.insight import InsightResult, compute_measures
from fgc.engine.insight.equity import representation
from fgc.engine.insight.population import (
    PopulationError,
    fallback_population,
    read_population,
)
from fgc.engine.insight.release import publication_tables
from fgc.engine.periods import Period
from fgc.hub import national
from fgc.insight_web.models import PopulationUpload
from fgc.insight_web.publication_store import load_publication, save_publication
from fgc.insight_web.published import PublishedFor, published_values
from fgc.standard import load_standard

CACHE_DIR = "insight-cache"
POPULATION_DIR = "population"
_MEMORY_SLOTS = 8
T = TypeVar("T")


class InsightError(ValueError):
    """A request the data cannot answer; the message is shown to the person as it is."""


@dataclass(frozen=True)
class AcceptedVersion:
    id: int
    la_code: str
    period: str
    file_path: str


@dataclass(frozen=True)
class PopulationFile:
    id: int
    la_code: str
    period: str
    file_path: str


@dataclass(frozen=True)
class Snapshot:
    """What the accepted data are right now, and the key the results are cached under."""

    versions: tuple[AcceptedVersion, ...]
    populations: tuple[PopulationFile, ...]
    standard_version: str

    @functools.cached_property
    def key(self) -> str:
        # Hashes every accepted id; pages ask for it several times per request.
        return cache_key(
            [v.id for v in self.versions], [p.id for p in self.populations], self.standard_version
        )

    @property
    def periods(self) -> list[str]:
        return sorted({v.period for v in self.versions})


def cache_key(version_ids: list[int], population_ids: list[int], standard_version: str) -> str:
    text = (
        f"std={standard_version};"
        f"v={','.join(str(i) for i in sorted(version_ids))};"
        f"pop={','.join(str(i) for i in sorted(population_ids))}"
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]


_snapshot_memo: dict[str, Any] = {}


def snapshot() -> Snapshot:
    """The accepted child-level versions of every period (through the hub's public API).

    Listing them costs a query per period; every page asks, so the answer is reused until a
    decision or a population upload (both append-only) says it may have changed.
    """
    fingerprint = (
        national.acceptance_fingerprint(),
        PopulationUpload.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("created")),
        load_standard().version,
    )
    with _lock:
        if _snapshot_memo.get("fingerprint") == fingerprint:
            return _snapshot_memo["snapshot"]  # type: ignore[no-any-return]
    snap = _list_snapshot()
    with _lock:
        _snapshot_memo.update(fingerprint=fingerprint, snapshot=snap)
    return snap


def _list_snapshot() -> Snapshot:
    versions = []
    for period in national.periods_in_use():
        for v in national.accepted_versions(period):
            versions.append(
                AcceptedVersion(v.pk, v.submission.council.old_la_code, period, v.file_path)
            )
    latest: dict[tuple[int, str], PopulationUpload] = {}
    for p in PopulationUpload.objects.select_related("council").order_by("created", "pk"):
        latest[(p.council_id, p.period)] = p  # the newest upload wins
    pops = tuple(
        PopulationFile(p.pk, p.council.old_la_code, p.period, p.file_path)
        for p in sorted(latest.values(), key=lambda p: p.pk)
    )
    return Snapshot(tuple(sorted(versions, key=lambda v: v.id)), pops, load_standard().version)


def data_path(relative: str) -> Path:
    root = Path(settings.FGC_DATA_DIR).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"Stored path {relative!r} is outside the data directory")
    return path


def _in_period(frame: pl.DataFrame, period: str) -> pl.DataFrame:
    """Rows whose anchor date falls in the return's period.

    The engine files a row under the financial year of its anchor date (offer date, else the
    letter before proceedings, else the referral date: ``fgc.engine.insight.flags.prepare``).
    Keeping only those rows from each return stops an episode that appears in two years'
    returns from being counted twice.
    """
    p = Period.parse(period)
    anchor = pl.coalesce(pl.col("offer_date"), pl.col("lbp_date"), pl.col("referral_date"))
    return frame.filter(anchor.is_between(p.start, p.end))


def accepted_frame(snap: Snapshot) -> pl.DataFrame:
    """Every accepted return's rows (typed), labelled with the submitting council's code."""
    from fgc.formats import read_table
    from fgc.formats.result import ROW_COLUMN

    std = load_standard()
    frames = []
    for v in snap.versions:
        frame = read_table(data_path(v.file_path)).frame
        frame = frame.drop([c for c in (ROW_COLUMN,) if c in frame.columns])
        typed = type_frame(frame, std).with_columns(pl.lit(v.la_code).alias("la_code"))
        frames.append(_in_period(typed, v.period))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames, how="diagonal_relaxed")


def population_for(snap: Snapshot, period: str) -> pl.DataFrame:
    """Council uploads for the period (shares), ahead of the Census / national fallback."""
    ref = fallback_population()
    parts = [ref]
    for p in snap.populations:
        if p.period == period:
            shares = read_population(data_path(p.file_path)).with_columns(
                pl.lit(p.la_code).alias("la_code")
            )
            parts.insert(0, shares.select(ref.columns))
    return pl.concat(parts, how="vertical")


def _with_population(result: InsightResult, snap: Snapshot) -> InsightResult:
    """Recompute "offered vs population" with each period's own council uploads.

    ``compute_measures`` takes one population per council; uploads are per period, so the
    representation rows are rebuilt period by period with the core's ``representation``.
    """
    if not snap.populations:
        return result
    eq = result.tables["equity"]
    offered = eq.filter(pl.col("measure") == "offered_children").select(
        "geographic_level", "la_code", "period", "breakdown_topic", "breakdown", "numerator"
    )
    reps = [
        representation(offered.filter(pl.col("period") == p), population_for(snap, p))
        for p in result.periods
    ]
    rest = eq.filter(pl.col("measure") != "offered_representation")
    tables = dict(result.tables)
    tables["equity"] = (
        pl.concat([rest, *reps], how="diagonal_relaxed")
        .select(eq.columns)
        .sort("geographic_level", "la_code", "period", "measure", "breakdown_topic", "breakdown")
    )
    return InsightResult(result.periods, tables)


# --- caches -------------------------------------------------------------------------------

_lock = threading.RLock()
_memory: OrderedDict[tuple[str, ...], Any] = OrderedDict()


def _remember(key: tuple[str, ...], build: Callable[[], T]) -> T:
    """Process-wide LRU; one builder at a time so a cold cache is computed once."""
    with _lock:
        if key in _memory:
            _memory.move_to_end(key)
            return _memory[key]  # type: ignore[no-any-return]
        value = build()
        _memory[key] = value
        while len(_memory) > _MEMORY_SLOTS * 4:
            _memory.popitem(last=False)
        return value


def clear_memory_cache() -> None:
    with _lock:
        _memory.clear()
        _snapshot_memo.clear()
    from fgc.insight_web import impact_store

    impact_store.clear_memory()


def cache_dir(key: str) -> Path:
    return Path(settings.FGC_DATA_DIR) / CACHE_DIR / key


def _atomic_dir(target: Path, write: Callable[[Path], None]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    try:
        write(tmp)
        try:
            tmp.rename(target)
        except OSError:  # another process won the race: its copy is as good as ours
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def compute(snap: Snapshot) -> InsightResult:
    """The measures for every council, region and England over every accepted period."""
    frame = accepted_frame(snap)
    if frame.height == 0:
        return InsightResult(())
    return _with_population(compute_measures(frame, None), snap)


def insight(snap: Snapshot | None = None) -> tuple[Snapshot, InsightResult]:
    """The figures pages show: ``current()`` as a (snapshot, result) pair.

    Without ``snap`` this never computes in the request (see ``current``): it may answer
    from an earlier set of accepted returns while a refresh runs, and raises
    ``InsightPreparing`` when nothing has been computed yet. With ``snap`` (scripts,
    benchmarks, the refresh job) it returns that snapshot's result, computing it if needed.
    """
    if snap is None:
        now = current()
        return now.snap, now.result
    return _insight_for(snap)


def _insight_for(snap: Snapshot) -> tuple[Snapshot, InsightResult]:
    """The cached result for ``snap`` (computed and stored on first use)."""
    key = snap.key

    def build() -> InsightResult:
        d = cache_dir(key) / "result"
        if (d / "periods.txt").exists():
            return InsightResult.load(d)
        result = compute(snap)
        if result.periods:
            _atomic_dir(d, result.save)
        return result

    return snap, _remember(("result", key), build)


def publication(
    snap: Snapshot, result: InsightResult, period: str, config: DisclosureConfig | None = None
) -> Publication:
    """The national release for the period (suppressed, attacked); cached per key/config.

    Kept in memory and on disk under ``<key>/publication/<period>-<config>/`` like the
    measures, so a restarted (or another) worker process reads it instead of recomputing.
    """
    cfg = config or DisclosureConfig()
    cfg_id = hashlib.sha256(repr(cfg).encode("utf-8")).hexdigest()[:12]

    def build() -> Publication:
        d = cache_dir(snap.key) / "publication" / f"{period}-{cfg_id}"
        stored = load_publication(d)
        if stored is not None:
            return stored
        pub = publish(publication_tables(result, period), period, cfg)
        _atomic_dir(d, lambda tmp: save_publication(pub, tmp))
        return pub

    return _remember(("publication", snap.key, period, cfg_id), build)


def published(snap: Snapshot, result: InsightResult, period: str) -> pl.DataFrame:
    """Headline values as they may be shown beyond the council (see ``published``)."""

    def build() -> pl.DataFrame:
        path = cache_dir(snap.key) / f"published-{period}.parquet"
        if path.exists():
            return pl.read_parquet(path)
        frame = published_values(result, period, publication(snap, result, period))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        frame.write_parquet(tmp)
        tmp.replace(path)
        return frame

    return _remember(("published", snap.key, period), build)


def published_all(snap: Snapshot, result: InsightResult) -> dict[str, pl.DataFrame]:
    """``published`` for every period of the result."""
    return {p: published(snap, result, p) for p in result.periods}


def published_for(snap: Snapshot, result: InsightResult) -> PublishedFor:
    """``published`` as a period → values provider (what the report and benchmark take)."""
    return lambda period: published(snap, result, period)


# --- what pages serve: built by the "insight.refresh" job, never in a request --------------
#
# Computing five years of national data takes tens of seconds, so a page never does it: the
# refresh job (``fgc.insight_web.jobs``) builds the result and every period's release for the
# current key, then writes ``<key>/complete.json`` (the snapshot it was built from) and points
# ``insight-cache/latest.txt`` at the key. Until the current key is complete, pages show the
# latest complete set with a banner; with none at all, a "being prepared" page.

COMPLETE = "complete.json"
LATEST = "latest.txt"
KEEP_COMPLETE = 4  # complete caches kept on disk (the newest; older ones are pruned)
ProgressFn = Callable[[int, str], None]


class InsightPreparing(RuntimeError):
    """No figures have been computed yet; a refresh job is building them."""


@dataclass(frozen=True)
class Current:
    snap: Snapshot
    result: InsightResult
    refreshing: bool  # the figures are from earlier accepted returns; a refresh is running


def is_complete(key: str) -> bool:
    return (cache_dir(key) / COMPLETE).exists()


def _snapshot_record(snap: Snapshot) -> dict[str, Any]:
    return {
        "key": snap.key,
        "standard_version": snap.standard_version,
        "versions": [[v.id, v.la_code, v.period, v.file_path] for v in snap.versions],
        "populations": [[p.id, p.la_code, p.period, p.file_path] for p in snap.populations],
    }


def _snapshot_from(record: dict[str, Any]) -> Snapshot:
    return Snapshot(
        tuple(AcceptedVersion(int(i), la, per, path) for i, la, per, path in record["versions"]),
        tuple(PopulationFile(int(i), la, per, path) for i, la, per, path in record["populations"]),
        str(record["standard_version"]),
    )


def write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)  # atomic: a reader sees the old file or the new one, never half


def build_cache(snap: Snapshot | None = None, progress: ProgressFn | None = None) -> Snapshot:
    """Compute and store everything the pages read for ``snap`` (the refresh job's work)."""
    snap = snap or snapshot()
    report = progress or (lambda _p, _m: None)
    from fgc.insight_web import impact_store

    if not snap.versions:
        impact_store.build(report)  # linked outcomes may be in before any return is accepted
        return snap  # nothing accepted: pages answer "no data" without a cache
    if not is_complete(snap.key):
        report(10, f"Computing measures from {len(snap.versions)} accepted returns")
        _, result = _insight_for(snap)
        for i, period in enumerate(result.periods):
            report(50 + 45 * i // max(1, len(result.periods)), f"Publishing {period}")
            publication(snap, result, period)
            published(snap, result, period)
        write_text(cache_dir(snap.key) / COMPLETE, json.dumps(_snapshot_record(snap)))
    # After "complete", so the figures show at once; a page asked for before its turn here is
    # drawn by the web process and stored, and then skipped here.
    from fgc.insight_web import council_pages

    council_pages.draw_defaults(snap, _insight_for(snap)[1], report)
    # Comparison and impact: keyed by the linked data, which statutory uploads change too.
    impact_store.build(report)
    write_text(Path(settings.FGC_DATA_DIR) / CACHE_DIR / LATEST, snap.key)
    _prune(keep=snap.key)
    report(100, "Figures are up to date")
    return snap


def _prune(keep: str) -> None:
    """Remove all but the newest complete caches (never ``keep``)."""
    root = Path(settings.FGC_DATA_DIR) / CACHE_DIR
    done = sorted(root.glob(f"*/{COMPLETE}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for marker in done[KEEP_COMPLETE:]:
        if marker.parent.name != keep:
            shutil.rmtree(marker.parent, ignore_errors=True)


def latest_complete() -> Snapshot | None:
    """The snapshot of the most recently completed cache, if any."""
    try:
        key = (Path(settings.FGC_DATA_DIR) / CACHE_DIR / LATEST).read_text("utf-8").strip()
        record = json.loads((cache_dir(key) / COMPLETE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    snap = _snapshot_from(record)
    return snap if snap.key == key else None


def current() -> Current:
    """The figures to show now, without computing them in the request.

    The current key complete: its figures. Otherwise a refresh is requested (coalesced; run
    at once when jobs run inline) and the latest complete figures are shown, flagged as
    refreshing; with none, ``InsightPreparing`` is raised.
    """
    from fgc.insight_web import jobs  # jobs imports this module

    snap = snapshot()
    if not snap.versions:
        return Current(snap, InsightResult(()), refreshing=False)
    if not is_complete(snap.key):
        jobs.ensure_refresh(snap.key)
    if is_complete(snap.key):
        return Current(*_insight_for(snap), refreshing=False)
    previous = latest_complete()
    if previous is None:
        raise InsightPreparing("The figures are being prepared")
    return Current(*_insight_for(previous), refreshing=True)


# --- population uploads -------------------------------------------------------------------


def store_population(
    user: Any, council: Any, period: str, name: str, data: bytes
) -> PopulationUpload:
    """Check an uploaded population CSV against the documented layout, then keep it."""
    label = Period.parse(period).year_label
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{POPULATION_DIR}/{council.old_la_code}/{label}-{digest[:16]}.csv"
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / Path(name).name
        probe.write_bytes(data)
        try:
            shares = read_population(probe)
        except PopulationError as exc:
            raise InsightError(str(exc)) from None
    codes = set(shares.get_column("la_code").to_list())
    if codes - {council.old_la_code}:
        raise InsightError(
            f"{Path(name).name}: la_code must be {council.old_la_code} on every row "
            f"(found {', '.join(sorted(str(c) for c in codes))})"
        )
    target = data_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    sources = shares.get_column("source").unique().to_list()
    with transaction.atomic():
        upload = PopulationUpload.objects.create(
            council=council,
            period=label,
            file_path=relative,
            original_filename=Path(name).name[:255],
            source="; ".join(sorted(str(s) for s in sources))[:300],
            rows=shares.height,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
    from fgc.insight_web import jobs

    jobs.refresh_soon("population upload")  # the new denominators change the cache key
    return upload


def population_template(la_code: str) -> str:
    """A blank upload in the documented layout: every group, count to fill in."""
    from fgc.engine.insight.population import population_categories

    buf = io.StringIO()
    buf.write("la_code,breakdown_topic,breakdown,count,source\n")
    for topic, groups in population_categories().items():
        for g in groups:
            buf.write(f'{la_code},{topic},"{g}",,\n')
    return buf.getvalue()
