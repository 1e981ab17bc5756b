"""Offers per 10,000 children in need / in pre-proceedings, from shipped DfE denominators."""

from datetime import date

import polars as pl
import pytest

from fgc.engine.insight import compute_measures
from fgc.engine.insight.rates import NOT_AVAILABLE, SUPPRESSED, offer_rates, shipped_denominators
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
