"""Benchmarking a council the way the DfE Local Authority Interactive Tool does.

For each measure (headline rows: breakdown Total; shares are left to their own pages):

* the council's value; its **statistical neighbours' average** — the simple mean of the
  neighbours (DfE list, ``fgc.standard.statistical_neighbours``) that have a value; its
  **region** and **England** (pooled figures from ``compute_measures``);
* a second comparator set: ``"all_with_data"`` (every council with an FGC service, i.e.
  with a value) or a list of council codes — simple mean of those with a value;
* **rank** among the councils with a value (the comparator list plus the council, when a list
  is given), 1 = best for the measure's polarity; **band** A–D by quartile of rank
  (A = best quarter). Neutral measures are ranked from highest to lowest but get no band.
  Raw counts (kind ``count``) are not ranked at all: ranking counts ranks big councils first;
* **offers per 10,000 children in need** (``RATE_ROWS``, after the counts they come from):
  ``offered_families`` / ``offered_children`` over the council's children in need as
  ``fgc.engine.insight.rates.offer_rates`` takes it (its CIN census upload, else the DfE
  figure; ``denominator_source`` says which). Neutral: ranked, no band. Region and England
  are ``area_offer_rates``: the rounded published area count over the area's children in need;
* **trend**: the council's values over every period in the result, oldest first.

Means and ranks are computed on every council's true value, never on published values: a
hidden 1 to 5 left out (or read as 0) would drag a mean down. The result is what gets
protected (see ``benchmark``): a mean that a single hidden council contributes to could be
undone by differencing against the published values, so it is suppressed; region and England
are the published pooled figures.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import NamedTuple

import polars as pl

from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.engine.insight.measures import all_measures
from fgc.engine.insight.published import LA, PublishedFor
from fgc.engine.insight.rates import (
    PER,
    PRE_PROCEEDINGS_FOOTNOTE,
    area_offer_rates,
    cin_source,
    offer_rates,
)
from fgc.standard import ENGLAND_CODE, get_la, statistical_neighbours

BANDS = ("A", "B", "C", "D")
PER_10K_UNIT = "per 10,000 children in need"
PER_10K_KIND = "per_10k"
# rate row → (label, the count measure that is its numerator)
RATE_ROWS: dict[str, tuple[str, str]] = {
    "families_offered_per_10k_cin": (
        "Families offered an FGC per 10,000 children in need",
        "offered_families",
    ),
    "children_offered_per_10k_cin": (
        "Children offered an FGC per 10,000 children in need",
        "offered_children",
    ),
}


def rate_notes(source: str | None) -> tuple[str, ...]:
    """What the offer rate rows mean, for the pages and the report (``source``: the council's
    ``denominator_source``)."""
    den = source or cin_source()
    return (
        f"Offers per 10,000 children in need: the council's families or children offered an "
        f"FGC in the year, per 10,000 children in need (denominator: {den}). Region and "
        "England: their published offer count (rounded to 10) per 10,000 children in need in "
        "their councils with an FGC service. Rates are ranked from highest to lowest with no "
        "band (more offers is not simply better or worse); counts are not ranked, since "
        "ranking counts ranks big councils first.",
        "The rates count offers at every stage over all children in need, not only families "
        f"in pre-proceedings. {PRE_PROCEEDINGS_FOOTNOTE}",
    )


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


Values = dict[tuple[str, str], float]  # (area code, measure) → value


def _values(frame: pl.DataFrame) -> tuple[Values, dict[str, dict[str, float]]]:
    """Every area's values, and the councils' values by measure (missing values left out)."""
    areas: Values = {}
    councils: dict[str, dict[str, float]] = {}
    for level, code, measure, value in frame.select(
        "geographic_level", "la_code", "measure", "value"
    ).iter_rows():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        areas[(code, measure)] = value
        if level == LA:
            councils.setdefault(measure, {})[code] = value
    return areas, councils


class _Row(NamedTuple):
    name: str
    label: str
    group: str
    kind: str
    unit: str
    polarity: str


def _rows() -> list[_Row]:
    """Every non-share measure in page order, each offer rate after the count it divides."""
    after = {count: name for name, (_label, count) in RATE_ROWS.items()}
    out = []
    for m in all_measures():
        if m.kind == "share":
            continue
        out.append(_Row(m.name, m.label, m.group, m.kind, m.unit, m.polarity))
        if m.name in after:
            name = after[m.name]
            label = RATE_ROWS[name][0]
            out.append(_Row(name, label, m.group, PER_10K_KIND, PER_10K_UNIT, "neutral"))
    return out


def _published_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select("geographic_level", "la_code", "measure", pl.col("pvalue").alias("value"))


class _PeriodFigures(NamedTuple):
    """What ``benchmark`` reads that is the same for every council in a period and viewer
    kind: each is read, never changed, by the calls that share it."""

    raw: pl.DataFrame
    areas: Values
    councils_with_data: dict[str, dict[str, float]]
    hidden: dict[str, set[str]]
    cin: dict[str, int | None]
    sources: dict[str, str]


# A web process benchmarks every council of a period against the same figures: computing
# them once per (result, period, published frame, census upload) took a council insight
# page's first render from ~40 ms to ~20 ms. Keyed by the objects themselves (held here, so
# an id is never reused while its entry lives): a new acceptance or release misses.
_MEMO_SIZE = 16
_memo: OrderedDict[tuple[object, ...], tuple[tuple[object, ...], _PeriodFigures]] = OrderedDict()
_memo_lock = threading.Lock()


def forget_period_figures() -> None:
    """Drop every kept period's figures (tests; a process never needs to)."""
    with _memo_lock:
        _memo.clear()


def _period_figures(
    result: InsightResult,
    period: str,
    published: PublishedFor | None,
    uploaded: pl.DataFrame | None,
) -> _PeriodFigures:
    frame = None if published is None else published(period)
    # The period by value (each request parses its own string), the rest by identity.
    objects: tuple[object, ...] = (result, frame, uploaded)
    key = (period, *(id(o) for o in objects))
    with _memo_lock:
        hit = _memo.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], objects, strict=True)):
            _memo.move_to_end(key)
            return hit[1]
    figures = _compute_period_figures(result, period, frame, uploaded)
    with _memo_lock:
        _memo[key] = (objects, figures)
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return figures


def _compute_period_figures(
    result: InsightResult,
    period: str,
    frame: pl.DataFrame | None,
    uploaded: pl.DataFrame | None,
) -> _PeriodFigures:
    raw = _headline(result)
    raw_now = raw.filter(pl.col("period") == period)
    areas, councils_with_data = _values(raw_now)
    # Councils whose figure is hidden from this viewer, by measure: their true values still
    # count in means and ranks, but no published mean may be undone to reveal one of them.
    hidden: dict[str, set[str]] = {}
    if frame is not None:
        areas, shown = _values(_published_frame(frame))
        for measure, have in councils_with_data.items():
            visible = shown.get(measure, {})
            hidden[measure] = {c for c in have if c not in visible}
    # Offers per 10,000 children in need: every council's true rate (for means and ranks),
    # hidden exactly when its count is (the denominator is public, so the rate gives it back).
    cin: dict[str, int | None] = {}
    sources: dict[str, str] = {}
    if "funnel" in result.tables:
        rates = offer_rates(result, period, uploaded=uploaded)
        area_rates = area_offer_rates(result, period, councils=rates)
        cin = dict(zip(rates["la_code"], rates["children_in_need"], strict=True))
        sources = dict(zip(rates["la_code"], rates["children_in_need_source"], strict=True))
        for rate, (_label, count) in RATE_ROWS.items():
            have = {
                c: v for c, v in zip(rates["la_code"], rates[rate], strict=True) if v is not None
            }
            councils_with_data[rate] = have
            if frame is not None:
                hidden[rate] = hidden.get(count, set()) & have.keys()
            for code, v in zip(area_rates["area_code"], area_rates[rate], strict=True):
                if v is not None:
                    areas[(code, rate)] = v
    return _PeriodFigures(raw, areas, councils_with_data, hidden, cin, sources)


def benchmark(
    result: InsightResult,
    la_code: str,
    *,
    period: str | None = None,
    comparator: str | Sequence[str] = "neighbours",
    published: PublishedFor | None = None,
    own: bool = True,
    uploaded: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per measure: the council against neighbours, comparator set, region, England.

    ``published`` (period → published values, ``fgc.engine.insight.published``) is what
    anything shown beyond a council must pass: the comparators (neighbour and comparator
    means, region, England) and the other councils in the rank all come from it. ``own``
    keeps the council's own figures (value, trend, its place in the rank) unsuppressed — for
    the council's own staff; ``own=False`` takes them from ``published`` too (national
    users). Without ``published`` every figure is the raw one (internal analysis only), except
    the region and England offer rates, always from the rounded area counts (see
    ``area_offer_rates``). ``uploaded``: councils' CIN census denominators, as ``offer_rates``.
    """
    la = get_la(la_code)
    code_la = la.old_la_code
    period = period or result.periods[-1]
    figures = _period_figures(result, period, published, uploaded)
    raw, areas, hidden, cin, sources = (
        figures.raw,
        figures.areas,
        figures.hidden,
        figures.cin,
        figures.sources,
    )
    # Copied: this council's own figures go into it below, for this call only.
    councils_with_data = {m: dict(have) for m, have in figures.councils_with_data.items()}
    own_raw = own or published is None
    own_cin = cin.get(code_la)

    def with_own_rates(values: Values) -> Values:
        # The council's rate from its count as this viewer sees it (None when hidden).
        for rate, (_label, count) in RATE_ROWS.items():
            n = values.get((code_la, count))
            if n is not None and own_cin:
                values[(code_la, rate)] = PER * n / own_cin
        return values

    def own_values(per: str) -> Values:
        if own_raw:
            return _values(raw.filter((pl.col("period") == per) & (pl.col("la_code") == code_la)))[
                0
            ]
        assert published is not None
        return _values(_published_frame(published(per)).filter(pl.col("la_code") == code_la))[0]

    own_by_period = {p: with_own_rates(own_values(p)) for p in result.periods}
    own_now = own_by_period.get(period) or with_own_rates(own_values(period))
    # The council's place in the rank is its own figure (unsuppressed for its own staff).
    for have in councils_with_data.values():
        have.pop(code_la, None)
    for (_c, measure), value in own_now.items():
        councils_with_data.setdefault(measure, {})[code_la] = value
    neighbours = [n.neighbour_code for n in statistical_neighbours().get(code_la, ())]
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
        used = [c for c in (have if codes is None else codes) if c in have and c != code_la]
        if not used:
            return None, 0
        # One hidden contributor: the mean less the published others would give its value.
        if len(hidden.get(measure, set()).intersection(used)) == 1:
            return None, len(used)
        return sum(have[c] for c in used) / len(used), len(used)

    out = []
    for m in _rows():
        have = councils_with_data.get(m.name, {})
        own_value = own_now.get((code_la, m.name))
        nb_avg, nb_n = mean_of(m.name, neighbours)
        cp_avg, cp_n = mean_of(m.name, comp_codes)
        pool = (
            have
            if not isinstance(comp_codes, list) or comparator == "neighbours"
            else {c: v for c, v in have.items() if c in comp_codes or c == code_la}
        )
        rank = of_n = None
        band = None
        if own_value is not None and code_la in pool and m.kind != "count":
            ranks = rank_values(pool, m.polarity)
            rank, of_n = ranks[code_la], len(pool)
            band = None if m.polarity == "neutral" else quartile_band(rank, of_n)
        trend = [own_by_period[p].get((code_la, m.name)) for p in result.periods]
        out.append(
            {
                "measure": m.name,
                "label": m.label,
                "group": m.group,
                "kind": m.kind,
                "unit": m.unit,
                "polarity": m.polarity,
                "period": period,
                "la_code": code_la,
                "la_name": la.name,
                "la_value": own_value,
                "neighbour_avg": nb_avg,
                "neighbours_with_data": nb_n,
                "comparator": comp_label,
                "comparator_avg": cp_avg,
                "comparator_n": cp_n,
                "region": areas.get((la.region_code, m.name)),
                "region_name": la.region_name,
                "england": areas.get((ENGLAND_CODE, m.name)),
                "rank": rank,
                "of_n": of_n,
                "band": band,
                "trend_periods": list(result.periods),
                "trend": trend,
                "denominator_source": sources.get(code_la) if m.kind == PER_10K_KIND else None,
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
            "denominator_source": pl.Utf8,
        },
    )
