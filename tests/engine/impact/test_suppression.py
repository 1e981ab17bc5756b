"""Small groups are removed from the comparison, as the release removes small counts."""

from __future__ import annotations

import polars as pl
import pytest

from fgc.engine.impact import compare, suppress_comparison
from fgc.engine.impact.compare import LA
from tests.engine.impact.linked import cell, frame

OUTCOME = "looked_after_12m"


def _shown(c, group, area="805"):
    return c.groups.filter(
        (pl.col("area_code") == area) & (pl.col("group") == group) & (pl.col("outcome") == OUTCOME)
    ).row(0, named=True)


def _contrasts(c, group):
    return c.contrasts.filter(
        (pl.col("area_code") == "805") & (pl.col("group") == group) & (pl.col("outcome") == OUTCOME)
    ).to_dicts()


def _linked(held=(20, 8), no_meeting=(20, 8), declined=(20, 8), not_offered=(30, 12)):
    return frame(
        [
            *cell(*held, group="held"),
            *cell(*no_meeting, group="offered_no_meeting"),
            *cell(*declined, group="declined"),
            *cell(*not_offered, group="not_offered"),
        ]
    )


@pytest.mark.parametrize(("children", "hidden"), [(5, True), (6, False), (1, True)])
def test_group_with_few_children_shows_no_rate(children, hidden):
    c = suppress_comparison(compare(_linked(held=(children, 0)), levels=(LA,)))
    row = _shown(c, "held")
    assert row["suppressed"] is hidden
    assert (row["value"] is None) is hidden
    assert row["children_shown"] == ("c" if hidden else str(children))
    for r in _contrasts(c, "held"):
        assert r["suppressed"] is hidden
        if r["method"] == "unadjusted":
            assert (r["difference"] is None) is hidden
        if hidden:
            assert r["ratio"] is None and r["group_value"] is None


@pytest.mark.parametrize(("events", "hidden"), [(0, False), (1, True), (5, True), (6, False)])
def test_group_with_few_events_shows_no_rate(events, hidden):
    c = suppress_comparison(compare(_linked(held=(30, events)), levels=(LA,)))
    row = _shown(c, "held")
    assert row["suppressed"] is hidden
    assert row["events_shown"] == ("c" if hidden else str(events))


def test_one_hidden_part_of_the_pooled_group_hides_the_smallest_other():
    # Declined (4) is hidden; held 20 + no meeting 12 + declined = offered 36 would give it
    # away, so no meeting (the smaller of the others) is hidden with it.
    c = suppress_comparison(compare(_linked(no_meeting=(12, 6), declined=(4, 2)), levels=(LA,)))
    groups = ("held", "offered_no_meeting", "declined", "offered")
    flags = {g: _shown(c, g)["suppressed"] for g in groups}
    assert flags == {
        "held": False,
        "offered_no_meeting": True,
        "declined": True,
        "offered": False,
    }


def test_pooled_group_hidden_when_no_partner_can_be():
    c = suppress_comparison(
        compare(_linked(held=(0, 0), no_meeting=(0, 0), declined=(4, 2)), levels=(LA,))
    )
    assert _shown(c, "declined")["suppressed"]
    assert _shown(c, "offered")["suppressed"]
    assert not _shown(c, "held")["suppressed"]


def test_hidden_reference_hides_every_contrast():
    c = suppress_comparison(compare(_linked(not_offered=(5, 2)), levels=(LA,)))
    for g in ("held", "offered"):
        for r in _contrasts(c, g):
            assert r["suppressed"] and r["difference"] is None and r["note"] == ""
    assert not _shown(c, "held")["suppressed"]


def _region(c, group):
    return c.groups.filter(
        (pl.col("geographic_level") == "Regional")
        & (pl.col("group") == group)
        & (pl.col("outcome") == OUTCOME)
    ).row(0, named=True)


def test_regional_and_england_counts_rounded_and_no_rate_over_a_low_count():
    c = suppress_comparison(compare(_linked(held=(15, 4))))
    region = _region(c, "held")
    assert (region["children_shown"], region["events_shown"]) == ("20", "low")
    assert region["suppressed"] and region["value"] is None


def test_regional_rate_is_over_the_rounded_counts():
    c = suppress_comparison(compare(_linked(held=(16, 7))))
    region = _region(c, "held")
    assert (region["children_shown"], region["events_shown"]) == ("20", "10")
    assert not region["suppressed"] and region["value"] == pytest.approx(100 * 10 / 20)
