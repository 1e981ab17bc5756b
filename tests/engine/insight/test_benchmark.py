import polars as pl
import pytest

from fgc.engine.insight import InsightResult, benchmark
from fgc.engine.insight.benchmark import quartile_band, rank_values
from fgc.engine.insight.compute import COLUMNS


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
        .with_columns(pl.lit("offered_families").alias("measure"), pl.lit("count").alias("kind"))
    )
    r = _row(benchmark(InsightResult(("2025-26",), {"funnel": frame}), "805"), "offered_families")
    assert r["band"] is None and r["rank"] == 2


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
