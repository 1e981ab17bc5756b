"""National views over every council: the status grid, the accepted dataset and the aggregate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models

from fgc.engine.periods import Period
from fgc.engine.pseudonymise import national_frame
from fgc.hub import storage
from fgc.hub.managers import member_council_ids
from fgc.hub.models import Decision, Kind, Status, Submission, SubmissionVersion
from fgc.hub.services import is_national


@dataclass(frozen=True)
class GridRow:
    council: Any
    status: str
    status_label: str
    submission_id: int | None  # the council's submission for the period, if any


def status_grid(
    user: Any, period: str, *, region: str = "", kind: str = Kind.CHILD_LEVEL
) -> dict[str, Any]:
    """Every current council the user may see × its submission status for the period."""
    from fgc.accounts.models import Council

    councils = Council.objects.filter(current=True).order_by("name")
    if not is_national(user):
        # The request's one membership answer (managers.member_council_ids), as for_user.
        councils = councils.filter(pk__in=member_council_ids(user))
    if region:
        councils = councils.filter(region_code=region)
    # Only the pk and status of each: model instances for 153 rows cost ~0.7 ms more.
    subs = {
        council_id: (pk, status)
        for council_id, pk, status in Submission.objects.for_user(user)
        .filter(period=period, kind=kind)
        .values_list("council_id", "pk", "status")
    }
    labels = dict(Status.choices)
    rows = []
    for council in councils:
        sub_id, status = subs.get(council.pk, (None, Status.NOT_STARTED))
        rows.append(GridRow(council, status, labels[status], sub_id))
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
    # DISTINCT in the database: one row per period, not one per submission.
    periods = Submission.objects.order_by().values_list("period", flat=True).distinct()
    return sorted(set(periods), reverse=True)


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


def statutory_linked_path() -> Path:
    """Where the linked statutory rows councils send live (pseudonymised)."""
    return storage.data_dir() / "statutory" / "linked.parquet"


def statutory_linked() -> pl.DataFrame:
    """The stored linked statutory rows (LINKED_SCHEMA), or none."""
    from fgc.engine.linkage.schema import empty_linked

    path = statutory_linked_path()
    return pl.read_parquet(path) if path.exists() else empty_linked()


def store_statutory_linked(linked: pl.DataFrame) -> int:
    """Keep councils' linked rows (``fgc.engine.linkage.outcomes.link(...).linked``) at the hub,
    replacing any earlier rows of the same councils; returns the rows now held.

    Child ids are turned into the same keyed pseudonym the child-level returns get before
    anything is written, so no raw id is stored here. The rows add what a return cannot
    carry: children in pre-proceedings who were **not offered** an FGC, and each FGC child's
    care entry, days looked after and prior CP plan from the SSDA903 file and CIN census.
    """
    from fgc.engine.linkage.schema import LINKED_SCHEMA
    from fgc.engine.pseudonymise import pseudonymise_expr

    fresh = linked.cast(pl.Schema(LINKED_SCHEMA)).with_columns(
        pseudonymise_expr("child_key", pseudonym_key())
    )
    councils = fresh.get_column("la_code").unique().implode()
    kept = statutory_linked().filter(~pl.col("la_code").is_in(councils))
    out = pl.concat([kept, fresh], how="vertical")
    path = statutory_linked_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    out.write_parquet(tmp)
    tmp.replace(path)
    return out.height


# Filled on a return's rows from the statutory rows: a return does not carry them.
_FROM_STATUTORY = ("entered_care_12m", "days_looked_after_12m", "prior_cp_plan")


def linked_children(la_codes: list[str] | None = None) -> pl.DataFrame:
    """Linked rows (``fgc.engine.linkage.schema.LINKED_SCHEMA``) for every accepted
    child-level return, with child ids as the same keyed pseudonyms national users see,
    and the pre-proceedings children not offered an FGC from the stored statutory rows.

    Outcomes are those the returns carry (derived from each council's SSDA903 file or
    keyed); one row per child, anchored on the first offer. Care entry, days looked after
    and prior CP plan come from the statutory rows where the council's are held.
    """
    from fgc.engine.linkage.recorded import linked_from_returns
    from fgc.engine.linkage.schema import GROUP_NOT_OFFERED, LINKED_SCHEMA, empty_linked

    frames = []
    for period in periods_in_use():
        frame = _accepted_frame(period)
        if frame.height:
            frames.append(national_frame(frame, pseudonym_key()))
    fgc = (
        linked_from_returns(pl.concat(frames, how="diagonal_relaxed")) if frames else empty_linked()
    )
    statutory = statutory_linked()
    # Not-offered children only of councils whose FGC returns are in, so every group compared
    # comes from the same councils.
    with_returns = fgc.get_column("la_code").unique().implode()
    not_offered = statutory.filter(
        (pl.col("group") == GROUP_NOT_OFFERED) & pl.col("la_code").is_in(with_returns)
    )
    extra = statutory.filter(pl.col("group") != GROUP_NOT_OFFERED).select(
        "la_code", "child_key", *(pl.col(c).alias(f"_s_{c}") for c in _FROM_STATUTORY)
    )
    fgc = (
        fgc.join(extra, on=["la_code", "child_key"], how="left")
        .with_columns(pl.coalesce(c, f"_s_{c}").alias(c) for c in _FROM_STATUTORY)
        .select(list(LINKED_SCHEMA))
    )
    linked = pl.concat([fgc, not_offered.select(list(LINKED_SCHEMA))], how="vertical")
    if la_codes is not None:
        linked = linked.filter(pl.col("la_code").is_in(list(la_codes)))
    return linked
