"""A token's last_used is written at most once a minute (one write transaction fewer per call)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fgc.accounts.models import ApiToken
from fgc.accounts.services import authenticate_token

pytestmark = pytest.mark.django_db


def _call(rf, raw: str):
    request = rf.get("/api/v1/submissions", HTTP_AUTHORIZATION=f"Token {raw}")
    with CaptureQueriesContext(connection) as queries:
        user = authenticate_token(request)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    return user, updates


def test_first_use_is_written(rf, officer_a):
    token, raw = ApiToken.issue(officer_a, "t")
    user, updates = _call(rf, raw)
    assert user == officer_a and len(updates) == 1
    token.refresh_from_db()
    assert token.last_used is not None
    assert timezone.now() - token.last_used < timedelta(seconds=30)


def test_use_within_a_minute_is_not_written_again(rf, officer_a):
    token, raw = ApiToken.issue(officer_a, "t")
    _call(rf, raw)
    token.refresh_from_db()
    first = token.last_used
    user, updates = _call(rf, raw)
    assert user == officer_a and updates == []
    token.refresh_from_db()
    assert token.last_used == first


def test_use_after_a_minute_is_written(rf, officer_a):
    token, raw = ApiToken.issue(officer_a, "t")
    long_ago = timezone.now() - timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used=long_ago)
    user, updates = _call(rf, raw)
    assert user == officer_a and len(updates) == 1
    token.refresh_from_db()
    assert token.last_used > long_ago + timedelta(seconds=60)


def test_a_revoked_token_is_refused_and_not_touched(rf, officer_a):
    token, raw = ApiToken.issue(officer_a, "t")
    token.revoke()
    user, updates = _call(rf, raw)
    assert user is None and updates == []
    token.refresh_from_db()
    assert token.last_used is None
