"""The audit log: append-only, records views and logins, visible to administrators only."""

from __future__ import annotations

import pytest

from fgc.audit.models import AppendOnlyError, AuditEvent
from fgc.audit.services import record

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(officer_a, council_a):
    event = record(officer_a, "download", target=council_a, council=council_a, detail={"n": 1})
    assert event.target_type == "accounts.council" and event.target_id == str(council_a.pk)
    assert event.council_code == "805" and event.username == "officer-a"
    event.action = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "download"


def test_record_from_a_request_keeps_where_from(rf, officer_a):
    request = rf.get("/some/page?x=1", HTTP_USER_AGENT="pytest-agent", REMOTE_ADDR="10.1.2.3")
    request.user = officer_a
    event = record(request, "upload", target=("hub.submission", 42), council="806")
    assert (event.ip, event.user_agent, event.path) == (
        "10.1.2.3",
        "pytest-agent",
        "/some/page?x=1",
    )
    assert (event.target_type, event.target_id, event.council_code) == (
        "hub.submission",
        "42",
        "806",
    )


def test_every_authenticated_view_is_recorded(login, officer_a):
    client = login(officer_a)
    client.get("/accounts/sign-in/")
    client.get("/no-such-page/")
    views = list(AuditEvent.objects.filter(action="view").order_by("id"))
    assert [(e.path, e.detail["status"], e.detail["method"]) for e in views] == [
        ("/accounts/sign-in/", 200, "GET"),
        ("/no-such-page/", 404, "GET"),
    ]
    assert all(e.user == officer_a for e in views)


def test_anonymous_views_are_not_recorded_as_views(client):
    client.get("/accounts/sign-in/")
    assert not AuditEvent.objects.filter(action="view").exists()


@pytest.mark.parametrize("who", ["officer_a", "analyst", "manager_a", "coordinator_a"])
def test_audit_page_is_refused_to_non_administrators(request, login, who):
    user = request.getfixturevalue(who)
    response = login(user).get("/audit/")
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_audit_page_needs_sign_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_administrator_sees_the_audit_log(login, admin_user, officer_a):
    record(officer_a, "download", council="805")
    response = login(admin_user).get("/audit/?user=officer-a")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Audit log" in html and "download" in html and "officer-a" in html
    # Times read in GOV.UK style, and the wide table scrolls in its own region.
    from fgc.audit.models import AuditEvent
    from fgc.web.dates import govuk_datetime

    event = AuditEvent.objects.filter(action="download").latest("pk")
    assert govuk_datetime(event.when, seconds=True) in html
    assert 'role="region" aria-label="Audit events"' in html


def test_django_admin_audit_is_read_only(login, admin_user, officer_a):
    event = record(officer_a, "download")
    client = login(admin_user)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    change = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x"})
    assert change.status_code in (200, 403)
    assert AuditEvent.objects.get(pk=event.pk).action == "download"
