"""The comparison and impact page: charts with their tables beneath, from the stored,
already-suppressed comparison and the impact estimates."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from fgc.charts import bar_chart
from fgc.engine.impact import CAVEAT, OUTCOMES, REFERENCE, SCOPE, Comparison, ImpactEstimate
from fgc.engine.impact.assumptions import Assumption
from fgc.engine.impact.definitions import GROUP_LABELS, Outcome
from fgc.engine.impact.suppression import shown_estimate
from fgc.engine.impact.tables import (
    GROUP_ORDER,
    TRIAL_FGC,
    TRIAL_USUAL,
    TextTable,
    assumptions_table,
    comparison_tables,
    impact_table,
)
from fgc.engine.insight.outcomes import TRIAL_REFERENCE
from fgc.insight_web.presenters.tables import Section, Table

INTRO = (
    f"{SCOPE}. Each group is compared with children in pre-proceedings who were not offered "
    "an FGC, first as the figures stand, then adjusted for age band, sex, ethnic group, "
    "disability and an earlier child protection plan. The pre-proceedings FGC trial's "
    "randomised figures are shown beside them. Groups of 1 to 5 children (or with 1 to 5 "
    "children with the outcome) are not shown to anyone, the council's own staff included."
)
IMPACT_INTRO = (
    "If every family in pre-proceedings not yet offered an FGC were referred for one, how "
    "many fewer children might be looked after 12 months later, and what might be saved, "
    "using the trial's effect. The intervals carry the uncertainty of the trial's effect, "
    "the saving and each council's own rate through a simulation."
)


def table(t: TextTable) -> Table:
    return Table(t.key, t.caption, list(t.header), [list(r) for r in t.rows])


def _chart(c: Comparison, area: str, area_name: str, o: Outcome, chart_id: str) -> str:
    rows = c.groups.filter((pl.col("area_code") == area) & (pl.col("outcome") == o.column))
    by_group = {r["group"]: r for r in rows.iter_rows(named=True)}
    labels, values = [], []
    for g in GROUP_ORDER:
        r = by_group.get(g)
        if r is not None:
            labels.append(GROUP_LABELS[g])
            values.append(None if r.get("suppressed") else r["value"])
    labels += [TRIAL_FGC, TRIAL_USUAL]
    values += [TRIAL_REFERENCE[o.trial_fgc], TRIAL_REFERENCE[o.trial_usual_care]]
    return bar_chart(
        labels,
        values,
        title=f"{o.label} ({o.unit}): {area_name} and the trial",
        unit="%" if o.kind == "binary" else "",
        chart_id=chart_id,
    )


NO_REFERENCE = (
    "No children in pre-proceedings who were not offered an FGC are in the linked data for "
    "this area, so the groups cannot be compared with them (x) and the impact estimate has no "
    "families to count. They come from councils' CIN census pre-proceedings module and SSDA903 "
    "files; FGC returns alone do not hold them."
)


def has_reference(c: Comparison, area: str) -> bool:
    ref = c.groups.filter(
        (pl.col("area_code") == area) & (pl.col("group") == REFERENCE) & pl.col("children").gt(0)
    )
    return ref.height > 0 or bool(
        c.groups.filter((pl.col("area_code") == area) & (pl.col("group") == REFERENCE))
        .get_column("suppressed")
        .any()
    )


def comparison_sections(c: Comparison, area: str, area_name: str) -> list[Section]:
    tables = comparison_tables(c, area, area_name)
    notes = [] if has_reference(c, area) else [NO_REFERENCE]
    out = []
    for i, o in enumerate(OUTCOMES):
        out.append(
            Section(
                f"compare-{o.column}",
                o.label,
                INTRO if i == 0 else "",
                [_chart(c, area, area_name, o, f"chart-compare-{o.column}")],
                [table(tables[2 * i]), table(tables[2 * i + 1])],
                notes=notes if i == 0 else [],
                caveat=CAVEAT if i == 0 else "",
            )
        )
    return out


def impact_section(
    estimates: Sequence[tuple[str, ImpactEstimate]],
    period: str,
    assumptions: Sequence[Assumption],
    key: str = "impact",
    title: str = "Impact if every family were offered an FGC",
) -> Section:
    published = ((n, shown_estimate(e)) for n, e in estimates)
    shown = [(n, e) for n, e in published if e is not None]
    labels, values = [], []
    for name, e in shown[:3]:
        labels += [f"{name}: now", f"{name}: every family referred"]
        values += [
            e.looked_after_now.value,
            e.looked_after_now.value - e.fewer_looked_after.value,
        ]
    charts = (
        [
            bar_chart(
                labels,
                values,
                title="Children expected to be looked after at 12 months",
                chart_id=f"chart-{key}",
            )
        ]
        if shown
        else []
    )
    t = impact_table(estimates, period)
    a = assumptions_table(assumptions)
    a_key = "assumptions" if key == "impact" else f"{key}-assumptions"
    # Captions label the table regions: a second copy (your figures) needs its own.
    prefix = "" if key == "impact" else f"{title}: "
    return Section(
        key,
        title,
        IMPACT_INTRO,
        charts,
        [
            Table(key, prefix + t.caption, t.header, t.rows),
            Table(a_key, prefix + a.caption, a.header, a.rows),
        ],
        caveat=(
            "An estimate, not a forecast: it assumes the trial's effect holds for every "
            "council and family, which the trial (21 councils that did not offer FGCs before) "
            "cannot show."
        ),
    )
