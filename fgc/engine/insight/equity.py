"""Equity of access: confidence intervals, rate ratios, and who is offered against the
population the service should reach.

Intervals (95%)
    Proportions use the **Wilson score interval**. Small-count rule: when the denominator is
    below ``EXACT_BELOW`` (30) the **exact Clopper–Pearson** interval is used instead, found by
    bisection on the exact binomial tail (no SciPy needed), because Wilson's coverage is least
    reliable there. Either way an interval is always shown, never hidden.
Rate ratios
    A group's rate divided by a comparator rate (the council's overall rate, or England's rate
    for the same group), with the **Katz log interval**:
    ``exp(ln RR ± 1.96 × sqrt(1/a − 1/n1 + 1/b − 1/n2))``. Undefined (null) when either
    numerator is 0. The council comparator contains the group itself, so its interval is
    conservative (slightly too wide); this is stated on the pages.
Representation
    Share of children offered who are in a group, divided by that group's share of the
    population (the council's uploaded CIN / SSDA903 counts, else the national reference
    distribution). 1 = offered in proportion; the interval is the Wilson interval of the offered
    share divided by the population share (the population share is treated as fixed).
"""

from __future__ import annotations

import math
from functools import lru_cache

import polars as pl

from fgc.engine.insight.population import one_source_per_topic

Z = 1.959963984540054
EXACT_BELOW = 30
ALPHA = 0.05


def wilson_interval(successes: int, trials: int, z: float = Z) -> tuple[float, float]:
    """Wilson score interval for a proportion, as fractions in [0, 1]."""
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _binom_cdf(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p), exactly summed (used only for small n)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def _bisect(f: object, lo: float, hi: float) -> float:
    fn = f  # a decreasing function of p whose root we want
    for _ in range(60):
        mid = (lo + hi) / 2
        if fn(mid) > 0:  # type: ignore[operator]
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@lru_cache(maxsize=4096)
def clopper_pearson_interval(successes: int, trials: int) -> tuple[float, float]:
    """Exact (Clopper–Pearson) 95% interval: the beta quantiles, found by bisection."""
    x, n = successes, trials
    if n <= 0:
        return (math.nan, math.nan)
    lower = 0.0 if x == 0 else _bisect(lambda p: ALPHA / 2 - (1 - _binom_cdf(x - 1, n, p)), 0, 1)
    upper = 1.0 if x == n else _bisect(lambda p: _binom_cdf(x, n, p) - ALPHA / 2, 0, 1)
    return (lower, upper)


def proportion_interval(successes: int, trials: int) -> tuple[float, float]:
    """The interval the project uses: exact below ``EXACT_BELOW`` trials, Wilson above."""
    if 0 < trials < EXACT_BELOW:
        return clopper_pearson_interval(successes, trials)
    return wilson_interval(successes, trials)


def wilson_exprs(n: pl.Expr, d: pl.Expr, z: float = Z) -> tuple[pl.Expr, pl.Expr]:
    """Vectorised Wilson bounds (fractions) for numerator ``n`` over denominator ``d``."""
    n = n.cast(pl.Float64)
    d = d.cast(pl.Float64)
    p = n / d
    denom = 1 + z * z / d
    centre = (p + z * z / (2 * d)) / denom
    half = z * (p * (1 - p) / d + z * z / (4 * d * d)).sqrt() / denom
    ok = d > 0
    lower = pl.when(ok).then(pl.max_horizontal(centre - half, pl.lit(0.0)))
    upper = pl.when(ok).then(pl.min_horizontal(centre + half, pl.lit(1.0)))
    return lower, upper


def add_proportion_intervals(
    frame: pl.DataFrame, n: str, d: str, scale: float = 100.0
) -> pl.DataFrame:
    """Add ``lower``/``upper`` (× ``scale``) for rows whose ``d`` is positive.

    Wilson for every row, then exact intervals for the few distinct small denominators.
    """
    lo, hi = wilson_exprs(pl.col(n), pl.col(d))
    out = frame.with_columns((lo * scale).alias("lower"), (hi * scale).alias("upper"))
    small = (
        out.filter((pl.col(d) > 0) & (pl.col(d) < EXACT_BELOW))
        .select(pl.col(n).cast(pl.Int64), pl.col(d).cast(pl.Int64))
        .unique()
    )
    if small.height == 0:
        return out
    rows = [
        (x, t, *(v * scale for v in clopper_pearson_interval(x, t))) for x, t in small.iter_rows()
    ]
    exact = pl.DataFrame(
        rows,
        schema={n: pl.Int64, d: pl.Int64, "_lo": pl.Float64, "_hi": pl.Float64},
        orient="row",
    )
    out = out.join(
        exact,
        left_on=[pl.col(n).cast(pl.Int64), pl.col(d).cast(pl.Int64)],
        right_on=[n, d],
        how="left",
        suffix="_exact",
    )
    return out.with_columns(
        pl.coalesce("_lo", "lower").alias("lower"), pl.coalesce("_hi", "upper").alias("upper")
    ).drop([c for c in out.columns if c in ("_lo", "_hi") or c.endswith("_exact")])


def rate_ratio(a: int, n1: int, b: int, n2: int, z: float = Z) -> tuple[float, float, float]:
    """(ratio, lower, upper) of a/n1 against b/n2, Katz log interval; NaN if undefined."""
    if min(a, b) <= 0 or min(n1, n2) <= 0:
        return (math.nan, math.nan, math.nan)
    rr = (a / n1) / (b / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)
    return (rr, rr * math.exp(-z * se), rr * math.exp(z * se))


def rate_ratio_exprs(
    a: pl.Expr, n1: pl.Expr, b: pl.Expr, n2: pl.Expr, z: float = Z
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Vectorised ``rate_ratio``: (ratio, lower, upper) expressions, null when undefined."""
    a, n1, b, n2 = (e.cast(pl.Float64) for e in (a, n1, b, n2))
    ok = (a > 0) & (b > 0) & (n1 > 0) & (n2 > 0)
    rr = (a / n1) / (b / n2)
    se = (1 / a - 1 / n1 + 1 / b - 1 / n2).clip(lower_bound=0).sqrt()
    return (
        pl.when(ok).then(rr),
        pl.when(ok).then(rr * (-z * se).exp()),
        pl.when(ok).then(rr * (z * se).exp()),
    )


def add_rate_ratios(equity: pl.DataFrame, totals: pl.DataFrame) -> pl.DataFrame:
    """Add ``rr_council*`` and ``rr_england*`` to rate rows of an equity table.

    ``totals`` holds the same measures at breakdown Total (for the council comparator);
    England's rows of ``equity`` itself give the England comparator for each group.
    """
    keys = ["period", "measure"]
    council = totals.select(
        "la_code", *keys, pl.col("numerator").alias("_cn"), pl.col("denominator").alias("_cd")
    )
    england = equity.filter(pl.col("geographic_level") == "National").select(
        *keys,
        "breakdown_topic",
        "breakdown",
        pl.col("numerator").alias("_en"),
        pl.col("denominator").alias("_ed"),
    )
    out = equity.join(council, on=["la_code", *keys], how="left").join(
        england, on=[*keys, "breakdown_topic", "breakdown"], how="left"
    )
    a, n1 = pl.col("numerator"), pl.col("denominator")
    rc = rate_ratio_exprs(a, n1, pl.col("_cn"), pl.col("_cd"))
    re_ = rate_ratio_exprs(a, n1, pl.col("_en"), pl.col("_ed"))
    is_rate = pl.col("kind") == "rate"
    return out.with_columns(
        pl.when(is_rate).then(rc[0]).alias("rr_council"),
        pl.when(is_rate).then(rc[1]).alias("rr_council_lower"),
        pl.when(is_rate).then(rc[2]).alias("rr_council_upper"),
        pl.when(is_rate).then(re_[0]).alias("rr_england"),
        pl.when(is_rate).then(re_[1]).alias("rr_england_lower"),
        pl.when(is_rate).then(re_[2]).alias("rr_england_upper"),
    ).drop("_cn", "_cd", "_en", "_ed")


def representation(offered: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Who is offered compared with the population, per council, period and group.

    ``offered``: equity rows of the ``offered_children`` count (la_code, period,
    geographic_level, breakdown_topic, breakdown, numerator).
    ``population``: la_code (or null for the national reference), breakdown_topic, breakdown,
    share (0–1) and source — see ``fgc.engine.insight.population``.
    """
    totals = offered.group_by("la_code", "period", "breakdown_topic").agg(
        pl.col("numerator").sum().alias("denominator")
    )
    out = offered.drop("denominator", strict=False).join(
        totals, on=["la_code", "period", "breakdown_topic"]
    )
    local = one_source_per_topic(population.filter(pl.col("la_code").is_not_null())).select(
        "la_code",
        "breakdown_topic",
        "breakdown",
        pl.col("share").alias("_ls"),
        pl.col("source").alias("_lsrc"),
    )
    national = population.filter(pl.col("la_code").is_null()).select(
        "breakdown_topic",
        "breakdown",
        pl.col("share").alias("_ns"),
        pl.col("source").alias("_nsrc"),
    )
    out = out.join(local, on=["la_code", "breakdown_topic", "breakdown"], how="left").join(
        national, on=["breakdown_topic", "breakdown"], how="left"
    )
    lo, hi = wilson_exprs(pl.col("numerator"), pl.col("denominator"))
    share = pl.col("numerator").cast(pl.Float64) / pl.col("denominator")
    pop = pl.coalesce("_ls", "_ns")
    ok = (pop > 0) & (pl.col("denominator") > 0)
    return out.with_columns(
        pl.lit("offered_representation").alias("measure"),
        pl.lit("ratio").alias("kind"),
        (share * 100).alias("offered_share"),
        (pop * 100).alias("population_share"),
        pl.coalesce("_lsrc", "_nsrc").alias("population_source"),
        pl.when(ok).then(share / pop).alias("value"),
        pl.when(ok).then(lo / pop).alias("lower"),
        pl.when(ok).then(hi / pop).alias("upper"),
    ).drop("_ls", "_ns", "_lsrc", "_nsrc")
