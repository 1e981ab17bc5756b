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


def test_killed_worker_is_reaped_and_version_failed(officer_a, council_a, upload_file, settings):
    settings.FGC_JOBS_INLINE = False
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    job = runner.claim_next("worker-that-dies")
    SubmissionVersion.objects.filter(pk=v.pk).update(validation_status="running", progress=40)
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(hours=1))
    assert runner.reap_stale() == 1
    v.refresh_from_db()
    assert v.validation_status == "failed"
    assert not v.findings_path
    assert Submission.objects.get().status == Status.ERRORS


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
