from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fgc.jobs import registry, runner
from fgc.jobs.models import Job
from fgc.jobs.services import enqueue

pytestmark = pytest.mark.django_db

SEEN: list[tuple[int, str]] = []


def _ok(job, progress):
    progress(50, "half way")
    SEEN.append((job.pk, "ran"))


def _boom(job, progress):
    raise RuntimeError("disk on fire")


def _failed(job, message):
    SEEN.append((job.pk, f"failed: {message}"))


@pytest.fixture(autouse=True)
def kinds():
    SEEN.clear()
    registry.register("test.ok", _ok)
    registry.register("test.boom", _boom, on_failure=_failed)


def test_a_job_runs_to_done_with_progress():
    job = enqueue("test.ok", {"n": 1})
    assert job.status == "queued"
    assert runner.run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == ("done", 100, "half way")
    assert job.started and job.finished and job.heartbeat
    assert [(job.pk, "ran")] == SEEN
    assert runner.run_pending() == 0


def test_a_failing_job_is_marked_failed_and_its_hook_runs():
    job = enqueue("test.boom", {})
    runner.run_pending()
    job.refresh_from_db()
    assert job.status == "failed"
    # The exception's text goes to the log, never to the job's public message.
    assert "disk on fire" not in job.message
    assert f"job {job.pk}" in job.message
    assert [(job.pk, f"failed: {job.message}")] == SEEN


def test_unknown_kind_fails_cleanly():
    job = enqueue("test.nobody", {})
    runner.run_pending()
    job.refresh_from_db()
    assert job.status == "failed" and "No handler" in job.message


def test_a_job_is_claimed_once():
    job = enqueue("test.ok", {})
    first = runner.claim_next("w1")
    assert first is not None and first.pk == job.pk and first.worker == "w1"
    assert runner.claim_next("w2") is None


def test_stale_running_job_is_reaped(settings):
    settings.FGC_JOB_STALE_SECONDS = 60
    job = enqueue("test.boom", {})
    runner.claim_next("dead-worker")
    fresh = enqueue("test.ok", {})
    runner.claim_next("live-worker")
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(seconds=61))
    assert runner.reap_stale() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == "failed" and "worker stopped" in job.message
    assert fresh.status == "running"
    assert SEEN and SEEN[0][0] == job.pk


def test_worker_command_once_runs_the_queue():
    job = enqueue("test.ok", {})
    call_command("fgc_worker", "--once")
    job.refresh_from_db()
    assert job.status == "done"
