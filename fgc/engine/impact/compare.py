"""Compare children who had an FGC with similar children who did not, per area.

``compare(linked)`` reads a frame in ``fgc.engine.linkage.schema.LINKED_SCHEMA`` and gives,
for every council, region and England, on each outcome in ``definitions.OUTCOMES``:

* ``groups``: one row per group — children whose outcome was due, children with the outcome
  (binary outcomes), the rate (%) with its Wilson interval or the mean days with its normal
  interval;
* ``contrasts``: one row per compared group × method (``unadjusted``, ``adjusted``) — the
  group's and the reference group's value, their difference (percentage points or days) and
  ratio, each with a 95% interval, and a note where a figure could not be computed.

Only children in pre-proceedings count (see ``definitions``); a child whose outcome is not
yet due (null) is left out of that outcome. Regional and England figures pool the children
(they are not averages of councils). Frames are in, frames are out: safe to cache as parquet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from fgc.engine.impact.adjusted import adjusted_comparison
from fgc.engine.impact.definitions import (
    COMPARED,
    COVARIATES,
    GROUP_LABELS,
    MEMBERS,
    OUTCOMES,
    REFERENCE,
    Outcome,
)
from fgc.engine.impact.intervals import (
    Estimate,
    Sample,
    mean,
    mean_difference,
    mean_ratio,
    rate,
    rate_difference,
    rate_ratio,
)
from fgc.engine.linkage.schema import GROUP_NOT_OFFERED, GROUPS, LINKED_SCHEMA
from fgc.standard import ENGLAND_CODE, local_authorities

LA, REGION, NATIONAL = "Local authority", "Regional", "National"
LEVELS: tuple[str, ...] = (LA, REGION, NATIONAL)
UNADJUSTED, ADJUSTED = "unadjusted", "adjusted"

GROUP_SCHEMA: dict[str, Any] = {
    "geographic_level": pl.Utf8,
    "area_code": pl.Utf8,
    "outcome": pl.Utf8,
    "group": pl.Utf8,
    "children": pl.Int64,  # children whose outcome was due
    "events": pl.Int64,  # children with the outcome (binary outcomes; null for days)
    "value": pl.Float64,  # rate (%) or mean days
    "lower": pl.Float64,
    "upper": pl.Float64,
}
CONTRAST_SCHEMA: dict[str, Any] = {
    "geographic_level": pl.Utf8,
    "area_code": pl.Utf8,
    "outcome": pl.Utf8,
    "group": pl.Utf8,
    "reference": pl.Utf8,
    "method": pl.Utf8,
    "group_value": pl.Float64,  # rate (%) or mean days (standardised when adjusted)
    "reference_value": pl.Float64,
    "difference": pl.Float64,  # percentage points or days
    "difference_lower": pl.Float64,
    "difference_upper": pl.Float64,
    "ratio": pl.Float64,
    "ratio_lower": pl.Float64,
    "ratio_upper": pl.Float64,
    "note": pl.Utf8,
    "terms": pl.Int64,  # covariates the adjusted model kept (null when unadjusted)
}


class ImpactError(ValueError):
    """A linked frame the comparison cannot read; the message says what is wrong."""


def check_linked(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame in LINKED_SCHEMA (columns and types), or ``ImpactError`` saying why not."""
    missing = [c for c in LINKED_SCHEMA if c not in frame.columns]
    if missing:
        raise ImpactError(f"The linked frame has no column(s) {', '.join(missing)}")
    wrong = [
        f"{c} is {frame.schema[c]}, expected {t}"
        for c, t in LINKED_SCHEMA.items()
        if frame.schema[c] != t and frame.schema[c] != pl.Null
    ]
    if wrong:
        raise ImpactError("The linked frame's columns have the wrong types: " + "; ".join(wrong))
    groups = set(frame.get_column("group").drop_nulls().unique().to_list()) - set(GROUPS)
    if groups or frame.get_column("group").null_count():
        shown = ", ".join(sorted(str(g) for g in groups)) or "blank"
        raise ImpactError(f"Unknown group(s) in the linked frame: {shown}")
    return frame.select(pl.col(c).cast(t) for c, t in LINKED_SCHEMA.items())


def _region_map() -> dict[str, str]:
    return {la.old_la_code: la.region_code for la in local_authorities()}


def pre_proceedings(linked: pl.DataFrame) -> pl.DataFrame:
    """Children in pre-proceedings, with ``region_code`` (children not offered always are)."""
    frame = check_linked(linked)
    return frame.filter(
        pl.col("plo").fill_null(False) | (pl.col("group") == GROUP_NOT_OFFERED)
    ).with_columns(
        pl.col("la_code")
        .replace_strict(_region_map(), default="Unknown", return_dtype=pl.Utf8)
        .alias("region_code")
    )


def _areas(frame: pl.DataFrame, levels: Sequence[str]) -> list[tuple[str, str, pl.DataFrame]]:
    out: list[tuple[str, str, pl.DataFrame]] = []
    for level in levels:
        if level == NATIONAL:
            out.append((NATIONAL, ENGLAND_CODE, frame))
            continue
        key = "la_code" if level == LA else "region_code"
        for part in frame.partition_by(key, maintain_order=False):
            out.append((level, str(part.get_column(key)[0]), part))
    return sorted(out, key=lambda a: (LEVELS.index(a[0]), a[1]))


def _members(frame: pl.DataFrame, group: str) -> pl.DataFrame:
    return frame.filter(pl.col("group").is_in(list(MEMBERS[group])))


def _pct(e: Estimate, scale: float) -> tuple[float | None, float | None, float | None]:
    def s(v: float | None) -> float | None:
        return None if v is None else v * scale

    return s(e.value), s(e.lower), s(e.upper)


def _group_row(o: Outcome, frame: pl.DataFrame) -> dict[str, Any]:
    values = frame.get_column(o.column)
    if o.kind == "binary":
        n, k = values.len(), int(values.cast(pl.Int64).sum())
        v, lo, hi = _pct(rate(k, n), 100.0)
        return {"children": n, "events": k, "value": v, "lower": lo, "upper": hi}
    s = Sample.of([float(x) for x in values.to_list()])
    e = mean(s)
    return {"children": s.n, "events": None, "value": e.value, "lower": e.lower, "upper": e.upper}


def _unadjusted(o: Outcome, g: pl.DataFrame, r: pl.DataFrame) -> dict[str, Any]:
    gv, rv = g.get_column(o.column), r.get_column(o.column)
    if o.kind == "binary":
        a, b = int(gv.cast(pl.Int64).sum()), int(rv.cast(pl.Int64).sum())
        return binary_contrast(a, gv.len(), b, rv.len())
    s1 = Sample.of([float(x) for x in gv.to_list()])
    s2 = Sample.of([float(x) for x in rv.to_list()])
    d, ratio = mean_difference(s1, s2), mean_ratio(s1, s2)
    values = (s1.mean if s1.n else None, s2.mean if s2.n else None)
    why = "" if d.known else "too few children for an interval"
    return _contrast(values, d, ratio, 1.0, why if s1.n and s2.n else "no children in a group")


def binary_contrast(a: int, n1: int, b: int, n2: int) -> dict[str, Any]:
    """The unadjusted contrast of ``a`` of ``n1`` children against ``b`` of ``n2``."""
    d, ratio = rate_difference(a, n1, b, n2), rate_ratio(a, n1, b, n2)
    values = (100 * a / n1 if n1 else None, 100 * b / n2 if n2 else None)
    why = "" if ratio.known or not (n1 and n2) else "no ratio: a group has no children with it"
    return _contrast(values, d, ratio, 100.0, why if n1 and n2 else "no children in a group")


def _contrast(
    values: tuple[float | None, float | None],
    d: Estimate,
    ratio: Estimate,
    scale: float,
    note: str,
) -> dict[str, Any]:
    dv, dl, du = _pct(d, scale)
    return {
        "group_value": values[0],
        "reference_value": values[1],
        "difference": dv,
        "difference_lower": dl,
        "difference_upper": du,
        "ratio": ratio.value,
        "ratio_lower": ratio.lower,
        "ratio_upper": ratio.upper,
        "note": note,
        "terms": None,
    }


def _adjusted(
    o: Outcome, group: str, g: pl.DataFrame, r: pl.DataFrame, covariates: Sequence[str]
) -> dict[str, Any]:
    both = pl.concat(
        [
            g.with_columns(pl.lit(True).alias("_treated")),
            r.with_columns(pl.lit(False).alias("_treated")),
        ],
        how="vertical",
    )
    adj = adjusted_comparison(
        both,
        o.column,
        o.kind,
        "_treated",
        covariates,
        group_label=f"the “{GROUP_LABELS[group]}” group",
        reference_label=f"the “{GROUP_LABELS[REFERENCE]}” group",
    )
    scale = 100.0 if o.kind == "binary" else 1.0
    dv, dl, du = _pct(adj.difference, scale)
    return {
        "group_value": None if adj.group_value is None else adj.group_value * scale,
        "reference_value": None if adj.reference_value is None else adj.reference_value * scale,
        "difference": dv,
        "difference_lower": dl,
        "difference_upper": du,
        "ratio": adj.ratio.value,
        "ratio_lower": adj.ratio.lower,
        "ratio_upper": adj.ratio.upper,
        "note": adj.note,
        "terms": len(adj.terms),
    }


@dataclass
class Comparison:
    """The comparison for every area: ``groups`` and ``contrasts`` (see the module doc)."""

    groups: pl.DataFrame
    contrasts: pl.DataFrame

    def for_area(self, area_code: str) -> Comparison:
        return Comparison(
            self.groups.filter(pl.col("area_code") == area_code),
            self.contrasts.filter(pl.col("area_code") == area_code),
        )

    @property
    def areas(self) -> list[str]:
        return sorted(set(self.groups.get_column("area_code").to_list()))

    def save(self, directory: str | Path) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.groups.write_parquet(d / "comparison-groups.parquet")
        self.contrasts.write_parquet(d / "comparison-contrasts.parquet")

    @classmethod
    def load(cls, directory: str | Path) -> Comparison:
        d = Path(directory)
        return cls(
            pl.read_parquet(d / "comparison-groups.parquet"),
            pl.read_parquet(d / "comparison-contrasts.parquet"),
        )


def compare(
    linked: pl.DataFrame,
    *,
    levels: Sequence[str] = LEVELS,
    covariates: Sequence[str] = COVARIATES,
) -> Comparison:
    """Groups and contrasts for every area of ``levels`` in the linked frame."""
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown:
        raise ImpactError(f"Unknown geographic level(s) {unknown}; expected {list(LEVELS)}")
    frame = pre_proceedings(linked)
    group_rows: list[dict[str, Any]] = []
    contrast_rows: list[dict[str, Any]] = []
    if frame.height == 0:
        return Comparison(pl.DataFrame(schema=GROUP_SCHEMA), pl.DataFrame(schema=CONTRAST_SCHEMA))
    for level, code, area in _areas(frame, levels):
        where = {"geographic_level": level, "area_code": code}
        for o in OUTCOMES:
            due = area.filter(pl.col(o.column).is_not_null())
            parts = {g: _members(due, g) for g in MEMBERS}
            for g, part in parts.items():
                group_rows.append(where | {"outcome": o.column, "group": g} | _group_row(o, part))
            ref = parts[REFERENCE]
            for g in COMPARED:
                key = where | {"outcome": o.column, "group": g, "reference": REFERENCE}
                contrast_rows.append(key | {"method": UNADJUSTED} | _unadjusted(o, parts[g], ref))
                contrast_rows.append(
                    key | {"method": ADJUSTED} | _adjusted(o, g, parts[g], ref, covariates)
                )
    return Comparison(
        pl.DataFrame(group_rows, schema=GROUP_SCHEMA, orient="row"),
        pl.DataFrame(contrast_rows, schema=CONTRAST_SCHEMA, orient="row"),
    )
