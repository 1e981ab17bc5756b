"""The "insight.refresh" background job: rebuild the insight cache after the data change.

Accepting a return (the hub's ``version_accepted`` signal) or uploading population counts
queues one refresh; the job computes the measures and every period's release for whatever is
accepted when it runs, and stores them (``services.build_cache``), so pages answer from the
cache. Queuing is coalesced: while a refresh is waiting in the queue another is not added,
because the waiting one will already see the newest data.
"""

from __future__ import annotations

import logging
from typing import Any

from fgc.insight_web import services
from fgc.jobs.models import Job
from fgc.jobs.registry import ProgressFn
from fgc.jobs.services import enqueue, run_inline_if_configured

JOB_KIND = "insight.refresh"
log = logging.getLogger(__name__)


def request_refresh(reason: str) -> Job | None:
    """Queue a refresh unless one is already queued; returns the new job (None: coalesced)."""
    if Job.objects.filter(kind=JOB_KIND, status=Job.Status.QUEUED).exists():
        return None
    return enqueue(JOB_KIND, {"reason": reason})


def refresh_soon(reason: str) -> Job | None:
    """``request_refresh``, then run it at once when jobs run inline (tests, seeding)."""
    job = request_refresh(reason)
    run_inline_if_configured()
    return job


def ensure_refresh(key: str) -> Job | None:
    """A page found ``key`` not yet cached: make sure a refresh is on its way.

    Nothing is queued when a refresh is already queued or running, or when the last refresh
    for this very key failed (retrying on every page view would keep the worker busy failing;
    the next acceptance or upload queues a fresh attempt).
    """
    busy = Job.objects.filter(
        kind=JOB_KIND, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).exists()
    last = Job.objects.filter(kind=JOB_KIND).order_by("-created", "-id").first()
    failed_here = (
        last is not None and last.status == Job.Status.FAILED and last.payload.get("key") == key
    )
    job = None if busy or failed_here else enqueue(JOB_KIND, {"reason": "page"})
    run_inline_if_configured()
    return job


def run_job(job: Job, progress: ProgressFn) -> None:
    """Build the cache for the data accepted now (not when the job was queued)."""
    snap = services.snapshot()
    # Record which key this run builds, so a failure is not retried for the same data.
    Job.objects.filter(pk=job.pk).update(payload={**job.payload, "key": snap.key})
    progress(5, "Reading accepted returns")
    services.build_cache(snap, progress)
    log.info("Insight cache %s ready (%d accepted returns)", snap.key, len(snap.versions))


def on_version_accepted(sender: Any, **kwargs: Any) -> None:
    """Receiver for ``fgc.hub.signals.version_accepted``."""
    refresh_soon("accepted")
