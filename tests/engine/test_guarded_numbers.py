"""Exact values at the edges that mutation testing showed no test guarded (issue 12).

Each test fails if its line is mutated: suppression ``1 <= v <= threshold`` (``<=`` to ``<``
publishes a count of 5), the mean's interval ``/ sqrt(n)`` (to ``/ n``), and the day-count
filters ``>= 0`` (to ``> 0`` drops same-day steps).
"""

from __future__ import annotations

import math
import statistics

import polars as pl
import pytest

from fgc.engine.aggregate import aggregate
from fgc.engine.disclosure import TableSpec, suppress
from fgc.engine.insight import compute_measures
from tests.engine.insight.frames import HELD, child_rows, row


def _published(count: int) -> str:
    spec = TableSpec(
        "t",
        pl.DataFrame(
            [("805", "Total", count), ("806", "Total", 40)],
            schema=["la_code", "sex", "offered"],
            orient="row",
        ),
        ("sex",),
        ("offered",),
        (),
    )
    t = suppress([spec]).tables["t"]
    return t.filter(pl.col("la_code") == "805")["offered"][0]


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0"), (1, "c"), (4, "c"), (5, "c"), (6, "6"), (7, "7")]
)
def test_primary_suppression_boundaries(count: int, shown: str) -> None:
    assert _published(count) == shown


def _value(result, group: str, measure: str) -> dict:
    t = result.table(group).filter(
        (pl.col("la_code") == "805")
        & (pl.col("measure") == measure)
        & (pl.col("breakdown_topic") == "Total")
    )
    assert t.height == 1
    return t.row(0, named=True)


def test_mean_interval_is_normal_with_sqrt_n() -> None:
    scores = [2, 4, 4, 5]
    rows = [row("805", f"E{i}", **HELD, family_feedback=str(s)) for i, s in enumerate(scores)]
    r = _value(compute_measures(child_rows(rows), "2025-26"), "plans_voice",
               "family_feedback_score")  # fmt: skip
    mean, sd = statistics.mean(scores), statistics.stdev(scores)
    half = 1.96 * sd / math.sqrt(len(scores))
    assert r["value"] == pytest.approx(3.75)
    assert r["lower"] == pytest.approx(mean - half)
    assert r["upper"] == pytest.approx(mean + half)
    assert r["denominator"] == 4


def test_same_day_steps_count_in_the_insight_medians() -> None:
    same_day = {**HELD, "referral_date": "2025-06-09", "conference_date": "2025-06-09"}
    rows = [
        row("805", "E1", **same_day),
        row("805", "E2", **{**HELD, "conference_date": "2025-06-19"}),
    ]
    r = _value(compute_measures(child_rows(rows), "2025-26"), "timeliness",
               "days_referral_conference")  # fmt: skip
    # 0 and 40 days: both count, so the median is 20 (dropping the 0 would give 40).
    assert r["denominator"] == 2 and r["value"] == 20


def test_same_day_steps_count_in_the_aggregate_medians() -> None:
    same_day = {**HELD, "referral_date": "2025-06-09", "conference_date": "2025-06-09"}
    rows = [
        row("805", "E1", **same_day),
        row("805", "E2", **{**HELD, "conference_date": "2025-06-19"}),
    ]
    out = aggregate(child_rows(rows), "2025-26").filter(
        (pl.col("old_la_code") == "805") & (pl.col("breakdown_topic") == "Total")
    )
    assert out["median_days_referral_to_conference"][0] == 20.0
