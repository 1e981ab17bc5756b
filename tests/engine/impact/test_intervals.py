"""Intervals against published worked examples and hand calculations."""

from __future__ import annotations

import math

import pytest

from fgc.engine.impact.intervals import (
    Sample,
    mean,
    mean_difference,
    mean_ratio,
    rate,
    rate_difference,
    rate_ratio,
)


def test_wilson_matches_newcombe_1998_single_proportion_example():
    # Newcombe (1998) Statistics in Medicine 17:857-872, 81/263: Wilson 0.2553 to 0.3662.
    e = rate(81, 263)
    assert e.value == pytest.approx(81 / 263)
    assert (round(e.lower, 4), round(e.upper, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize(
    ("a", "n1", "b", "n2", "expected"),
    [
        # Newcombe (1998) Statistics in Medicine 17:873-890, Table II, method 10.
        (56, 70, 48, 80, (0.0524, 0.3339)),
        (9, 10, 3, 10, (0.1705, 0.8090)),
    ],
)
def test_difference_is_newcombe_hybrid_score(a, n1, b, n2, expected):
    e = rate_difference(a, n1, b, n2)
    assert e.value == pytest.approx(a / n1 - b / n2)
    assert (round(e.lower, 4), round(e.upper, 4)) == expected


def test_ratio_is_katz_log_interval():
    # 45/80 against 35/80: RR 9/7; se = sqrt(1/45 - 1/80 + 1/35 - 1/80) = 0.160604.
    e = rate_ratio(45, 80, 35, 80)
    assert e.value == pytest.approx(9 / 7)
    se = math.sqrt(1 / 45 - 1 / 80 + 1 / 35 - 1 / 80)
    assert round(se, 6) == 0.160604
    assert (round(e.lower, 4), round(e.upper, 4)) == (0.9385, 1.7614)


@pytest.mark.parametrize(("a", "b"), [(0, 3), (3, 0)])
def test_ratio_undefined_without_events(a, b):
    assert not rate_ratio(a, 10, b, 10).known


def test_no_children_gives_no_figure():
    assert not rate(0, 0).known
    assert not rate_difference(1, 2, 0, 0).known
    assert rate(0, 1).value == 0.0


def test_mean_interval_by_hand():
    # 1..5: mean 3, sd sqrt(2.5); half-width 1.959964 × 1.581139 / sqrt(5) = 1.385904.
    e = mean(Sample.of([1, 2, 3, 4, 5]))
    assert e.value == 3.0
    assert (round(e.lower, 4), round(e.upper, 4)) == (1.6141, 4.3859)


def test_mean_of_one_value_has_no_interval():
    e = mean(Sample.of([7.0]))
    assert e.value == 7.0 and e.lower is None


def test_welch_difference_and_ratio_by_hand():
    s1, s2 = Sample.of([1, 2, 3, 4, 5]), Sample.of([2, 4, 6])
    d = mean_difference(s1, s2)
    # se = sqrt(2.5 / 5 + 4 / 3) = 1.354006
    assert d.value == -1.0
    assert (round(d.lower, 4), round(d.upper, 4)) == (-3.6538, 1.6538)
    r = mean_ratio(s1, s2)
    # se(log) = sqrt(2.5 / (5 × 9) + 4 / (3 × 16)) = 0.372678
    assert r.value == 0.75
    assert (round(r.lower, 4), round(r.upper, 4)) == (0.3613, 1.5570)


def test_ratio_of_means_undefined_at_zero_mean():
    assert not mean_ratio(Sample.of([0, 0]), Sample.of([1, 2])).known
    assert not mean_difference(Sample.of([1]), Sample.of([1, 2])).known
