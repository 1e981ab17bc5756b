"""The outcomes sections: the trial beside pre-proceedings (PLO) figures, all stages apart."""

from __future__ import annotations

import polars as pl
import pytest

from fgc.engine.insight.flags import COHORTS
from fgc.insight_web import presenters, services
from fgc.insight_web.presenters.memo import _published_map
from fgc.standard import ENGLAND_CODE
from tests.insight_web.test_views import _html_cells, _rows

pytestmark = pytest.mark.django_db

PERIOD = "2025-26"


def _own(result, measure: str) -> str:
    t = result.table("outcomes").filter(
        (pl.col("la_code") == "805")
        & (pl.col("period") == PERIOD)
        & (pl.col("measure") == measure)
        & (pl.col("breakdown_topic") == "Total")
    )
    return presenters.fmt(t["value"][0])


def test_council_trial_table_shows_plo_figures(accepted, officer_a, login):
    client = login(officer_a)
    html = client.get(f"/insight/council/805/?period={PERIOD}").content.decode()
    _snap, result = services.insight()
    pub = _published_map(services.published(_snap, result, PERIOD))
    trial = _html_cells(html, "trial")
    assert trial[0] == ["Group", "Hartlepool", "England", "Pre-proceedings FGC trial (randomised)"]
    rows = {r[0]: r[1:] for r in trial[1:]}
    for cohort, label in COHORTS.items():
        plo = f"looked_after_12m_{cohort}_plo"
        row = rows[f"Families in pre-proceedings (PLO): {label.lower()}"]
        assert row == [_own(result, plo), pub[(ENGLAND_CODE, plo)][0], "z"]
    assert rows["Trial: FGC arm"] == ["z", "z", "36.2"]
    assert rows["Trial: usual care arm"] == ["z", "z", "44.8"]
    # The all-stage figures are in their own table, without the trial.
    every = _html_cells(html, "outcomes")
    assert "Pre-proceedings FGC trial (randomised)" not in every[0]
    assert every[2][1] == _own(result, "looked_after_12m_held")
    plo = _html_cells(html, "outcomes-plo")
    assert plo[1][1] == _own(result, "looked_after_6m_held_plo")
    assert "not randomised" in html
    for key in ("trial", "outcomes-plo", "outcomes", "living-12m-plo"):
        csv = client.get(f"/insight/council/805/data.csv?period={PERIOD}&table={key}")
        assert _rows(csv.content.decode()) == _html_cells(html, key), key


def test_national_page_sets_the_trial_beside_england_plo(accepted, analyst, login):
    client = login(analyst)
    html = client.get(f"/insight/national/?period={PERIOD}").content.decode()
    _snap, result = services.insight()
    pub = _published_map(services.published(_snap, result, PERIOD))
    rows = {r[0]: r[1:] for r in _html_cells(html, "trial")[1:]}
    held = rows["Families in pre-proceedings (PLO): meeting held"]
    assert held == [pub[(ENGLAND_CODE, "looked_after_12m_held_plo")][0], "z"]
    assert rows["Trial: FGC arm"] == ["z", "36.2"]
    every = _html_cells(html, "outcomes")
    assert every[0][1] == "England: meeting held"
    assert every[2][1] == pub[(ENGLAND_CODE, "looked_after_12m_held")][0]
    assert "not randomised" in html
    for key in ("trial", "outcomes-plo", "outcomes"):
        csv = client.get(f"/insight/national/data.csv?period={PERIOD}&table={key}")
        assert _rows(csv.content.decode()) == _html_cells(html, key), key
