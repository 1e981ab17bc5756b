import math

import polars as pl
import pytest

from fgc.engine.insight.equity import (
    add_proportion_intervals,
    clopper_pearson_interval,
    rate_ratio,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("x", "n", "lo", "hi"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611)],
)
def test_wilson_matches_newcombe_values(x, n, lo, hi):
    got = wilson_interval(x, n)
    assert got[0] == pytest.approx(lo, abs=1e-4)
    assert got[1] == pytest.approx(hi, abs=1e-4)


def test_clopper_pearson_exact_values():
    assert clopper_pearson_interval(0, 10) == pytest.approx((0.0, 0.3085), abs=1e-4)
    assert clopper_pearson_interval(5, 10) == pytest.approx((0.1871, 0.8129), abs=1e-4)


def test_small_denominators_use_exact_interval_large_use_wilson():
    f = pl.DataFrame({"n": [5.0, 81.0], "d": [10.0, 263.0]})
    out = add_proportion_intervals(f, "n", "d")
    assert out["lower"][0] == pytest.approx(18.71, abs=0.01)
    assert out["upper"][1] == pytest.approx(36.62, abs=0.01)


def test_rate_ratio_katz():
    rr, lo, hi = rate_ratio(10, 100, 20, 100)
    assert rr == pytest.approx(0.5)
    assert lo == pytest.approx(0.2466, abs=1e-4)
    assert hi == pytest.approx(1.0137, abs=1e-4)
    assert math.isnan(rate_ratio(0, 10, 5, 10)[0])
