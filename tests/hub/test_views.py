from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fgc.audit.models import AuditEvent
from fgc.engine.pseudonymise import pseudonymise
from fgc.hub import services
from fgc.hub.models import Status, Submission, SubmissionVersion
from tests.hub.fixtures import csv_bytes, explain_all, frame_for, with_error


def test_officer_uploads_through_the_form_and_sees_the_report(officer_a, council_a, login):
    client = login(officer_a)
    data = csv_bytes(with_error(frame_for("805")))
    response = client.post(
        reverse("hub:upload"),
        {
            "council": council_a.pk,
            "period": "2025-26",
            "kind": "child_level",
            "file": SimpleUploadedFile("mine.csv", data, content_type="text/plain"),
        },
    )
    assert response.status_code == 302
    version = SubmissionVersion.objects.get()
    assert response["Location"] == reverse("hub:version", kwargs={"version_id": version.pk})
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "validation report" in html
    assert "mine.csv" in html
    for rule in version.summary["rules"]:
        assert rule["code"] in html
    assert "Upload a corrected file" in html
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hub.upload", "hub.view_report"} <= actions


def test_upload_form_errors_are_clear(officer_a, council_a, login, settings):
    client = login(officer_a)
    settings.FGC_MAX_UPLOAD_MB = 1
    big = b"a,b\n" + b"1,2\n" * 300_000
    response = client.post(
        reverse("hub:upload"),
        {
            "council": council_a.pk,
            "period": "2025-26",
            "kind": "child_level",
            "file": SimpleUploadedFile("big.csv", big),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "smaller than 1 MB" in html
    response = client.post(reverse("hub:upload"), {"council": council_a.pk, "period": "26"})
    html = response.content.decode()
    assert "Select a CSV or Excel file" in html
    assert "is not a period" in html
    assert not SubmissionVersion.objects.exists()


def test_report_filters_sorts_and_paginates(officer_a, council_a, login, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    client = login(officer_a)
    url = reverse("hub:version", kwargs={"version_id": v.pk})
    code = v.summary["rules"][0]["code"]
    html = client.get(url, {"code": code, "sort": "-row"}).content.decode()
    assert f"{v.summary['rules'][0]['count']:,} finding" in html
    html_other = client.get(url, {"code": "NOPE"}).content.decode()
    assert "0 findings" in html_other
    html_page2 = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 of" in html_page2 or v.query_count <= 50


def test_excel_download_is_formula_escaped(officer_a, council_a, login, upload_file):
    frame = frame_for("805").with_columns(pl.lit('=HYPERLINK("x")').alias("offer_in_lbp"))
    v = upload_file(officer_a, council_a, csv_bytes(frame))
    response = login(officer_a).get(reverse("hub:version-xlsx", kwargs={"version_id": v.pk}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c.value for row in book["Findings"].iter_rows() for c in row if c.value]
    assert any(str(x).startswith("'=HYPERLINK") for x in values)
    assert not any(str(x).startswith("=") for x in values)


def test_explain_and_submit_through_pages(officer_a, council_a, login, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    client = login(officer_a)
    assert client.post(reverse("hub:submit", kwargs={"version_id": v.pk})).status_code == 200
    for code in services.unexplained_query_rules(v):
        url = reverse("hub:explain", kwargs={"version_id": v.pk, "rule_code": code})
        assert "Enter an explanation" in client.post(url, {"text": ""}).content.decode()
        assert client.post(url, {"text": "These are right"}).status_code == 302
    response = client.post(reverse("hub:submit", kwargs={"version_id": v.pk}))
    assert response.status_code == 302
    assert Submission.objects.get().status == Status.SUBMITTED


def test_analyst_sees_pseudonymised_report_and_decides(
    officer_a, analyst, council_a, login, upload_file, settings
):
    frame = frame_for("805")
    v = upload_file(officer_a, council_a, csv_bytes(frame))
    explain_all(officer_a, v)
    services.submit_for_signoff(officer_a, v)
    client = login(analyst)
    html = client.get(reverse("hub:version", kwargs={"version_id": v.pk})).content.decode()
    raw_child = v.summary and SubmissionVersion.objects.get(pk=v.pk)
    from fgc.hub.validation import load_findings

    findings = load_findings(raw_child)
    some_child = findings.get_column("child_id").drop_nulls()[0]
    assert some_child not in html
    assert pseudonymise(some_child, settings.FGC_PSEUDONYM_KEY, la_code="805") in html
    assert v.original_filename not in html
    for dob in frame.get_column("date_of_birth").drop_nulls().to_list():
        assert dob not in html or dob.endswith("-01")
    response = client.post(
        reverse("hub:decide", kwargs={"version_id": v.pk}), {"outcome": "returned", "reason": ""}
    )
    assert "Enter the reason" in response.content.decode()
    response = client.post(
        reverse("hub:decide", kwargs={"version_id": v.pk}), {"outcome": "accepted"}
    )
    assert response.status_code == 302
    assert Submission.objects.get().status == Status.ACCEPTED


def test_national_grid_counts_every_council(analyst, officer_a, council_a, login, upload_file):
    upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    client = login(analyst)
    html = client.get(reverse("hub:national"), {"period": "2025-26"}).content.decode()
    assert "Total <strong>153</strong>" in html
    assert html.count("govuk-tag--red") >= 2  # the count key and Hartlepool's row
    from fgc.hub.national import status_grid

    grid = status_grid(analyst, "2025-26")
    counts = {value: n for value, _, n in grid["counts"]}
    assert counts[Status.ERRORS] == 1
    assert counts[Status.NOT_STARTED] == 152
    north_east = status_grid(analyst, "2025-26", region="E12000001")
    assert 0 < north_east["total"] < 153
    html = client.get(reverse("hub:national"), {"period": "2025-26", "region": "E12000001"})
    assert f"Total <strong>{north_east['total']}</strong>" in html.content.decode()


def test_council_users_cannot_reach_national_pages(officer_a, login):
    client = login(officer_a)
    assert client.get(reverse("hub:national")).status_code == 403
    url = reverse("hub:national-dataset", kwargs={"period": "2025-26"})
    assert client.get(url).status_code == 403


def test_national_dataset_and_aggregate(
    officer_a, analyst, council_a, login, upload_file, settings
):
    frame = frame_for("805")
    v = upload_file(officer_a, council_a, csv_bytes(frame))
    explain_all(officer_a, v)
    services.submit_for_signoff(officer_a, v)
    client = login(analyst)
    empty = client.get(reverse("hub:national-dataset", kwargs={"period": "2025-26"}))
    assert empty.status_code == 200
    services.decide(analyst, v, "accepted")
    response = client.get(reverse("hub:national-dataset", kwargs={"period": "2025-26"}))
    data = pl.read_csv(io.BytesIO(response.content), infer_schema_length=0)
    assert data.height == frame.height
    raw_ids = set(frame.get_column("child_id").to_list())
    assert not raw_ids & set(data.get_column("child_id").to_list())
    first = frame.get_column("child_id")[0]
    assert pseudonymise(first, settings.FGC_PSEUDONYM_KEY, la_code="805") in set(
        data.get_column("child_id").to_list()
    )
    dobs = data.get_column("date_of_birth").drop_nulls()
    assert dobs.len() and dobs.str.ends_with("-01").all()
    agg = client.get(reverse("hub:national-aggregate", kwargs={"period": "2025-26", "fmt": "csv"}))
    assert agg.status_code == 200
    assert pl.read_csv(io.BytesIO(agg.content), infer_schema_length=0).height > 0
    xlsx = client.get(
        reverse("hub:national-aggregate", kwargs={"period": "2025-26", "fmt": "xlsx"})
    )
    assert xlsx.content[:2] == b"PK"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hub.download_national_dataset", "hub.download_national_aggregate"} <= actions


def test_progress_page_and_status_json(officer_a, council_a, login, upload_file, settings):
    settings.FGC_JOBS_INLINE = False
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    assert v.validation_status == "queued"
    client = login(officer_a)
    html = client.get(reverse("hub:version", kwargs={"version_id": v.pk})).content.decode()
    assert '<progress id="check-progress"' in html
    assert 'http-equiv="refresh"' in html
    assert "hub/progress.js" in html
    status = client.get(reverse("hub:version-status", kwargs={"version_id": v.pk})).json()
    assert status["status"] == "queued" and status["done"] is False
    from fgc.jobs.runner import run_pending

    assert run_pending() == 1
    status = client.get(reverse("hub:version-status", kwargs={"version_id": v.pk})).json()
    assert status["done"] is True and status["progress"] == 100


@pytest.mark.parametrize("name", ["hub:submissions", "hub:upload", "hub:home"])
def test_pages_need_sign_in(client, name, db):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_report_names_fields_by_label_and_dates_in_govuk_style(
    officer_a, council_a, login, upload_file
):
    from fgc.hub.presenters import field_labels
    from fgc.web.dates import govuk_datetime

    v = upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    client = login(officer_a)
    html = client.get(reverse("hub:version", kwargs={"version_id": v.pk})).content.decode()
    labels = field_labels()
    field = next(f for r in v.summary["rules"] for f in r["fields"] if f in labels)
    # The findings show the standard's label, with the file's column name under it.
    assert f'{labels[field]}<code class="fgc-column-name">{field}</code>' in html
    assert f"{labels[field]} ({field})</option>" in html
    # Wide tables scroll in their own focusable region; row numbers are right-aligned.
    assert 'id="rules-table"' in html and 'role="region"' in html
    assert "govuk-table__cell govuk-table__cell--numeric" in html
    assert govuk_datetime(v.created) in html
    sub_html = client.get(
        reverse("hub:submission", kwargs={"submission_id": v.submission_id})
    ).content.decode()
    assert govuk_datetime(v.created) in sub_html


def test_decide_page_has_caption_and_points_to_the_report(
    officer_a, analyst, council_a, login, upload_file
):
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    explain_all(officer_a, v)
    services.submit_for_signoff(officer_a, v)
    html = login(analyst).get(reverse("hub:decide", kwargs={"version_id": v.pk})).content.decode()
    assert f"Hartlepool · 2025-26 · version {v.number}" in html
    assert reverse("hub:version", kwargs={"version_id": v.pk}) + "#rules" in html
    assert html.count("<h1") == 1
