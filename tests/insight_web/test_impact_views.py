"""Comparison and impact pages: built by the refresh job, scoped, suppressed, with a form."""

from __future__ import annotations

import polars as pl
import pytest

from fgc.audit.models import AuditEvent
from fgc.insight_web import impact_store, services
from tests.engine.impact.linked import cell, frame, synthetic
from tests.insight_web.test_views import _html_cells, _rows

pytestmark = pytest.mark.django_db


def _linked() -> pl.DataFrame:
    # 805 and 806 with enough children to compare; 806's declined group has only 3 children.
    big = synthetic(11, las=("805", "806"), per_la=300).filter(
        ~((pl.col("la_code") == "806") & (pl.col("group") == "declined"))
    )
    return pl.concat([big, frame(cell(3, 1, group="declined", la_code="806"))])


@pytest.fixture
def linked(monkeypatch):
    from fgc.hub import national

    data = _linked()
    monkeypatch.setattr(national, "linked_children", lambda la_codes=None: data, raising=False)
    services.build_cache()
    return data


def test_refresh_builds_the_figures_pages_read(linked):
    data = impact_store.current()
    assert data is not None and data.key == impact_store.fingerprint(linked)
    assert set(data.estimates) >= {"805", "806", "E92000001"}
    # The stored comparison is already suppressed: 806's three declined children are gone.
    row = data.comparison.groups.filter(
        (pl.col("area_code") == "806")
        & (pl.col("group") == "declined")
        & (pl.col("outcome") == "looked_after_12m")
    ).row(0, named=True)
    assert row["suppressed"] and row["value"] is None and row["children"] is None


def test_no_linked_data_says_so(officer_a, login, monkeypatch):
    services.build_cache()
    html = login(officer_a).get("/insight/council/805/impact/").content.decode()
    assert "There are no linked outcomes yet" in html


def test_council_user_sees_own_council_only(linked, officer_a, login):
    client = login(officer_a)
    assert client.get("/insight/council/806/impact/").status_code == 404
    assert client.get("/insight/council/806/impact.csv?table=impact").status_code == 404
    assert client.get("/insight/national/impact/").status_code == 403
    r = client.get("/insight/council/805/impact/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Hartlepool: outcomes compared, and the impact of FGCs" in html
    assert "not randomised" in html
    impact = _html_cells(html, "impact")
    assert [row[0] for row in impact[1:]] == ["Hartlepool", "North East", "England"]
    assert AuditEvent.objects.filter(action="insight.view_impact").count() == 1


def test_national_user_sees_every_council_and_england(linked, analyst, login):
    client = login(analyst)
    html = client.get("/insight/council/806/impact/").content.decode()
    groups = {r[0]: r[1:] for r in _html_cells(html, "groups-looked_after_12m")[1:]}
    # Suppression holds for everyone: a group of 3 shows no count and no rate.
    assert groups["Offered and declined"] == ["c", "c", "c", "c"]
    contrasts = {r[0]: r[1:] for r in _html_cells(html, "contrasts-looked_after_12m")[1:]}
    assert contrasts["Offered and declined, against children not offered"][:8] == ["c"] * 8
    assert groups["Trial: referred for an FGC (randomised)"] == ["z", "z", "36.2", "z"]
    national = client.get("/insight/national/impact/").content.decode()
    names = [r[0] for r in _html_cells(national, "impact")[1:]]
    assert names[0] == "England" and "Hartlepool" in names and "Middlesbrough" in names
    days = {r[0]: r for r in _html_cells(national, "groups-days_looked_after_12m")[1:]}
    assert days["Trial: usual care (randomised)"][2] == "115.0"


def test_csv_is_the_table_on_the_page(linked, officer_a, login):
    client = login(officer_a)
    html = client.get("/insight/council/805/impact/").content.decode()
    for key in ("impact", "assumptions", "groups-looked_after_12m", "contrasts-looked_after_12m"):
        csv = client.get(f"/insight/council/805/impact.csv?table={key}").content.decode()
        assert _rows(csv) == _html_cells(html, key), key
    assert client.get("/insight/council/805/impact.csv?table=nope").status_code == 404


def test_sensitivity_form_recalculates(linked, officer_a, login):
    client = login(officer_a)
    html = client.get(
        "/insight/council/805/impact/?relative_risk=1&saving_per_child=%C2%A31,000&uptake_share=50"
    ).content.decode()
    rows = _html_cells(html, "sensitivity")
    assert rows[1][0] == "Hartlepool, with your figures"
    assert rows[1][4] == "0.0"  # a relative risk of 1: no fewer children
    data = impact_store.current()
    n = data.estimates["805"].not_offered
    assert rows[1][6] == f"£{round(n * 0.5 * 1000, -3 if n * 500 >= 10_000 else -1):,.0f}"
    used = {r[0]: r[1:] for r in _html_cells(html, "sensitivity-assumptions")[1:]}
    rr = used[
        "Relative risk of being looked after at 12 months when the family is referred for an FGC"
    ]
    assert rr[:2] == ["1.00", "0.88 to 1.14"]  # the trial's uncertainty, centred on 1
    assert html.count('id="table-assumptions"') == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("relative_risk=0", "Enter a relative risk between 0.01 and 2, like 0.81"),
        ("relative_risk=abc", "Enter a relative risk between 0.01 and 2, like 0.81"),
        ("uptake_share=101", "Enter a percentage between 0 and 100, like 100"),
        ("baseline_rate=nan", "Enter a percentage between 0 and 100, like 44.8"),
        ("saving_per_child=1e9", "Enter a saving in pounds between -100,000 and 100,000"),
    ],
)
def test_sensitivity_form_errors(linked, officer_a, login, query, message):
    r = login(officer_a).get(f"/insight/council/805/impact/?{query}")
    assert r.status_code == 200
    html = r.content.decode()
    assert "There is a problem" in html and message in html
    assert "<title>Error: " in html
    assert 'id="table-sensitivity"' not in html


def test_dashboards_link_to_the_pages(linked, accepted, officer_a, analyst, login):
    html = login(officer_a).get("/insight/council/805/").content.decode()
    assert "/insight/council/805/impact/" in html
    html = login(analyst).get("/insight/national/").content.decode()
    assert "/insight/national/impact/" in html


def test_hub_linked_children_are_pseudonymised_and_filtered(accepted):
    from fgc.hub.national import linked_children

    frame = linked_children()
    assert frame.height > 0
    assert set(frame["la_code"]) == {"805", "806"}
    # The same keyed pseudonyms national users see: never the councils' own ids.
    assert frame["child_key"].str.len_chars().unique().to_list() == [20]
    assert set(linked_children(["806"])["la_code"]) == {"806"}


def test_without_children_not_offered_the_page_says_why(monkeypatch, officer_a, login):
    from fgc.hub import national

    data = synthetic(13, las=("805",), per_la=200).filter(pl.col("group") != "not_offered")
    monkeypatch.setattr(national, "linked_children", lambda la_codes=None: data)
    services.build_cache()
    html = login(officer_a).get("/insight/council/805/impact/").content.decode()
    assert "No children in pre-proceedings who were not offered an FGC" in html
    held = {r[0]: r for r in _html_cells(html, "groups-looked_after_12m")[1:]}["Meeting held"]
    assert held[1] != "c" and held[3] != "x"
