"""The hub's linked statutory rows: not-offered children and care days beside the returns."""

from __future__ import annotations

import io

import polars as pl
import pytest

from fgc.synth import generate
from tests.insight_web.test_impact_views import _html_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(accepted):
    from fgc.hub.seed import seed_statutory

    frames = {
        "805": generate(["805"], ["2025-26"], seed=5),
        "806": generate(["806"], ["2025-26"], seed=6),
    }
    out = io.StringIO()
    held = seed_statutory(frames, out)
    assert "Linked SSDA903 and CIN census rows for 2 councils" in out.getvalue()
    return held


def test_linked_children_have_all_four_groups(seeded):
    from fgc.hub.national import linked_children, statutory_linked

    frame = linked_children()
    assert set(frame["group"]) == {"held", "offered_no_meeting", "declined", "not_offered"}
    not_offered = frame.filter(pl.col("group") == "not_offered")
    assert not_offered.height == statutory_linked().filter(pl.col("group") == "not_offered").height
    # Keyed pseudonyms, as for the FGC rows: no raw id is held at the hub.
    assert frame["child_key"].str.len_chars().unique().to_list() == [20]
    assert not statutory_linked()["child_key"].str.starts_with("C80").any()
    assert not statutory_linked()["child_key"].str.starts_with("NC80").any()
    # The FGC rows' days looked after come from the statutory rows (a return cannot carry them).
    fgc = frame.filter(pl.col("group") != "not_offered")
    assert fgc["days_looked_after_12m"].is_not_null().sum() > 0
    assert set(linked_children(["806"])["la_code"]) == {"806"}


def test_statutory_rows_match_the_returns_pseudonyms(seeded):
    from fgc.hub.national import linked_children, statutory_linked

    fgc_keys = set(
        linked_children().filter(pl.col("group") != "not_offered")["child_key"].to_list()
    )
    stored = statutory_linked().filter(pl.col("group") != "not_offered")
    assert set(stored["child_key"].to_list()) == fgc_keys


def test_storing_again_replaces_a_councils_rows(seeded):
    from fgc.hub.national import statutory_linked, store_statutory_linked

    before = statutory_linked()
    again = store_statutory_linked(
        pl.DataFrame(schema=before.schema).vstack(before.filter(pl.col("la_code") == "806").head(0))
    )
    assert again == before.height  # nothing new, nothing lost
    only_806 = (
        before.filter(pl.col("la_code") == "806")
        .head(3)
        .with_columns(pl.lit("raw-id").alias("child_key"))
    )
    held = store_statutory_linked(only_806)
    assert held == before.filter(pl.col("la_code") == "805").height + 3


def test_impact_page_shows_an_estimate_for_the_council(seeded, officer_a, login):
    from fgc.insight_web import services

    services.build_cache()
    html = login(officer_a).get("/insight/council/805/impact/").content.decode()
    assert "No children in pre-proceedings who were not offered an FGC" not in html
    groups = {r[0]: r for r in _html_cells(html, "groups-looked_after_12m")[1:]}
    not_offered = groups["In pre-proceedings, not offered"]
    assert int(not_offered[1]) > 5  # a real group, not suppressed
    impact = {r[0]: r for r in _html_cells(html, "impact")[1:]}
    assert set(impact) == {"Hartlepool", "North East", "England"}
    assert any(cell not in ("x", "z", "c", "") for cell in impact["Hartlepool"][1:])
