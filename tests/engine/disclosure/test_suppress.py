import polars as pl
import pytest

from fgc.engine.disclosure import DisclosureConfig, TableSpec, round_half_away, suppress
from fgc.engine.disclosure.suppress import format_rate


@pytest.mark.parametrize(("v", "r"), [(15, 20), (25, 30), (-15, -20), (14, 10), (4, 0), (0, 0)])
def test_round_half_away_from_zero(v, r):
    assert round_half_away(v, 10) == r


def test_format_rate_one_dp_from_unrounded():
    assert format_rate(1, 3) == "33.3"
    assert format_rate(1, 8) == "12.5"
    assert format_rate(0, 0) == "z"


def _spec(rows):
    f = pl.DataFrame(rows, schema=["la_code", "sex", "offered", "accepted"], orient="row")
    return TableSpec(
        "t", f, ("sex",), ("offered", "accepted"), (("rate", "accepted", "offered", "Accepted %"),)
    )


def _cell(res, la, sex, col):
    t = res.tables["t"]
    return t.filter((pl.col("la_code") == la) & (pl.col("sex") == sex))[col][0]


def test_primary_and_secondary_suppression():
    res = suppress(
        [
            _spec(
                [
                    ("805", "Male", 3, 0),
                    ("805", "Female", 20, 12),
                    ("805", "Total", 23, 12),
                    ("806", "Male", 10, 7),
                    ("806", "Female", 12, 6),
                    ("806", "Total", 22, 13),
                ]
            )
        ]
    )
    assert _cell(res, "805", "Male", "offered") == "c"
    assert _cell(res, "805", "Female", "offered") == "c"  # else 23 − 20 reveals it
    assert _cell(res, "805", "Male", "accepted") == "0"  # zeros are shown
    assert _cell(res, "805", "Total", "offered") == "23"  # council figures unrounded
    assert _cell(res, "805", "Male", "rate") == "c"  # numerator's denominator suppressed
    kinds = {(d.area, d.filters, d.indicator): d.kind for d in res.decisions}
    assert kinds[("805", "sex=Male", "offered")] == "primary"
    assert kinds[("805", "sex=Female", "offered")] == "secondary"
    assert res.check.ok


def test_national_and_regional_rounded_and_low():
    res = suppress(
        [_spec([("805", "Male", 3, 1), ("805", "Female", 12, 5), ("805", "Total", 15, 6)])]
    )
    nat = res.tables["t"].filter(pl.col("geographic_level") == "National")
    assert dict(zip(nat["sex"], nat["offered"], strict=True)) == {
        "Female": "10",
        "Male": "low",
        "Total": "20",
    }
    # From the rounded 10 / 20: the unrounded 6 / 15 = 40.0% would give the exact counts
    # back (an intruder's linear programme finds them), undoing the rounding.
    assert nat.filter(pl.col("sex") == "Total")["rate"][0] == "50.0"
    # A rate over a "low" count says no more than "low": hidden.
    assert nat.filter(pl.col("sex") == "Male")["rate"][0] == "c"


def test_regional_rate_hidden_when_its_denominator_is_low():
    res = suppress(
        [_spec([("805", "Male", 3, 0), ("805", "Female", 12, 5), ("805", "Total", 15, 5)])]
    )
    reg = res.tables["t"].filter(pl.col("geographic_level") == "Regional")
    rates = dict(zip(reg["sex"], reg["rate"], strict=True))
    assert rates["Male"] == "c"  # offered 3 is low
    assert rates["Female"] == "100.0"  # 5 → 10 over 12 → 10


def test_rate_c_when_numerator_suppressed():
    res = suppress(
        [_spec([("805", "Male", 30, 2), ("805", "Female", 40, 20), ("805", "Total", 70, 22)])]
    )
    assert _cell(res, "805", "Male", "accepted") == "c"
    assert _cell(res, "805", "Male", "rate") == "c"
    assert _cell(res, "805", "Male", "offered") == "30"


def test_threshold_is_configuration():
    rows = [("805", "Male", 7, 7), ("805", "Female", 20, 10), ("805", "Total", 27, 17)]
    assert _cell(suppress([_spec(rows)]), "805", "Male", "offered") == "7"
    strict = suppress([_spec(rows)], DisclosureConfig(threshold=9))
    assert _cell(strict, "805", "Male", "offered") == "c"


def test_cells_shared_across_tables_are_protected_in_both():
    a = pl.DataFrame({"la_code": ["805"] * 3, "sex": ["Male", "Female", "Total"], "n": [3, 20, 23]})
    b = pl.DataFrame({"la_code": ["805"] * 3, "age": ["Young", "Old", "Total"], "n": [11, 12, 23]})
    res = suppress([TableSpec("a", a, ("sex",), ("n",)), TableSpec("b", b, ("age",), ("n",))])
    assert res.check.ok
    # the shared council total is either shown in both tables or hidden in both
    ta = res.tables["a"].filter((pl.col("la_code") == "805") & (pl.col("sex") == "Total"))["n"][0]
    tb = res.tables["b"].filter((pl.col("la_code") == "805") & (pl.col("age") == "Total"))["n"][0]
    assert ta == tb
