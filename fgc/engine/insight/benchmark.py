"""Benchmarking a council the way the DfE Local Authority Interactive Tool does.

For each measure (headline rows: breakdown Total; shares are left to their own pages):

* the council's value; its **statistical neighbours' average** — the simple mean of the
  neighbours (DfE list, ``fgc.standard.statistical_neighbours``) that have a value; its
  **region** and **England** (pooled figures from ``compute_measures``);
* a second comparator set: ``"all_with_data"`` (every council with an FGC service, i.e.
  with a value) or a list of council codes — simple mean of those with a value;
* **rank** among the councils with a value (the comparator list plus the council, when a list
  is given), 1 = best for the measure's polarity; **band** A–D by quartile of rank
  (A = best quarter). Neutral measures are ranked from highest to lowest but get no band;
* **trend**: the council's values over every period in the result, oldest first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.engine.insight.measures import all_measures
from fgc.standard import ENGLAND_CODE, get_la, statistical_neighbours

BANDS = ("A", "B", "C", "D")


def quartile_band(rank: int, of_n: int) -> str:
    """A–D by quartile of rank (1 = best): ranks 1..n/4 → A, and so on."""
    if of_n <= 0 or rank < 1:
        raise ValueError("rank and of_n must be positive")
    return BANDS[min(3, math.ceil(4 * rank / of_n) - 1)]


def rank_values(values: dict[str, float], polarity: str) -> dict[str, int]:
    """Competition ranks (ties share the best rank); high first unless low_good."""
    sign = 1.0 if polarity == "low_good" else -1.0
    ordered = sorted(values.values(), key=lambda v: sign * v)
    first: dict[float, int] = {}
    for i, v in enumerate(ordered, start=1):
        first.setdefault(v, i)
    return {k: first[v] for k, v in values.items()}


def _headline(result: InsightResult) -> pl.DataFrame:
    rows = pl.concat([t for g, t in result.tables.items() if g != "equity"], how="diagonal_relaxed")
    return rows.filter((pl.col("breakdown_topic") == TOTAL) & (pl.col("kind") != "share")).select(
        "geographic_level", "la_code", "period", "measure", "numerator", "denominator", "value"
    )


def benchmark(
    result: InsightResult,
    la_code: str,
    *,
    period: str | None = None,
    comparator: str | Sequence[str] = "neighbours",
) -> pl.DataFrame:
    """One row per measure: the council against neighbours, comparator set, region, England."""
    la = get_la(la_code)
    period = period or result.periods[-1]
    rows = _headline(result)
    values: dict[tuple[str, str, str], float] = {}
    for _geo, code, per, measure, _n, _d, value in rows.iter_rows():
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            values[(code, per, measure)] = value
    la_rows = rows.filter(
        (pl.col("geographic_level") == "Local authority") & (pl.col("period") == period)
    )
    councils_with_data: dict[str, dict[str, float]] = {}
    for _g, code, _p, measure, _n, _d, value in la_rows.iter_rows():
        if (code, period, measure) in values:
            councils_with_data.setdefault(measure, {})[code] = value
    neighbours = [n.neighbour_code for n in statistical_neighbours().get(la.old_la_code, ())]
    if comparator == "neighbours":
        comp_label, comp_codes = "Statistical neighbours", neighbours
    elif comparator == "all_with_data":
        comp_label, comp_codes = "All councils with an FGC service", None
    elif isinstance(comparator, str):
        raise ValueError(
            f"Unknown comparator {comparator!r}: use neighbours, all_with_data or a list"
        )
    else:
        comp_label, comp_codes = "Selected councils", [str(c) for c in comparator]

    def mean_of(measure: str, codes: Sequence[str] | None) -> tuple[float | None, int]:
        have = councils_with_data.get(measure, {})
        vals = (
            [v for c, v in have.items() if c != la.old_la_code]
            if codes is None
            else [have[c] for c in codes if c in have and c != la.old_la_code]
        )
        return (sum(vals) / len(vals) if vals else None, len(vals))

    out = []
    for m in all_measures():
        if m.kind == "share":
            continue
        have = councils_with_data.get(m.name, {})
        own = values.get((la.old_la_code, period, m.name))
        nb_avg, nb_n = mean_of(m.name, neighbours)
        cp_avg, cp_n = mean_of(m.name, comp_codes)
        pool = (
            have
            if not isinstance(comp_codes, list) or comparator == "neighbours"
            else {c: v for c, v in have.items() if c in comp_codes or c == la.old_la_code}
        )
        rank = of_n = None
        band = None
        if own is not None and la.old_la_code in pool:
            ranks = rank_values(pool, m.polarity)
            rank, of_n = ranks[la.old_la_code], len(pool)
            band = None if m.polarity == "neutral" else quartile_band(rank, of_n)
        trend = [values.get((la.old_la_code, p, m.name)) for p in result.periods]
        out.append(
            {
                "measure": m.name,
                "label": m.label,
                "group": m.group,
                "unit": m.unit,
                "polarity": m.polarity,
                "period": period,
                "la_code": la.old_la_code,
                "la_name": la.name,
                "la_value": own,
                "neighbour_avg": nb_avg,
                "neighbours_with_data": nb_n,
                "comparator": comp_label,
                "comparator_avg": cp_avg,
                "comparator_n": cp_n,
                "region": values.get((la.region_code, period, m.name)),
                "region_name": la.region_name,
                "england": values.get((ENGLAND_CODE, period, m.name)),
                "rank": rank,
                "of_n": of_n,
                "band": band,
                "trend_periods": list(result.periods),
                "trend": trend,
            }
        )
    return pl.DataFrame(
        out,
        schema_overrides={
            "la_value": pl.Float64,
            "neighbour_avg": pl.Float64,
            "comparator_avg": pl.Float64,
            "region": pl.Float64,
            "england": pl.Float64,
            "rank": pl.Int64,
            "of_n": pl.Int64,
            "band": pl.Utf8,
            "trend": pl.List(pl.Float64),
        },
    )
