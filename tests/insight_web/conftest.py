"""Insight fixtures: accepted returns for two councils (805, 806) through the real hub."""

from __future__ import annotations

import pytest

from fgc.synth import generate
from tests.hub.fixtures import (  # noqa: F401  (fixtures shared with the hub tests)
    csv_bytes,
    explain_all,
    hub_settings_fixture,
    upload_file_fixture,
)

PERIOD = "2025-26"


@pytest.fixture(autouse=True)
def _fresh_insight_cache():
    from fgc.insight_web import services

    services.clear_memory_cache()
    yield
    services.clear_memory_cache()


def accept(officer, analyst, council, upload, period: str = PERIOD, seed: int = 5):
    from fgc.hub import services

    frame = generate([council.old_la_code], [period], seed=seed)
    version = upload(
        officer, council, csv_bytes(frame), period, f"return-{council.old_la_code}.csv"
    )
    assert not version.error_count, version.summary
    explain_all(officer, version)
    services.submit_for_signoff(officer, version)
    services.decide(analyst, version, "accepted")
    return version


@pytest.fixture
def accepted(officer_a, officer_b, analyst, council_a, council_b, upload_file):
    """Accepted 2025-26 returns for Hartlepool (805) and Middlesbrough (806)."""
    return [
        accept(officer_a, analyst, council_a, upload_file),
        accept(officer_b, analyst, council_b, upload_file, seed=6),
    ]


@pytest.fixture
def page_renders(monkeypatch) -> list[str]:
    """The templates the insight views render to strings (a page's content or sections),
    counted; the real render still runs."""
    from fgc.insight_web import council_pages, views

    calls: list[str] = []
    real = views.render_to_string

    def counted(name, context=None, *args, **kwargs):
        calls.append(name)
        return real(name, context, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", counted)
    monkeypatch.setattr(council_pages, "render_to_string", counted)
    return calls


@pytest.fixture
def section_builds(monkeypatch) -> list[str]:
    """Counts real calls of council_sections (the real function still does the work)."""
    from fgc.insight_web import presenters

    calls: list[str] = []
    real = presenters.council_sections

    def counted(ctx):
        calls.append(ctx.la_code)
        return real(ctx)

    monkeypatch.setattr(presenters, "council_sections", counted)
    return calls


def stored_pages(every_key: bool = False) -> list:
    """The council pages in the insight cache for the figures accepted now (every fingerprint),
    or for every set of figures."""
    from pathlib import Path

    from django.conf import settings

    from fgc.insight_web import services

    key = "*" if every_key else services.snapshot().key
    root = Path(settings.FGC_DATA_DIR) / services.CACHE_DIR
    return sorted(root.glob(f"{key}/council-pages/*/*.json"))


def forget_drawn_pages() -> None:
    """Remove every drawn council page and clear the page memo, as if none had been drawn."""
    import shutil

    from fgc.insight_web import presenters

    for page in stored_pages(every_key=True):
        shutil.rmtree(page.parent.parent, ignore_errors=True)
    presenters.memo.clear_pages()


@pytest.fixture
def no_stored_pages(accepted):
    """The accepted returns, with the refresh job's drawn council pages removed and every
    memo cleared: as in a web process that meets a page nobody has drawn yet."""
    from fgc.insight_web import services

    forget_drawn_pages()
    services.clear_memory_cache()
    return accepted
