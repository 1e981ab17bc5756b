"""The DfE quarterly figures: two items by family and child, with their counting rules."""

from __future__ import annotations

import polars as pl
import pytest

from fgc.engine.aggregate import aggregate
from fgc.engine.periods import PeriodError
from fgc.formats.errors import FormatError
from fgc.returns.dfe_quarterly import counting_rules_text, dfe_quarterly_return
from fgc.synth import generate


@pytest.fixture(scope="module")
def synth() -> pl.DataFrame:
    return generate(["805", "806"], ["2025-26"], seed=5)


def test_items_by_family_and_child_with_counting_rules(synth):
    out = dfe_quarterly_return(synth, "805", "2025-26-Q2")
    assert out.height == 4
    assert out["unit"].to_list() == ["families", "children", "families", "children"]
    assert (out["old_la_code"] == "805").all()
    assert out["counting_rule"].str.contains("2025-07-01 to 2025-09-30").all()
    la = aggregate(synth, "2025-26-Q2").filter(
        (pl.col("old_la_code") == "805") & (pl.col("breakdown_topic") == "Total")
    )
    by_measure = dict(zip(out["measure"], out["value"], strict=True))
    assert (
        by_measure["families_offered_at_or_before_lbp"]
        == la["families_offered_at_or_before_lbp"][0]
    )
    assert by_measure["children_fgdm_facilitated"] == la["children_fgdm_facilitated"][0]
    assert (
        by_measure["children_offered_at_or_before_lbp"]
        >= by_measure["families_offered_at_or_before_lbp"]
    )


def test_rules_text_and_bad_periods(synth):
    text = counting_rules_text("2025-26-Q3")
    assert "letter before proceedings" in text and "Families are FGC episodes" in text
    with pytest.raises(PeriodError, match="quarterly"):
        dfe_quarterly_return(synth, "805", "2025-26")
    with pytest.raises(FormatError, match="no rows for council 807"):
        dfe_quarterly_return(synth, "807", "2025-26-Q1")
