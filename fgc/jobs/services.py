"""What other apps call: enqueue a job, and read its state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fgc.jobs import runner
from fgc.jobs.models import Job


def enqueue(kind: str, payload: dict[str, Any]) -> Job:
    """Queue a job; call inside the transaction that creates what the job works on.

    The queue entry is added once that transaction commits, so a worker never picks up a job
    whose upload was rolled back.
    """
    job = Job.objects.create(kind=kind, payload=payload)
    if not getattr(settings, "FGC_JOBS_INLINE", False):
        transaction.on_commit(lambda: dispatch(job))
    return job


def dispatch(job: Job) -> None:
    """Put a queued job on the task queue (again, after a worker died)."""
    from fgc.jobs.tasks import execute_job

    result = execute_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def dispatch_orphans() -> int:
    """Queue jobs that are queued but were never put on the task queue (e.g. made by a
    release before the task queue, or whose commit hook did not run); returns how many."""
    # Older than a minute: younger ones may still be inside their commit hook.
    cutoff = timezone.now() - timedelta(seconds=60)
    orphans = list(Job.objects.filter(status=Job.Status.QUEUED, task_id="", created__lt=cutoff))
    for job in orphans:
        dispatch(job)
    return len(orphans)


def run_inline_if_configured() -> int:
    """With ``FGC_JOBS_INLINE`` (tests, single-process demos) run queued jobs now.

    Call after the enqueuing transaction has committed. In production this does nothing and
    the task queue's workers (`manage.py fgc_worker`) pick the job up.
    """
    if getattr(settings, "FGC_JOBS_INLINE", False):
        return runner.run_pending()
    return 0
