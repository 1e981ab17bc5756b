"""Shared pytest fixtures: councils, one user per role, and a `login` helper.

Works on SQLite (default) and PostgreSQL (DATABASE_URL=postgres://...).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

TEST_PASSWORD = "a-long-test-password-123"


@pytest.fixture
def council_a(db):
    from fgc.accounts.models import Council
    from fgc.accounts.services import load_councils

    if not Council.objects.filter(old_la_code="805").exists():
        load_councils()
    return Council.objects.get(old_la_code="805")  # Hartlepool


@pytest.fixture
def council_b(council_a):
    from fgc.accounts.models import Council

    return Council.objects.get(old_la_code="806")  # Middlesbrough


def _make(username: str, role: str, councils=()):
    from fgc.accounts.services import create_user

    return create_user(
        username,
        role=role,
        councils=[c.old_la_code for c in councils],
        password=TEST_PASSWORD,
        email=f"{username}@example.org",
    )


@pytest.fixture
def officer_a(council_a):
    return _make("officer-a", "council_officer", [council_a])


@pytest.fixture
def officer_b(council_b):
    return _make("officer-b", "council_officer", [council_b])


@pytest.fixture
def manager_a(council_a):
    return _make("manager-a", "service_manager", [council_a])


@pytest.fixture
def coordinator_a(council_a):
    return _make("coordinator-a", "coordinator", [council_a])


@pytest.fixture
def analyst(council_a):
    return _make("analyst", "national_analyst")


@pytest.fixture
def admin_user(council_a):
    return _make("administrator", "admin")


@pytest.fixture
def login(db) -> Callable:
    """login(user) -> a django.test.Client signed in as `user` (no password check, no axes)."""
    from django.test import Client

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password() -> str:
    """The password every fixture user has."""
    return TEST_PASSWORD
