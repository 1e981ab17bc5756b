"""Run one job in a child process with a memory and a time ceiling.

A hostile or simply huge file must cost its own job, not the worker: the job runs in a forked
child, and the parent watches the child's resident memory and the clock. Over either limit the
child is killed and the job is failed with a plain message (the kind's failure hook cleans up,
so no half-checked version is left). Results are written by the child in one transaction at
the end, so a killed child leaves nothing behind.

Fork, not spawn: a fresh interpreter would pay Django's and polars' import time (about 2 s)
on every upload. The parent never runs polars, so its thread pool is never started before the
fork.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from fgc.jobs import runner
from fgc.jobs.models import Job

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    memory_mb: int
    seconds: float

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            memory_mb=int(getattr(settings, "FGC_JOB_MEMORY_MB", 1024)),
            seconds=float(getattr(settings, "FGC_JOB_TIME_LIMIT_SECONDS", 900)),
        )


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_message(job_id: int, limit_mb: int) -> str:
    return (
        f"The file needed more than {limit_mb:,} MB of memory to check, more than this service "
        f"allows for one file, so the check stopped and nothing was stored. Check the file "
        f"holds only the return's rows and columns. (Reference: job {job_id}.)"
    )


def time_message(job_id: int, seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return (
        f"The check took longer than {minutes} minute{'s' if minutes != 1 else ''}, the most "
        f"this service allows for one file, so it stopped and nothing was stored. "
        f"(Reference: job {job_id}.)"
    )


def crash_message(job_id: int) -> str:
    return (
        f"The check stopped unexpectedly and nothing was stored. Try again; if it happens "
        f"again, contact the FGC Data team quoting job {job_id}."
    )


def _die_with_parent() -> None:
    # If the worker itself is killed, its child must not run on unwatched.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the reaper still catches it
        pass


def _child(job_id: int) -> None:
    code = 1
    try:
        _die_with_parent()
        job = Job.objects.get(pk=job_id)
        runner.run_job(job, heartbeat=True)
        code = 0
    except BaseException:  # the child must never return into the worker's loop
        log.exception("Job %s crashed in its child process", job_id)
    finally:
        try:
            connections.close_all()
        finally:
            os._exit(code)


def run_isolated(job: Job, limits: Limits | None = None) -> Job:
    """Run a claimed (running) job in a watched child; return it as it ended."""
    limits = limits or Limits.from_settings()
    # The child must open its own connections: a socket shared across fork corrupts both.
    connections.close_all()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which exits via os._exit
        _child(job.pk)
    started = time.monotonic()
    reason = ""
    peak = 0.0
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        peak = max(peak, rss_mb(pid))
        if peak > limits.memory_mb:
            reason = memory_message(job.pk, limits.memory_mb)
        elif time.monotonic() - started > limits.seconds:
            reason = time_message(job.pk, limits.seconds)
        if reason:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            status = -1
            break
        time.sleep(POLL_SECONDS)
    job.refresh_from_db()
    if job.status == Job.Status.RUNNING:
        if not reason:
            reason = crash_message(job.pk)
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
                # The kernel's OOM killer, most likely: say so in the same words.
                reason = memory_message(job.pk, limits.memory_mb)
        log.warning("Job %s stopped: %s (peak %.0f MB)", job.pk, reason, peak)
        runner.fail(job, reason)
        job.refresh_from_db()
    return job
