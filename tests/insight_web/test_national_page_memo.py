"""The national insight dashboard renders its content once per set of figures, period and
measure: every request is still checked and audited, and a new acceptance is seen at once."""

from __future__ import annotations

import pytest

from fgc.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/insight/national/?period=2025-26"


def _main(html: str) -> str:
    return html[html.index('<main class="govuk-main-wrapper"') : html.index("</main>")]


def test_the_same_page_again_reuses_its_content(accepted, analyst, login, page_renders):
    client = login(analyst)
    first = client.get(URL)
    second = client.get(URL)
    assert first.status_code == second.status_code == 200
    assert page_renders == ["insight/_national_content.html"]
    assert _main(first.content.decode()) == _main(second.content.decode())
    assert "Family group conferences in England" in second.content.decode()
    assert AuditEvent.objects.filter(action="insight.view_national").count() == 2


def test_another_measure_or_period_has_its_own_content(accepted, analyst, login, page_renders):
    client = login(analyst)
    default = _main(client.get(URL).content.decode())
    other = _main(client.get(URL + "&measure=offered_families").content.decode())
    assert other != default
    assert 'value="offered_families" selected' in other
    assert 'value="offered_families" selected' not in default
    client.get(URL + "&measure=offered_families")
    assert len(page_renders) == 2


def test_council_users_are_still_refused_after_a_national_view(accepted, analyst, officer_a, login):
    assert login(analyst).get(URL).status_code == 200
    assert login(officer_a).get(URL).status_code == 403


def test_a_new_acceptance_shows_new_figures(
    accepted, officer_a, analyst, council_a, upload_file, login, page_renders
):
    from tests.insight_web.conftest import accept

    client = login(analyst)
    assert "2024-25" not in _main(client.get(URL).content.decode())
    accept(officer_a, analyst, council_a, upload_file, period="2024-25", seed=9)
    assert "2024-25" in _main(client.get(URL).content.decode())
    # (The refresh the acceptance queued drew the council pages as well.)
    assert [r for r in page_renders if r == "insight/_national_content.html"] == [
        "insight/_national_content.html"
    ] * 2
