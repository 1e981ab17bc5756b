"""The comparison and the estimate as text tables: the same text on the insight pages, in
their CSV downloads and in the ``fgc insight`` report.

Symbols as the release uses them: ``c`` suppressed (a small group), ``z`` not applicable,
``x`` not available (no children, or a figure that cannot be computed; the note says why).
Pass a comparison through ``suppress_comparison`` first: these tables print what they get.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from fgc.engine.impact.assumptions import Assumption, Assumptions
from fgc.engine.impact.compare import ADJUSTED, UNADJUSTED, Comparison
from fgc.engine.impact.definitions import COMPARED, GROUP_LABELS, MEMBERS, OUTCOMES, Outcome
from fgc.engine.impact.estimate import BASELINE_SOURCES, ImpactEstimate
from fgc.engine.impact.suppression import HIDDEN, not_offered_text, shown_estimate
from fgc.engine.insight.outcomes import TRIAL_REFERENCE

TRIAL_FGC = "Trial: referred for an FGC (randomised)"
TRIAL_USUAL = "Trial: usual care (randomised)"
GROUP_ORDER: tuple[str, ...] = tuple(MEMBERS)  # offered, held, no meeting, declined, not offered


@dataclass(frozen=True)
class TextTable:
    key: str
    caption: str
    header: list[str]
    rows: list[list[str]]


def _half_up(v: float, dp: int) -> Decimal:
    # Half away from zero, as the release rounds, on the decimal the float stands for
    # (35 × 0.19 is 6.6499999… in binary; it is shown as 6.7).
    return Decimal(repr(round(v, 9))).quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)


def num(v: float | None, dp: int = 1) -> str:
    return "x" if v is None else f"{_half_up(v, dp):,.{dp}f}"


def interval(lo: float | None, hi: float | None, dp: int = 1) -> str:
    return "x" if lo is None or hi is None else f"{num(lo, dp)} to {num(hi, dp)}"


def signed(v: float | None, dp: int = 1) -> str:
    return "x" if v is None else f"{_half_up(v, dp):+,.{dp}f}"


def money(v: float) -> str:
    # Totals to the nearest £1,000 (they are estimates), small figures to the nearest £10.
    r = round(v, -3) if abs(v) >= 10_000 else round(v, -1)
    return f"-£{abs(r):,.0f}" if r < 0 else f"£{r:,.0f}"


def children(v: float) -> str:
    return num(v, 0) if abs(v) >= 100 else num(v, 1)


def _trial(o: Outcome) -> tuple[float, float]:
    return TRIAL_REFERENCE[o.trial_fgc], TRIAL_REFERENCE[o.trial_usual_care]


def group_table(c: Comparison, area: str, area_name: str, o: Outcome) -> TextTable:
    """One outcome by group in one area, then the trial's arms."""
    rows = c.groups.filter((pl.col("area_code") == area) & (pl.col("outcome") == o.column))
    by_group = {r["group"]: r for r in rows.iter_rows(named=True)}
    binary = o.kind == "binary"
    header = ["Group", "Children"]
    header += ["With the outcome", "Rate (%)"] if binary else ["Mean days"]
    header += ["95% interval"]
    out: list[list[str]] = []
    for g in GROUP_ORDER:
        r = by_group.get(g)
        if r is None:
            continue
        if r.get("suppressed"):
            # A council's small group shows c throughout; a region's low count shows "low".
            shown = [r["children_shown"], *([r["events_shown"]] if binary else [])]
            shown += [HIDDEN, HIDDEN]
        else:
            n = str(r["children_shown"]) if "children_shown" in r else str(r["children"])
            val = "z" if not r["children"] else num(r["value"])
            shown = [n]
            if binary:
                shown.append(str(r["events_shown"]) if "events_shown" in r else str(r["events"]))
            shown += [val, "z" if not r["children"] else interval(r["lower"], r["upper"])]
        out.append([GROUP_LABELS[g], *shown])
    fgc, usual = _trial(o)
    pad = ["z", "z"] if binary else ["z"]
    out.append([TRIAL_FGC, *pad, num(fgc), "z"])
    out.append([TRIAL_USUAL, *pad, num(usual), "z"])
    return TextTable(
        f"groups-{o.column}",
        f"{o.label} ({o.unit}): {area_name}, children in pre-proceedings, by group",
        header,
        out,
    )


def contrast_table(c: Comparison, area: str, area_name: str, o: Outcome) -> TextTable:
    """Each FGC group against children not offered one: unadjusted and adjusted."""
    rows = c.contrasts.filter((pl.col("area_code") == area) & (pl.col("outcome") == o.column))
    got = {(r["group"], r["method"]): r for r in rows.iter_rows(named=True)}
    unit = "percentage points" if o.kind == "binary" else "days"
    out: list[list[str]] = []
    for g in COMPARED:
        cells = [f"{GROUP_LABELS[g]}, against children not offered"]
        notes = []
        for method in (UNADJUSTED, ADJUSTED):
            r = got.get((g, method))
            if r is None or r.get("suppressed"):
                cells += [HIDDEN] * 4
                continue
            cells += [
                signed(r["difference"]),
                interval(r["difference_lower"], r["difference_upper"]),
                num(r["ratio"], 2),
                interval(r["ratio_lower"], r["ratio_upper"], 2),
            ]
            if r["note"]:
                notes.append(f"{method}: {r['note']}")
        out.append([*cells, "; ".join(notes)])
    fgc, usual = _trial(o)
    ratio = fgc / usual
    out.append(
        [
            "Trial: referred against usual care (randomised)",
            signed(fgc - usual),
            "z",
            num(ratio, 2),
            "z",
            "z",
            "z",
            "z",
            "z",
            "",
        ]
    )
    return TextTable(
        f"contrasts-{o.column}",
        f"{o.label}: {area_name}, each group against children in pre-proceedings not offered "
        f"an FGC (difference in {unit}; adjusted for age band, sex, ethnic group, disability "
        "and an earlier child protection plan)",
        [
            "Group",
            f"Difference ({unit})",
            "95% interval",
            "Ratio",
            "95% interval",
            f"Adjusted difference ({unit})",
            "95% interval",
            "Adjusted ratio",
            "95% interval",
            "Note",
        ],
        out,
    )


def comparison_tables(c: Comparison, area: str, area_name: str) -> list[TextTable]:
    out = []
    for o in OUTCOMES:
        out += [group_table(c, area, area_name, o), contrast_table(c, area, area_name, o)]
    return out


def impact_row(e: ImpactEstimate, name: str) -> list[str]:
    shown = shown_estimate(e)
    if shown is None:
        return [name, not_offered_text(e), *([HIDDEN] * 7)]
    e = shown
    return [
        name,
        not_offered_text(e),
        f"{e.baseline_rate * 100:.1f}",
        children(e.looked_after_now.value),
        children(e.fewer_looked_after.value),
        f"{children(e.fewer_looked_after.lower)} to {children(e.fewer_looked_after.upper)}",
        money(e.saving.value),
        f"{money(e.saving.lower)} to {money(e.saving.upper)}",
        BASELINE_SOURCES.get(e.baseline_source, "councils' own rates or the trial's, as known"),
    ]


IMPACT_HEADER = [
    "Area",
    "Children in pre-proceedings not offered an FGC",
    "Looked after at 12 months without an FGC (%)",
    "Expected to be looked after at 12 months",
    "Fewer looked after at 12 months if every family were referred",
    "95% interval",
    "Net saving in the first year",
    "95% interval",
    "Baseline rate from",
]


def impact_table(estimates: Sequence[tuple[str, ImpactEstimate]], period: str) -> TextTable:
    return TextTable(
        "impact",
        f"If every family in pre-proceedings not yet offered an FGC were referred for one: "
        f"children whose index date fell in {period}",
        list(IMPACT_HEADER),
        [impact_row(e, name) for name, e in estimates],
    )


def _assumption_value(a: Assumption) -> tuple[str, str]:
    if a.unit == "GBP":
        return money(a.value), f"{money(a.low)} to {money(a.high)}"
    if a.unit == "share":
        return f"{a.value * 100:.1f}%", f"{a.low * 100:.1f}% to {a.high * 100:.1f}%"
    return f"{a.value:.2f}", f"{a.low:.2f} to {a.high:.2f}"


def assumptions_table(items: Sequence[Assumption]) -> TextTable:
    rows = []
    for a in items:
        value, span = _assumption_value(a)
        rows.append([a.label, value, "z" if a.distribution == "fixed" else span, a.source, a.note])
    return TextTable(
        "assumptions",
        "Assumptions behind the estimate, and their sources",
        ["Assumption", "Value", "95% interval", "Source", "Note"],
        rows,
    )


def scenario_assumptions(e: ImpactEstimate, a: Assumptions) -> list[Assumption]:
    """The assumptions as one estimate used them (a user's values in place)."""
    uptake = a.uptake_share.centred_on(e.uptake_share)
    return [e.relative_risk, e.saving_per_child, a.baseline_rate, uptake]
