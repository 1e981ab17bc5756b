"""``date_expr`` parses without polars' cache of distinct strings; the cache only trades
speed, so the uncached parse must give what the cached one gives, cell for cell."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from fgc.engine.coerce import DATE_FORMAT, date_expr

_CACHED = pl.col("x").str.strptime(pl.Date, DATE_FORMAT, strict=False, exact=True, cache=True)

_ODD = [
    "2025-01-31",
    "2025-02-30",
    "2024-02-29",
    "2023-02-29",
    " 2025-01-01",
    "2025-01-01 ",
    "2025-1-1",
    "25-01-01",
    "2025/01/01",
    "",
    "0000-01-01",
    "9999-12-31",
    "2025-13-01",
    "2025-01-01T00:00",
]


def _agree(values: list[str | None]) -> None:
    frame = pl.DataFrame({"x": values}, schema={"x": pl.Utf8})
    got = frame.select(date_expr("x").alias("d"))
    want = frame.select(_CACHED.alias("d"))
    assert got.equals(want)


def test_odd_dates_parse_as_with_the_cache() -> None:
    # Repeated many times, so the cached parse really uses its cache.
    _agree([*_ODD, None] * 200)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(_ODD),
            st.dates().map(lambda d: d.isoformat()),
            st.text(alphabet="0123456789- /T:", max_size=12),
        ),
        max_size=60,
    )
)
def test_any_text_parses_as_with_the_cache(values: list[str | None]) -> None:
    _agree(values * 3)
