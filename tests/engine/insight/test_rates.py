"""Offers per 10,000 children in need / in pre-proceedings, from shipped DfE denominators."""

from datetime import date

import polars as pl
import pytest

from fgc.engine.insight import compute_measures
from fgc.engine.insight.rates import (
    NOT_AVAILABLE,
    SUPPRESSED,
    area_offer_rates,
    format_per_10k,
    offer_rates,
    shipped_denominators,
)
from fgc.standard import current_authorities
from tests.engine.insight.frames import child_rows, row


def _result(offers: dict[str, int]):
    rows = [row(la, f"E{la}-{i}", child=f"C{la}-{i}") for la, n in offers.items() for i in range(n)]
    return compute_measures(child_rows(rows), "2025-26")


def test_shipped_denominators_cover_every_current_council():
    den = shipped_denominators()
    assert sorted(den["la_code"]) == sorted(la.old_la_code for la in current_authorities())
    assert den.height == 153
    assert den["children_in_need_31_march"].null_count() == 0
    # CLA: City of London 'c' (suppressed) and Isles of Scilly 'z': left empty, never guessed
    missing = den.filter(pl.col("children_looked_after_31_march").is_null())["la_code"]
    assert sorted(missing) == ["201", "420"]
    hartlepool = den.filter(pl.col("la_code") == "805").row(0, named=True)
    assert hartlepool["children_in_need_31_march"] == 1341  # DfE CIN 2025 table B1, At31
    assert hartlepool["children_looked_after_31_march"] == 332
    assert hartlepool["population_0_17"] == 21090


def test_offers_per_10000_children_in_need_from_the_dfe_figure():
    rates = offer_rates(_result({"805": 7}), "2025-26")
    r = rates.filter(pl.col("la_code") == "805").row(0, named=True)
    assert r["children_offered"] == 7
    assert r["children_in_need"] == 1341
    assert r["children_offered_per_10k_cin"] == pytest.approx(7 * 10_000 / 1341)
    assert r["families_offered_per_10k_cin"] == pytest.approx(7 * 10_000 / 1341)
    assert "Characteristics of children in need" in r["children_in_need_source"]
    assert r["published_children_offered_per_10k_cin"] == "52.2"  # 52.199...
    # DfE publishes no pre-proceedings count by council: not available, not invented
    assert r["children_pre_proceedings"] is None
    assert r["children_offered_per_10k_pre_proceedings"] is None
    assert r["published_children_offered_per_10k_pre_proceedings"] == NOT_AVAILABLE


def test_suppressed_numerator_hides_the_rate():
    rates = offer_rates(_result({"805": 3}), "2025-26")
    r = rates.filter(pl.col("la_code") == "805").row(0, named=True)
    assert r["published_children_offered_per_10k_cin"] == SUPPRESSED
    assert r["published_families_offered_per_10k_cin"] == SUPPRESSED
    assert r["published_children_in_need"] == "1341"  # denominators are public


def _uploaded(la: str, cin: int, pp: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": [la, la],
            "reference_date": [date(2026, 3, 31)] * 2,
            "breakdown_topic": ["Total", "Sex"],
            "breakdown": ["Total", "Female"],
            "children_in_need": [cin, cin],
            "children_cp_plan": [0, 0],
            "children_pre_proceedings": [pp, pp],
        }
    )


def test_uploaded_census_takes_precedence_and_gives_pre_proceedings():
    rates = offer_rates(_result({"805": 8}), "2025-26", uploaded=_uploaded("805", 2000, 40))
    r = rates.filter(pl.col("la_code") == "805").row(0, named=True)
    assert r["children_in_need"] == 2000
    assert r["children_offered_per_10k_cin"] == pytest.approx(8 * 10_000 / 2000)
    assert "CIN census upload" in r["children_in_need_source"]
    assert r["children_pre_proceedings"] == 40
    assert r["children_offered_per_10k_pre_proceedings"] == pytest.approx(8 * 10_000 / 40)
    assert r["published_children_offered_per_10k_pre_proceedings"] == "2000.0"


def _cin(*codes: str) -> int:
    den = shipped_denominators().filter(pl.col("la_code").is_in(list(codes)))
    return int(den["children_in_need_31_march"].sum())


def test_area_rates_use_the_rounded_published_count_over_the_councils_children_in_need():
    # North East: 805, 807 and 394 (7 + 12 + 3 = 22 offers); London: 202 (9). England 31.
    result = _result({"805": 7, "807": 12, "394": 3, "202": 9})
    areas = {r["area_code"]: r for r in area_offer_rates(result, "2025-26").iter_rows(named=True)}
    ne, eng = areas["E12000001"], areas["E92000001"]
    assert ne["geographic_level"] == "Regional" and ne["councils"] == 3
    # 22 is published as 20: the rate is 20 × 10,000 over the three councils' children in need,
    # never 22 × 10,000 (which with a public denominator would give the exact 22 back).
    assert ne["children_in_need"] == _cin("805", "807", "394")
    assert ne["families_offered"] == 20
    assert ne["families_offered_per_10k_cin"] == pytest.approx(20 * 10_000 / ne["children_in_need"])
    assert ne["published_children_offered_per_10k_cin"] == format_per_10k(
        20, ne["children_in_need"]
    )
    assert eng["children_offered"] == 30  # 31 rounds to 30
    assert eng["children_in_need"] == _cin("805", "807", "394", "202")
    assert eng["children_offered_per_10k_cin"] == pytest.approx(
        30 * 10_000 / eng["children_in_need"]
    )
    # offer_rates is unchanged by it: councils still get their exact rates.
    assert (
        offer_rates(result, "2025-26").filter(pl.col("la_code") == "807")["children_offered"].item()
        == 12
    )


def test_area_count_that_rounds_to_zero_hides_the_rate():
    areas = area_offer_rates(_result({"805": 3, "202": 20}), "2025-26")
    ne = areas.filter(pl.col("area_code") == "E12000001").row(0, named=True)
    assert ne["families_offered"] is None and ne["families_offered_per_10k_cin"] is None
    # "c", as the release's fgc_offer_rates shows a rate over a "low" count
    assert ne["published_families_offered_per_10k_cin"] == "c"
    london = areas.filter(pl.col("area_code") == "E12000007").row(0, named=True)
    assert london["published_families_offered_per_10k_cin"] == format_per_10k(20, _cin("202"))


def test_area_rate_uses_uploaded_denominators_like_offer_rates():
    areas = area_offer_rates(_result({"805": 8}), "2025-26", uploaded=_uploaded("805", 2000, 40))
    ne = areas.filter(pl.col("area_code") == "E12000001").row(0, named=True)
    assert ne["children_in_need"] == 2000 and ne["families_offered"] == 10
    assert ne["families_offered_per_10k_cin"] == pytest.approx(10 * 10_000 / 2000)
