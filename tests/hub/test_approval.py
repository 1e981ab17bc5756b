"""Council approval: where a council requires it, a return marked ready reaches the national
team only after a council approver (not the uploader or submitter) approves it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fgc.accounts.roles import Role
from fgc.accounts.tokens import can_hold_tokens
from fgc.audit.models import AuditEvent
from fgc.hub import national, services
from fgc.hub.models import CouncilSettings, Status, Submission
from tests.hub.fixtures import csv_bytes, explain_all, frame_for


@pytest.fixture
def approver_a(council_a):
    from fgc.accounts.services import create_user

    return create_user(
        "approver-a", role=Role.COUNCIL_APPROVER, councils=["805"], password="x-long-pass-123"
    )


def ready_version(user, council, upload_file):
    version = upload_file(user, council, csv_bytes(frame_for("805")))
    explain_all(user, version)
    return services.submit_for_signoff(user, version)


def require_approval(client, on: bool = True):
    url = reverse("hub:council-settings", kwargs={"la_code": "805"})
    return client.post(url, {"requires_council_approval": "yes" if on else "no"})


def test_approver_turns_approval_on_through_the_settings_page(approver_a, officer_a, login):
    client = login(approver_a)
    url = reverse("hub:council-settings", kwargs={"la_code": "805"})
    page = client.get(url)
    assert page.status_code == 200 and "govuk-radios" in page.content.decode()
    returns = client.get(reverse("hub:submissions")).content.decode()
    assert url in returns and "(not required)" in returns
    assert url not in login(officer_a).get(reverse("hub:submissions")).content.decode()
    assert require_approval(client).status_code == 302
    assert "(required)" in client.get(reverse("hub:submissions")).content.decode()
    assert CouncilSettings.objects.get().requires_council_approval is True
    event = AuditEvent.objects.get(action="hub.council_settings")
    assert event.detail == {"requires_council_approval": True}
    # A council officer may not change it.
    assert login(officer_a).post(url, {"requires_council_approval": "no"}).status_code == 403
    assert CouncilSettings.objects.get().requires_council_approval is True


def test_without_approval_required_a_ready_return_goes_straight_on(
    officer_a, analyst, council_a, upload_file
):
    version = ready_version(officer_a, council_a, upload_file)
    assert Submission.objects.get().status == Status.SUBMITTED
    services.decide(analyst, version, "accepted")
    assert Submission.objects.get().status == Status.ACCEPTED


def test_ready_return_waits_for_the_approver_then_reaches_national(
    officer_a, approver_a, analyst, council_a, login, upload_file
):
    require_approval(login(approver_a))
    version = ready_version(officer_a, council_a, upload_file)
    assert Submission.objects.get().status == Status.TO_APPROVE
    # The national queue does not show it as submitted, and the analyst cannot decide.
    grid = national.status_grid(analyst, "2025-26")
    row = next(r for r in grid["rows"] if r.council.pk == council_a.pk)
    assert row.status == Status.TO_APPROVE
    with pytest.raises(services.HubError, match="approver has not approved"):
        services.decide(analyst, version, "accepted")
    analyst_page = login(analyst).get(reverse("hub:version", kwargs={"version_id": version.pk}))
    assert "Accept or return" not in analyst_page.content.decode()

    client = login(approver_a)
    version_page = client.get(reverse("hub:version", kwargs={"version_id": version.pk}))
    assert "Approve this return" in version_page.content.decode()
    url = reverse("hub:approve", kwargs={"version_id": version.pk})
    page = client.get(url).content.decode()
    assert "govuk-button" in page and "Approve and send to the national team" in page
    assert client.post(url).status_code == 302
    version.refresh_from_db()
    assert version.approved_by == approver_a and version.approved_at is not None
    assert Submission.objects.get().status == Status.SUBMITTED
    assert AuditEvent.objects.filter(action="hub.approve", user=approver_a).exists()
    services.decide(analyst, version, "accepted")
    assert Submission.objects.get().status == Status.ACCEPTED


def test_the_uploader_cannot_approve_their_own_return(approver_a, council_a, login, upload_file):
    require_approval(login(approver_a))
    version = ready_version(approver_a, council_a, upload_file)
    client = login(approver_a)
    url = reverse("hub:approve", kwargs={"version_id": version.pk})
    page = client.get(url).content.decode()
    assert "someone other than the person who uploaded" in page
    assert "Approve and send" not in page
    assert client.post(url).status_code == 200
    version.refresh_from_db()
    assert version.approved_at is None
    assert Submission.objects.get().status == Status.TO_APPROVE


def test_only_approvers_approve(officer_a, approver_a, analyst, council_a, login, upload_file):
    require_approval(login(approver_a))
    version = ready_version(officer_a, council_a, upload_file)
    url = reverse("hub:approve", kwargs={"version_id": version.pk})
    assert login(officer_a).post(url).status_code == 403
    assert login(analyst).post(url).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.approve(officer_a, version)


def test_another_councils_approver_cannot_see_or_approve(
    officer_a, approver_a, council_b, login, upload_file
):
    from fgc.accounts.services import create_user

    require_approval(login(approver_a))
    other = create_user("approver-b", role=Role.COUNCIL_APPROVER, councils=["806"])
    version = ready_version(officer_a, approver_a.councils.get(), upload_file)
    assert (
        login(other).post(reverse("hub:approve", kwargs={"version_id": version.pk})).status_code
        == 404
    )


def test_turning_approval_off_releases_waiting_returns(
    officer_a, approver_a, council_a, login, upload_file
):
    client = login(approver_a)
    require_approval(client)
    ready_version(officer_a, council_a, upload_file)
    assert Submission.objects.get().status == Status.TO_APPROVE
    require_approval(client, on=False)
    assert Submission.objects.get().status == Status.SUBMITTED


def test_approvers_may_hold_api_tokens(approver_a):
    assert can_hold_tokens(approver_a)


def test_demo_users_include_an_approver(council_a):
    from fgc.accounts.models import User
    from fgc.cli.web_cmd import create_demo_users

    users = {name: what for name, _, what in create_demo_users()}
    assert "approver-805" in users and "approver" in users["approver-805"]
    approver = User.objects.get(username="approver-805")
    assert approver.role == Role.COUNCIL_APPROVER
    assert approver.council_codes() == ["805"]
