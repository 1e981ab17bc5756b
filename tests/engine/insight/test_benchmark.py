from datetime import date

import polars as pl
import pytest

from fgc.engine.insight import InsightResult, benchmark, compute_measures
from fgc.engine.insight.benchmark import quartile_band, rank_values
from fgc.engine.insight.compute import COLUMNS
from fgc.engine.insight.published import published_provider
from fgc.engine.insight.rates import shipped_denominators
from tests.engine.insight.frames import child_rows, row


def _result(values: dict[str, float], periods=("2025-26",)) -> InsightResult:
    rows = [
        (
            "Local authority",
            la,
            p,
            "acceptance_rate_families",
            "rate",
            "Total",
            "Total",
            1.0,
            2.0,
            v,
            None,
            None,
        )
        for la, v in values.items()
        for p in periods
    ]
    rows.append(
        (
            "National",
            "E92000001",
            periods[-1],
            "acceptance_rate_families",
            "rate",
            "Total",
            "Total",
            1.0,
            2.0,
            55.0,
            None,
            None,
        )
    )
    frame = pl.DataFrame(rows, schema=list(COLUMNS), orient="row")
    return InsightResult(tuple(periods), {"funnel": frame})


def _row(table, measure="acceptance_rate_families"):
    return table.filter(pl.col("measure") == measure).row(0, named=True)


def test_neighbour_mean_ignores_neighbours_without_data():
    # 807 and 394 are 805's neighbours with data; the other eight have none.
    r = _row(benchmark(_result({"805": 50.0, "807": 60.0, "394": 80.0, "999x": 10.0}), "805"))
    assert r["neighbour_avg"] == pytest.approx(70.0)
    assert r["neighbours_with_data"] == 2
    assert r["england"] == 55.0


def test_rank_and_band_respect_polarity():
    assert rank_values({"a": 10, "b": 30, "c": 20}, "high_good") == {"b": 1, "c": 2, "a": 3}
    assert rank_values({"a": 10, "b": 30, "c": 20}, "low_good") == {"a": 1, "c": 2, "b": 3}
    assert [quartile_band(r, 8) for r in range(1, 9)] == list("AABBCCDD")


def test_benchmark_rank_band_and_comparator_list():
    values = {"805": 90.0, "807": 60.0, "394": 80.0, "393": 10.0}
    r = _row(benchmark(_result(values), "805"))
    assert (r["rank"], r["of_n"], r["band"]) == (1, 4, "A")  # high_good: highest is best
    custom = _row(benchmark(_result(values), "805", comparator=["393", "394"]))
    assert custom["comparator_avg"] == pytest.approx(45.0)
    assert custom["of_n"] == 3
    everyone = _row(benchmark(_result(values), "805", comparator="all_with_data"))
    assert everyone["comparator_avg"] == pytest.approx(50.0)


def test_neutral_measures_have_no_band():
    frame = (
        _result({"805": 5.0, "807": 6.0})
        .table("funnel")
        .with_columns(pl.lit("plo_exception_rate").alias("measure"))
    )
    r = _row(benchmark(InsightResult(("2025-26",), {"funnel": frame}), "805"), "plo_exception_rate")
    assert r["band"] is None and r["rank"] == 2  # ranked from highest to lowest


def test_trend_over_periods():
    res = _result({"805": 50.0}, periods=("2024-25", "2025-26"))
    r = _row(benchmark(res, "805"))
    assert r["trend_periods"] == ["2024-25", "2025-26"]
    assert r["trend"] == [50.0, 50.0]


def _published(values: dict[str, float | None], england: float) -> pl.DataFrame:
    rows = [("Local authority", la, v) for la, v in values.items()]
    rows.append(("National", "E92000001", england))
    return pl.DataFrame(
        [
            {
                "geographic_level": g,
                "la_code": code,
                "measure": "acceptance_rate_families",
                "kind": "rate",
                "published": "c" if v is None else f"{v:.1f}",
                "pvalue": v,
            }
            for g, code, v in rows
        ],
        schema_overrides={"pvalue": pl.Float64},
    )


def test_benchmarks_use_true_values_and_suppress_a_mean_one_hidden_council_would_reveal():
    raw = {"805": 50.0, "807": 60.0, "394": 80.0}
    pub = _published({"805": None, "807": None, "394": 80.0}, 60.0)
    own = _row(benchmark(_result(raw), "805", published=lambda _p: pub))
    # 807 is hidden and is one of the two neighbours: their mean (70) less 394's published 80
    # would give 807's 60, so the mean is suppressed; it is never the biased 80 of the rest.
    assert own["neighbour_avg"] is None and own["neighbours_with_data"] == 2
    assert own["england"] == 60.0  # region and England: the published pooled figures
    # The rank is on true values: 805's 50 is below 807's hidden 60 and 394's 80.
    assert (own["la_value"], own["rank"], own["of_n"]) == (50.0, 3, 3)
    national = _row(benchmark(_result(raw), "805", published=lambda _p: pub, own=False))
    assert national["la_value"] is None and national["rank"] is None
    assert national["trend"] == [None]


def test_a_mean_over_two_or_more_hidden_councils_is_their_true_mean():
    # Hidden small values no longer drag the mean down: 807 and 394 are both hidden.
    raw = {"805": 50.0, "807": 2.0, "394": 4.0, "393": 30.0}
    pub = _published({"805": 50.0, "807": None, "394": None, "393": 30.0}, 60.0)
    r = _row(benchmark(_result(raw), "805", comparator=["807", "394"], published=lambda _p: pub))
    assert r["comparator_avg"] == pytest.approx(3.0) and r["comparator_n"] == 2
    everyone = _row(
        benchmark(_result(raw), "805", comparator="all_with_data", published=lambda _p: pub)
    )
    assert everyone["comparator_avg"] == pytest.approx(12.0) and everyone["comparator_n"] == 3
    # Ranked on true values among all four.
    assert (everyone["rank"], everyone["of_n"]) == (1, 4)
    # A selection with no hidden council: its mean is the plain mean.
    plain = _row(benchmark(_result(raw), "805", comparator=["393"], published=lambda _p: pub))
    assert plain["comparator_avg"] == pytest.approx(30.0)
    # One hidden among the selection: suppressed.
    one = _row(benchmark(_result(raw), "805", comparator=["393", "807"], published=lambda _p: pub))
    assert one["comparator_avg"] is None and one["comparator_n"] == 2


# Offers per 10,000 children in need: 805's neighbours 807 and 394 are in the North East with
# it; 202 (Camden) is in London.
FAMILY_RATE = "families_offered_per_10k_cin"
CHILD_RATE = "children_offered_per_10k_cin"


def _offers(offers: dict[str, int]) -> InsightResult:
    rows = [row(la, f"E{la}-{i}", child=f"C{la}-{i}") for la, n in offers.items() for i in range(n)]
    return compute_measures(child_rows(rows), "2025-26")


def _cin(code: str) -> int:
    den = shipped_denominators().filter(pl.col("la_code") == code)
    return int(den["children_in_need_31_march"].item())


def test_offer_rate_rows_rank_councils_on_rates_not_counts():
    # 807 offers most (40) but 805 offers most per child in need.
    offers = {"805": 30, "807": 40, "394": 12, "202": 9}
    table = benchmark(_offers(offers), "805", comparator="all_with_data")
    r = _row(table, FAMILY_RATE)
    assert r["label"] == "Families offered an FGC per 10,000 children in need"
    assert r["unit"] == "per 10,000 children in need" and r["polarity"] == "neutral"
    assert r["la_value"] == pytest.approx(30 * 10_000 / _cin("805"))
    rates = {c: n * 10_000 / _cin(c) for c, n in offers.items()}
    expected_rank = 1 + sum(v > rates["805"] for v in rates.values())
    assert (r["rank"], r["of_n"], r["band"]) == (expected_rank, 4, None)  # neutral: no band
    assert r["neighbour_avg"] == pytest.approx((rates["807"] + rates["394"]) / 2)
    assert r["neighbours_with_data"] == 2
    assert r["comparator_avg"] == pytest.approx((rates["807"] + rates["394"] + rates["202"]) / 3)
    assert "Characteristics of children in need" in r["denominator_source"]
    assert _row(table, CHILD_RATE)["la_value"] == pytest.approx(30 * 10_000 / _cin("805"))
    # Region and England: the rounded count (82 → 80, 91 → 90) over the councils' children.
    north_east = _cin("805") + _cin("807") + _cin("394")
    assert r["region"] == pytest.approx(80 * 10_000 / north_east)
    assert r["england"] == pytest.approx(90 * 10_000 / (north_east + _cin("202")))
    assert r["trend"] == [pytest.approx(r["la_value"])]


def test_counts_keep_their_figures_but_are_not_ranked():
    table = benchmark(_offers({"805": 30, "807": 40, "394": 12}), "805")
    r = _row(table, "offered_families")
    assert (r["la_value"], r["england"]) == (30.0, 82.0)
    assert r["region"] == 82.0
    assert (r["rank"], r["of_n"], r["band"]) == (None, None, None)
    assert r["denominator_source"] is None


def test_rate_means_and_own_rate_are_protected_like_the_counts_they_come_from():
    result = _offers({"805": 30, "807": 40, "394": 3, "202": 9})
    published = published_provider(result)
    own = _row(benchmark(result, "805", published=published), FAMILY_RATE)
    # 394's 3 offers are hidden: a neighbour mean of 807 and 394 less 807's published rate
    # would give 394's rate, and with it (the denominator being public) its count.
    assert own["neighbour_avg"] is None and own["neighbours_with_data"] == 2
    # Ranks are on true rates, 394 included.
    assert own["of_n"] == 4 and own["rank"] is not None
    # Region: 73 offers published as 70, never the exact 73.
    north_east = _cin("805") + _cin("807") + _cin("394")
    assert own["region"] == pytest.approx(70 * 10_000 / north_east)
    hidden_own = _row(benchmark(result, "394", published=published), FAMILY_RATE)
    assert hidden_own["la_value"] == pytest.approx(3 * 10_000 / _cin("394"))  # its own staff
    national = _row(benchmark(result, "394", published=published, own=False), FAMILY_RATE)
    assert national["la_value"] is None and national["rank"] is None
    assert national["trend"] == [None]
    shown = _row(benchmark(result, "807", published=published, own=False), FAMILY_RATE)
    assert shown["la_value"] == pytest.approx(40 * 10_000 / _cin("807"))


def test_rate_mean_over_two_hidden_councils_is_their_true_mean():
    result = _offers({"805": 30, "807": 2, "394": 4})
    r = _row(benchmark(result, "805", published=published_provider(result)), FAMILY_RATE)
    expected = (2 * 10_000 / _cin("807") + 4 * 10_000 / _cin("394")) / 2
    assert r["neighbour_avg"] == pytest.approx(expected)


def test_area_rate_is_hidden_when_its_count_rounds_to_zero():
    r = _row(benchmark(_offers({"805": 3, "202": 30}), "805"), FAMILY_RATE)
    assert r["region"] is None
    assert r["england"] == pytest.approx(30 * 10_000 / (_cin("805") + _cin("202")))


def test_uploaded_census_is_the_councils_denominator():
    upload = pl.DataFrame(
        {
            "la_code": ["805"],
            "reference_date": [date(2026, 3, 31)],
            "breakdown_topic": ["Total"],
            "breakdown": ["Total"],
            "children_in_need": [2000],
            "children_cp_plan": [0],
            "children_pre_proceedings": [40],
        }
    )
    r = _row(benchmark(_offers({"805": 30}), "805", uploaded=upload), FAMILY_RATE)
    assert r["la_value"] == pytest.approx(30 * 10_000 / 2000)
    assert "CIN census upload" in r["denominator_source"]
