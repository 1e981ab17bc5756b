"""Casework fixtures: a private data directory, inline jobs, and episodes in known states."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture(autouse=True)
def casework_settings(settings, tmp_path):
    settings.FGC_DATA_DIR = tmp_path / "data"
    settings.FGC_JOBS_INLINE = True
    return settings


CHILD = {
    "child_id": "C1001",
    "known_to_csc": "Y",
    "date_of_birth": date(2018, 5, 1),
    "sex": "F",
    "ethnicity": "WBRI",
    "disability": ["NONE"],
    "uasc": "N",
}


@pytest.fixture
def make_episode():
    """make_episode(council, **family) -> an Episode with one child (C1001, "Ava Example")."""
    from fgc.accounts.services import create_user
    from fgc.casework import services

    makers = {}

    def _make(council, reference=None, child=None, **family):
        code = council.old_la_code
        if code not in makers:
            makers[code] = create_user(
                f"maker-{code}",
                role="service_manager",
                councils=[code],
                password="x-very-long-password-1",
            )
        family.setdefault("stage", "CP")
        return services.create_episode(
            makers[code],
            council=council,
            reference=reference,
            family=family,
            child=child or CHILD,
            child_name="Ava Example",
        )

    return _make
