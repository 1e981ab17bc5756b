"""API reads: a token lists only its own council's submissions and their versions."""

from __future__ import annotations

import pytest
from django.test import Client

from fgc.accounts.models import ApiToken
from fgc.audit.models import AuditEvent
from fgc.hub.models import Submission
from tests.hub.fixtures import csv_bytes, frame_for, with_error


def token_client(user) -> Client:
    _, raw = ApiToken.issue(user, "cms")
    return Client(HTTP_AUTHORIZATION=f"Token {raw}")


@pytest.fixture
def two_councils(officer_a, officer_b, council_a, council_b, upload_file):
    a = csv_bytes(frame_for("805"))
    upload_file(officer_a, council_a, a, period="2024-25")
    upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))), period="2025-26")
    upload_file(officer_a, council_a, a, period="2025-26")
    upload_file(officer_b, council_b, csv_bytes(frame_for("806")), period="2025-26")
    return Submission.objects.get(council=council_b)


def test_list_shows_only_the_token_councils_submissions(officer_a, two_councils):
    api = token_client(officer_a)
    body = api.get("/api/v1/submissions").json()
    assert body["count"] == 2 and body["pages"] == 1
    assert {r["la_code"] for r in body["results"]} == {"805"}
    assert [r["period"] for r in body["results"]] == ["2025-26", "2024-25"]
    assert two_councils.pk not in {r["id"] for r in body["results"]}
    assert AuditEvent.objects.filter(action="hub.api_submissions").exists()


def test_list_filters_and_pages(officer_a, two_councils):
    api = token_client(officer_a)
    only = api.get("/api/v1/submissions", {"period": "2025-26"}).json()
    assert [r["period"] for r in only["results"]] == ["2025-26"]
    draft = api.get("/api/v1/submissions", {"status": "draft"}).json()
    assert draft["count"] == 2
    assert api.get("/api/v1/submissions", {"status": "accepted"}).json()["count"] == 0
    first = api.get("/api/v1/submissions", {"page_size": 1}).json()
    second = api.get("/api/v1/submissions", {"page_size": 1, "page": 2}).json()
    assert first["pages"] == 2 and len(first["results"]) == 1
    assert first["results"][0]["id"] != second["results"][0]["id"]
    assert api.get("/api/v1/submissions", {"page": 3, "page_size": 1}).json()["results"] == []
    capped = api.get("/api/v1/submissions", {"page_size": 10_000}).json()
    assert capped["page_size"] == 200


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"page": "0"}, "page must be a whole number"),
        ({"page_size": "ten"}, "page_size must be a whole number"),
        ({"period": "2025"}, "2025"),
        ({"status": "lost"}, "status must be one of"),
    ],
)
def test_list_bad_parameters_are_400_json(officer_a, council_a, params, words):
    response = token_client(officer_a).get("/api/v1/submissions", params)
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]


def test_versions_of_own_submission_and_404_for_another_councils(officer_a, two_councils):
    api = token_client(officer_a)
    mine = Submission.objects.get(council__old_la_code="805", period="2025-26")
    body = api.get(f"/api/v1/submissions/{mine.pk}/versions").json()
    assert body["submission"]["id"] == mine.pk
    assert [v["number"] for v in body["results"]] == [2, 1]
    assert body["results"][1]["validation_status"] == "errors"
    assert all(v["la_code"] == "805" for v in body["results"])
    other = api.get(f"/api/v1/submissions/{two_councils.pk}/versions")
    assert other.status_code == 404 and "806" not in other.content.decode()
    assert api.get("/api/v1/submissions/999999/versions").status_code == 404
