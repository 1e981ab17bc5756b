"""Medians in a release: published only over a count the release publishes.

A median is not a sum, so it takes no part in the equations the suppression and the
attack work on; what protects it is its count (the values it is taken over). The rule:

* the count is hidden (primary or secondary), or it or the number of values the median was
  taken over is between 1 and ``threshold`` (at any level: a regional count is rounded,
  never hidden, but a median of 3 values is still theirs) → ``c``;
* the count is 0 → ``z``;
* the count is shown but no value was usable (every interval a recording error) → ``x``;
* otherwise the median to ``rate_dp`` places, half away from zero.

The count may count more than the values (a family whose interval is a recording error is
counted, with no value), so the number of values is checked too: a spec's median is
(name, count column, values column, label), the values column never published. Council
medians and their values come from the table's frame; regional and England ones, which cannot
be built from the councils', from the spec's ``area_medians`` (``area`` = region or England
code, the filters, the median and values columns).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from fgc.engine.disclosure.cells import TableSpec

# (area code, filter values in the spec's order) → median or values column → value
MedianValues = dict[tuple[str, tuple[str, ...]], dict[str, float | None]]


def median_values(spec: TableSpec) -> MedianValues:
    """Every median of the table by area and filter values."""
    names = [c for name, _count, values, _label in spec.medians for c in (name, values)]
    out: MedianValues = {}
    if not names:
        return out
    area = pl.col("la_code").cast(pl.Utf8).alias("area")
    frames = [spec.frame.select(area, *spec.filters, *names)]
    if spec.area_medians is not None:
        frames.append(spec.area_medians.select("area", *spec.filters, *names))
    for frame in frames:
        for r in frame.iter_rows(named=True):
            key = (str(r["area"]), tuple(str(r[f]) for f in spec.filters))
            out[key] = {n: r[n] for n in names}
    return out


def median_text(
    value: float | None,
    n_values: float | None,
    count: int,
    count_hidden: bool,
    threshold: int,
    dp: int = 1,
) -> str:
    """The published text of one median (see the module's rule)."""
    n = int(n_values or 0)
    if count_hidden or 1 <= count <= threshold or 1 <= n <= threshold:
        return "c"
    if count == 0:
        return "z"
    if value is None or n == 0:
        return "x"
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)
    return f"{q:.{dp}f}"
