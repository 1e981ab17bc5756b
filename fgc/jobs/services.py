"""What other apps call: enqueue a job, and read its state."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from fgc.jobs import runner
from fgc.jobs.models import Job


def enqueue(kind: str, payload: dict[str, Any]) -> Job:
    """Queue a job; call inside the transaction that creates what the job works on."""
    return Job.objects.create(kind=kind, payload=payload)


def run_inline_if_configured() -> int:
    """With ``FGC_JOBS_INLINE`` (tests, single-process demos) run queued jobs now.

    Call after the enqueuing transaction has committed. In production this does nothing and
    the separate `fgc_worker` process picks the job up.
    """
    if getattr(settings, "FGC_JOBS_INLINE", False):
        return runner.run_pending()
    return 0
