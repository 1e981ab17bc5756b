"""The council dashboard's equity of access section."""

from __future__ import annotations

from typing import Any

import polars as pl

from fgc.charts import bar_chart
from fgc.engine.insight import EQUITY_TOPICS
from fgc.insight_web.presenters.context import Context
from fgc.insight_web.presenters.formatting import fmt, is_missing, small
from fgc.insight_web.presenters.labels import TOPIC_TITLES
from fgc.insight_web.presenters.tables import Section, Table


def equity_section(ctx: Context) -> Section:
    eq = ctx.result.table("equity").filter(
        (pl.col("la_code") == ctx.la.old_la_code) & (pl.col("period") == ctx.period)
    )
    charts, tables, sources = [], [], set()
    for topic in EQUITY_TOPICS:
        rows_t = eq.filter(pl.col("breakdown_topic") == topic)
        acc = {
            r["breakdown"]: r
            for r in rows_t.filter(pl.col("measure") == "acceptance_rate_children").iter_rows(
                named=True
            )
        }
        rep = {
            r["breakdown"]: r
            for r in rows_t.filter(pl.col("measure") == "offered_representation").iter_rows(
                named=True
            )
        }
        off = rows_t.filter(pl.col("measure") == "offered_children")
        rows, labels, values = [], [], []
        for b, n in off.select("breakdown", "numerator").iter_rows():
            a, r = acc.get(b, {}), rep.get(b, {})
            hide = not ctx.own and (small(n) or small(a.get("numerator")))
            if r.get("population_source"):
                sources.add(str(r["population_source"]))

            def ci(v: Any, lo: Any, hi: Any, digits: str = "rate", hide: bool = hide) -> str:
                if hide:
                    return "c"
                if is_missing(v):
                    return "x"
                return f"{fmt(v, digits)} ({fmt(lo, digits)}–{fmt(hi, digits)})"

            rows.append(
                [
                    str(b),
                    "c" if hide else fmt(n, "count"),
                    "c" if hide else fmt(r.get("offered_share")),
                    fmt(r.get("population_share")),
                    ci(r.get("value"), r.get("lower"), r.get("upper"), "mean"),
                    ci(a.get("value"), a.get("lower"), a.get("upper")),
                    ci(
                        a.get("rr_council"),
                        a.get("rr_council_lower"),
                        a.get("rr_council_upper"),
                        "mean",
                    ),
                    ci(
                        a.get("rr_england"),
                        a.get("rr_england_lower"),
                        a.get("rr_england_upper"),
                        "mean",
                    ),
                ]
            )
            labels.append(str(b))
            values.append(None if hide or is_missing(a.get("value")) else float(a["value"]))
        tables.append(
            Table(
                f"equity-{topic}",
                f"Equity by {TOPIC_TITLES[topic].lower()}",
                [
                    TOPIC_TITLES[topic],
                    "Children offered",
                    "Share of offers (%)",
                    "Share of population (%)",
                    "Offered vs population ratio (95% CI)",
                    "Acceptance rate % (95% CI)",
                    "Rate ratio vs council (95% CI)",
                    "Rate ratio vs England (95% CI)",
                ],
                rows,
            )
        )
        charts.append(
            bar_chart(
                labels,
                values,
                title=f"Offers accepted by {TOPIC_TITLES[topic].lower()} (children, %)",
                unit="%",
                chart_id=f"chart-equity-{topic}",
            )
        )
    return Section(
        "equity",
        "Equity of access",
        "Who is offered an FGC compared with the population the service should reach, and "
        "whether offers are accepted at the same rate in every group. A ratio of 1 means "
        "in proportion. Intervals are 95%: Wilson (exact Clopper–Pearson below 30); rate "
        "ratios use the Katz log interval. The council comparator includes the group itself, "
        "so its interval is slightly too wide.",
        charts,
        tables,
        [f"Population denominators: {s}." for s in sorted(sources)],
    )
