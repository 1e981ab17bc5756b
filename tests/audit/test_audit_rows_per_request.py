"""One audit row per successful page read: the view's own event stands for it.

A page that records its own event (which submission, which version, which report) on a
successful GET does not also get the generic "view" row; everything else still does
(pages with no event of their own, errors, refusals and every POST).
"""

from __future__ import annotations

import pytest
from django.test import Client

from fgc.accounts.models import ApiToken
from fgc.audit.models import AuditEvent
from tests.hub.fixtures import (  # noqa: F401  (the fixtures hub_settings, upload_file)
    csv_bytes,
    frame_for,
    hub_settings_fixture,
    upload_file_fixture,
)

pytestmark = pytest.mark.django_db


def _rows(path: str) -> list[tuple[str, str]]:
    return [(e.action, e.path) for e in AuditEvent.objects.filter(path=path).order_by("id")]


def test_a_page_with_its_own_event_writes_only_that_event(login, officer_a):
    client = login(officer_a)
    assert client.get("/submissions/?period=2025-26").status_code == 200
    assert _rows("/submissions/?period=2025-26") == [
        ("hub.view_submissions", "/submissions/?period=2025-26")
    ]


def test_reading_a_child_level_report_is_still_audited_with_its_target(
    login, officer_a, council_a, upload_file
):
    version = upload_file(officer_a, council_a, csv_bytes(frame_for("805").head(20)))
    client = login(officer_a)  # signing in is audited too: count from here
    before = AuditEvent.objects.count()
    path = f"/versions/{version.pk}/"
    assert client.get(path).status_code == 200
    (event,) = AuditEvent.objects.filter(path=path)
    assert event.action != "view" and event.user == officer_a
    assert (event.target_type, event.target_id) == ("hub.submissionversion", str(version.pk))
    assert event.council_code == "805"
    assert AuditEvent.objects.count() == before + 1


def test_api_reads_write_one_row_each(officer_a, council_a, upload_file):
    version = upload_file(officer_a, council_a, csv_bytes(frame_for("805").head(20)))
    _, raw = ApiToken.issue(officer_a, "t")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    for path, action in (
        (f"/api/v1/versions/{version.pk}", "hub.api_version"),
        ("/api/v1/submissions", "hub.api_submissions"),
    ):
        assert api.get(path).status_code == 200
        assert [a for a, _ in _rows(path)] == [action]


def test_pages_without_their_own_event_still_get_the_view_row(login, officer_a):
    client = login(officer_a)
    client.get("/accounts/sign-in/")
    assert [(e.action, e.detail) for e in AuditEvent.objects.filter(path="/accounts/sign-in/")] == [
        ("view", {"method": "GET", "status": 200})
    ]


def test_refusals_and_errors_keep_the_view_row(login, officer_a, officer_b, council_a, upload_file):
    version = upload_file(officer_a, council_a, csv_bytes(frame_for("805").head(20)))
    path = f"/versions/{version.pk}/"
    response = login(officer_b).get(path)  # another council's version: not found for them
    assert response.status_code == 404
    views = AuditEvent.objects.filter(path=path, action="view", user=officer_b)
    assert [e.detail for e in views] == [{"method": "GET", "status": 404}]
