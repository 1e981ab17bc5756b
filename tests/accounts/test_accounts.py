"""Councils, roles, sign-in/out, lockout and API tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from fgc.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"


def test_councils_are_loaded_from_the_standard(council_a):
    from fgc.accounts.models import Council
    from fgc.standard import current_authorities, local_authorities

    assert Council.objects.count() == len(local_authorities())
    assert Council.objects.filter(current=True).count() == len(current_authorities()) == 153
    assert council_a.name == "Hartlepool"
    assert council_a.new_la_code.startswith("E06")
    assert council_a.region_name


def test_roles_and_council_codes(officer_a, analyst, admin_user, council_b):
    officer_a.councils.add(council_b)
    assert officer_a.council_codes() == ["805", "806"]
    assert not officer_a.is_national and officer_a.is_council_staff
    assert analyst.is_national and analyst.council_codes() == []
    assert not analyst.is_administrator
    assert admin_user.is_administrator and admin_user.is_staff and admin_user.is_superuser


def test_passwords_are_hashed_not_stored(officer_a, password):
    assert password not in officer_a.password
    assert officer_a.check_password(password)


def test_sign_in_and_sign_out_are_audited(officer_a, password):
    client = Client()
    response = client.post(SIGN_IN, {"username": "officer-a", "password": password})
    assert response.status_code == 302
    assert response.wsgi_request.user == officer_a
    login = AuditEvent.objects.get(action="login")
    assert login.user == officer_a and login.ip == "127.0.0.1"
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    logout = AuditEvent.objects.get(action="logout")
    assert logout.user == officer_a


def test_sign_in_redirects_only_to_local_next(officer_a, password):
    client = Client()
    response = client.post(
        SIGN_IN, {"username": "officer-a", "password": password, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_sign_out_needs_post(login, officer_a):
    assert login(officer_a).get("/accounts/sign-out/").status_code == 405


def test_wrong_password_shows_govuk_error_and_is_audited(officer_a):
    response = Client().post(SIGN_IN, {"username": "officer-a", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert "<title>Error: Sign in" in html
    failed = AuditEvent.objects.get(action="login-failed")
    assert failed.username == "officer-a" and failed.user is None


def test_lockout_after_five_failures(officer_a, password):
    client = Client()
    for _ in range(5):
        client.post(SIGN_IN, {"username": "officer-a", "password": "wrong"})
    response = client.post(SIGN_IN, {"username": "officer-a", "password": password})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Your account is locked" in html
    assert "5 times" in html
    assert "_auth_user_id" not in client.session


def test_api_token_stores_only_its_hash_and_authenticates(rf, officer_a):
    from fgc.accounts.models import ApiToken, hash_token
    from fgc.accounts.services import authenticate_token

    token, raw = ApiToken.issue(officer_a, name="CMS")
    token.refresh_from_db()
    assert raw not in token.token_hash and token.token_hash == hash_token(raw)
    assert not ApiToken.objects.filter(token_hash=raw).exists()

    request = rf.get("/api/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert authenticate_token(request) == officer_a
    assert request.user == officer_a
    token.refresh_from_db()
    assert token.last_used is not None

    assert authenticate_token(rf.get("/api/", HTTP_AUTHORIZATION="Bearer nope")) is None
    assert authenticate_token(rf.get("/api/")) is None
    token.revoke()
    assert authenticate_token(rf.get("/api/", HTTP_AUTHORIZATION=f"Bearer {raw}")) is None


def test_api_token_of_inactive_user_is_refused(rf, officer_a):
    from fgc.accounts.models import ApiToken
    from fgc.accounts.services import authenticate_token

    _, raw = ApiToken.issue(officer_a)
    officer_a.is_active = False
    officer_a.save()
    assert authenticate_token(rf.get("/", HTTP_AUTHORIZATION=f"Token {raw}")) is None
