"""Unadjusted group figures and contrasts per council, region and England."""

from __future__ import annotations

import polars as pl
import pytest

from fgc.engine.impact import ImpactError, compare
from fgc.engine.impact.compare import LA, NATIONAL, REGION
from fgc.engine.linkage.schema import LINKED_SCHEMA, empty_linked
from fgc.standard import ENGLAND_CODE, get_la
from tests.engine.impact.linked import cell, frame, synthetic


def _group(c, group, outcome="looked_after_12m", area="805") -> dict:
    rows = c.groups.filter(
        (pl.col("area_code") == area) & (pl.col("group") == group) & (pl.col("outcome") == outcome)
    ).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_rates_and_pooled_offered_group():
    linked = frame(
        [
            *cell(10, 4, group="held"),
            *cell(6, 3, group="offered_no_meeting"),
            *cell(4, 1, group="declined"),
            *cell(20, 9, group="not_offered"),
        ]
    )
    c = compare(linked, levels=(LA,))
    held = _group(c, "held")
    assert (held["children"], held["events"], held["value"]) == (10, 4, 40.0)
    # Wilson for 4/10: 16.82% to 68.73%
    assert (round(held["lower"], 2), round(held["upper"], 2)) == (16.82, 68.73)
    offered = _group(c, "offered")
    assert (offered["children"], offered["events"], offered["value"]) == (20, 8, 40.0)
    days = _group(c, "not_offered", "days_looked_after_12m")
    assert days["events"] is None and days["value"] == pytest.approx(200 * 9 / 20)
    row = c.contrasts.filter(
        (pl.col("group") == "offered")
        & (pl.col("method") == "unadjusted")
        & (pl.col("outcome") == "looked_after_12m")
    ).row(0, named=True)
    assert row["difference"] == pytest.approx(40.0 - 45.0)
    assert row["ratio"] == pytest.approx(40 / 45)
    assert row["reference"] == "not_offered"


def test_only_pre_proceedings_and_due_outcomes_count():
    linked = frame(
        [
            *cell(10, 4, group="held"),
            *cell(7, 7, group="held", plo=False),  # not in pre-proceedings: left out
            *cell(3, 0, group="held", looked_after_12m=None),  # not yet due
            *cell(10, 5, group="not_offered", plo=False),  # not offered: always PLO
        ]
    )
    # cell() sets looked_after_12m after the keywords, so blank it afterwards
    linked = linked.with_columns(
        pl.when(pl.col("child_key").is_in([f"C{i:06d}" for i in range(17, 20)]))
        .then(None)
        .otherwise(pl.col("looked_after_12m"))
        .alias("looked_after_12m")
    )
    c = compare(linked, levels=(LA,))
    assert _group(c, "held")["children"] == 10
    assert _group(c, "held", "proceedings_issued_12m")["children"] == 13
    assert _group(c, "not_offered")["children"] == 10


def test_regions_and_england_pool_children():
    london = "202"
    linked = frame(
        [
            *cell(10, 2, group="held", la_code="805"),
            *cell(10, 6, group="held", la_code="806"),
            *cell(10, 5, group="held", la_code=london),
        ]
    )
    c = compare(linked)
    ne = get_la("805").region_code
    assert get_la("806").region_code == ne
    region = _group(c, "held", area=ne)
    assert (region["geographic_level"], region["children"], region["events"]) == (REGION, 20, 8)
    england = _group(c, "held", area=ENGLAND_CODE)
    assert (england["geographic_level"], england["children"], england["events"]) == (
        NATIONAL,
        30,
        13,
    )
    assert set(c.groups["geographic_level"]) == {LA, REGION, NATIONAL}
    assert c.for_area("806").groups["area_code"].unique().to_list() == ["806"]


def test_every_area_has_every_outcome_group_and_contrast():
    c = compare(synthetic(3, per_la=120))
    areas = c.groups.select("area_code").n_unique()
    assert areas == 4  # two councils, one region, England
    assert c.groups.height == areas * 3 * 5
    assert c.contrasts.height == areas * 3 * 4 * 2


def test_save_and_load(tmp_path):
    c = compare(synthetic(4, per_la=60))
    c.save(tmp_path)
    back = type(c).load(tmp_path)
    assert back.groups.equals(c.groups) and back.contrasts.equals(c.contrasts)


def test_empty_frame_gives_empty_comparison():
    c = compare(empty_linked())
    assert c.groups.height == 0 and c.contrasts.height == 0


def test_missing_column_is_a_clear_error():
    with pytest.raises(ImpactError, match="no column\\(s\\) prior_cp_plan"):
        compare(empty_linked().drop("prior_cp_plan"))


def test_wrong_type_is_a_clear_error():
    bad = empty_linked().with_columns(pl.col("looked_after_12m").cast(pl.Utf8))
    with pytest.raises(ImpactError, match="looked_after_12m is String, expected Boolean"):
        compare(bad)


def test_unknown_group_is_a_clear_error():
    bad = frame(cell(3, 1, group="maybe"))
    with pytest.raises(ImpactError, match="Unknown group\\(s\\) in the linked frame: maybe"):
        compare(bad)


def test_unknown_level_is_a_clear_error():
    with pytest.raises(ImpactError, match="Unknown geographic level"):
        compare(pl.DataFrame(schema=LINKED_SCHEMA), levels=("Ward",))
