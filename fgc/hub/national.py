"""National views over every council: the status grid, the accepted dataset and the aggregate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models

from fgc.engine.periods import Period
from fgc.engine.pseudonymise import national_frame
from fgc.hub import storage
from fgc.hub.models import Decision, Kind, Status, Submission, SubmissionVersion
from fgc.hub.services import is_national


@dataclass(frozen=True)
class GridRow:
    council: Any
    status: str
    status_label: str
    submission: Submission | None


def status_grid(
    user: Any, period: str, *, region: str = "", kind: str = Kind.CHILD_LEVEL
) -> dict[str, Any]:
    """Every current council the user may see × its submission status for the period."""
    from fgc.accounts.models import Council

    councils = Council.objects.filter(current=True).order_by("name")
    if not is_national(user):
        councils = councils.filter(pk__in=user.councils.values_list("pk", flat=True))
    if region:
        councils = councils.filter(region_code=region)
    subs = {
        s.council_id: s for s in Submission.objects.for_user(user).filter(period=period, kind=kind)
    }
    labels = dict(Status.choices)
    rows = []
    for council in councils:
        sub = subs.get(council.pk)
        status = sub.status if sub else Status.NOT_STARTED
        rows.append(GridRow(council, status, labels[status], sub))
    counts = Counter(r.status for r in rows)
    return {
        "rows": rows,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
        "total": len(rows),
    }


def regions() -> list[tuple[str, str]]:
    from fgc.accounts.models import Council

    pairs = (
        Council.objects.filter(current=True).values_list("region_code", "region_name").distinct()
    )
    return sorted(set(pairs), key=lambda p: p[1])


def acceptance_fingerprint() -> tuple[int, int, str]:
    """Changes whenever the set of accepted versions may have: decisions are append-only, so
    their count, highest id and latest time (one cheap query) tell a cache to look again."""
    agg = Decision.objects.aggregate(
        n=models.Count("pk"), top=models.Max("pk"), last=models.Max("created")
    )
    return int(agg["n"] or 0), int(agg["top"] or 0), str(agg["last"])


def periods_in_use() -> list[str]:
    return sorted(set(Submission.objects.values_list("period", flat=True)), reverse=True)


def accepted_versions(period: str, kind: str = Kind.CHILD_LEVEL) -> list[SubmissionVersion]:
    """The accepted version of each council's submission for the period (latest accepted)."""
    accepted_ids = Decision.objects.filter(
        outcome=Decision.Outcome.ACCEPTED,
        version__submission__period=period,
        version__submission__kind=kind,
    ).values_list("version_id", flat=True)
    chosen: dict[int, SubmissionVersion] = {}
    for v in (
        SubmissionVersion.objects.filter(pk__in=list(accepted_ids))
        .select_related("submission", "submission__council")
        .order_by("submission_id", "-number")
    ):
        chosen.setdefault(v.submission_id, v)
    return list(chosen.values())


def _accepted_frame(period: str) -> pl.DataFrame:
    from fgc.formats import read_table
    from fgc.formats.result import ROW_COLUMN

    frames = []
    for v in accepted_versions(period):
        frame = read_table(storage.absolute(v.file_path)).frame
        frame = frame.drop([c for c in (ROW_COLUMN,) if c in frame.columns])
        # The submission says whose return this is; the pseudonym key follows it.
        frames.append(frame.with_columns(pl.lit(v.submission.council.old_la_code).alias("la_code")))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames, how="diagonal_relaxed")


def pseudonym_key() -> str:
    key = getattr(settings, "FGC_PSEUDONYM_KEY", "")
    if not key:
        raise ImproperlyConfigured("FGC_PSEUDONYM_KEY is not set; national data cannot be produced")
    return str(key)


def national_dataset(user: Any, period: str) -> pl.DataFrame:
    """Accepted child-level rows for the period: national fields only, pseudonymised."""
    if not is_national(user):
        raise PermissionDenied("Only national users download the national dataset")
    frame = _accepted_frame(Period.parse(period).label)
    if frame.height == 0:
        return frame
    return national_frame(frame, pseudonym_key())


def national_aggregate(user: Any, period: str) -> pl.DataFrame:
    """The aggregate return computed over every accepted child-level version of the period."""
    if not is_national(user):
        raise PermissionDenied("Only national users download the national aggregate")
    from fgc.engine.aggregate import aggregate

    parsed = Period.parse(period)
    frame = _accepted_frame(parsed.label)
    if frame.height == 0:
        return pl.DataFrame()
    return aggregate(frame, parsed)


def linked_children(la_codes: list[str] | None = None) -> pl.DataFrame:
    """Linked rows (``fgc.engine.linkage.schema.LINKED_SCHEMA``) for every accepted
    child-level return, with child ids as the same keyed pseudonyms national users see.

    Outcomes are those the returns carry (derived from each council's SSDA903 file by
    ``fgc outcomes`` or keyed); one row per child, anchored on the first offer.
    """
    from fgc.engine.linkage.recorded import linked_from_returns

    frames = []
    for period in periods_in_use():
        frame = _accepted_frame(period)
        if frame.height:
            frames.append(national_frame(frame, pseudonym_key()))
    if not frames:
        from fgc.engine.linkage.schema import empty_linked

        return empty_linked()
    linked = linked_from_returns(pl.concat(frames, how="diagonal_relaxed"))
    if la_codes is not None:
        linked = linked.filter(pl.col("la_code").is_in(list(la_codes)))
    return linked
