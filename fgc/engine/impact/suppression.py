"""Small groups are not shown: the comparison and the estimate as they may be published.

The rules are the release's (``fgc.engine.disclosure``, ``fgc.engine.insight.published``):

* a council group with 1 to ``threshold`` (5) children whose outcome was due, or 1 to
  ``threshold`` children with the outcome, shows no rate, mean or count (``c``), and neither
  does any difference, ratio or adjusted figure built on it;
* the pooled "offered" group is the sum of the three FGC groups, so when exactly one of those
  is hidden another is hidden with it (the smallest that is not zero), or the pooled group
  when no other can be, so the hidden one cannot be worked out by subtraction;
* regional and England counts are rounded to the nearest 10 (half away from zero), ``low``
  when a non-zero count rounds to 0, and the rows hold the rounded counts only. Their rates
  and Wilson intervals, and the unadjusted differences and ratios between them, are computed
  from the **rounded** counts, as the release's regional rates are
  (``disclosure.suppress.area_rate``): a rate of exact counts to 1 decimal place beside a
  rounded count pins the exact count, and a region's exact count minus its councils'
  published counts gives a hidden council's. Over a ``low`` count nothing is shown (``c``);
* a regional or England mean of days stays the children's mean, and so do its interval and
  contrasts: the days summed are not published, and the interval gives ``sd / √n``, not
  ``n``, so they do not pin the count;
* adjusted figures are model-based. When the model kept no covariate (every child alike in
  all of them) the logistic fit reproduces the raw rates and its delta-method interval is the
  Wald one: a deterministic, invertible function of the four exact counts, so for a region or
  England that figure is hidden (``c``). When it kept one or more, the figure depends on how
  the children spread over the covariates, which is not published, and cannot be turned back
  into a count; it is shown. A council's adjusted figure follows its groups (councils'
  counts are published exactly anyway);
* an impact estimate for a council with 1 to ``threshold`` children not offered is hidden;
  a region's or England's count of those children is rounded to 10 (``low`` hides its
  estimate) and its estimate is scaled to that rounded count (``shown_estimate``), because
  the saving per child, or a chosen baseline of 100%, would print the exact count. Its
  baseline rate weights only councils whose count is published (``estimate``), so a hidden
  council's count does not move it.

Hidden figures are removed (set to null), not only marked, so nothing downstream can show
them by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import polars as pl

from fgc.engine.disclosure import DisclosureConfig, round_half_away
from fgc.engine.impact.compare import LA, UNADJUSTED, Comparison, binary_contrast
from fgc.engine.impact.definitions import GROUP_OFFERED, MEMBERS, OUTCOMES, REFERENCE
from fgc.engine.impact.estimate import Figure, ImpactEstimate
from fgc.engine.impact.intervals import rate

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


def _rounded(n: int | None, cfg: DisclosureConfig) -> tuple[int | None, bool]:
    """A region's or England's count as published, and whether it is ``low``."""
    if n is None:
        return None, False
    r = round_half_away(n, cfg.rounding_base)
    return r, r == 0 and n != 0


def _area_group(r: dict[str, Any], kind: str, cfg: DisclosureConfig) -> tuple[dict[str, Any], bool]:
    """A regional or England group over its rounded counts, and whether a count is ``low``.

    A rate comes from the rounded counts (as ``disclosure.suppress.area_rate``), with the
    comparison's own Wilson interval; a mean stays the mean of the children (days summed
    are not published, so it does not give the count back)."""
    n, n_low = _rounded(r["children"], cfg)
    k, k_low = _rounded(r["events"], cfg)
    out = r | {"children": n, "events": k}
    low = n_low or k_low
    if kind == "binary" and n is not None and k is not None:
        v, lo, hi = (None, None, None)
        if n and not low:
            e = rate(k, n)
            v, lo, hi = (None if x is None else 100.0 * x for x in (e.value, e.lower, e.upper))
        out |= {"value": v, "lower": lo, "upper": hi}
    return out, low


def suppress_comparison(
    comparison: Comparison, config: DisclosureConfig | None = None
) -> Comparison:
    """The comparison as it may be published; ``groups`` gains ``children_shown``,
    ``events_shown`` (text) and ``suppressed``; ``contrasts`` gains ``suppressed``.

    Regional and England rows hold their rounded counts (the exact ones are dropped) and
    figures computed from them, as the module doc says."""
    cfg = config or DisclosureConfig()
    kinds = {o.column: o.kind for o in OUTCOMES}
    hide: set[tuple[str, ...]] = set()
    for key, part in comparison.groups.group_by(list(KEYS), maintain_order=True):
        for grp in hidden_groups(part.iter_rows(named=True), cfg):
            hide.add((*(str(k) for k in key), grp))
    groups: list[dict[str, Any]] = []
    counts: dict[tuple[str, ...], tuple[int | None, int | None]] = {}
    for r in comparison.groups.iter_rows(named=True):
        key = (*(str(r[k]) for k in KEYS), str(r["group"]))
        level = str(r["geographic_level"])
        shown = {
            "children_shown": count_text(r["children"], level, cfg),
            "events_shown": count_text(r["events"], level, cfg),
        }
        if level != LA:
            r, low = _area_group(r, kinds[str(r["outcome"])], cfg)
            counts[key] = (r["children"], r["events"])
            if low:
                hide.add(key)
        elif key in hide:
            shown = {"children_shown": HIDDEN, "events_shown": HIDDEN}
        if key in hide:
            r = r | dict.fromkeys((*VALUE_COLUMNS, "children", "events"))
        groups.append(r | shown | {"suppressed": key in hide})
    contrasts: list[dict[str, Any]] = []
    for r in comparison.contrasts.iter_rows(named=True):
        area = tuple(str(r[k]) for k in KEYS)
        mine, ref = (*area, str(r["group"])), (*area, REFERENCE)
        hidden = mine in hide or ref in hide
        if not hidden and r["geographic_level"] != LA:
            r, hidden = _area_contrast(r, kinds[str(r["outcome"])], counts[mine], counts[ref])
        if hidden:
            r = r | dict.fromkeys(CONTRAST_VALUES) | {"note": ""}
        contrasts.append(r | {"suppressed": hidden})
    g_schema = comparison.groups.schema | {
        "children_shown": pl.Utf8,
        "events_shown": pl.Utf8,
        "suppressed": pl.Boolean,
    }
    c_schema = comparison.contrasts.schema | {"suppressed": pl.Boolean}
    return Comparison(
        pl.DataFrame(groups, schema=g_schema, orient="row"),
        pl.DataFrame(contrasts, schema=c_schema, orient="row"),
    )


def _area_contrast(
    r: dict[str, Any],
    kind: str,
    group: tuple[int | None, int | None],
    reference: tuple[int | None, int | None],
) -> tuple[dict[str, Any], bool]:
    """A regional or England contrast as it may be published, and whether it is hidden.

    Unadjusted rates are compared over the rounded counts. An adjusted figure whose model
    kept no covariate is the unadjusted one over the exact counts, so it is hidden."""
    if r["method"] == UNADJUSTED:
        if kind != "binary":
            return r, False
        (n1, a), (n2, b) = group, reference
        assert a is not None and b is not None and n1 is not None and n2 is not None
        return r | binary_contrast(a, n1, b, n2), False
    fitted = r["difference"] is not None
    return r, fitted and not r.get("terms")


def impact_hidden(e: ImpactEstimate, config: DisclosureConfig | None = None) -> bool:
    """A council with 1 to ``threshold`` children not offered, or a region or England whose
    count of them is ``low``: no figure of its estimate is shown."""
    cfg = config or DisclosureConfig()
    if e.geographic_level == LA:
        return _small(e.not_offered, cfg.threshold)
    return _rounded(e.not_offered, cfg)[1]


def shown_estimate(
    e: ImpactEstimate, config: DisclosureConfig | None = None
) -> ImpactEstimate | None:
    """The estimate as it may be published: None when hidden; a region's or England's over
    its rounded count of children not offered (every count and saving scaled by rounded ÷
    exact, which keeps the area's children-weighted baseline rate), since the saving per
    child or a chosen 100% baseline would otherwise print the exact count."""
    cfg = config or DisclosureConfig()
    if impact_hidden(e, cfg):
        return None
    if e.geographic_level == LA or not e.not_offered:
        return e
    n = round_half_away(e.not_offered, cfg.rounding_base)
    f = n / e.not_offered

    def scaled(x: Figure) -> Figure:
        return Figure(x.value * f, x.lower * f, x.upper * f)

    return replace(
        e,
        not_offered=n,
        referred=e.referred * f,
        looked_after_now=scaled(e.looked_after_now),
        fewer_looked_after=scaled(e.fewer_looked_after),
        saving=scaled(e.saving),
    )


def not_offered_text(e: ImpactEstimate, config: DisclosureConfig | None = None) -> str:
    return count_text(e.not_offered, e.geographic_level, config or DisclosureConfig())
