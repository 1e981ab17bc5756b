"""Tests of fgc.statistics (not tests/statistics/: that name would shadow the standard library
module for every test). Fixtures: real releases built by the engine from synthetic returns.

``publication_for(seed)`` suppresses and attacks the tables of three councils' synthetic
2025-26 returns exactly as the service does; ``source(pub)`` hands one to ``stage_version``
in place of the accepted data.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import pytest

from fgc.engine.coerce import type_frame
from fgc.engine.disclosure import DisclosureConfig, Publication, publish
from fgc.engine.insight import compute_measures
from fgc.engine.insight.release import publication_tables
from fgc.synth import generate
from tests.hub.fixtures import (  # noqa: F401  (the end-to-end test uploads through the hub)
    hub_settings_fixture,
    upload_file_fixture,
)

PERIOD = "2025-26"
NOON = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)


@functools.cache
def publication_for(seed: int) -> Publication:
    frame = type_frame(generate(["805", "806", "807"], [PERIOD], seed=seed))
    result = compute_measures(frame, None)
    return publish(publication_tables(result, PERIOD), PERIOD, DisclosureConfig())


def source(pub: Publication, key: str = "test-key"):
    return lambda period: (key, pub)


@pytest.fixture
def release(analyst):
    from fgc.statistics.models import Release

    return Release.objects.create(
        slug="fgc-2025-26",
        period=PERIOD,
        title="Family Group Conferences in England, 2025-26",
        summary="Offers, meetings and outcomes by council.",
        methodology=(
            "## How the figures are made\n\nFrom councils' returns. <script>alert(1)</script>"
        ),
        data_guidance="* fgc_families: families by stage",
        created_by=analyst,
    )


@pytest.fixture
def staged(release, analyst):
    """Version 1, frozen from seed 5's release, due at noon on 10 December 2026."""
    from fgc.statistics.services import stage_version

    return stage_version(analyst, release, publish_at=NOON, source=source(publication_for(5)))
