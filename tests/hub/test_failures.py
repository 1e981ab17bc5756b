"""A failed or killed check leaves the version marked failed, never half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fgc.hub import validation
from fgc.hub.models import Status, Submission, SubmissionVersion
from fgc.jobs import runner
from fgc.jobs.models import Job
from tests.hub.fixtures import csv_bytes, frame_for


def test_unreadable_file_marks_the_version_failed(officer_a, council_a, upload_file):
    # Zip magic (so sniffed as a workbook) but not a workbook: the reader refuses it.
    v = upload_file(officer_a, council_a, b"PK\x03\x04" + b"not really a workbook" * 10)
    assert v.validation_status == "failed"
    assert v.failure_message
    assert not v.findings_path
    assert Submission.objects.get().status == Status.ERRORS


def test_crash_during_check_leaves_no_report(
    officer_a, council_a, upload_file, settings, monkeypatch
):
    settings.FGC_JOBS_INLINE = False
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))

    def crash(*args, **kwargs):
        raise MemoryError("killed")

    monkeypatch.setattr(validation, "_call_validate", crash)
    runner.run_pending()
    v.refresh_from_db()
    assert v.validation_status == "failed"
    assert "needed more memory than this service allows" in v.failure_message
    assert "killed" not in v.failure_message  # the exception's own text never reaches users
    assert v.summary is None and not v.findings_path and v.error_count is None
    assert Job.objects.get().status == "failed"


def test_a_library_error_never_reaches_the_version_page(
    officer_a, council_a, upload_file, settings, monkeypatch
):
    # The zip bomb showed "ShapeError: can't broadcast Series '__row__' …" (issue 11).
    import polars as pl

    settings.FGC_JOBS_INLINE = False
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))

    def crash(*args, **kwargs):
        raise pl.exceptions.ShapeError("can't broadcast Series '__row__' of length 3")

    monkeypatch.setattr(validation, "_call_validate", crash)
    runner.run_pending()
    v.refresh_from_db()
    assert v.validation_status == "failed"
    assert "ShapeError" not in v.failure_message and "__row__" not in v.failure_message
    assert "unexpected problem" in v.failure_message and "job" in v.failure_message


def _worker_dies(job_pk: int) -> None:
    Job.objects.filter(pk=job_pk).update(heartbeat=timezone.now() - timedelta(hours=1))


def test_killed_worker_is_retried_once_then_the_version_failed(
    officer_a, council_a, upload_file, settings
):
    settings.FGC_JOBS_INLINE = False
    settings.FGC_JOB_MAX_ATTEMPTS = 2
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    job = runner.claim_next("worker-that-dies")
    SubmissionVersion.objects.filter(pk=v.pk).update(validation_status="running", progress=40)
    _worker_dies(job.pk)
    # First death: the job goes back on the queue, nothing was stored.
    assert runner.reap_stale() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1
    v.refresh_from_db()
    assert not v.findings_path and v.summary is None
    # Second death on the retry: the job and the version are failed, plainly.
    again = runner.claim_next("worker-that-dies-again")
    assert again is not None and again.pk == job.pk
    _worker_dies(job.pk)
    assert runner.reap_stale() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 2
    v.refresh_from_db()
    assert v.validation_status == "failed"
    assert "again after a retry" in v.failure_message
    assert not v.findings_path
    assert Submission.objects.get().status == Status.ERRORS
    # A reaped job is not reaped twice.
    assert runner.reap_stale() == 0


def test_a_retried_job_runs_to_a_complete_version(officer_a, council_a, upload_file, settings):
    settings.FGC_JOBS_INLINE = False
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    job = runner.claim_next("worker-that-dies")
    _worker_dies(job.pk)
    assert runner.reap_stale() == 1
    assert runner.run_pending() == 1
    v.refresh_from_db()
    assert v.validation_status == "valid" and v.findings_path and v.summary is not None


def test_report_lands_in_one_transaction(officer_a, council_a, upload_file, monkeypatch, settings):
    settings.FGC_JOBS_INLINE = False
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    from fgc.hub import status as status_module

    def fail_refresh(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(validation, "refresh_status", fail_refresh)
    with pytest.raises(RuntimeError):
        validation.validate_version(v.pk)
    v.refresh_from_db()
    # The update and the status refresh share a transaction: neither happened.
    assert v.summary is None and not v.findings_path
    assert status_module  # imported for clarity of what is patched
