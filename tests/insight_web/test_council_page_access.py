"""The council insight page's access checks: own councils only (404 otherwise), own staff
unsuppressed, and a membership removed between two requests refused on the second."""

from __future__ import annotations

import pytest

from fgc.accounts.models import User

pytestmark = pytest.mark.django_db

URL = "/insight/council/{}/?period=2025-26"


def test_a_removed_membership_is_refused_on_the_next_request(accepted, officer_a, council_a, login):
    client = login(officer_a)
    first = client.get(URL.format("805"))
    assert first.status_code == 200
    assert "unsuppressed" in first.content.decode()
    User.objects.get(pk=officer_a.pk).councils.remove(council_a)
    assert client.get(URL.format("805")).status_code == 404


def test_another_councils_page_is_not_found_and_national_users_see_published(
    accepted, officer_a, analyst, login
):
    assert login(officer_a).get(URL.format("806")).status_code == 404
    html = login(analyst).get(URL.format("805")).content.decode()
    assert "published (suppressed and rounded)" in html and "unsuppressed" not in html


def test_a_membership_added_is_seen_on_the_next_request(accepted, officer_a, council_b, login):
    client = login(officer_a)
    assert client.get(URL.format("806")).status_code == 404
    User.objects.get(pk=officer_a.pk).councils.add(council_b)
    response = client.get(URL.format("806"))
    assert response.status_code == 200
    assert "unsuppressed" in response.content.decode()
