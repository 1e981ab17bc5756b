"""In one web process, the council dashboard builds its sections once per set of figures and
viewer kind (with no page drawn by the refresh job: see test_council_pages for those)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/insight/council/805/?period=2025-26"


def test_the_same_page_again_reuses_its_sections(no_stored_pages, officer_a, login, section_builds):
    client = login(officer_a)
    first = client.get(URL)
    second = client.get(URL)
    assert first.status_code == second.status_code == 200
    assert section_builds == ["805"]
    assert 'id="table-funnel-steps"' in second.content.decode()
    # Each view is still audited.
    from fgc.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="insight.view_council", council_code="805").count() == 2


def test_own_staff_and_national_users_never_share_sections(
    no_stored_pages, officer_a, analyst, login, section_builds
):
    own = login(officer_a).get(URL).content.decode()
    national = login(analyst).get(URL).content.decode()
    again = login(officer_a).get(URL).content.decode()
    assert "unsuppressed" in own and "unsuppressed" in again
    assert "unsuppressed" not in national
    assert "published (suppressed and rounded)" in national
    assert len(section_builds) == 2


def test_another_comparator_builds_its_own_sections(
    no_stored_pages, officer_a, login, section_builds
):
    client = login(officer_a)
    client.get(URL)
    client.get(URL + "&comparator=all_with_data")
    client.get(URL + "&comparator=all_with_data")
    assert len(section_builds) == 2


def test_a_new_acceptance_shows_new_figures(
    no_stored_pages, officer_a, analyst, council_a, upload_file, login, section_builds
):
    from tests.insight_web.conftest import accept

    client = login(officer_a)
    assert "2024-25" not in client.get(URL).content.decode()
    assert section_builds == ["805"]
    accept(officer_a, analyst, council_a, upload_file, period="2024-25", seed=9)
    drawn = len(section_builds)  # the refresh the acceptance queued drew the new pages
    assert drawn > 1
    html = client.get(URL).content.decode()
    assert "2024-25" in html
    assert len(section_builds) == drawn


def test_the_sections_are_rendered_once_per_query(no_stored_pages, officer_a, login, page_renders):
    client = login(officer_a)
    first = client.get(URL).content.decode()
    second = client.get(URL).content.decode()
    assert page_renders == ["insight/_council_sections.html"]
    start = first.index('<nav aria-label="Sections">')
    assert second[start:].startswith('<nav aria-label="Sections">')
    # The CSV links carry each page's own query.
    other = client.get(URL + "&codes=806").content.decode()
    assert len(page_renders) == 2
    assert "period=2025-26&amp;codes=806&amp;table=headline" in other
    assert "codes=806" not in second
