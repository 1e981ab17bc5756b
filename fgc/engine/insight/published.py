"""Headline figures as they may be shown beyond the council they describe.

A council sees its own figures unsuppressed; every figure it sees about anyone else — other
councils, its neighbours' average, its region, England — and every figure a national user
sees comes from here (the web pages, the one-page report and ``fgc insight`` alike). The rules
follow the release (``fgc.engine.disclosure``):

* council counts: 0 shown as 0, 1 to ``threshold`` shown as ``c``; regional and England counts
  rounded to 10 (half away from zero), ``low`` when a non-zero count rounds to 0;
* rates and shares to 1 decimal place, a council's from its exact counts, a region's or
  England's from its rounded counts (as the release: exact ones would give the counts back);
  ``c`` for a council when the numerator or denominator is between 1 and ``threshold``, and
  for an area when either is ``low``; ``z`` when the denominator is 0;
* medians and means: ``c`` with 1 to ``threshold`` values (council, region or England, as
  in the release), ``x`` with none;
* every council count the release hides (primary **or secondary**), and every rate, median
  or mean built on such a count, is ``c`` here too, so the pages cannot undo the release's
  protection (outcome rates by group included).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from fgc.engine.disclosure import DisclosureConfig, Publication, round_half_away
from fgc.engine.disclosure.suppress import area_rate
from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.engine.insight.flags import COHORTS
from fgc.engine.insight.measures import all_measures, get_measure
from fgc.engine.insight.outcomes import LIVING_ARRANGEMENT, outcome_measure
from fgc.engine.insight.release import _CHILD_COUNTS, _FAMILY_COUNTS, publication_tables
from fgc.engine.insight.release_tables import (
    COMPLIANCE,
    GROUP,
    OUTCOME_FIELDS,
    PLO_PREFIX,
    TIMELINESS,
)

# period → that period's published values (``published_values`` frame)
PublishedFor = Callable[[str], pl.DataFrame]

LA = "Local authority"
COLUMNS = ("geographic_level", "la_code", "measure", "kind", "published", "pvalue")
_WHO = {"family": "families", "child": "children"}


# (release column, its row's non-Total filter values) → the count it is
CellMap = dict[tuple[str, tuple[tuple[str, str], ...]], str]


def hidden_counts(pub: Publication) -> set[tuple[str, str]]:
    """(la_code, count) pairs the release shows as ``c``.

    Release columns map to counts through the release's own declarations: a count measure's
    name, ``{flag}_{families|children}`` for a rate's numerator or denominator flag, and
    ``{rate measure}:numerator`` for an outcome rate's numerator (the children of one group
    with the outcome, a count no single flag holds).
    """
    cell_of = _release_cells()
    columns = {c for c, _ in cell_of}
    out: set[tuple[str, str]] = set()
    for name, table in pub.suppression.tables.items():
        spec = pub.suppression.specs[name]
        rows = table.filter(pl.col("geographic_level") == LA)
        for col in spec.counts:
            if col not in columns:
                continue
            for r in rows.filter(pl.col(col) == "c").iter_rows(named=True):
                where = tuple((f, str(r[f])) for f in spec.filters if r[f] != TOTAL)
                key = cell_of.get((col, where))
                if key is not None:
                    out.add((str(r["la_code"]), key))
    return out


def _release_count_measures() -> dict[str, str]:
    # The release module keeps its column → measure maps private; they are read, not changed.
    out: dict[str, str] = {}
    for col, name in {**_FAMILY_COUNTS, **_CHILD_COUNTS}.items():
        m = get_measure(name)
        out[col] = name if m.kind == "count" else f"{m.numerator}_{_WHO[m.level]}"
    # The compliance and timeliness tables name the part of a rate each column counts.
    for col, (name, part, _label) in {**COMPLIANCE, **TIMELINESS}.items():
        m = get_measure(name)
        flag = m.numerator if part == "numerator" else m.denominator
        out[col] = f"{flag}_{_WHO[m.level]}"
    return out


def _release_cells() -> CellMap:
    """Every release cell a page figure can be built on (Total rows, and outcome groups)."""
    out: CellMap = {(col, ()): key for col, key in _release_count_measures().items()}
    # Outcome tables: one row per group, all stages and pre-proceedings only.
    for plo in (False, True):
        prefix = PLO_PREFIX if plo else ""
        for cohort, group in COHORTS.items():
            where = ((GROUP, group),)
            for field in OUTCOME_FIELDS:
                m = get_measure(outcome_measure(field, cohort, plo))
                out[(f"{prefix}children_{field}", where)] = f"{m.name}:numerator"
                out[(f"{prefix}children_{field}_known", where)] = f"{m.denominator}_children"
            living = get_measure(outcome_measure(LIVING_ARRANGEMENT, cohort, plo))
            # its Total row (the group's children with it recorded); other rows are shares
            out[(f"{prefix}children", where)] = f"{living.denominator}_children"
    return out


def _fmt_expr(value: pl.Expr) -> pl.Expr:
    return value.round(1).cast(pl.Utf8)


def published_values(
    result: InsightResult,
    period: str,
    pub: Publication | None = None,
    config: DisclosureConfig | None = None,
) -> pl.DataFrame:
    """One row per area × headline measure for the period: ``published`` text and its number."""
    cfg = config or DisclosureConfig()
    t = cfg.threshold
    rows = pl.concat(
        [tab for g, tab in result.tables.items() if g != "equity"], how="diagonal_relaxed"
    ).filter(
        (pl.col("period") == period)
        & (pl.col("breakdown_topic") == TOTAL)
        & (pl.col("kind") != "share")
    )
    if rows.height == 0:
        return pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.Utf8) | {"pvalue": pl.Float64})
    la = pl.col("geographic_level") == LA
    n, d, v, kind = pl.col("numerator"), pl.col("denominator"), pl.col("value"), pl.col("kind")
    small = lambda e: (e >= 1) & (e <= t)  # noqa: E731
    base = cfg.rounding_base
    rounded_counts = {
        x: round_half_away(x, base)
        for x in rows.filter(~la & (kind == "count")).get_column("value").drop_nulls().unique()
    }
    rounded = v.replace_strict(rounded_counts, default=None, return_dtype=pl.Float64)
    text = (
        pl.when(kind == "count")
        .then(
            pl.when(v.is_null())
            .then(pl.lit("x"))
            .when(la & small(v))
            .then(pl.lit("c"))
            .when(la)
            .then(v.cast(pl.Int64).cast(pl.Utf8))
            .when((rounded == 0) & (v != 0))
            .then(pl.lit("low"))
            .otherwise(rounded.cast(pl.Int64).cast(pl.Utf8))
        )
        .when(kind == "rate")
        .then(
            pl.when(d.is_null() | (d == 0))
            .then(pl.lit("z"))
            .when(la & (small(n) | small(d)))
            .then(pl.lit("c"))
            .when(la)
            .then(_fmt_expr(v))
            # regions and England: over the rounded counts, exactly as the release
            .otherwise(
                # every row passes through (when/then evaluates all): counts have no pair
                pl.struct(n, d).map_elements(
                    lambda nd: (
                        None
                        if nd["numerator"] is None or nd["denominator"] is None
                        else area_rate(nd["numerator"], nd["denominator"], base, cfg.rate_dp)
                    ),
                    return_dtype=pl.Utf8,
                )
            )
        )
        .otherwise(  # median, mean
            pl.when(d.is_null() | (d == 0) | v.is_null())
            .then(pl.lit("x"))
            # at every level, as the release (``fgc.engine.disclosure.medians``)
            .when(small(d))
            .then(pl.lit("c"))
            .otherwise(_fmt_expr(v))
        )
    )
    out = rows.select("geographic_level", "la_code", "measure", "kind", text.alias("published"))
    if pub is not None:
        hidden = hidden_counts(pub)
        if hidden:
            # A rate is hidden when the count of its numerator or denominator flag is.
            deps: dict[str, list[str]] = {}
            for m in all_measures():
                if m.kind == "count" and m.numerator:
                    deps[m.name] = [m.name]
                elif m.kind == "rate" and m.numerator and m.denominator:
                    who = _WHO[m.level]
                    deps[m.name] = [
                        f"{m.numerator}_{who}",
                        f"{m.denominator}_{who}",
                        f"{m.name}:numerator",
                    ]
                elif m.kind in ("median", "mean") and m.denominator:
                    # the release shows a median only over a count it shows
                    deps[m.name] = [f"{m.denominator}_{_WHO[m.level]}"]
            codes = sorted({c for c, _ in hidden})
            pairs = [
                (code, name)
                for name, needs in deps.items()
                for code in codes
                if any((code, x) in hidden for x in needs)
            ]
            mask = pl.DataFrame(pairs, schema=["la_code", "measure"], orient="row").with_columns(
                pl.lit(True).alias("_hide")
            )
            out = (
                out.join(mask, on=["la_code", "measure"], how="left")
                .with_columns(
                    pl.when(la & pl.col("_hide").fill_null(False))
                    .then(pl.lit("c"))
                    .otherwise(pl.col("published"))
                    .alias("published")
                )
                .drop("_hide")
            )
    return out.with_columns(
        pl.col("published").cast(pl.Float64, strict=False).alias("pvalue")
    ).select(COLUMNS)


def release_for(
    result: InsightResult, period: str, config: DisclosureConfig | None = None
) -> Publication:
    """The release the published values must agree with (for callers outside the cache)."""
    from fgc.engine.disclosure import publish

    return publish(publication_tables(result, period), period, config)


def published_provider(
    result: InsightResult, config: DisclosureConfig | None = None
) -> PublishedFor:
    """Published values per period, each built once (release, then ``published_values``).

    For callers with only a file (``fgc insight``): every council in it gets the same
    disclosure control as the national release, secondary suppression included.
    """
    done: dict[str, pl.DataFrame] = {}

    def published_for(period: str) -> pl.DataFrame:
        if period not in done:
            done[period] = published_values(
                result, period, release_for(result, period, config), config
            )
        return done[period]

    return published_for
