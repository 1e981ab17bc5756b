"""The assumptions file: shipped values, their derivations, and checks on edits."""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import pytest

from fgc.engine.impact.assumptions import AssumptionError, load_assumptions, parse
from fgc.engine.insight.equity import Z, wilson_interval
from fgc.engine.insight.outcomes import TRIAL_REFERENCE


def _raw():
    text = resources.files("fgc.engine.impact").joinpath("data/assumptions.toml").read_text()
    return tomllib.loads(text)


def test_shipped_assumptions():
    a = load_assumptions()
    assert (a.relative_risk.value, a.relative_risk.low, a.relative_risk.high) == (0.81, 0.71, 0.92)
    assert a.saving_per_child.value == 960.0
    assert a.uptake_share.value == 1.0 and a.uptake_share.spread == 0.0
    assert (a.draws, a.baseline_min_children) == (10000, 20)
    for item in a.items():
        assert item.source and item.label


def test_relative_risk_is_the_trials_arms_and_its_interval_is_as_documented():
    fgc = TRIAL_REFERENCE["looked_after_12m_fgc_arm"] / 100
    usual = TRIAL_REFERENCE["looked_after_12m_usual_care_arm"] / 100
    assert round(fgc / usual, 2) == load_assumptions().relative_risk.value
    n = 1471 / 2  # families per arm
    se = math.sqrt((1 - fgc) / (fgc * n) + (1 - usual) / (usual * n))
    rr = fgc / usual
    assert (round(rr * math.exp(-Z * se), 2), round(rr * math.exp(Z * se), 2)) == (0.71, 0.92)


def test_baseline_is_the_usual_care_arm_with_its_wilson_interval():
    b = load_assumptions().baseline_rate
    assert b.value * 100 == pytest.approx(TRIAL_REFERENCE["looked_after_12m_usual_care_arm"])
    lo, hi = wilson_interval(0.448 * 1471 / 2, 1471 / 2)
    assert (round(lo, 3), round(hi, 3)) == (b.low, b.high)


def test_lognormal_spread_from_the_interval():
    rr = load_assumptions().relative_risk
    assert rr.spread == pytest.approx((math.log(0.92) - math.log(0.71)) / (2 * Z))
    moved = rr.centred_on(0.9)
    assert moved.value == 0.9
    assert math.log(moved.high) - math.log(0.9) == pytest.approx(math.log(0.92 / 0.81))
    assert math.log(0.9) - math.log(moved.low) == pytest.approx(math.log(0.81 / 0.71))


def test_normal_centred_keeps_width():
    s = load_assumptions().saving_per_child.centred_on(2000)
    assert (s.low, s.value, s.high) == (1520.0, 2000, 2480.0)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r.pop("relative_risk"), r"no \[relative_risk\] section"),
        (lambda r: r["relative_risk"].update(low=0.9), "low <= value <= high"),
        (lambda r: r["relative_risk"].update(value="x"), "value must be a number"),
        (lambda r: r["relative_risk"].update(distribution="cauchy"), "distribution must be"),
        (lambda r: r["relative_risk"].update(low=0.0, value=0.0), "low must be above 0"),
        (lambda r: r["baseline_rate"].update(high=1.0), r"in \(0, 1\)"),
        (lambda r: r["saving_per_child"].update(source=" "), "needs a source"),
        (lambda r: r["settings"].update(draws=5), "draws must be"),
    ],
)
def test_bad_edits_are_named(edit, message):
    raw = _raw()
    edit(raw)
    with pytest.raises(AssumptionError, match=message):
        parse(raw)
