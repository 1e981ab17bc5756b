"""The impact estimate: its formulas, its simulation, the baseline rule and sensitivity."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from fgc.engine.impact import (
    Scenario,
    ScenarioError,
    estimate,
    impact_hidden,
    impact_inputs,
    not_offered_text,
    sensitivity,
)
from fgc.engine.impact.compare import LA, NATIONAL, REGION
from fgc.engine.impact.estimate import INPUT_SCHEMA, OWN, TRIAL, financial_year
from fgc.standard import ENGLAND_CODE, get_la
from tests.engine.impact.linked import cell, frame

NE = get_la("805").region_code


def _inputs(*rows):
    return pl.DataFrame(
        [
            {
                "la_code": la,
                "region_code": get_la(la).region_code,
                "period": "2025-26",
                "not_offered": n,
                "baseline_children": bn,
                "baseline_events": bk,
            }
            for la, n, bn, bk in rows
        ],
        schema=INPUT_SCHEMA,
    )


def _by_area(estimates):
    return {e.area_code: e for e in estimates}


def test_financial_year_boundary():
    assert financial_year(date(2025, 3, 31)) == "2024-25"
    assert financial_year(date(2025, 4, 1)) == "2025-26"


def test_inputs_count_the_latest_year_and_every_due_outcome():
    linked = frame(
        [
            *cell(4, 2, group="not_offered", index_date=date(2025, 3, 31)),  # 2024-25
            *cell(3, 0, group="not_offered", index_date=date(2025, 4, 1)),  # 2025-26
            *cell(9, 9, group="held", index_date=date(2025, 5, 1)),  # offered: not counted
        ]
    )
    inputs = impact_inputs(linked)
    assert inputs.to_dicts() == [
        {
            "la_code": "805",
            "region_code": NE,
            "period": "2025-26",
            "not_offered": 3,
            "baseline_children": 7,
            "baseline_events": 2,
        }
    ]
    assert impact_inputs(linked, "2024-25")["not_offered"].to_list() == [4]


def test_central_figures_are_the_formulas():
    e = _by_area(estimate(_inputs(("805", 80, 80, 35))))["805"]
    assert e.baseline_source == OWN and e.baseline_rate == pytest.approx(35 / 80)
    assert e.looked_after_now.value == pytest.approx(35.0)
    assert e.fewer_looked_after.value == pytest.approx(35 * (1 - 0.81))
    assert e.saving.value == pytest.approx(80 * 960)
    assert e.fewer_looked_after.lower < e.fewer_looked_after.value < e.fewer_looked_after.upper
    # The saving's spread is the assumption's (±£480 at 95%), times the 80 children.
    assert e.saving.lower == pytest.approx(80 * 480, rel=0.03)
    assert e.saving.upper == pytest.approx(80 * 1440, rel=0.03)


@pytest.mark.parametrize(("known", "source", "rate"), [(19, TRIAL, 0.448), (20, OWN, 0.25)])
def test_baseline_falls_back_to_the_trial_below_the_minimum(known, source, rate):
    e = _by_area(estimate(_inputs(("805", 40, known, known // 4 if known == 20 else 1))))["805"]
    assert e.baseline_source == source
    assert e.baseline_rate == pytest.approx(rate)
    assert e.looked_after_now.value == pytest.approx(40 * rate)


def test_regions_and_england_are_sums_of_councils():
    inputs = _inputs(("805", 50, 40, 20), ("806", 30, 10, 5), ("202", 20, 30, 6))
    est = _by_area(estimate(inputs))
    for field in ("looked_after_now", "fewer_looked_after", "saving"):
        council = {la: getattr(est[la], field).value for la in ("805", "806", "202")}
        assert getattr(est[NE], field).value == pytest.approx(council["805"] + council["806"])
        assert getattr(est[ENGLAND_CODE], field).value == pytest.approx(sum(council.values()))
    assert est[NE].geographic_level == REGION and est[NE].not_offered == 80
    assert est[ENGLAND_CODE].geographic_level == NATIONAL
    assert est[ENGLAND_CODE].baseline_source == "mixed"
    # 806 has too few known children (10): the trial's rate is its baseline.
    assert est["806"].looked_after_now.value == pytest.approx(30 * 0.448)


def test_simulation_is_deterministic_and_a_council_does_not_depend_on_others():
    one = _by_area(estimate(_inputs(("805", 50, 40, 20))))["805"]
    again = _by_area(estimate(_inputs(("805", 50, 40, 20))))["805"]
    with_others = _by_area(estimate(_inputs(("805", 50, 40, 20), ("202", 20, 30, 6))))["805"]
    assert one == again == with_others


def test_uptake_and_relative_risk_scenarios():
    inputs = _inputs(("805", 80, 80, 35))
    half = sensitivity(inputs, "805", Scenario(uptake_share=0.5))
    assert half.referred == 40 and half.saving.value == pytest.approx(40 * 960)
    assert half.fewer_looked_after.value == pytest.approx(0.5 * 35 * 0.19)
    none = sensitivity(inputs, "805", Scenario(relative_risk=1.0))
    assert none.fewer_looked_after.value == 0.0
    assert none.fewer_looked_after.lower < 0 < none.fewer_looked_after.upper
    assert none.relative_risk.value == 1.0
    assert math.log(none.relative_risk.high) == pytest.approx(math.log(0.92 / 0.81))


def test_chosen_baseline_is_fixed():
    e = sensitivity(_inputs(("805", 100, 80, 35)), "805", Scenario(baseline_rate=0.5))
    assert e.baseline_source == "chosen"
    assert e.looked_after_now.value == e.looked_after_now.lower == e.looked_after_now.upper == 50


def test_sensitivity_with_defaults_matches_the_estimate():
    inputs = _inputs(("805", 50, 40, 20), ("806", 30, 10, 5), ("202", 20, 30, 6))
    est = _by_area(estimate(inputs))
    for code in ("805", NE, ENGLAND_CODE):
        assert sensitivity(inputs, code, Scenario()) == est[code]


def test_sensitivity_for_an_area_without_data_is_zero():
    e = sensitivity(_inputs(("805", 50, 40, 20)), "999", Scenario())
    assert e.not_offered == 0 and e.fewer_looked_after.value == 0


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(relative_risk=0.0),
        Scenario(relative_risk=2.5),
        Scenario(uptake_share=1.01),
        Scenario(baseline_rate=-0.1),
        Scenario(saving_per_child=float("nan")),
    ],
)
def test_scenarios_out_of_range_are_refused(scenario):
    with pytest.raises(ScenarioError):
        estimate(_inputs(("805", 50, 40, 20)), scenario)


@pytest.mark.parametrize(
    ("n", "hidden", "text", "england"),
    [(5, True, "c", "10"), (6, False, "6", "10"), (0, False, "0", "0"), (4, True, "c", "low")],
)
def test_council_estimates_with_few_children_are_hidden(n, hidden, text, england):
    est = _by_area(estimate(_inputs(("805", n, 40, 20))))
    assert impact_hidden(est["805"]) is hidden
    assert not_offered_text(est["805"]) == text
    # England is hidden only over a "low" count (figures over 0 children would say nothing).
    assert impact_hidden(est[ENGLAND_CODE]) is (england == "low")
    assert not_offered_text(est[ENGLAND_CODE]) == england  # rounded to 10, half away


def test_empty_inputs():
    assert impact_inputs(frame([])).height == 0
    est = estimate(impact_inputs(frame([])))
    assert [e.geographic_level for e in est] == [NATIONAL]
    assert est[0].fewer_looked_after.value == 0


def test_levels_can_be_chosen():
    est = estimate(_inputs(("805", 5, 4, 2)), levels=(LA,))
    assert [e.area_code for e in est] == ["805"]


def test_own_baseline_uncertainty_is_the_jeffreys_posterior():
    from scipy.stats import beta

    e = _by_area(estimate(_inputs(("805", 100, 20, 2))))["805"]
    lo, hi = beta.ppf([0.025, 0.975], 2.5, 18.5)  # Jeffreys: Beta(k + ½, n − k + ½)
    assert e.looked_after_now.lower == pytest.approx(100 * lo, rel=0.05)
    assert e.looked_after_now.upper == pytest.approx(100 * hi, rel=0.05)
