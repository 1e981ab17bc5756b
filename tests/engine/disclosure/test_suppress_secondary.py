"""Secondary suppression hides the fewest, least informative cells and still passes the checker."""

import polars as pl
import pytest

from fgc.engine.disclosure import DisclosureConfig, TableSpec, suppress

EXACT = DisclosureConfig(rounding_base=1)  # regional totals exact: columns can be differenced


def _table(rows, name="t"):
    f = pl.DataFrame(rows, schema=["la_code", "cat", "n"], orient="row")
    return TableSpec(name, f, ("cat",), ("n",))


def _hidden(res, name="t"):
    t = res.tables[name].filter(pl.col("geographic_level") == "Local authority")
    return {(la, c) for la, c, v in t.select("la_code", "cat", "n").iter_rows() if v == "c"}


def _kinds(res):
    return {(d.area, d.filters): d.kind for d in res.decisions}


def test_complement_that_also_protects_another_group_beats_a_smaller_one():
    # Two primaries (202/A, 203/B). The old attack-driven method hid the smallest cell next
    # to each (202/C = 7, 202/B = 20) and then had to chase the columns it had opened; the
    # minimum is the 2×2 block: 202/B closes row 202 and column B, 203/A row 203 and column A.
    rows = [
        ("202", "A", 2), ("202", "B", 20), ("202", "C", 7), ("202", "Total", 29),
        ("203", "A", 30), ("203", "B", 3), ("203", "C", 40), ("203", "Total", 73),
        ("204", "A", 9), ("204", "B", 50), ("204", "C", 60), ("204", "Total", 119),
    ]  # fmt: skip
    res = suppress([_table(rows)], EXACT)
    assert res.check.ok
    assert _hidden(res) == {("202", "A"), ("202", "B"), ("203", "A"), ("203", "B")}
    assert sorted(_kinds(res).values()) == ["primary", "primary", "secondary", "secondary"]


def test_smallest_non_zero_body_cell_is_the_complement():
    rows = [
        ("202", "A", 4),
        ("202", "B", 0),
        ("202", "C", 9),
        ("202", "D", 30),
        ("202", "Total", 43),
    ]
    res = suppress([_table(rows)])
    assert res.check.ok
    assert _hidden(res) == {("202", "A"), ("202", "C")}  # not the zero, not the bigger D


def test_total_is_hidden_only_when_no_body_cell_will_do():
    body = [("202", "A", 3), ("202", "B", 0), ("202", "C", 40), ("202", "Total", 43)]
    assert _hidden(suppress([_table(body)])) == {("202", "A"), ("202", "C")}
    # Only the total is non-zero besides the primary: the total has to go, in both tables
    # that print it, and the other table then needs a partner for it.
    alone = [("202", "A", 3), ("202", "B", 0), ("202", "Total", 3)]
    assert _hidden(suppress([_table(alone)])) == {("202", "A"), ("202", "Total")}


def test_hidden_ones_under_a_visible_total_get_a_third_partner():
    # 1 + 1 = 2 would pin both hidden cells at 1 (an intruder knows each is at least 1).
    rows = [
        ("202", "A", 1),
        ("202", "B", 1),
        ("202", "C", 30),
        ("202", "D", 45),
        ("202", "Total", 77),
    ]
    res = suppress([_table(rows)])
    assert res.check.ok
    assert _hidden(res) == {("202", "A"), ("202", "B"), ("202", "C")}


def test_groups_without_a_lone_hidden_cell_get_nothing():
    rows = [("202", "A", 2), ("202", "B", 4), ("202", "C", 30), ("202", "Total", 36)]
    res = suppress([_table(rows)])
    assert res.check.ok
    assert _hidden(res) == {("202", "A"), ("202", "B")}
    assert set(_kinds(res).values()) == {"primary"}


def test_shared_total_hidden_in_one_table_is_protected_in_the_other():
    a = _table([("202", "A", 3), ("202", "B", 0), ("202", "Total", 3)], "a")
    b = _table([("202", "A", 0), ("202", "B", 3), ("202", "Total", 3)], "b")
    res = suppress([a, b])
    assert res.check.ok
    assert ("202", "Total") in _hidden(res, "a") and ("202", "Total") in _hidden(res, "b")


@pytest.fixture(scope="module")
def national():
    from fgc.engine.insight import compute_measures
    from fgc.engine.insight.release import publication_tables
    from fgc.synth import generate

    frame = generate("all", ["2025-26"], seed=7)
    return publication_tables(compute_measures(frame, "2025-26"), "2025-26")


def test_checker_passes_on_the_national_synthetic_release(national):
    res = suppress(national)
    assert res.check.ok, [d.describe() for d in res.check.disclosures[:5]]
    assert res.check.cells > 15_000
    kinds = {(d.indicator, d.area, d.filters): d.kind for d in res.decisions}
    primary = sum(k == "primary" for k in kinds.values())
    secondary = sum(k == "secondary" for k in kinds.values())
    # Each row with one primary cell needs exactly one partner; a few more come from
    # rounded regional totals and rows of hidden ones. Far fewer than the primaries.
    assert 0 < secondary < 0.2 * primary
    # A council's overall figure (the total every child table shares) is never the partner
    # chosen here: a body cell always did.
    assert not any(
        d.kind == "secondary" and d.filters == "Total"
        for d in res.decisions
        if d.table.startswith("fgc_children")
    )
