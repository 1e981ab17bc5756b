"""The national and measure pages: England, regions and every council."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from fgc.charts import bar_chart
from fgc.engine.insight import TOTAL, InsightResult, all_measures
from fgc.engine.insight import get_measure as _get_measure
from fgc.insight_web.presenters.formatting import fmt
from fgc.insight_web.presenters.labels import GROUP_TITLES
from fgc.insight_web.presenters.memo import _published_map
from fgc.insight_web.presenters.tables import Table
from fgc.standard import ENGLAND_CODE, local_authorities, regions


def _own_value(result: InsightResult, code: str, period: str, measure: str) -> float | None:
    m = _get_measure(measure)
    t = result.table(m.group if m.group != "equity" else "funnel")
    hit = t.filter(
        (pl.col("la_code") == code)
        & (pl.col("period") == period)
        & (pl.col("measure") == measure)
        & (pl.col("breakdown_topic") == TOTAL)
    )
    return hit.get_column("value")[0] if hit.height else None


def headline_measures() -> list[Any]:
    return [m for m in all_measures() if m.kind != "share"]


def measure_groups() -> list[tuple[str, list[Any]]]:
    """Every measure with a page, under its group's title (the dashboard links them all)."""
    groups: dict[str, list[Any]] = {}
    for m in headline_measures():
        groups.setdefault(m.group, []).append(m)
    return [(GROUP_TITLES.get(g, g.replace("_", " ").capitalize()), ms) for g, ms in groups.items()]


def regions_table(published: pl.DataFrame) -> Table:
    pub = _published_map(published)
    regs = sorted(regions().items(), key=lambda kv: kv[1])
    header = ["Measure", "Unit", "England", *(name for _, name in regs)]
    rows = [
        [
            m.label,
            m.unit,
            pub.get((ENGLAND_CODE, m.name), ("x", None))[0],
            *(pub.get((code, m.name), ("x", None))[0] for code, _ in regs),
        ]
        for m in headline_measures()
    ]
    return Table("regions", "England and regions, every measure", header, rows, numeric_from=2)


def councils_table(
    published: pl.DataFrame,
    result: InsightResult,
    measure: str,
    period: str,
    own_codes: Sequence[str] = (),
) -> Table:
    """Every council's figure for one measure: published, except the viewer's own councils."""
    pub = _published_map(published)
    m = _get_measure(measure)
    rows = []
    region_names = regions()
    for la in sorted(local_authorities(), key=lambda la: la.name):
        if la.old_la_code in own_codes:
            text = fmt(_own_value(result, la.old_la_code, period, measure), m.kind)
        else:
            text = pub.get((la.old_la_code, measure), ("x", None))[0]
        rows.append([la.name, la.old_la_code, region_names.get(la.region_code, ""), text])
    return Table(
        f"councils-{measure}",
        f"{m.label}: every council, {period}",
        ["Council", "Code", "Region", f"{m.label}"],
        rows,
        numeric_from=3,
    )


def regions_chart(
    published: pl.DataFrame, measure: str, extra: dict[str, float | None] | None = None
) -> str:
    pub = _published_map(published)
    m = _get_measure(measure)
    regs = sorted(regions().items(), key=lambda kv: kv[1])
    # A count for England is the sum of the regions: on one axis it flattens every other bar.
    areas = [(name, code) for code, name in regs]
    if m.kind != "count":
        areas.insert(0, ("England", ENGLAND_CODE))
    labels = [*(extra or {}), *(name for name, _ in areas)]
    values = [
        *(extra or {}).values(),
        *(pub.get((code, measure), ("x", None))[1] for _, code in areas),
    ]
    return bar_chart(
        labels,
        values,
        title=m.label,
        unit=m.unit,
        highlight=next(iter(extra)) if extra else None,
        chart_id=f"chart-{measure}",
    )
