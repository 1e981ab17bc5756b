"""Exact values that mutation testing of suppress.py showed no test guarded (issue 12).

``format_rate`` rounds halves up (6.25 → 6.3), where Decimal's default would round them to
even (6.2); the internal suppression log has fixed columns, even when nothing is hidden.
"""

from __future__ import annotations

import polars as pl
import pytest

from fgc.engine.disclosure import TableSpec, suppress
from fgc.engine.disclosure.suppress import SuppressionResult, format_rate

LOG_COLUMNS = ["table", "indicator", "area", "filters", "kind", "why"]


@pytest.mark.parametrize(
    ("numerator", "denominator", "dp", "text"),
    [
        (1, 16, 1, "6.3"),  # 6.25: half up, not to even (6.2)
        (5, 16, 1, "31.3"),  # 31.25
        (1, 8, 0, "13"),  # 12.5 at 0 dp
        (1, 40, 2, "2.50"),  # the places are kept
        (3, 80, 1, "3.8"),  # 3.75
    ],
)
def test_format_rate_rounds_halves_up(numerator, denominator, dp, text):
    assert format_rate(numerator, denominator, dp) == text


def test_suppression_log_rows_and_columns_exactly():
    spec = TableSpec(
        "t",
        pl.DataFrame(
            [("805", "Male", 3), ("805", "Female", 20), ("805", "Total", 23)],
            schema=["la_code", "sex", "offered"],
            orient="row",
        ),
        ("sex",),
        ("offered",),
    )
    log = suppress([spec]).log_frame()
    assert log.columns == LOG_COLUMNS
    rows = sorted(log.filter(pl.col("area") == "805").rows())
    assert rows[0][:5] == ("t", "offered", "805", "sex=Female", "secondary")
    why = "count of 3 is between 1 and 5"
    assert rows[1] == ("t", "offered", "805", "sex=Male", "primary", why)


def test_empty_suppression_log_still_has_its_columns():
    empty = SuppressionResult({}, {}).log_frame()
    assert empty.columns == LOG_COLUMNS and empty.height == 0
