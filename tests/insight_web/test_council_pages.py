"""Council pages drawn once (by the refresh job or the first view) and shared through the
insight cache, so a web process that never drew a page serves it without building it."""

from __future__ import annotations

import json

import pytest

from fgc.insight_web import council_pages, presenters, services
from tests.insight_web.conftest import stored_pages

pytestmark = pytest.mark.django_db

URL = "/insight/council/805/?period=2025-26"


def _new_process() -> None:
    """What a web process that has served nothing yet holds in memory: nothing."""
    services.clear_memory_cache()
    presenters.memo.clear_pages()


def test_the_refresh_draws_each_accepted_councils_own_and_published_pages(accepted):
    names = sorted(p.name.rsplit("-", 1)[0] for p in stored_pages())
    assert names == [
        "805-2025-26-own",
        "805-2025-26-published",
        "806-2025-26-own",
        "806-2025-26-published",
    ]


def test_a_process_serves_the_drawn_page_without_building_it(
    accepted, officer_a, analyst, login, section_builds, page_renders
):
    _new_process()
    own = login(officer_a).get(URL)
    national = login(analyst).get(URL)
    assert own.status_code == national.status_code == 200
    assert section_builds == [] and page_renders == []
    own_html, national_html = own.content.decode(), national.content.decode()
    assert 'id="table-funnel-steps"' in own_html and 'id="table-funnel-steps"' in national_html
    assert "unsuppressed" in own_html
    assert "unsuppressed" not in national_html
    assert "published (suppressed and rounded)" in national_html


def test_the_stored_page_is_the_page_a_fresh_build_draws(accepted, officer_a, login):
    _new_process()
    stored = login(officer_a).get(URL).content.decode()
    for path in stored_pages():
        path.unlink()
    _new_process()
    built = login(officer_a).get(URL).content.decode()
    strip = lambda html: html[html.index("<main") :].split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(stored) == strip(built)


def test_a_page_first_drawn_in_one_process_is_read_by_the_next(
    accepted, officer_a, login, section_builds
):
    url = URL + "&comparator=all_with_data"
    first = login(officer_a).get(url).content.decode()
    assert section_builds == ["805"]
    _new_process()
    again = login(officer_a).get(url).content.decode()
    assert section_builds == ["805"]
    assert 'value="all_with_data" selected' in first and 'value="all_with_data" selected' in again


def test_the_drawing_is_not_repeated_for_pages_already_stored(accepted):
    snap, result = services.insight(services.snapshot())
    assert council_pages.draw_defaults(snap, result) == 0
    stored_pages()[0].unlink()
    assert council_pages.draw_defaults(snap, result) == 1


def test_a_page_drawn_by_another_release_is_not_served(
    accepted, officer_a, login, section_builds, monkeypatch
):
    monkeypatch.setattr(council_pages, "fingerprint", lambda: "another-release")
    _new_process()
    assert login(officer_a).get(URL).status_code == 200
    assert section_builds == ["805"]


def test_an_unreadable_stored_page_is_drawn_again(accepted, officer_a, login, section_builds):
    path = next(p for p in stored_pages() if p.name.startswith("805-2025-26-own"))
    path.write_text('{"la_code": "805", "sections_ht', "utf-8")
    _new_process()
    response = login(officer_a).get(URL)
    assert response.status_code == 200
    assert 'id="table-funnel-steps"' in response.content.decode()
    assert section_builds == ["805"]
    assert json.loads(path.read_text("utf-8"))["own"] is True  # stored afresh


def test_own_staffs_page_is_never_served_to_a_national_user(
    accepted, analyst, login, section_builds
):
    # Even a page filed under the published name by mistake: its contents say whose it is.
    own = next(p for p in stored_pages() if p.name.startswith("805-2025-26-own"))
    published = next(p for p in stored_pages() if p.name.startswith("805-2025-26-published"))
    published.write_bytes(own.read_bytes())
    _new_process()
    html = login(analyst).get(URL).content.decode()
    assert "unsuppressed" not in html
    assert section_builds == ["805"]


def test_a_page_that_cannot_be_stored_is_still_served(
    accepted, officer_a, login, section_builds, monkeypatch
):
    def refuse(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "write_text", refuse)
    url = URL + "&comparator=all_with_data"
    assert login(officer_a).get(url).status_code == 200
    assert section_builds == ["805"]


def test_the_options_travel_in_the_csv_links_in_one_order():
    opts = council_pages.Options("805", "2025-26", True, "custom", ("806", "807"))
    assert opts.query() == "period=2025-26&comparator=custom&codes=806,807"
    assert council_pages.Options("805", "2025-26", False).query() == "period=2025-26"
