"""The layout's header, navigation and phase banner are rendered once per key
(fgc.web.fragments): each page still shows its own user, role's entries, active entry,
service name and phase."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    start = html.index("govuk-service-navigation")
    return html[start : html.index("</header>")]


def test_each_user_gets_their_own_bar_and_entries(login, officer_a, admin_user):
    officer, admin = login(officer_a), login(admin_user)
    for _ in range(2):  # the second round is served from the remembered fragments
        mine = _nav(officer.get("/accounts/sign-in/").content.decode())
        theirs = _nav(admin.get("/accounts/sign-in/").content.decode())
        assert "officer-a" in mine and admin_user.get_username() not in mine
        assert admin_user.get_username() in theirs and "officer-a" not in theirs
        assert "Audit log" not in mine and "Audit log" in theirs
        assert 'name="csrfmiddlewaretoken"' in mine and "Sign out" in mine
        assert "fgc-user-bar-->" not in mine  # the slot marker never reaches a page


def test_the_active_entry_follows_the_page(login, officer_a):
    client = login(officer_a)
    hub = _nav(client.get("/submissions/").content.decode())
    other = _nav(client.get("/accounts/sign-in/").content.decode())
    assert hub.count("govuk-service-navigation__item--active") == 1
    assert hub != other


def test_signed_out_pages_have_no_user_bar(client, login, officer_a):
    login(officer_a).get("/accounts/sign-in/")
    html = client.get("/accounts/sign-in/").content.decode()
    assert "Sign out" not in html and "officer-a" not in html


def test_a_new_service_name_or_phase_is_seen_on_the_next_request(client, settings):
    client.get("/accounts/sign-in/")
    settings.FGC_SERVICE_NAME = "Another Service Name"
    settings.FGC_PHASE = "Alpha"
    html = client.get("/accounts/sign-in/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "Another Service Name" in header
    assert "Alpha" in header
