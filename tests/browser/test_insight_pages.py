"""Insight pages in a real browser: they render without JavaScript errors or CSP blocks and
pass axe (charts are accessible SVG with a title and description)."""

from __future__ import annotations

import pytest

from tests.hub.fixtures import hub_settings_fixture, upload_file_fixture  # noqa: F401
from tests.insight_web.conftest import accept

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def insight_data(officer_a, analyst, council_a, upload_file):
    from fgc.insight_web import services

    services.clear_memory_cache()
    accept(officer_a, analyst, council_a, upload_file)
    yield
    services.clear_memory_cache()


def _visit(page, url: str, axe_check) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    assert page.locator("h1").count() == 1
    axe_check(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_council_dashboard_and_measure_page_pass_axe(
    page, sign_in, officer_a, insight_data, axe_check
):
    sign_in(officer_a)
    _visit(page, "/insight/council/805/?period=2025-26", axe_check)
    assert page.locator("svg[role=img]").count() >= 5
    _visit(page, "/insight/measure/acceptance_rate_families/?period=2025-26", axe_check)
    _visit(page, "/insight/council/805/population/", axe_check)


def test_national_pages_pass_axe(page, sign_in, analyst, insight_data, axe_check):
    sign_in(analyst)
    _visit(page, "/insight/national/?period=2025-26", axe_check)
    _visit(page, "/insight/publication/?period=2025-26", axe_check)


@pytest.fixture
def impact_data(monkeypatch):
    from fgc.hub import national
    from fgc.insight_web import services
    from tests.engine.impact.linked import synthetic

    data = synthetic(12, las=("805", "806"), per_la=300)
    monkeypatch.setattr(national, "linked_children", lambda la_codes=None: data, raising=False)
    services.clear_memory_cache()
    services.build_cache()
    yield
    services.clear_memory_cache()


def test_impact_pages_pass_axe(page, sign_in, officer_a, analyst, impact_data, axe_check):
    sign_in(officer_a)
    _visit(page, "/insight/council/805/impact/", axe_check)
    assert page.locator("svg[role=img]").count() >= 4
    _visit(page, "/insight/council/805/impact/?relative_risk=0.9&uptake_share=abc", axe_check)
    assert page.locator(".govuk-error-summary").count() == 1
    _visit(page, "/insight/council/805/impact/?relative_risk=0.9", axe_check)
    assert page.locator("#table-sensitivity").count() == 1
    sign_in(analyst)
    _visit(page, "/insight/national/impact/", axe_check)
