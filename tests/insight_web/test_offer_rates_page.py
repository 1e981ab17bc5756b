"""The council page's offers per 10,000 children in need: rates ranked, counts not."""

from __future__ import annotations

import re

import polars as pl
import pytest

from fgc.engine.insight.rates import cin_source, shipped_denominators
from fgc.insight_web import services
from tests.insight_web.test_views import _html_cells

pytestmark = pytest.mark.django_db
PERIOD = "2025-26"
FAMILY_RATE = "Families offered an FGC per 10,000 children in need"


def _offered(code: str) -> float:
    _snap, result = services.insight()
    t = result.table("funnel").filter(
        (pl.col("la_code") == code)
        & (pl.col("measure") == "offered_families")
        & (pl.col("breakdown_topic") == "Total")
        & (pl.col("period") == PERIOD)
    )
    return float(t["value"][0])


def _cin(code: str) -> int:
    den = shipped_denominators().filter(pl.col("la_code") == code)
    return int(den["children_in_need_31_march"].item())


def test_council_page_ranks_offer_rates_and_not_offer_counts(accepted, officer_a, login):
    html = login(officer_a).get(f"/insight/council/805/?period={PERIOD}").content.decode()
    cells = _html_cells(html, "offer-rates")
    header, rows = cells[0], {r[0]: r for r in cells[1:]}
    rank, band = header.index("Rank"), header.index("Band")
    rate = rows[FAMILY_RATE]
    assert rate[1] == "per 10,000 children in need"
    assert rate[2] == f"{_offered('805') * 10_000 / _cin('805'):.1f}"  # own staff: exact
    # 805 and 806 both have data: the rate is ranked among the two; neutral, so no band.
    assert rate[rank] in ("1 of 2", "2 of 2") and rate[band] == "z"
    count = rows["Offered (families)"]
    assert count[2] == f"{_offered('805'):.0f}"
    assert count[rank] == "z" and count[band] == "z"  # counts are not ranked
    # The denominator's source and what the rate covers are stated beside the table.
    text = re.sub(r"\s+", " ", html)
    assert cin_source() in text
    assert "per 10,000 children in need" in text and "pre-proceedings" in text


def test_national_user_sees_the_published_rate(accepted, analyst, login):
    html = login(analyst).get(f"/insight/council/806/?period={PERIOD}").content.decode()
    cells = _html_cells(html, "offer-rates")
    rows = {r[0]: r for r in cells[1:]}
    offered = _offered("806")
    expected = "c" if 1 <= offered <= 5 else f"{offered * 10_000 / _cin('806'):.1f}"
    assert rows[FAMILY_RATE][2] == expected
