"""Regional and England figures must not give back the exact counts their rounding hides.

An intruder reads a region's published row (children and events rounded to 10, the rate and
its interval to 1 decimal place) and tries every exact pair that rounds to the counts shown:
if only one pair gives the rate and interval shown, the region's exact count is known, and
the region's exact count minus its councils' published counts gives a hidden council's.
"""

from __future__ import annotations

import math

import polars as pl

from fgc.engine.disclosure import round_half_away
from fgc.engine.impact import compare, estimate, sensitivity, suppress_comparison
from fgc.engine.impact.compare import NATIONAL, REGION, UNADJUSTED
from fgc.engine.impact.definitions import OUTCOMES
from fgc.engine.impact.estimate import INPUT_SCHEMA, Scenario
from fgc.engine.impact.intervals import rate
from fgc.engine.impact.tables import comparison_tables, contrast_table, impact_row, num, signed
from fgc.engine.impact.tables import interval as interval_text
from fgc.standard import ENGLAND_CODE, get_la
from tests.engine.impact.linked import cell, frame

NE = get_la("805").region_code
BINARY = OUTCOMES[0]  # looked after at 12 months
HELD = "Meeting held"


def _linked(held_805: tuple[int, int], held_806: tuple[int, int]) -> pl.DataFrame:
    # 805 and 806 are both in the North East: the region is their sum, and so is England.
    return frame(
        [
            *cell(*held_805, group="held", la_code="805"),
            *cell(*held_806, group="held", la_code="806"),
            *cell(40, 16, group="not_offered", la_code="805"),
            *cell(33, 17, group="not_offered", la_code="806"),
        ]
    )


def _rows(linked: pl.DataFrame, area: str) -> dict[str, list[str]]:
    shown = suppress_comparison(compare(linked))
    table = next(t for t in comparison_tables(shown, area, "Area") if t.key.endswith(BINARY.column))
    return {r[0]: r for r in table.rows}


def _candidates(row: list[str]) -> list[tuple[int, int]]:
    """Every exact (children, events) that rounds to the counts shown and gives the rate and
    Wilson interval shown (the intruder's search)."""
    _label, n_text, k_text, value, span = row[:5]
    found = []
    n0, k0 = int(n_text), int(k_text) if k_text != "low" else 0
    for n in range(max(n0 - 5, 1), n0 + 5):
        for k in range(max(k0 - 5, 0), min(k0 + 5, n + 1)):
            if round_half_away(n) != n0 or (k_text != "low" and round_half_away(k) != k0):
                continue
            e = rate(k, n)
            assert e.lower is not None and e.upper is not None
            if num(100 * k / n) == value and interval_text(100 * e.lower, 100 * e.upper) == span:
                found.append((n, k))
    return found


def test_a_regional_rate_does_not_give_back_its_exact_counts():
    # North East, held: 23 + 14 = 37 children, 9 + 5 = 14 looked after (shown 40 and 10).
    linked = _linked((23, 9), (14, 5))
    for area in (NE, ENGLAND_CODE):
        row = _rows(linked, area)[HELD]
        assert row[1:3] == ["40", "10"]
        assert (37, 14) not in _candidates(row), f"{area}: {row}"


def test_regional_figures_are_the_same_for_every_exact_count_behind_the_rounding():
    # 37 children / 14 events and 35 / 11 both round to 40 / 10: nothing shown may differ.
    a, b = _linked((23, 9), (14, 5)), _linked((21, 6), (14, 5))
    for area in (NE, ENGLAND_CODE):
        assert _rows(a, area) == _rows(b, area)
        for o in OUTCOMES:
            if o.kind != "binary":
                continue
            ta = contrast_table(suppress_comparison(compare(a)), area, "Area", o)
            tb = contrast_table(suppress_comparison(compare(b)), area, "Area", o)
            assert ta.rows == tb.rows


def test_regional_rate_and_contrasts_come_from_the_rounded_counts():
    shown = suppress_comparison(compare(_linked((23, 9), (14, 5))))
    row = _rows(_linked((23, 9), (14, 5)), NE)[HELD]
    e = rate(10, 40)
    assert row[3:5] == [num(25.0), interval_text(100 * e.lower, 100 * e.upper)]  # type: ignore[operator]
    # Not offered: 73 children, 33 looked after → shown 70 and 30.
    c = shown.contrasts.filter(
        (pl.col("area_code") == NE)
        & (pl.col("group") == "held")
        & (pl.col("outcome") == BINARY.column)
        & (pl.col("method") == UNADJUSTED)
    ).row(0, named=True)
    assert signed(c["difference"]) == signed(100 * (10 / 40 - 30 / 70))
    assert c["ratio"] == (10 / 40) / (30 / 70)
    g = shown.groups.filter(
        (pl.col("area_code") == NE)
        & (pl.col("group") == "held")
        & (pl.col("outcome") == BINARY.column)
    ).row(0, named=True)
    assert (g["children"], g["events"]) == (40, 10)  # the exact counts are not kept


def test_a_low_regional_count_shows_no_rate():
    # 805 and 806 each hold 2 children who declined: 4 in the region, shown "low".
    linked = frame(
        [
            *cell(30, 10, group="held", la_code="805"),
            *cell(2, 1, group="declined", la_code="805"),
            *cell(2, 1, group="declined", la_code="806"),
            *cell(40, 16, group="not_offered", la_code="805"),
        ]
    )
    row = _rows(linked, NE)["Offered and declined"]
    assert row[1:] == ["low", "low", "c", "c"]
    shown = suppress_comparison(compare(linked))
    for r in shown.contrasts.filter(
        (pl.col("area_code") == NE) & (pl.col("group") == "declined")
    ).iter_rows(named=True):
        assert r["suppressed"] and r["difference"] is None and r["ratio"] is None


def test_adjusted_figures_with_nothing_to_adjust_for_are_hidden_for_regions():
    # Every child has the same covariates: the model keeps no term, and its "adjusted"
    # figures would be the unadjusted ones over the exact counts.
    shown = suppress_comparison(compare(_linked((23, 9), (14, 5))))
    adjusted = shown.contrasts.filter(
        pl.col("geographic_level").is_in([REGION, NATIONAL])
        & (pl.col("method") == "adjusted")
        & pl.col("group").is_in(["held", "offered"])  # the others have no children
    )
    assert adjusted.height and adjusted.get_column("suppressed").all()
    assert adjusted.get_column("difference").null_count() == adjusted.height


def _inputs(*rows: tuple[str, int]) -> pl.DataFrame:
    # Too few baseline children: every council uses the trial's rate, so a region's figures
    # depend on its count alone.
    return pl.DataFrame(
        [
            {
                "la_code": la,
                "region_code": get_la(la).region_code,
                "period": "2025-26",
                "not_offered": n,
                "baseline_children": 0,
                "baseline_events": 0,
            }
            for la, n in rows
        ],
        schema=INPUT_SCHEMA,
    )


def _impact_rows(inputs: pl.DataFrame) -> dict[str, list[str]]:
    return {e.area_code: impact_row(e, e.area_code) for e in estimate(inputs)}


def test_regional_impact_figures_do_not_give_back_the_exact_count():
    # 803 + 4 = 807 not offered in the North East (shown 810); the saving (£960 a child)
    # to the nearest £1,000 would pin 807.
    a = _impact_rows(_inputs(("805", 803), ("806", 4)))
    b = _impact_rows(_inputs(("805", 806), ("806", 5)))
    for area in (NE, ENGLAND_CODE):
        assert a[area][1] == "810"
        assert a[area] == b[area]
    assert a["806"][1] == "c"


def test_the_england_sensitivity_estimate_does_not_give_back_the_exact_count():
    # A chosen baseline of 100% and full uptake would make "expected to be looked after"
    # the exact number of children not offered.
    inputs = _inputs(("805", 803), ("806", 4))
    e = sensitivity(inputs, ENGLAND_CODE, Scenario(baseline_rate=1.0, uptake_share=1.0))
    row = impact_row(e, "England")
    assert row[1] == "810" and row[3] == "810"
    assert not math.isclose(float(row[3].replace(",", "")), 807)


def test_a_low_regional_impact_count_shows_no_figures():
    rows = _impact_rows(_inputs(("805", 2), ("806", 2), ("202", 40)))
    assert rows[NE][1] == "low"
    assert rows[NE][2:8] == ["c"] * 6


def test_a_regional_baseline_rate_does_not_give_back_a_hidden_councils_count():
    # 805's own rate (15 of 50, 30%) is published exactly through its comparison; 806 has 1
    # to 4 children not offered (hidden) and too few known to have a rate of its own, so it
    # takes the trial's 44.8%. Weighted by 806's count, the region's rate would tell which.
    def rows(n_806: int) -> list[str]:
        inputs = pl.DataFrame(
            [
                {
                    "la_code": "805",
                    "not_offered": 40,
                    "baseline_children": 50,
                    "baseline_events": 15,
                },
                {
                    "la_code": "806",
                    "not_offered": n_806,
                    "baseline_children": 3,
                    "baseline_events": 1,
                },
            ]
        ).with_columns(pl.lit(NE).alias("region_code"), pl.lit("2025-26").alias("period"))
        by_area = _impact_rows(inputs.select(pl.col(c).cast(t) for c, t in INPUT_SCHEMA.items()))
        assert by_area["806"][1] == "c"
        return by_area[NE]

    assert rows(1) == rows(2) == rows(3) == rows(4)
    assert rows(1)[1:3] == ["40", "30.0"]
