"""Medians in the release: shown only where the count of values under them is shown.

The rule (docs/statistics.md, "Medians"): a median is published when its count is published
(neither primary- nor secondary-suppressed) and it and the number of values are above the
threshold, at every level; ``c`` otherwise; ``z`` when the count is 0; ``x`` when the values
were all left out (negative intervals, recording errors).
"""

import polars as pl
import pytest

from fgc.engine.disclosure import TableSpec, publish, suppress
from fgc.engine.insight import compute_measures
from fgc.engine.insight.release import publication_tables
from fgc.engine.insight.release_tables import TIMELINESS_MEDIANS
from tests.engine.insight.frames import HELD, child_rows, row

ENGLAND, NORTH_EAST = "E92000001", "E12000001"  # 805 and 806 are in the North East


def _spec() -> TableSpec:
    # 805: Total 10 = A 3 + B 7, so B is hidden too (secondary), else 10 − 7 reveals A.
    frame = pl.DataFrame(
        [
            ("805", "A", 3, 10.0, 3),
            ("805", "B", 7, 20.0, 7),
            ("805", "Total", 10, 15.0, 10),
            ("806", "A", 0, None, 0),
            ("806", "B", 9, 30.0, 9),
            ("806", "Total", 9, 30.0, 9),
        ],
        schema=["la_code", "g", "n", "median_days", "values"],
        orient="row",
    )
    area = pl.DataFrame(
        [
            (area, g, v, n)
            for area in (NORTH_EAST, ENGLAND)
            for g, v, n in (("A", 10.0, 3), ("B", 25.0, 16), ("Total", 21.5, 19))
        ],
        schema=["area", "g", "median_days", "values"],
        orient="row",
    )
    return TableSpec(
        "t",
        frame,
        ("g",),
        ("n",),
        medians=(("median_days", "n", "values", "Days (median)"),),
        area_medians=area,
    )


def _cell(table: pl.DataFrame, level: str, g: str, col: str, la: str | None = None) -> str:
    f = table.filter((pl.col("geographic_level") == level) & (pl.col("g") == g))
    if la is not None:
        f = f.filter(pl.col("la_code") == la)
    assert f.height == 1, f
    return str(f.item(0, col))


def test_a_median_follows_its_count():
    t = suppress([_spec()]).tables["t"]
    la, reg, nat = "Local authority", "Regional", "National"
    assert _cell(t, la, "A", "n", "805") == "c"  # primary
    assert _cell(t, la, "A", "median_days", "805") == "c"
    assert _cell(t, la, "B", "n", "805") == "c"  # secondary: 7 is above 5
    assert _cell(t, la, "B", "median_days", "805") == "c"
    assert _cell(t, la, "Total", "median_days", "805") == "15.0"
    assert _cell(t, la, "A", "median_days", "806") == "z"  # no values
    assert _cell(t, la, "B", "median_days", "806") == "30.0"
    # regional and England counts are rounded, not hidden; 3 values are still too few
    assert _cell(t, reg, "A", "n") == "low"
    assert _cell(t, reg, "A", "median_days") == "c"
    assert _cell(t, reg, "B", "median_days") == "25.0"
    assert _cell(t, nat, "Total", "median_days") == "21.5"


def _with_806(median: float | None, values: int) -> pl.DataFrame:
    spec = _spec()
    at = pl.col("la_code") == "806"
    frame = spec.frame.with_columns(
        pl.when(at).then(median).otherwise(pl.col("median_days")).alias("median_days"),
        pl.when(at).then(values).otherwise(pl.col("values")).alias("values"),
    )
    return suppress([TableSpec(**{**spec.__dict__, "frame": frame})]).tables["t"]


def test_a_median_with_values_all_left_out_is_x():
    assert _cell(_with_806(None, 0), "Local authority", "B", "median_days", "806") == "x"


def test_a_median_of_too_few_values_is_hidden_under_a_shown_count():
    # 9 families counted, 4 with a usable interval (5 recording errors): too few values
    t = _with_806(12.0, 4)
    assert _cell(t, "Local authority", "B", "n", "806") == "9"
    assert _cell(t, "Local authority", "B", "median_days", "806") == "c"


def test_medians_in_the_files_with_metadata():
    pub = publish([_spec()], "2025-26")
    assert pub.ok, pub.problems
    data, meta = pub.files["t"]
    assert data.splitlines()[0].endswith(",g,n,median_days")
    assert "median_days,Indicator,Days (median),,,1,," in meta.splitlines()


@pytest.fixture(scope="module")
def timeliness():
    rows = [
        # referral 10 May (offer 1 May, allocated 12 May); FGCs 30, 30, 42, 84, 85 days after
        *(row("805", ep, **HELD) for ep in ("E1", "E2")),
        row("805", "T1", **{**HELD, "conference_date": "2025-06-21"}),
        row("805", "T2", **{**HELD, "conference_date": "2025-08-02"}),
        row("805", "T3", **{**HELD, "conference_date": "2025-08-03"}),
        # 806: six FGCs 20 to 70 days after referral, two reviewed 10 and 31 days later
        *(
            row(
                "806",
                f"M{i}",
                **{**HELD, "conference_date": day},
                **({"review_date": review} if review else {}),
            )
            for i, (day, review) in enumerate(
                [
                    ("2025-05-30", "2025-06-09"),
                    ("2025-06-09", "2025-07-10"),
                    ("2025-06-19", None),
                    ("2025-06-29", None),
                    ("2025-07-09", None),
                    ("2025-07-19", None),
                ]
            )
        ),
    ]
    result = compute_measures(child_rows(rows), "2025-26")
    return next(t for t in publication_tables(result, "2025-26") if t.name == "fgc_timeliness")


def test_timeliness_medians_by_council(timeliness):
    names = [m[0] for m in timeliness.medians]
    assert names == [
        "median_days_offer_to_referral",
        "median_days_referral_to_allocation",
        "median_days_referral_to_fgc",
        "median_days_fgc_to_review",
    ]
    f = timeliness.frame.sort("la_code")
    r805, r806 = f.row(0, named=True), f.row(1, named=True)
    assert [r805[n] for n in names] == [9.0, 2.0, 42.0, None]
    # 806: 20, 30, 40, 50, 60, 70 days → 45; reviews 10 and 31 days → 20.5
    assert [r806[n] for n in names] == [9.0, 2.0, 45.0, 20.5]
    counts = {m: c for m, c, _n, _label in timeliness.medians}
    assert [r806[f"{n}_values"] for n in names] == [6, 6, 6, 2]
    assert [r806[counts[n]] for n in names] == [6, 6, 6, 2]
    assert [r805[counts[n]] for n in names] == [5, 5, 5, 0]
    # England's medians come from every family, not from the councils' medians
    area = timeliness.area_medians
    assert area is not None
    eng = area.filter(pl.col("area") == ENGLAND).row(0, named=True)
    assert eng["median_days_referral_to_fgc"] == 42.0  # 11 FGCs: 20 30 30 30 40 42 ...
    assert set(TIMELINESS_MEDIANS) == set(names)


def test_timeliness_medians_published_only_over_shown_counts(timeliness):
    t = suppress([timeliness]).tables["fgc_timeliness"]
    la = t.filter(pl.col("geographic_level") == "Local authority").sort("la_code")
    r805, r806 = la.row(0, named=True), la.row(1, named=True)
    assert r805["families_fgc_timed"] == "c" and r805["median_days_referral_to_fgc"] == "c"
    assert r805["median_days_fgc_to_review"] == "z"
    assert r806["median_days_referral_to_fgc"] == "45.0"
    assert r806["families_reviewed"] == "c" and r806["median_days_fgc_to_review"] == "c"


def test_each_median_is_gated_by_the_count_of_its_own_families():
    from fgc.engine.insight.measures import get_measure
    from fgc.engine.insight.release_tables import TIMELINESS

    for _col, (measure, count) in TIMELINESS_MEDIANS.items():
        source, part, _label = TIMELINESS[count]
        m, c = get_measure(measure), get_measure(source)
        flag = c.numerator if part == "numerator" else c.denominator
        assert (m.level, m.denominator) == (c.level, flag), (measure, count)
