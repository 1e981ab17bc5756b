"""Compute every declared measure for councils, regions and England in one pass per level.

Output rows are tidy and the same for every group::

    geographic_level, la_code, period, measure, kind, breakdown_topic, breakdown,
    numerator, denominator, value, lower, upper

``la_code`` holds the DfE 3-digit code for councils, the ONS region code for regional rows
and ``E92000001`` for England. Regional and England figures are computed from the pooled
child rows (not averaged over councils), as DfE publishes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.derive import AGE_BAND_LABELS, DISABILITY_LABELS, NOT_KNOWN, NOT_RECORDED
from fgc.engine.derive import ethnicity_groups as _ethnicity_groups
from fgc.engine.insight.equity import add_proportion_intervals, add_rate_ratios, representation
from fgc.engine.insight.flags import EXIT_STAGES, prepare
from fgc.engine.insight.measures import GROUPS, Measure, all_measures
from fgc.engine.insight.population import fallback_population
from fgc.engine.periods import Period
from fgc.standard import ENGLAND_CODE, Standard, load_standard, local_authorities

TOTAL = "Total"
LEVELS = ("Local authority", "Regional", "National")
# Equity breakdowns: output topic name → column in the prepared frame.
EQUITY_TOPICS: dict[str, str] = {
    "ethnicity_group": "ethnicity_group",
    "age_band": "age_band",
    "sex": "sex_group",
    "disability": "disability_group",
    "stage": "stage_group",
}
COLUMNS = (
    "geographic_level",
    "la_code",
    "period",
    "measure",
    "kind",
    "breakdown_topic",
    "breakdown",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
)


@dataclass
class InsightResult:
    """Measures per group, tidy. Frames in, frames out: safe to cache and pickle."""

    periods: tuple[str, ...]
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)

    def table(self, group: str) -> pl.DataFrame:
        return self.tables[group]

    @property
    def all(self) -> pl.DataFrame:
        """Every group's rows with the shared columns, one frame."""
        return pl.concat([t.select(COLUMNS) for t in self.tables.values()], how="vertical")

    def for_la(self, la_code: str) -> InsightResult:
        return InsightResult(
            self.periods,
            {g: t.filter(pl.col("la_code") == la_code) for g, t in self.tables.items()},
        )

    def save(self, directory: str | Path) -> None:
        """Write one parquet file per group (the hub caches per accepted version)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for g, t in self.tables.items():
            t.write_parquet(d / f"{g}.parquet")
        (d / "periods.txt").write_text("\n".join(self.periods), "utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> InsightResult:
        d = Path(directory)
        periods = tuple((d / "periods.txt").read_text("utf-8").split())
        return cls(periods, {g: pl.read_parquet(d / f"{g}.parquet") for g in GROUPS})


def _region_map() -> dict[str, str]:
    return {la.old_la_code: la.region_code for la in local_authorities()}


def _categories(by: str, std: Standard) -> tuple[str, ...]:
    if by == "exit_stage":
        return EXIT_STAGES
    cl = std.codelist_for(std.field(by))
    assert cl is not None, by
    return (*cl.values, NOT_RECORDED)


def equity_categories(std: Standard | None = None) -> dict[str, tuple[str, ...]]:
    s = std or load_standard()
    return {
        "ethnicity_group": _ethnicity_groups(s),
        "age_band": AGE_BAND_LABELS,
        "sex": tuple(c.label for c in s.codelists["sex"].codes),
        "disability": DISABILITY_LABELS,
        "stage": (*s.codelists["stage"].values, NOT_KNOWN),
    }


def _agg_exprs(m: Measure) -> list[pl.Expr]:
    n, d = f"{m.name}__n", f"{m.name}__d"
    den = pl.col(m.denominator) if m.denominator else pl.lit(True)
    if m.kind == "count":
        assert m.numerator
        return [pl.col(m.numerator).sum().alias(n)]
    if m.kind in ("rate", "share"):
        assert m.numerator
        return [(pl.col(m.numerator) & den).sum().alias(n), den.sum().alias(d)]
    assert m.value_col
    v = pl.col(m.value_col).filter(den & pl.col(m.value_col).is_not_null())
    if m.kind == "median":
        return [
            v.median().alias(f"{m.name}__v"),
            v.quantile(0.25, "linear").alias(f"{m.name}__lo"),
            v.quantile(0.75, "linear").alias(f"{m.name}__hi"),
            v.count().alias(d),
        ]
    # mean with a normal 95% interval
    return [
        v.mean().alias(f"{m.name}__v"),
        (v.mean() - 1.96 * v.std() / v.count().sqrt()).alias(f"{m.name}__lo"),
        (v.mean() + 1.96 * v.std() / v.count().sqrt()).alias(f"{m.name}__hi"),
        v.count().alias(d),
    ]


def _tidy(wide: pl.DataFrame, measures: Iterable[Measure], keys: list[str]) -> pl.DataFrame:
    parts = []
    f64 = pl.Float64
    for m in measures:
        num = pl.col(f"{m.name}__n") if m.kind in ("count", "rate", "share") else pl.lit(None)
        den = pl.col(f"{m.name}__d") if m.kind != "count" else pl.lit(None)
        val = pl.col(f"{m.name}__v") if m.kind in ("median", "mean") else pl.lit(None)
        lo = pl.col(f"{m.name}__lo") if m.kind in ("median", "mean") else pl.lit(None)
        hi = pl.col(f"{m.name}__hi") if m.kind in ("median", "mean") else pl.lit(None)
        parts.append(
            wide.select(
                *keys,
                pl.lit(m.name).alias("measure"),
                pl.lit(m.kind).alias("kind"),
                num.cast(f64).alias("numerator"),
                den.cast(f64).alias("denominator"),
                val.cast(f64).alias("value"),
                lo.cast(f64).alias("lower"),
                hi.cast(f64).alias("upper"),
            )
        )
    return pl.concat(parts, how="vertical")


def _geo_frames(frame: pl.DataFrame) -> list[tuple[str, pl.DataFrame, list[str]]]:
    """The frame keyed three ways: by council, by region, for England (all as ``la_code``)."""
    region = frame.with_columns(pl.col("region_code").alias("la_code"))
    national = frame.with_columns(pl.lit(ENGLAND_CODE).alias("la_code"))
    return [
        (lvl, f, ["la_code", "period"])
        for lvl, f in zip(LEVELS, (frame, region, national), strict=True)
    ]


def _complete(
    tidy: pl.DataFrame, keys: list[str], topic: str, cats: Sequence[str], zero_cols: list[str]
) -> pl.DataFrame:
    """Add missing categories (zero counts) so every group appears for every area."""
    grid = (
        tidy.select(*keys, "measure", "kind")
        .unique()
        .join(pl.DataFrame({"breakdown": list(cats)}), how="cross")
    )
    out = grid.join(tidy, on=[*keys, "measure", "kind", "breakdown"], how="left")
    return out.with_columns(
        pl.lit(topic).alias("breakdown_topic"), *(pl.col(c).fill_null(0.0) for c in zero_cols)
    )


def _compute_level(
    frame: pl.DataFrame,
    measures: Sequence[Measure],
    std: Standard,
) -> list[pl.DataFrame]:
    out: list[pl.DataFrame] = []
    plain = [m for m in measures if m.kind != "share"]
    shares = [m for m in measures if m.kind == "share"]
    equity = [m for m in plain if m.equity]
    cats = equity_categories(std)
    for level, f, keys in _geo_frames(frame):
        lit_level = pl.lit(level).alias("geographic_level")
        if plain:
            wide = f.group_by(keys).agg([e for m in plain for e in _agg_exprs(m)])
            t = _tidy(wide, plain, keys).with_columns(
                lit_level, pl.lit(TOTAL).alias("breakdown_topic"), pl.lit(TOTAL).alias("breakdown")
            )
            out.append(t)
        for topic, col in EQUITY_TOPICS.items():
            if not equity:
                break
            wide = f.group_by([*keys, col]).agg([e for m in equity for e in _agg_exprs(m)])
            t = _tidy(wide.rename({col: "breakdown"}), equity, [*keys, "breakdown"])
            t = _complete(t, keys, topic, cats[topic], ["numerator", "denominator"])
            out.append(t.with_columns(lit_level))
        for m in shares:
            assert m.by and m.numerator and m.denominator
            den = f.group_by(keys).agg(
                pl.col(m.denominator).sum().cast(pl.Float64).alias("denominator")
            )
            num = (
                f.filter(pl.col(m.numerator) & pl.col(m.denominator))
                .group_by([*keys, m.by])
                .agg(pl.len().cast(pl.Float64).alias("numerator"))
                .rename({m.by: "breakdown"})
            )
            grid = den.join(pl.DataFrame({"breakdown": list(_categories(m.by, std))}), how="cross")
            t = grid.join(num, on=[*keys, "breakdown"], how="left").with_columns(
                pl.col("numerator").fill_null(0.0),
                pl.lit(m.name).alias("measure"),
                pl.lit("share").alias("kind"),
                pl.lit(m.by).alias("breakdown_topic"),
                pl.lit(None, dtype=pl.Float64).alias("value"),
                pl.lit(None, dtype=pl.Float64).alias("lower"),
                pl.lit(None, dtype=pl.Float64).alias("upper"),
                lit_level,
            )
            out.append(t)
    return [t.select(COLUMNS) for t in out]


def _finish(rows: pl.DataFrame) -> pl.DataFrame:
    """Values and intervals for counts, rates and shares (medians/means already have them)."""
    prop = pl.col("kind").is_in(["rate", "share"])
    rows = rows.with_columns(
        pl.when(pl.col("kind") == "count")
        .then(pl.col("numerator"))
        .when(prop & (pl.col("denominator") > 0))
        .then(100 * pl.col("numerator") / pl.col("denominator"))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    props = add_proportion_intervals(rows.filter(prop), "numerator", "denominator")
    return pl.concat([rows.filter(~prop), props.select(rows.columns)], how="vertical")


def _parse_periods(period: str | Sequence[str] | None, available: Sequence[str]) -> list[str]:
    if period is None:
        return sorted(p for p in available if p)
    wanted = [period] if isinstance(period, str) else list(period)
    return [Period.parse(p).year_label for p in wanted]


def compute_measures(
    frame: pl.DataFrame,
    period: str | Sequence[str] | None = None,
    *,
    population: pl.DataFrame | None = None,
    standard: Standard | None = None,
) -> InsightResult:
    """Every measure for every council, region and England in the frame.

    ``frame``: child-level rows in the standard's columns, text (as read) or already typed.
    ``period``: a financial year (``"2025-26"``), several (for trends), or None for every
    year in the data. ``population``: shares from ``fgc.engine.insight.population``
    (council uploads); the national reference distribution fills any gaps.
    """
    std = standard or load_standard()
    typed = type_frame(frame, std) if frame.schema.get("offer_date") != pl.Date else frame
    prepared = prepare(typed, std).with_columns(
        pl.col("la_code")
        .cast(pl.Utf8)
        .replace_strict(_region_map(), default="Unknown", return_dtype=pl.Utf8)
        .alias("region_code")
    )
    available = prepared.get_column("period").drop_nulls().unique().to_list()
    periods = _parse_periods(period, available)
    prepared = prepared.filter(pl.col("period").is_in(periods))

    measures = all_measures()
    flags = {c for m in measures for c in (m.numerator, m.denominator, m.value_col) if c}
    by_cols = {m.by for m in measures if m.by}
    keep = ["la_code", "episode_id", "period", "region_code", *EQUITY_TOPICS.values()]
    child = prepared.select(*dict.fromkeys([*keep, *flags, *by_cols]))
    # A family is one episode: a flag is true if true for any child; categories from the first.
    fam_flags = [c for c in flags if child.schema[c] == pl.Boolean]
    family = child.group_by("la_code", "episode_id", "period", "region_code").agg(
        *(pl.col(c).any() for c in fam_flags),
        *(pl.col(c).first() for c in (*by_cols, *(f for f in flags if f not in fam_flags))),
    )

    rows = pl.concat(
        [
            *_compute_level(child, [m for m in measures if m.level == "child"], std),
            *_compute_level(family, [m for m in measures if m.level == "family"], std),
        ],
        how="vertical",
    )
    rows = _finish(rows)
    group_of = {m.name: m.group for m in measures}
    rows = rows.with_columns(
        pl.col("measure").replace_strict(group_of, return_dtype=pl.Utf8).alias("_group")
    )
    tables: dict[str, pl.DataFrame] = {}
    for g in GROUPS:
        if g == "equity":
            continue
        tables[g] = (
            rows.filter(
                (pl.col("_group") == g)
                & (pl.col("breakdown_topic").is_in([TOTAL]) | (pl.col("kind") == "share"))
            )
            .drop("_group")
            .sort("geographic_level", "la_code", "period", "measure", "breakdown")
        )
    eq = rows.filter(
        (pl.col("breakdown_topic") != TOTAL) & pl.col("breakdown_topic").is_in(list(EQUITY_TOPICS))
    ).drop("_group")
    totals = rows.filter(pl.col("breakdown_topic") == TOTAL).drop("_group")
    eq = add_rate_ratios(eq, totals)
    pop = fallback_population()
    if population is not None:
        pop = pl.concat([population.select(pop.columns), pop], how="vertical")
    offered = eq.filter(pl.col("measure") == "offered_children").select(
        "geographic_level", "la_code", "period", "breakdown_topic", "breakdown", "numerator"
    )
    rep = representation(offered, pop)
    tables["equity"] = pl.concat([eq, rep], how="diagonal_relaxed").sort(
        "geographic_level", "la_code", "period", "measure", "breakdown_topic", "breakdown"
    )
    return InsightResult(tuple(periods), tables)
