from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fgc.jobs import registry, runner, services
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


def test_a_stale_job_is_requeued_once_then_failed(settings, django_capture_on_commit_callbacks):
    settings.FGC_JOB_STALE_SECONDS = 60
    settings.FGC_JOB_MAX_ATTEMPTS = 2
    job = enqueue("test.boom", {})
    runner.claim_next("dead-worker")
    fresh = enqueue("test.ok", {})
    runner.claim_next("live-worker")

    def die() -> None:
        Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(seconds=61))

    die()
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.reap_stale() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    # First time: back on the queue (a task entry made for it), nothing failed yet.
    assert (job.status, job.attempts, job.heartbeat) == ("queued", 1, None)
    assert job.task_id and "checked again" in job.message
    assert fresh.status == "running" and not SEEN

    assert runner.claim(job.pk, "second-worker") is not None
    die()
    assert runner.reap_stale() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert "worker stopped" in job.message and f"job {job.pk}" in job.message
    assert SEEN and SEEN[0][0] == job.pk
    assert runner.claim(job.pk) is None  # a failed job is never claimed again


def test_enqueue_puts_the_job_on_the_task_queue_only_when_the_upload_commits(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.FGC_JOBS_INLINE = False
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("test.ok", {})
        assert DBTaskResult.objects.count() == 0
    job.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id
    assert task.queue_name == "fgc" and task.args_kwargs["args"] == [job.pk]


def test_orphan_queued_jobs_are_dispatched(settings):
    from django_tasks_db.models import DBTaskResult

    settings.FGC_JOBS_INLINE = True  # no commit hook: the job is never dispatched
    job = enqueue("test.ok", {})
    assert services.dispatch_orphans() == 0  # too young: may still be committing
    Job.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(minutes=5))
    assert services.dispatch_orphans() == 1
    job.refresh_from_db()
    assert DBTaskResult.objects.get().id == uuid.UUID(job.task_id)
    assert services.dispatch_orphans() == 0


def test_worker_command_once_runs_the_queue():
    job = enqueue("test.ok", {})
    call_command("fgc_worker", "--once")
    job.refresh_from_db()
    assert job.status == "done"
