"""One definition per label: the same column name or label carries the same count in the
Option 1 return, the DfE quarterly figures, the CIN census items and the release."""

from __future__ import annotations

import polars as pl
import pytest

from fgc.returns.crosscheck import QUARTERLY, RELEASE, RETURN, conflicts, crosscheck
from fgc.synth import generate

YEAR = "2025-26"


@pytest.fixture(scope="module")
def two_years() -> pl.DataFrame:
    # Meetings of offers made late in 2024-25 fall in 2025-26: the return (meetings dated in
    # the year) and the release (families whose journey started in the year) then differ.
    return generate(["805", "806"], ["2024-25", YEAR], seed=7)


def _value(table: pl.DataFrame, source: str, column: str) -> int:
    return table.filter((pl.col("source") == source) & (pl.col("column") == column)).item(
        0, "value"
    )


def test_no_name_carries_two_numbers(two_years):
    for la in ("805", "806"):
        table = crosscheck(two_years, la, YEAR)
        assert conflicts(table).is_empty(), conflicts(table).to_dicts()


def test_the_release_names_its_cohort_counts_apart_from_the_returns(two_years):
    table = crosscheck(two_years, "805", YEAR)
    held_in_year = _value(table, RETURN, "families_fgc_held")
    cohort_held = _value(table, RELEASE, "cohort_families_fgc_held")
    # Both are real and different counts of the same records, under different names.
    assert held_in_year != cohort_held
    assert not table.filter(
        (pl.col("source") == RELEASE) & (pl.col("column") == "families_fgc_held")
    ).height
    # Where the definitions are the same, the names are the same and so are the numbers.
    for column in ("families_offered", "families_accepted", "families_declined"):
        assert _value(table, RETURN, column) == _value(table, RELEASE, column)


def test_conflicts_finds_a_name_with_two_numbers():
    table = pl.DataFrame(
        {
            "source": [RETURN, RELEASE, QUARTERLY],
            "column": ["families_fgc_held", "families_fgc_held", "other"],
            "label": ["FGCs held", "Families: FGC held", "fgcs HELD"],
            "value": [167, 144, 167],
            "definition": ["", "", ""],
        }
    )
    found = conflicts(table)
    assert found.select("by", "name").rows() == [("column", "families_fgc_held")]
    assert found.item(0, "seen") == (
        "Official statistics release: 144; Option 1 aggregate return: 167"
    )
    same = table.with_columns(pl.lit(167).alias("value"))
    assert conflicts(same).is_empty()
    # Labels compare without case.
    clash = table.with_columns(pl.Series("label", ["x", "y", "X"]))
    assert conflicts(clash.with_columns(pl.lit(1).alias("value"))).is_empty()


def test_the_quarterly_sum_and_cin_items_are_named_for_what_they_count(two_years):
    table = crosscheck(two_years, "805", YEAR)
    year = _value(table, RETURN, "families_offered_at_or_before_lbp")
    # Offers have one date, so the quarters add up to the year.
    assert _value(table, QUARTERLY, "families_offered_at_or_before_lbp_sum_of_quarters") == year
    assert set(table.get_column("source")) == {RETURN, QUARTERLY, RELEASE, "CIN census items"}


def test_a_quarter_is_refused():
    with pytest.raises(ValueError, match="reconcile a financial year"):
        crosscheck(generate(["805"], [YEAR], seed=1), "805", "2025-26-Q1")
