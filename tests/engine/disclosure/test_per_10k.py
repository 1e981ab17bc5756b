"""Rates per 10,000 over a public denominator (children in need, population).

The denominator is a published statistic, so it is shown as it is and never suppressed; the
rate is then as revealing as its numerator: ``c`` wherever the numerator is hidden (primary
or secondary), and at region and England computed from the *rounded* published count, since
an unrounded one over a public denominator would give the exact regional count back.
"""

import polars as pl

from fgc.engine.disclosure import TableSpec, publish, suppress
from fgc.engine.disclosure.ees import meta_rows

# 805, 806, 807 are in the North East (E12000001)


def _spec(counts: list[int], dens: list[int | None]) -> TableSpec:
    frame = pl.DataFrame(
        {"la_code": ["805", "806", "807"], "offered": counts, "cin": dens},
        schema={"la_code": pl.Utf8, "offered": pl.Int64, "cin": pl.Int64},
    )
    return TableSpec(
        "rates",
        frame,
        (),
        ("offered",),
        labels=(("cin", "Children in need at 31 March"),),
        public=("cin",),
        per_10k=(("offered_per_10k_cin", "offered", "cin", "Offered per 10,000 in need"),),
    )


def _row(table: pl.DataFrame, level: str, la: str | None = None) -> dict[str, str]:
    f = table.filter(pl.col("geographic_level") == level)
    if la is not None:
        f = f.filter(pl.col("la_code") == la)
    assert f.height == 1, f
    return f.row(0, named=True)


def test_council_rate_and_public_denominator_shown():
    t = suppress([_spec([7, 30, 44], [1341, 2000, 3000])]).tables["rates"]
    r = _row(t, "Local authority", "805")
    assert r["cin"] == "1341"
    assert r["offered_per_10k_cin"] == "52.2"  # 7 × 10,000 / 1,341 = 52.199…
    assert _row(t, "Local authority", "806")["offered_per_10k_cin"] == "150.0"


def test_rate_hidden_when_numerator_primary_suppressed_but_denominator_public():
    t = suppress([_spec([5, 30, 44], [1341, 2000, 3000])]).tables["rates"]
    r = _row(t, "Local authority", "805")
    assert r["offered"] == "c"
    assert r["offered_per_10k_cin"] == "c"
    assert r["cin"] == "1341"  # a published DfE figure: never hidden


def test_six_is_shown_threshold_boundary():
    t = suppress([_spec([6, 30, 44], [1000, 2000, 3000])]).tables["rates"]
    assert _row(t, "Local authority", "805")["offered_per_10k_cin"] == "60.0"


def test_rate_hidden_when_numerator_secondary_suppressed():
    # 805: Total 10 = A 3 + B 7, so B is hidden too (10 − 7 would give A back); B's public
    # denominator is shown, so B's rate would give 7 back unless it is hidden as well.
    frame = pl.DataFrame(
        [("805", "A", 3, 400), ("805", "B", 7, 600), ("805", "Total", 10, 1000)],
        schema={"la_code": pl.Utf8, "g": pl.Utf8, "offered": pl.Int64, "cin": pl.Int64},
        orient="row",
    )
    spec = TableSpec(
        "rates",
        frame,
        ("g",),
        ("offered",),
        public=("cin",),
        per_10k=(("rate", "offered", "cin", "Offered per 10,000"),),
    )
    t = suppress([spec]).tables["rates"].filter(pl.col("geographic_level") == "Local authority")
    by_g = {r["g"]: r for r in t.iter_rows(named=True)}
    assert (by_g["B"]["offered"], by_g["B"]["rate"], by_g["B"]["cin"]) == ("c", "c", "600")
    assert by_g["A"]["rate"] == "c"
    assert by_g["Total"]["rate"] == "100.0"


def test_region_and_england_from_rounded_count_and_summed_denominator():
    t = suppress([_spec([7, 33, 44], [1341, 2000, 3000])]).tables["rates"]
    reg = _row(t, "Regional")
    assert reg["offered"] == "80"  # 84 rounded to 10
    assert reg["cin"] == "6341"
    # 80 × 10,000 / 6,341 = 126.16…, not 84 × 10,000 / 6,341 = 132.5
    assert reg["offered_per_10k_cin"] == "126.2"
    assert _row(t, "National")["offered_per_10k_cin"] == "126.2"


def test_low_region_count_hides_its_rate():
    t = suppress([_spec([0, 0, 4], [1000, 2000, 3000])]).tables["rates"]
    reg = _row(t, "Regional")
    assert reg["offered"] == "low"
    assert reg["offered_per_10k_cin"] == "c"


def test_missing_denominator_is_x_and_zero_is_z():
    t = suppress([_spec([7, 30, 44], [None, 0, 3000])]).tables["rates"]
    a = _row(t, "Local authority", "805")
    assert (a["cin"], a["offered_per_10k_cin"]) == ("x", "x")
    assert _row(t, "Local authority", "806")["offered_per_10k_cin"] == "z"
    # A region missing one council's denominator has no denominator to divide by.
    reg = _row(t, "Regional")
    assert (reg["cin"], reg["offered_per_10k_cin"]) == ("x", "x")


def test_zero_count_gives_zero_rate():
    t = suppress([_spec([0, 30, 44], [1000, 2000, 3000])]).tables["rates"]
    assert _row(t, "Local authority", "805")["offered_per_10k_cin"] == "0.0"


def test_public_columns_are_not_cells_of_the_checker():
    res = suppress([_spec([7, 30, 44], [1341, 2000, 3000])])
    assert not any(d.indicator == "cin" for d in res.decisions)
    assert res.check.ok


def test_metadata_rows_for_public_and_rate_columns():
    rows = {r[0]: r for r in meta_rows(_spec([7, 30, 44], [1341, 2000, 3000]))}
    assert rows["cin"][1:3] == ["Indicator", "Children in need at 31 March"]
    assert rows["cin"][5] == "0"
    assert rows["offered_per_10k_cin"][2] == "Offered per 10,000 in need"
    assert rows["offered_per_10k_cin"][5] == "1"


def test_published_file_carries_rate_columns():
    pub = publish([_spec([7, 30, 44], [1341, 2000, 3000])], "2025-26")
    data, _meta = pub.files["rates"]
    header = data.splitlines()[0].split(",")
    assert header[-3:] == ["offered", "cin", "offered_per_10k_cin"]
    assert not pub.problems
