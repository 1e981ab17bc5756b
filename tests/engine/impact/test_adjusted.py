"""Adjusted comparisons: known logistic and linear fits, and every fallback."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from fgc.engine.impact import compare
from fgc.engine.impact.adjusted import adjusted_comparison
from fgc.engine.impact.compare import LA
from fgc.engine.insight.equity import Z
from tests.engine.impact.linked import cell, frame

HELD, NOT = "held", "not_offered"


def _contrast(linked, outcome="looked_after_12m", method="adjusted", group=HELD) -> dict:
    c = compare(linked, levels=(LA,)).contrasts
    rows = c.filter(
        (pl.col("outcome") == outcome) & (pl.col("method") == method) & (pl.col("group") == group)
    ).to_dicts()
    assert len(rows) == 1
    return rows[0]


def confounded():
    # log odds = 0 − ln 3 × held + ln 3 × earlier plan: the main-effects logistic model fits
    # these four cells exactly (fitted = observed), so its estimates are known.
    return frame(
        [
            *cell(20, 5, group=HELD, prior_cp_plan=False),  # 25%
            *cell(60, 30, group=HELD, prior_cp_plan=True),  # 50%
            *cell(60, 30, group=NOT, prior_cp_plan=False),  # 50%
            *cell(20, 15, group=NOT, prior_cp_plan=True),  # 75%
        ]
    )


def test_confounded_table_standardised_by_hand():
    linked = confounded()
    raw = _contrast(linked, method="unadjusted")
    assert raw["group_value"] == pytest.approx(100 * 35 / 80)
    assert raw["reference_value"] == pytest.approx(100 * 45 / 80)
    assert raw["difference"] == pytest.approx(-12.5)
    adj = _contrast(linked)
    # Half of the 160 children had an earlier plan: held 0.5×25% + 0.5×50% = 37.5%;
    # not offered 0.5×50% + 0.5×75% = 62.5%.
    assert adj["group_value"] == pytest.approx(37.5, abs=1e-6)
    assert adj["reference_value"] == pytest.approx(62.5, abs=1e-6)
    assert adj["difference"] == pytest.approx(-25.0, abs=1e-6)
    assert adj["ratio"] == pytest.approx(0.6, abs=1e-8)
    assert adj["difference_lower"] < -25 < adj["difference_upper"] < 0
    assert adj["note"] == (
        "not adjusted for age band, sex, ethnic group, disability: it does not vary among "
        "these children once small groups are merged"
    )


def test_saturated_model_intervals_are_wald_and_katz():
    # With no covariate varying the model is saturated: the delta-method intervals reduce to
    # the Wald interval of the difference and Katz's interval of the ratio.
    linked = frame([*cell(80, 45, group=HELD), *cell(80, 35, group=NOT)])
    adj = _contrast(linked)
    p1, p0 = 45 / 80, 35 / 80
    half = 100 * Z * math.sqrt(p1 * (1 - p1) / 80 + p0 * (1 - p0) / 80)
    assert adj["difference"] == pytest.approx(12.5, abs=1e-6)
    assert adj["difference_lower"] == pytest.approx(12.5 - half, abs=1e-5)
    assert adj["difference_upper"] == pytest.approx(12.5 + half, abs=1e-5)
    assert (round(adj["ratio_lower"], 4), round(adj["ratio_upper"], 4)) == (0.9385, 1.7614)


def _days_rows(group, cp, n, days):
    # Half the children 5 days above the line, half 5 below: the least-squares line is exact.
    return [
        {"group": group, "prior_cp_plan": cp, "days_looked_after_12m": days + (5 if i % 2 else -5)}
        | {"looked_after_12m": i % 3 == 0, "proceedings_issued_12m": i % 3 == 0}
        for i in range(n)
    ]


def test_days_adjusted_by_least_squares():
    # days = 10 + 20·held + 30·earlier plan (± 5)
    linked = frame(
        [
            *_days_rows(HELD, False, 20, 30),
            *_days_rows(HELD, True, 60, 60),
            *_days_rows(NOT, False, 60, 10),
            *_days_rows(NOT, True, 20, 40),
        ]
    )
    raw = _contrast(linked, "days_looked_after_12m", "unadjusted")
    assert (raw["group_value"], raw["reference_value"]) == (52.5, 17.5)
    assert raw["difference"] == pytest.approx(35.0)
    adj = _contrast(linked, "days_looked_after_12m")
    assert adj["difference"] == pytest.approx(20.0, abs=1e-9)
    assert adj["group_value"] == pytest.approx(45.0)  # 10 + 20 + 30 × 0.5
    assert adj["reference_value"] == pytest.approx(25.0)
    assert adj["ratio"] == pytest.approx(1.8)
    assert adj["difference_lower"] < 20 < adj["difference_upper"]


@pytest.mark.parametrize(("held", "fitted"), [(9, False), (10, True)])
def test_too_few_children_in_a_group(held, fitted):
    linked = frame([*cell(held, held // 2, group=HELD), *cell(40, 20, group=NOT)])
    adj = _contrast(linked)
    assert (adj["difference"] is not None) is fitted
    if not fitted:
        assert adj["note"] == (
            "too few children in the “Meeting held” group for a model (9; at least 10 needed)"
        )


@pytest.mark.parametrize(("events", "fitted"), [(9, False), (10, True)])
def test_too_few_children_with_the_outcome(events, fitted):
    linked = frame([*cell(30, 4, group=HELD), *cell(30, events - 4, group=NOT)])
    adj = _contrast(linked)
    assert (adj["difference"] is not None) is fitted
    if not fitted:
        assert adj["note"].startswith("too few children with (or without) the outcome")


def test_separation_is_a_note_not_a_crash():
    linked = frame([*cell(30, 30, group=HELD), *cell(30, 10, group=NOT)])
    adj = _contrast(linked)
    assert adj["difference"] is None and adj["ratio"] is None
    assert adj["note"] == (
        "every child in the “Meeting held” group had the same outcome, so the model cannot be "
        "fitted (separation)"
    )
    # The unadjusted figures still stand.
    assert _contrast(linked, method="unadjusted")["difference"] == pytest.approx(100 * 2 / 3)


def _epv(no_events: tuple[int, int, int]):
    rows = []
    for band, h, n in zip(("Under 1", "1 to 4", "5 to 9"), (3, 2, 2), no_events, strict=True):
        rows += cell(10, h, group=HELD, age_band=band)
        rows += cell(10, n, group=NOT, age_band=band)
    return frame(rows)


@pytest.mark.parametrize(("no_events", "fitted"), [((2, 3, 3), True), ((2, 3, 2), False)])
def test_events_per_term(no_events, fitted):
    # 3 terms (group and two age dummies) need 15 children with the outcome.
    adj = _contrast(_epv(no_events))
    assert (adj["difference"] is not None) is fitted
    if not fitted:
        assert adj["note"] == (
            "too few children for 3 model terms (14 with or without the outcome; at least 5 "
            "per term needed)"
        )


def _two_levels(small: int):
    return frame(
        [
            *cell(small, 3, group=HELD, sex="M"),
            *cell(40, 15, group=HELD),
            *cell(40, 20, group=NOT),
        ]
    )


@pytest.mark.parametrize(("small", "kept"), [(9, False), (10, True)])
def test_sparse_levels_are_merged(small, kept):
    adj = compare(_two_levels(small), levels=(LA,))
    row = adj.contrasts.filter(
        (pl.col("method") == "adjusted")
        & (pl.col("group") == HELD)
        & (pl.col("outcome") == "looked_after_12m")
    ).row(0, named=True)
    assert row["difference"] is not None
    assert ("sex" in row["note"]) is not kept


def test_single_outcome_level_is_merged():
    t = np.array([1.0] * 40 + [0.0] * 40)
    y = np.array(([1.0] * 15 + [0.0] * 25) + ([1.0] * 20 + [0.0] * 20))
    # Twelve held children in Mixed, none looked after: that level cannot be estimated.
    eth = ["Mixed"] * 12 + ["White"] * 28 + ["White"] * 40
    y[:12] = 0.0
    df = pl.DataFrame({"_t": t > 0, "y": y > 0, "ethnicity_group": eth})
    adj = adjusted_comparison(df, "y", "binary", "_t", ["ethnicity_group"])
    assert adj.fitted and adj.terms == ()


def test_a_failing_fit_is_a_note(monkeypatch):
    import statsmodels.api as sm

    def boom(*a, **k):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(sm.Logit, "fit", boom)
    adj = _contrast(frame([*cell(40, 20, group=HELD), *cell(40, 10, group=NOT)]))
    assert adj["difference"] is None
    assert adj["note"] == "the model could not be fitted (LinAlgError)"


def test_days_ratio_undefined_when_a_group_had_no_days():
    # No held child was looked after: the linear model predicts ~0 days for the group, so
    # the ratio is left out (a note-free difference remains) rather than overflowing.
    linked = frame([*cell(12, 0, group=HELD), *cell(30, 12, group=NOT)])
    adj = _contrast(linked, "days_looked_after_12m")
    assert adj["difference"] == pytest.approx(-80.0, abs=1e-9)
    assert adj["ratio"] is None
