"""Same bytes uploaded again: the upload works, and the page and the API name the earlier one."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fgc.accounts.models import ApiToken
from fgc.hub import services
from fgc.hub.models import SubmissionVersion
from tests.hub.fixtures import csv_bytes, frame_for


def test_same_bytes_again_warns_on_the_result_page(officer_a, council_a, login, upload_file):
    data = csv_bytes(frame_for("805"))
    first = upload_file(officer_a, council_a, data)
    client = login(officer_a)
    response = client.post(
        reverse("hub:upload"),
        {
            "council": council_a.pk,
            "period": "2025-26",
            "kind": "child_level",
            "file": SimpleUploadedFile("again.csv", data, content_type="text/plain"),
        },
    )
    assert response.status_code == 302
    second = SubmissionVersion.objects.get(number=2)
    assert second.sha256 == first.sha256
    html = client.get(response["Location"]).content.decode()
    assert "govuk-warning-text" in html and "fgc-duplicate-warning" in html
    assert "identical to version 1" in html
    assert "officer-a" in html
    assert reverse("hub:version", kwargs={"version_id": first.pk}) in html
    # The first version's own page has no such warning: nothing came before it.
    first_html = client.get(reverse("hub:version", kwargs={"version_id": first.pk})).content
    assert b"fgc-duplicate-warning" not in first_html


def test_different_bytes_and_other_councils_do_not_warn(
    officer_a, officer_b, council_a, council_b, upload_file
):
    data = csv_bytes(frame_for("805"))
    upload_file(officer_a, council_a, data)
    # Another council's identical bytes are not this council's earlier version.
    other = upload_file(officer_b, council_b, data)
    assert services.duplicate_of(other) is None
    changed = upload_file(officer_a, council_a, csv_bytes(frame_for("805", seed=4)))
    assert services.duplicate_of(changed) is None
    # Another period of the same council is a different return.
    later = upload_file(officer_a, council_a, data, period="2026-27")
    assert services.duplicate_of(later) is None


def test_same_bytes_in_another_submission_of_the_period_warns(officer_a, council_a, upload_file):
    data = csv_bytes(frame_for("805"))
    quarter = upload_file(officer_a, council_a, data, period="2025-26")
    # Same council and period but another kind of return: still the same bytes.
    again = upload_file(officer_a, council_a, data, period="2025-26", kind="aggregate")
    warning = services.duplicate_of(again)
    assert warning is not None and warning.earlier.pk == quarter.pk


def test_api_create_response_carries_duplicate_warning(officer_a, council_a):
    _, raw = ApiToken.issue(officer_a, "cms")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    data = csv_bytes(frame_for("805"))

    def post():
        return api.post(
            "/api/v1/submissions",
            {
                "la_code": "805",
                "period": "2025-26",
                "file": SimpleUploadedFile("x.csv", data),
            },
        )

    first = post()
    assert first.status_code == 202 and first.json()["duplicate_warning"] is None
    second = post()
    assert second.status_code == 202
    warning = second.json()["duplicate_warning"]
    assert warning["earlier_version_id"] == first.json()["id"]
    assert warning["message"].startswith("This file is identical to version 1")
    assert SubmissionVersion.objects.count() == 2
