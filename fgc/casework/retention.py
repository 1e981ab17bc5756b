"""Retention: closed episodes older than the configured number of years are deleted or
anonymised. ``fgc_retention --dry-run`` reports what would happen; without it, it happens.

Anonymising removes the personal data casework holds (names, contact details, the family
network, local field values, the postcode district) and cuts dates of birth and due dates to
the month, keeping the standard's statistical record so past returns can be rebuilt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fgc.casework.models import Child, Episode, LocalFieldValue, NetworkMember
from fgc.casework.states import add_months

DEFAULT_YEARS = 7
MODES = ("anonymise", "delete")


def retention_years() -> int:
    """``settings.FGC_RETENTION_YEARS``, else the environment variable, else 7."""
    value = getattr(settings, "FGC_RETENTION_YEARS", None) or os.environ.get("FGC_RETENTION_YEARS")
    if value in (None, ""):
        return DEFAULT_YEARS
    years = int(str(value))
    if years < 1:
        raise ValueError("FGC_RETENTION_YEARS must be a whole number of years, 1 or more")
    return years


def cutoff(today: date | None = None, years: int | None = None) -> date:
    today = today or date.today()
    return add_months(today, -12 * (years or retention_years()))


def due(today: date | None = None, years: int | None = None) -> Any:
    """Closed episodes whose closure is older than the retention period (not yet anonymised)."""
    return Episode.objects.filter(
        closure_date__isnull=False,
        closure_date__lt=cutoff(today, years),
        anonymised_at__isnull=True,
    ).select_related("council")


@dataclass
class RetentionReport:
    cutoff: date
    mode: str
    episodes: int
    children: int
    by_council: dict[str, int]
    applied: bool


def _truncate(d: date | None) -> date | None:
    return d.replace(day=1) if d else None


def run(
    *,
    mode: str = "anonymise",
    dry_run: bool = True,
    today: date | None = None,
    years: int | None = None,
) -> RetentionReport:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    episodes = list(due(today, years))
    ids = [e.pk for e in episodes]
    by_council: dict[str, int] = {}
    for e in episodes:
        by_council[e.council.old_la_code] = by_council.get(e.council.old_la_code, 0) + 1
    children = Child.objects.filter(episode_id__in=ids).count()
    report = RetentionReport(
        cutoff(today, years), mode, len(ids), children, by_council, not dry_run
    )
    if dry_run or not ids:
        return report
    from fgc.audit.services import record

    with transaction.atomic():
        if mode == "delete":
            LocalFieldValue.objects.filter(episode_id__in=ids).delete()
            Episode.objects.filter(pk__in=ids).delete()
        else:
            NetworkMember.objects.filter(episode_id__in=ids).delete()
            LocalFieldValue.objects.filter(episode_id__in=ids).delete()
            for child in Child.objects.filter(episode_id__in=ids):
                child.name = ""
                child.date_of_birth = _truncate(child.date_of_birth)
                child.expected_due_date = _truncate(child.expected_due_date)
                child.save()
            Episode.objects.filter(pk__in=ids).update(
                postcode_district=None, resources_requested="", anonymised_at=timezone.now()
            )
        for code, count in by_council.items():
            record(
                None,
                f"casework.retention_{mode}",
                council=code,
                detail={"episodes": count, "cutoff": report.cutoff.isoformat()},
            )
    return report
