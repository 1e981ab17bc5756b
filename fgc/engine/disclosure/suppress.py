"""Disclosure control following DfE children's social care practice (defaults configurable).

* Council figures are published unrounded; **0 is shown as 0**; counts from 1 to
  ``threshold`` (5) are shown as ``c`` (**primary** suppression).
* England and regional figures are **rounded to the nearest 10, half away from zero**
  (15 → 20, 25 → 30, −15 → −20); a non-zero figure that rounds to 0 is shown as ``low``.
* **Secondary** suppression (``secondary``): every row, column or total group that would
  leave exactly one hidden cell gets one more — the body cell that loses least (smallest
  non-zero count, preferring one that also protects another group) — to a fixed point; then
  the release is attacked (``checker.attack``) and any cell still recoverable, e.g. through
  rounded regional and England totals or another table, gets a partner too. Zeros are never
  suppressed.
* Rates and percentages are computed to 1 decimal place from the counts as published: a
  council's exact counts, a region's or England's **rounded** counts (exact ones would be
  given back by the rate); ``c`` when their numerator or denominator is suppressed or
  ``low``, ``z`` when the denominator is 0.
* Medians are shown only over a count that is shown and above ``threshold`` (``medians``).
* Every decision is recorded: table, cell, primary or secondary, and why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from fgc.engine.disclosure.cells import (
    LA,
    NATIONAL,
    REGION,
    CellKey,
    Equation,
    TableSpec,
    area_code,
    cell_key,
    equations_for,
)
from fgc.engine.disclosure.checker import CheckResult, Known, check_tables, read_published
from fgc.engine.disclosure.medians import median_text, median_values
from fgc.engine.disclosure.secondary import Groups, Hidden, complement, patch_attacks
from fgc.standard import local_authorities

PER_10K = 10_000


@dataclass(frozen=True)
class DisclosureConfig:
    threshold: int = 5  # counts 1..threshold are suppressed
    rounding_base: int = 10  # England and regional figures; 1 = no rounding
    rate_dp: int = 1


@dataclass(frozen=True)
class Decision:
    table: str
    indicator: str
    area: str
    filters: str
    kind: str  # primary | secondary
    why: str


@dataclass
class SuppressionResult:
    tables: dict[str, pl.DataFrame]  # published text values
    specs: dict[str, TableSpec]
    decisions: list[Decision] = field(default_factory=list)
    check: CheckResult = field(default_factory=CheckResult)

    def log_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [d.__dict__ for d in self.decisions],
            schema=["table", "indicator", "area", "filters", "kind", "why"],
            orient="row",
        )


def round_half_away(value: float, base: int = 10) -> int:
    """Round to the nearest ``base``, halves away from zero: 15 → 20, 25 → 30, −15 → −20."""
    if base <= 1:
        return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    q = (Decimal(str(abs(value))) / base).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(math.copysign(int(q) * base, value))


def format_rate(numerator: float, denominator: float, dp: int = 1, per: int = 100) -> str:
    """Rate per ``per`` (a percentage by default), half away from zero to ``dp`` places."""
    if denominator == 0:
        return "z"
    q = Decimal(str(per * numerator / denominator)).quantize(
        Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP
    )
    return f"{q:.{dp}f}"


def area_rate(numerator: float, denominator: float, base: int = 10, dp: int = 1) -> str:
    """A region's or England's percentage, over its counts rounded as they are published.

    Not over the exact counts: a percentage of exact counts to 1 decimal place pins both
    (an intruder's linear programme finds them), which would undo the rounding secondary
    suppression relies on. ``c`` over a ``low`` count, ``z`` when the denominator is 0.
    """
    if denominator == 0:
        return "z"
    n, d = round_half_away(numerator, base), round_half_away(denominator, base)
    if (n == 0 and numerator != 0) or (d == 0 and denominator != 0):
        return "c"
    return format_rate(n, d, dp)


def with_geography(spec: TableSpec) -> pl.DataFrame:
    """Council rows plus regional and England rows summed from them (unrounded)."""
    region = {la.old_la_code: la.region_code for la in local_authorities()}
    la_rows = spec.frame.with_columns(
        pl.col("la_code").cast(pl.Utf8),
        pl.col("la_code")
        .cast(pl.Utf8)
        .replace_strict(region, default=None, return_dtype=pl.Utf8)
        .alias("region_code"),
        pl.lit(LA).alias("geographic_level"),
        *(pl.col(c).fill_null(0).cast(pl.Int64) for c in spec.counts),
        *(pl.col(c).cast(pl.Int64) for c in spec.public),
    )
    unknown = la_rows.filter(pl.col("region_code").is_null())["la_code"].unique().to_list()
    if unknown:
        raise ValueError(f"Table {spec.name}: unknown local authority code(s) {unknown}")
    keys = list(spec.filters)
    sums = [pl.col(c).sum() for c in spec.counts] + [
        # An area missing one council's figure has no total to divide by.
        pl.when(pl.col(c).null_count() == 0).then(pl.col(c).sum()).alias(c)
        for c in spec.public
    ]
    regional = (
        la_rows.group_by(["region_code", *keys])
        .agg(sums)
        .with_columns(
            pl.lit(REGION).alias("geographic_level"), pl.lit(None, dtype=pl.Utf8).alias("la_code")
        )
    )
    national = (la_rows.group_by(keys).agg(sums) if keys else la_rows.select(sums)).with_columns(
        pl.lit(NATIONAL).alias("geographic_level"),
        pl.lit(None, dtype=pl.Utf8).alias("la_code"),
        pl.lit(None, dtype=pl.Utf8).alias("region_code"),
    )
    cols = ["geographic_level", "region_code", "la_code", *keys, *spec.counts, *spec.public]
    order = {NATIONAL: 0, REGION: 1, LA: 2}
    return (
        pl.concat([national.select(cols), regional.select(cols), la_rows.select(cols)])
        .with_columns(pl.col("geographic_level").replace_strict(order).alias("_o"))
        .sort("_o", "region_code", "la_code", *keys, nulls_last=False)
        .drop("_o")
    )


def suppress(
    specs: Sequence[TableSpec], config: DisclosureConfig | None = None
) -> SuppressionResult:
    cfg = config or DisclosureConfig()
    full: dict[str, pl.DataFrame] = {s.name: with_geography(s) for s in specs}
    values: dict[CellKey, int] = {}
    level_of: dict[CellKey, str] = {}
    tables_of: dict[CellKey, list[str]] = {}
    eqs: list[Equation] = []
    for s in specs:
        rows = list(full[s.name].iter_rows(named=True))
        for r in rows:
            area = area_code(r["geographic_level"], r["la_code"], r["region_code"])
            for ind in s.counts:
                k = cell_key(ind, area, [(f, str(r[f])) for f in s.filters])
                values[k] = int(r[ind])
                level_of[k] = r["geographic_level"]
                tables_of.setdefault(k, []).append(s.name)
        eqs += equations_for(rows, s.filters, s.counts)
    hidden: Hidden = {}
    for k, v in values.items():
        if level_of[k] == LA and 1 <= v <= cfg.threshold:
            hidden[k] = ("primary", f"count of {v} is between 1 and {cfg.threshold}")

    def rounded(k: CellKey) -> str:
        v = values[k]
        r = round_half_away(v, cfg.rounding_base)
        return "low" if r == 0 and v != 0 else str(r)

    def known() -> dict[CellKey, Known]:
        out: dict[CellKey, Known] = {}
        for k, v in values.items():
            if k in hidden:
                out[k] = Known(1, math.inf, True, False)
            elif level_of[k] == LA:
                out[k] = Known(v, v, False, True)
            else:
                kn = read_published(rounded(k), level_of[k], cfg.rounding_base)
                assert kn is not None
                out[k] = kn
        return out

    groups = Groups(values, level_of, eqs, hidden, cfg.rounding_base)
    complement(values, level_of, eqs, hidden, groups)
    patch_attacks(values, level_of, eqs, hidden, known, groups)

    def per_10k_text(kn: CellKey, den: int | None, level: str) -> str:
        # The denominator is public, so the rate reveals what its numerator reveals: nothing
        # where the count is hidden, and only the rounded count at region and England.
        if den is None:
            return "x"
        if den == 0:
            return "z"
        if kn in hidden:
            return "c"
        if level == LA:
            return format_rate(values[kn], den, cfg.rate_dp, PER_10K)
        shown = rounded(kn)
        return "c" if shown == "low" else format_rate(int(shown), den, cfg.rate_dp, PER_10K)

    published: dict[str, pl.DataFrame] = {}
    decisions: list[Decision] = []
    for s in specs:
        f = full[s.name]
        out_cols: dict[str, list[str]] = {c: [] for c in s.counts}
        rate_cols: dict[str, list[str]] = {r[0]: [] for r in s.rates}
        med_cols: dict[str, list[str]] = {m[0]: [] for m in s.medians}
        pub_cols: dict[str, list[str]] = {c: [] for c in s.public}
        per_cols: dict[str, list[str]] = {r[0]: [] for r in s.per_10k}
        med = median_values(s)
        for r in f.iter_rows(named=True):
            area = area_code(r["geographic_level"], r["la_code"], r["region_code"])
            fv = [(fi, str(r[fi])) for fi in s.filters]
            for ind in s.counts:
                k = cell_key(ind, area, fv)
                if k in hidden:
                    out_cols[ind].append("c")
                elif r["geographic_level"] == LA:
                    out_cols[ind].append(str(values[k]))
                else:
                    out_cols[ind].append(rounded(k))
            for name, num, den, _label in s.rates:
                kn, kd = cell_key(num, area, fv), cell_key(den, area, fv)
                if kn in hidden or kd in hidden:
                    rate_cols[name].append("c" if values[kd] else "z")
                elif r["geographic_level"] == LA:
                    rate_cols[name].append(format_rate(values[kn], values[kd], cfg.rate_dp))
                else:
                    rate_cols[name].append(
                        area_rate(values[kn], values[kd], cfg.rounding_base, cfg.rate_dp)
                    )
            for c in s.public:
                pub_cols[c].append("x" if r[c] is None else str(r[c]))
            for name, num, den, _label in s.per_10k:
                per_cols[name].append(
                    per_10k_text(cell_key(num, area, fv), r[den], r["geographic_level"])
                )
            at = med.get((area, tuple(v for _f, v in fv)), {})
            for name, count, n_values, _label in s.medians:
                kc = cell_key(count, area, fv)
                med_cols[name].append(
                    median_text(
                        at.get(name),
                        at.get(n_values),
                        values[kc],
                        kc in hidden,
                        cfg.threshold,
                        cfg.rate_dp,
                    )
                )
        published[s.name] = f.select(
            "geographic_level", "region_code", "la_code", *s.filters
        ).with_columns(
            *(pl.Series(c, v, dtype=pl.Utf8) for c, v in out_cols.items()),
            *(pl.Series(c, v, dtype=pl.Utf8) for c, v in rate_cols.items()),
            *(pl.Series(c, v, dtype=pl.Utf8) for c, v in med_cols.items()),
            *(pl.Series(c, v, dtype=pl.Utf8) for c, v in pub_cols.items()),
            *(pl.Series(c, v, dtype=pl.Utf8) for c, v in per_cols.items()),
        )
    for k, (kind, why) in sorted(hidden.items()):
        ind, area, key_filters = k
        where = ", ".join(f"{f}={v}" for f, v in key_filters) or "Total"
        for t in tables_of[k]:
            decisions.append(Decision(t, ind, area, where, kind, why))
    check = check_tables(
        [(published[s.name], s.filters, s.counts) for s in specs], cfg.rounding_base
    )
    return SuppressionResult(published, {s.name: s for s in specs}, decisions, check)
