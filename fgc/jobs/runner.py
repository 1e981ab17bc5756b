"""Claim, run and reap jobs. Used by the `fgc_worker` command (and inline in tests).

Claiming is a compare-and-set UPDATE (queued → running), so two workers never run the same
job on SQLite or PostgreSQL. A running job's worker writes a heartbeat; a job whose heartbeat
is older than the stale timeout is marked failed (its worker was killed) and its kind's
failure hook cleans up (for example, marks a submission version failed).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from fgc.jobs import registry
from fgc.jobs.models import Job

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "FGC_JOB_STALE_SECONDS", 120))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job_id: int, worker: str | None = None) -> Job | None:
    """Take this queued job (compare-and-set), or None if another worker has it or it ended."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started=now,
        heartbeat=now,
        worker=(worker or worker_name())[:100],
        attempts=F("attempts") + 1,
    )
    return Job.objects.get(pk=job_id) if taken else None


def claim_next(worker: str | None = None) -> Job | None:
    """Take the oldest queued job, or None when the queue is empty."""
    now = timezone.now()
    candidates = Job.objects.filter(status=Job.Status.QUEUED).values_list("pk", flat=True)[:10]
    for pk in list(candidates):
        taken = Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING,
            started=now,
            heartbeat=now,
            worker=(worker or worker_name())[:100],
            attempts=F("attempts") + 1,
        )
        if taken:
            return Job.objects.get(pk=pk)
    return None


def _progress_fn(job: Job) -> registry.ProgressFn:
    def progress(percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        job.progress, job.message = percent, message[:500]
        Job.objects.filter(pk=job.pk).update(
            progress=percent, message=message[:500], heartbeat=timezone.now()
        )

    return progress


class _Heartbeat(threading.Thread):
    """Keeps a long step (one big polars call) from looking like a dead worker."""

    def __init__(self, job_id: int) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id = job_id
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.wait(HEARTBEAT_SECONDS):
                Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                    heartbeat=timezone.now()
                )
        finally:
            connection.close()


def public_failure(job_id: int, exc: BaseException) -> str:
    """What a user is told when a job stops on an error nobody foresaw.

    Never the exception's own text: a library's internal message ("ShapeError: can't
    broadcast…") helps nobody and may quote data. The details go to the log under the job's
    reference, which the message gives.
    """
    if isinstance(exc, MemoryError):
        return (
            f"The file needed more memory than this service allows, so the check stopped and "
            f"nothing was stored. Check the file holds only the return's rows and columns, or "
            f"split it into smaller files. (Reference: job {job_id}.)"
        )
    return (
        f"The check stopped on an unexpected problem and nothing was stored. Try again; if it "
        f"happens again, contact the FGC Data team quoting job {job_id}."
    )


def fail(job: Job, message: str) -> None:
    """Mark a job failed with a message for users, and run its kind's clean-up hook.

    Both happen in one transaction, so nobody sees a failed job whose version still says
    it is waiting (the hook marks the version failed).
    """
    try:
        kind = registry.get(job.kind)
    except LookupError:
        kind = None
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=message[:500], finished=timezone.now()
        )
        if kind is None or kind.on_failure is None:
            return
        try:
            with transaction.atomic():
                kind.on_failure(job, message)
        except Exception:
            log.exception("Failure hook for job %s failed", job.pk)


def run_job(job: Job, *, heartbeat: bool = True) -> Job:
    """Run one claimed job to done or failed; never raises for a job's own error."""
    try:
        kind = registry.get(job.kind)
    except LookupError as exc:
        fail(job, str(exc))
        job.refresh_from_db()
        return job
    beat = _Heartbeat(job.pk) if heartbeat else None
    if beat:
        beat.start()
    try:
        kind.run(job, _progress_fn(job))
    except Exception as exc:
        log.exception("Job %s (%s) failed", job.pk, job.kind)
        fail(job, public_failure(job.pk, exc))
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE, progress=100, finished=timezone.now()
        )
    finally:
        if beat:
            beat.stop.set()
            beat.join(timeout=HEARTBEAT_SECONDS + 1)
    job.refresh_from_db()
    return job


def max_attempts() -> int:
    return int(getattr(settings, "FGC_JOB_MAX_ATTEMPTS", 2))


def reap_stale() -> int:
    """Requeue (or, after the last attempt, fail) running jobs whose worker stopped beating.

    A worker killed mid-job (``kill -9``, a machine restart) leaves its job "running" with an
    old heartbeat. Jobs write their results in one transaction at the end, so nothing partial
    was stored and running the job again is safe. Returns how many jobs were reaped.
    """
    cutoff = timezone.now() - stale_after()
    stale = list(Job.objects.filter(status=Job.Status.RUNNING, heartbeat__lt=cutoff))
    for job in stale:
        if job.attempts < max_attempts():
            requeued = Job.objects.filter(
                pk=job.pk, status=Job.Status.RUNNING, heartbeat__lt=cutoff
            ).update(
                status=Job.Status.QUEUED,
                progress=0,
                heartbeat=None,
                message="The worker stopped while checking this file; it will be checked again.",
            )
            if requeued:
                log.warning("Job %s requeued after its worker stopped", job.pk)
                from fgc.jobs.services import dispatch

                dispatch(job)
            continue
        fail(
            job,
            "The worker stopped while running this job, again after a retry, so it was marked "
            f"failed and nothing was stored. Upload the file again. (Reference: job {job.pk}.)",
        )
    return len(stale)


def run_pending(*, heartbeat: bool = False, limit: int | None = None) -> int:
    """Run queued jobs until the queue is empty (or ``limit``); returns how many ran."""
    ran = 0
    while limit is None or ran < limit:
        job = claim_next()
        if job is None:
            break
        run_job(job, heartbeat=heartbeat)
        ran += 1
    return ran


def work_forever(*, interval: float = 1.0, once: bool = False) -> None:
    """The worker loop: reap stale jobs, run what is queued, sleep, repeat."""
    while True:
        # Drop a dead or expired connection between rounds, but never one inside a
        # transaction (a caller's atomic block, as in tests): closing it would abort it.
        if not connection.in_atomic_block:
            close_old_connections()
        reap_stale()
        ran = run_pending(heartbeat=True)
        if once:
            return
        if not ran:
            time.sleep(interval)
