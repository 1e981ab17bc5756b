"""The API tokens page, the admin revoke action and `manage.py fgc_issue_token`."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fgc.accounts.models import ApiToken, hash_token
from fgc.audit.models import AuditEvent
from tests.hub.fixtures import (  # noqa: F401  (the fixtures hub_settings, upload_file)
    csv_bytes,
    frame_for,
    hub_settings_fixture,
    upload_file_fixture,
)

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"
TOKEN_RE = re.compile(r"fgc_[A-Za-z0-9_-]{40,}")
API_VERSION = "/api/v1/versions/{}"


def _issue(client: Client, name: str = "Mosaic export") -> str:
    response = client.post(PAGE, {"name": name})
    assert response.status_code == 200
    found = TOKEN_RE.findall(response.content.decode())
    assert len(set(found)) == 1, found
    return found[0]


def _revoke_url(token: ApiToken) -> str:
    return f"/accounts/tokens/{token.pk}/revoke/"


def test_issue_shows_the_token_once_and_stores_only_its_hash(login, officer_a):
    client = login(officer_a)
    response = client.post(PAGE, {"name": "Mosaic export"})
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "Copy it now: it will not be shown again" in html
    assert "govuk-panel" in html
    raw = TOKEN_RE.search(html).group(0)
    token = ApiToken.objects.get(user=officer_a)
    assert token.name == "Mosaic export" and token.token_hash == hash_token(raw)
    assert raw not in {token.token_hash, token.hint, token.name}
    assert raw.startswith(token.hint) and len(token.hint) < len(raw)
    # Coming back (or refreshing with GET) lists the token by its hint only.
    again = client.get(PAGE).content.decode()
    assert raw not in again and f"{token.hint}…" in again and "Mosaic export" in again
    assert "Copy it now" not in again


def test_service_managers_hold_tokens_too(login, manager_a):
    assert _issue(login(manager_a)).startswith("fgc_")
    assert ApiToken.objects.filter(user=manager_a).count() == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_name_is_required_and_at_most_100_characters(login, officer_a, name):
    response = login(officer_a).post(PAGE, {"name": name})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "<title>Error: API tokens" in html
    assert not TOKEN_RE.search(html) and not ApiToken.objects.exists()


def test_issued_token_works_on_the_api_and_revoking_stops_it(
    login, officer_a, council_a, upload_file
):
    version = upload_file(officer_a, council_a, csv_bytes(frame_for("805").head(20)))
    url = API_VERSION.format(version.pk)
    assert Client().get(url).status_code == 401
    client = login(officer_a)
    raw = _issue(client)
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    response = api.get(url)
    assert response.status_code == 200 and response.json()["id"] == version.pk
    token = ApiToken.objects.get(user=officer_a)
    assert token.last_used is not None

    response = client.post(_revoke_url(token))
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked is not None
    assert api.get(url).status_code == 401
    page = client.get(PAGE).content.decode()
    assert "has been revoked" in page and "Revoked" in page


def test_revoke_needs_post(login, officer_a):
    token, _ = ApiToken.issue(officer_a, "t")
    assert login(officer_a).get(_revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.is_active


def test_other_users_tokens_are_not_found_and_not_listed(login, officer_a, officer_b, manager_a):
    token, raw = ApiToken.issue(officer_a, "officer A's script")
    # Another council's user, and a colleague in the same council: neither sees nor revokes it.
    for other in (officer_b, manager_a):
        client = login(other)
        page = client.get(PAGE).content.decode()
        assert "officer A&#39;s script" not in page and token.hint not in page
        assert raw not in page
        assert client.post(_revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.is_active
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


@pytest.mark.parametrize("who", ["coordinator_a", "analyst", "admin_user"])
def test_other_roles_are_refused(request, login, officer_a, who):
    token, _ = ApiToken.issue(officer_a, "t")
    client = login(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "mine"}).status_code == 403
    assert client.post(_revoke_url(token)).status_code == 403
    assert ApiToken.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_issue_and_revoke_are_audited_without_the_raw_token(login, officer_a):
    client = login(officer_a)
    raw = _issue(client, "Audited")
    token = ApiToken.objects.get(user=officer_a)
    client.post(_revoke_url(token))
    client.post(_revoke_url(token))  # a second revoke changes nothing and is not recorded
    issued = AuditEvent.objects.get(action="api_token.issue")
    revoked = AuditEvent.objects.get(action="api_token.revoke")
    for event in (issued, revoked):
        assert event.user == officer_a
        assert event.target_type == "accounts.apitoken" and event.target_id == str(token.pk)
        assert event.detail["hint"] == token.hint and event.detail["name"] == "Audited"
    for event in AuditEvent.objects.all():
        assert raw not in f"{event.detail} {event.path} {event.target_id}"


def test_navigation_shows_api_tokens_to_token_holders_only(login, officer_a, coordinator_a):
    assert f'href="{PAGE}"' in login(officer_a).get("/accounts/tokens/").content.decode()
    home = login(coordinator_a).get("/", follow=True).content.decode()
    assert f'href="{PAGE}"' not in home


def test_admin_cannot_add_tokens_but_can_revoke_selected(login, admin_user, officer_a):
    client = login(admin_user)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    first, raw = ApiToken.issue(officer_a, "one")
    second, _ = ApiToken.issue(officer_a, "two")
    kept, _ = ApiToken.issue(officer_a, "three")
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_selected", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "Revoked 2 tokens." in response.content.decode()
    revoked = ApiToken.objects.filter(revoked__isnull=False).order_by("name")
    assert [t.name for t in revoked] == ["one", "two"]
    kept.refresh_from_db()
    assert kept.is_active
    assert AuditEvent.objects.filter(action="api_token.revoke", user=admin_user).count() == 2
    assert Client(HTTP_AUTHORIZATION=f"Token {raw}").get(API_VERSION.format(1)).status_code == 401


def test_management_command_prints_a_working_token(officer_a):
    out, err = io.StringIO(), io.StringIO()
    call_command("fgc_issue_token", "officer-a", "--name", "CI import", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert TOKEN_RE.fullmatch(raw)
    assert "not be shown again" in err.getvalue() and raw not in err.getvalue()
    token = ApiToken.objects.get(user=officer_a)
    assert token.name == "CI import" and token.token_hash == hash_token(raw)
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert Client().get(API_VERSION.format(1)).status_code == 401
    assert api.get(API_VERSION.format(1)).status_code == 404  # authenticated: no such version
    event = AuditEvent.objects.get(action="api_token.issue")
    assert event.username == "manage.py fgc_issue_token" and raw not in str(event.detail)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "No user called 'nobody'"),
        (["officer-a", "--name", "  "], "--name must be 1 to 100 characters"),
    ],
)
def test_management_command_refuses_bad_input(officer_a, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("fgc_issue_token", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
