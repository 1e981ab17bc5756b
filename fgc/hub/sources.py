"""Which stored version a generated return is made from, and reading it back.

Every download the hub generates for a council (a filled template, the child-level return,
the DfE quarterly figures, the enriched census) is computed from the council's child-level
data already in the hub, never re-keyed. The source is the council's latest **accepted**
child-level version whose period covers the one asked for, or failing that its latest
version that could be read; the version used is named in the download's file name.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from fgc.engine.periods import Period
from fgc.hub import storage
from fgc.hub.models import Decision, Kind, SubmissionVersion, ValidationStatus

READABLE = (ValidationStatus.VALID, ValidationStatus.ERRORS)


def covers(outer: Period, inner: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _covering_periods(period: Period) -> list[str]:
    """The period itself, and the financial year holding a quarter (most specific first)."""
    labels = [period.label]
    if period.quarter is not None:
        labels.append(Period.parse(period.year_label).label)
    return labels


def child_level_versions(council: Any, period: Period | str) -> Any:
    """The council's readable child-level versions covering ``period`` (a queryset)."""
    p = period if isinstance(period, Period) else Period.parse(str(period))
    return SubmissionVersion.objects.filter(
        submission__council=council,
        submission__kind=Kind.CHILD_LEVEL,
        submission__period__in=_covering_periods(p),
        validation_status__in=READABLE,
    ).select_related("submission", "submission__council")


def accepted_child_level(council: Any, period: Period | str) -> SubmissionVersion | None:
    """The latest accepted child-level version covering ``period``, if any."""
    accepted = Decision.objects.filter(outcome=Decision.Outcome.ACCEPTED).values("version_id")
    found: SubmissionVersion | None = (
        child_level_versions(council, period).filter(pk__in=accepted).order_by("-created").first()
    )
    return found


def child_level_source(council: Any, period: Period | str) -> SubmissionVersion | None:
    """The accepted version if there is one, else the latest readable version."""
    found: SubmissionVersion | None = (
        accepted_child_level(council, period)
        or child_level_versions(council, period).order_by("-created", "-number").first()
    )
    return found


def read_child_level(version: SubmissionVersion) -> pl.DataFrame:
    """A stored child-level version as text columns, stamped with its council's code."""
    from fgc.formats import ROW_COLUMN, read_table

    frame = read_table(storage.absolute(version.file_path)).frame
    frame = frame.drop([c for c in (ROW_COLUMN,) if c in frame.columns])
    # The submission says whose return this is (as in the national dataset).
    return frame.with_columns(pl.lit(version.submission.council.old_la_code).alias("la_code"))


def accepted_for_quarter(quarter: Period) -> list[SubmissionVersion]:
    """Per council, the most recently accepted child-level version covering the quarter."""
    from fgc.hub.national import accepted_versions

    chosen: dict[int, tuple[Any, SubmissionVersion]] = {}
    for label in _covering_periods(quarter):
        for v in accepted_versions(label, Kind.CHILD_LEVEL):
            decided = v.decisions.filter(outcome=Decision.Outcome.ACCEPTED).order_by("-created")
            when = decided.values_list("created", flat=True).first()
            council = v.submission.council_id
            if council not in chosen or (when and when > chosen[council][0]):
                chosen[council] = (when, v)
    return [v for _, v in sorted(chosen.values(), key=lambda p: p[1].submission.council_id)]
