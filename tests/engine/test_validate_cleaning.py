"""What validate's cheap "this column is already clean" proofs rely on (see
``fgc.engine.validate._clean_proofs``): pinned here so a polars upgrade that changes the
date parser fails a test instead of silently leaving padding on a value."""

from __future__ import annotations

import polars as pl

from fgc.engine.coerce import date_expr, integer_expr
from fgc.engine.validate import _WHITESPACE

DATES = ["2024-01-01", "2024-1-1", "2024-01-1", "0001-01-01", "9999-12-31", "2024-02-29"]


def _parsed(values: list[str]) -> list[str]:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8})
    both = frame.with_columns(date_expr("v").alias("d"), integer_expr("v").alias("i"))
    return both.filter(pl.col("d").is_not_null() | pl.col("i").is_not_null())["v"].to_list()


def test_a_date_or_integer_with_trailing_whitespace_never_parses() -> None:
    values = [v + pad for v in [*DATES, "7", "-12"] for pad in _WHITESPACE]
    values += [v + pad + pad for v in DATES for pad in _WHITESPACE]
    assert _parsed(values) == []


def test_an_integer_with_leading_whitespace_never_parses() -> None:
    assert _parsed([pad + "7" for pad in _WHITESPACE]) == []


def test_every_plain_date_parses() -> None:
    assert _parsed(DATES) == DATES
