"""Small groups are not shown: the comparison and the estimate as they may be published.

The rules are the release's (``fgc.engine.disclosure``, ``fgc.engine.insight.published``):

* a council group with 1 to ``threshold`` (5) children whose outcome was due, or 1 to
  ``threshold`` children with the outcome, shows no rate, mean or count (``c``), and neither
  does any difference, ratio or adjusted figure built on it;
* the pooled "offered" group is the sum of the three FGC groups, so when exactly one of those
  is hidden another is hidden with it (the smallest that is not zero), or the pooled group
  when no other can be, so the hidden one cannot be worked out by subtraction;
* regional and England counts are rounded to the nearest 10 (half away from zero), ``low``
  when a non-zero count rounds to 0; their rates come from the unrounded counts;
* an impact estimate for a council with 1 to ``threshold`` children not offered is hidden;
  regional and England counts of those children are rounded to 10.

Hidden figures are removed (set to null), not only marked, so nothing downstream can show
them by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from fgc.engine.disclosure import DisclosureConfig, round_half_away
from fgc.engine.impact.compare import LA, Comparison
from fgc.engine.impact.definitions import GROUP_OFFERED, MEMBERS, REFERENCE
from fgc.engine.impact.estimate import ImpactEstimate

HIDDEN = "c"
KEYS = ("geographic_level", "area_code", "outcome")
VALUE_COLUMNS = ("value", "lower", "upper")
CONTRAST_VALUES = (
    "group_value",
    "reference_value",
    "difference",
    "difference_lower",
    "difference_upper",
    "ratio",
    "ratio_lower",
    "ratio_upper",
)


def _small(n: int | None, threshold: int) -> bool:
    return n is not None and 1 <= n <= threshold


def count_text(n: int | None, level: str, cfg: DisclosureConfig) -> str:
    """A count as it may be shown: council as it is (``c`` when small), others rounded."""
    if n is None:
        return "x"
    if level == LA:
        return HIDDEN if _small(n, cfg.threshold) else str(n)
    r = round_half_away(n, cfg.rounding_base)
    return "low" if r == 0 and n != 0 else str(r)


def hidden_groups(rows: Iterable[dict[str, object]], cfg: DisclosureConfig) -> set[str]:
    """The groups of one area × outcome that may not be shown (primary and secondary)."""
    by_group = {str(r["group"]): r for r in rows}
    hidden: set[str] = set()
    if not by_group or next(iter(by_group.values()))["geographic_level"] != LA:
        return hidden
    for g, r in by_group.items():
        n, k = r["children"], r["events"]
        if _small(n, cfg.threshold) or _small(k, cfg.threshold):  # type: ignore[arg-type]
            hidden.add(g)
    parts = [g for g in MEMBERS[GROUP_OFFERED] if g in by_group]
    if GROUP_OFFERED not in hidden and len([g for g in parts if g in hidden]) == 1:
        candidates = sorted(
            (int(by_group[g]["children"]), g)  # type: ignore[call-overload]
            for g in parts
            if g not in hidden and int(by_group[g]["children"]) > 0  # type: ignore[call-overload]
        )
        hidden.add(candidates[0][1] if candidates else GROUP_OFFERED)
    return hidden


def suppress_comparison(
    comparison: Comparison, config: DisclosureConfig | None = None
) -> Comparison:
    """The comparison with small groups removed; ``groups`` gains ``children_shown``,
    ``events_shown`` (text) and ``suppressed``; ``contrasts`` gains ``suppressed``."""
    cfg = config or DisclosureConfig()
    g = comparison.groups
    hide: set[tuple[str, str, str, str]] = set()
    for key, part in g.group_by(list(KEYS), maintain_order=True):
        for grp in hidden_groups(part.iter_rows(named=True), cfg):
            hide.add((*(str(k) for k in key), grp))  # type: ignore[arg-type]
    mark = pl.concat_str([*KEYS, "group"], separator="|")
    hidden_keys = ["|".join(h) for h in hide]
    groups = g.with_columns(mark.is_in(hidden_keys).alias("suppressed"))
    groups = groups.with_columns(
        pl.struct("children", "geographic_level", "suppressed")
        .map_elements(
            lambda r: (
                HIDDEN if r["suppressed"] else count_text(r["children"], r["geographic_level"], cfg)
            ),
            return_dtype=pl.Utf8,
        )
        .alias("children_shown"),
        pl.struct("events", "geographic_level", "suppressed")
        .map_elements(
            lambda r: (
                HIDDEN if r["suppressed"] else count_text(r["events"], r["geographic_level"], cfg)
            ),
            return_dtype=pl.Utf8,
        )
        .alias("events_shown"),
    ).with_columns(
        *(
            pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c)
            for c in VALUE_COLUMNS
        ),
        *(
            pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("children", "events")
        ),
    )
    c = comparison.contrasts
    either = pl.concat_str([*KEYS, "group"], separator="|").is_in(hidden_keys) | pl.concat_str(
        [*KEYS, pl.lit(REFERENCE)], separator="|"
    ).is_in(hidden_keys)
    contrasts = c.with_columns(either.alias("suppressed")).with_columns(
        *(
            pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(col)).alias(col)
            for col in CONTRAST_VALUES
        ),
        pl.when(pl.col("suppressed")).then(pl.lit("")).otherwise(pl.col("note")).alias("note"),
    )
    return Comparison(groups, contrasts)


def impact_hidden(e: ImpactEstimate, config: DisclosureConfig | None = None) -> bool:
    cfg = config or DisclosureConfig()
    return e.geographic_level == LA and _small(e.not_offered, cfg.threshold)


def not_offered_text(e: ImpactEstimate, config: DisclosureConfig | None = None) -> str:
    return count_text(e.not_offered, e.geographic_level, config or DisclosureConfig())
