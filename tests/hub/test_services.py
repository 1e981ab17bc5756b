from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fgc.hub import services, storage
from fgc.hub.models import ImmutableError, Status, Submission, SubmissionVersion
from tests.hub.fixtures import csv_bytes, explain_all, frame_for, with_error


def test_upload_stores_file_and_checks_it(officer_a, council_a, upload_file, settings):
    data = csv_bytes(frame_for("805"))
    v = upload_file(officer_a, council_a, data, name="hartlepool.csv")
    assert v.number == 1
    assert v.file_type == "csv"
    assert v.original_filename == "hartlepool.csv"
    path = storage.absolute(v.file_path)
    assert path.read_bytes() == data
    assert str(path).startswith(str(settings.FGC_DATA_DIR))
    assert v.validation_status == "valid"
    assert v.rows == frame_for("805").height
    assert v.error_count == 0
    assert v.query_count and v.query_count > 0
    assert {r["severity"] for r in v.summary["rules"]} == {"query"}
    assert v.submission.status == Submission.objects.get(pk=v.submission_id).status == Status.DRAFT


def test_errors_are_reported_and_block_submission(officer_a, council_a, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    assert v.validation_status == "errors"
    assert v.error_count >= 1
    assert Submission.objects.get(pk=v.submission_id).status == Status.ERRORS
    explain_all(officer_a, v)
    assert any("errors" in b for b in services.submit_blockers(v))
    with pytest.raises(services.HubError):
        services.submit_for_signoff(officer_a, v)


def test_type_is_sniffed_from_bytes_not_name(officer_a, council_a, upload_file):
    with pytest.raises(services.HubError, match="CSV or an Excel"):
        upload_file(officer_a, council_a, b"\x00\x01binary\x00" * 10, name="looks.csv")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    with pytest.raises(services.HubError, match="Excel 97-2003"):
        upload_file(officer_a, council_a, ole, name="return.csv")
    assert not SubmissionVersion.objects.exists()


def test_xlsx_named_csv_is_read_as_xlsx(officer_a, council_a, upload_file, tmp_path):
    from fgc.formats import write_xlsx

    path = tmp_path / "r.xlsx"
    write_xlsx({"Data": frame_for("805")}, path)
    v = upload_file(officer_a, council_a, path.read_bytes(), name="actually-a-workbook.csv")
    assert v.file_type == "xlsx"
    assert v.validation_status == "valid"


def test_cannot_upload_for_another_council(officer_a, council_b, upload_file):
    with pytest.raises(PermissionDenied):
        upload_file(officer_a, council_b, csv_bytes(frame_for("806")))


def test_analyst_cannot_upload(analyst, council_a, upload_file):
    with pytest.raises(PermissionDenied):
        upload_file(analyst, council_a, csv_bytes(frame_for("805")))


def test_bad_period_is_refused(officer_a, council_a, upload_file):
    with pytest.raises(services.HubError, match="period"):
        upload_file(officer_a, council_a, csv_bytes(frame_for("805")), period="2025")


def test_resubmission_is_a_new_version_and_versions_never_change(officer_a, council_a, upload_file):
    v1 = upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    v2 = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    assert (v1.submission_id, v2.number) == (v2.submission_id, 2)
    assert v1.file_path != v2.file_path
    assert storage.absolute(v1.file_path).exists()
    v1.refresh_from_db()
    assert v1.validation_status == "errors"
    v1.sha256 = "0" * 64
    with pytest.raises(ImmutableError):
        v1.save()
    with pytest.raises(ImmutableError):
        v2.delete()
    # The older version can no longer be submitted.
    assert any("newer version" in b for b in services.submit_blockers(v1))


def test_full_journey_submit_query_accept(officer_a, analyst, council_a, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    assert any("Explain every query" in b for b in services.submit_blockers(v))
    explain_all(officer_a, v)
    assert services.submit_blockers(v) == []
    services.submit_for_signoff(officer_a, v)
    sub = Submission.objects.get(pk=v.submission_id)
    assert sub.status == Status.SUBMITTED

    q = services.raise_query(analyst, sub, "Why so few declines?")
    assert Submission.objects.get(pk=sub.pk).status == Status.QUERIES_OPEN
    with pytest.raises(PermissionDenied):
        services.respond_to_query(analyst, q, "no")
    services.respond_to_query(officer_a, q, "A new service; declines are recorded.")
    assert Submission.objects.get(pk=sub.pk).status == Status.SUBMITTED

    with pytest.raises(PermissionDenied):
        services.decide(officer_a, v, "accepted")
    with pytest.raises(services.HubError, match="reason"):
        services.decide(analyst, v, "returned", "")
    services.decide(analyst, v, "accepted")
    assert Submission.objects.get(pk=sub.pk).status == Status.ACCEPTED
    v.refresh_from_db()
    assert v.is_accepted
    with pytest.raises(ImmutableError):
        v.save()
    with pytest.raises(services.HubError):
        services.add_explanation(officer_a, v, v.summary["rules"][0]["code"], "late")


def test_returned_submission_goes_back_to_council(officer_a, analyst, council_a, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    explain_all(officer_a, v)
    services.submit_for_signoff(officer_a, v)
    services.decide(analyst, v, "returned", "Referral counts look too low")
    assert Submission.objects.get(pk=v.submission_id).status == Status.RETURNED
    with pytest.raises(services.HubError):
        services.decide(analyst, v, "accepted")
    v2 = upload_file(officer_a, council_a, csv_bytes(frame_for("805", seed=4)))
    assert Submission.objects.get(pk=v2.submission_id).status == Status.DRAFT


def test_querysets_are_scoped_to_the_users_councils(
    officer_a, officer_b, analyst, council_a, council_b, upload_file
):
    va = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    vb = upload_file(officer_b, council_b, csv_bytes(frame_for("806")))
    assert list(SubmissionVersion.objects.for_user(officer_a)) == [va]
    assert list(SubmissionVersion.objects.for_user(officer_b)) == [vb]
    assert set(SubmissionVersion.objects.for_user(analyst)) == {va, vb}
    from django.contrib.auth.models import AnonymousUser

    assert not SubmissionVersion.objects.for_user(AnonymousUser()).exists()
    with pytest.raises(SubmissionVersion.DoesNotExist):
        services.get_version(officer_a, vb.pk)


def test_aggregate_return_is_checked_cell_by_cell(officer_a, council_a, upload_file):
    import io

    import polars as pl

    from fgc.engine.aggregate import aggregate

    agg = aggregate(frame_for("805"), "2025-26")
    buf = io.BytesIO()
    agg.write_csv(buf)
    good = upload_file(officer_a, council_a, buf.getvalue(), kind="aggregate")
    assert (good.validation_status, good.error_count) == ("valid", 0)
    bad = agg.with_columns(pl.lit("lots").alias("families_offered"))
    buf = io.BytesIO()
    bad.write_csv(buf)
    v = upload_file(officer_a, council_a, buf.getvalue(), kind="aggregate")
    assert v.validation_status == "errors"
    # The declared AGG rules (fgc.returns.template_checks): a count that is not a whole number
    # is AGG008, once for each of the council's rows where the measure applies.
    rules = {r["code"]: r["count"] for r in v.summary["rules"]}
    mine = agg.filter(pl.col("geographic_level") == "Local authority")
    assert rules["AGG008"] == mine.get_column("families_offered").drop_nulls().len()
