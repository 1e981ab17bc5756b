"""The council dashboard: its sections, in page order."""

from __future__ import annotations

from fgc.charts import bar_chart, benchmark_chart, funnel_chart, line_chart
from fgc.engine.insight import all_measures
from fgc.engine.insight import get_measure as _get_measure
from fgc.engine.insight.funnel import STEPS
from fgc.engine.insight.report import HEADLINES
from fgc.insight_web.presenters.context import Context, neighbour_codes
from fgc.insight_web.presenters.council_tables import (
    _group_chart,
    _share_table,
    benchmark_table,
    offer_rate_names,
    offer_rate_notes,
)
from fgc.insight_web.presenters.equity import equity_section
from fgc.insight_web.presenters.labels import GROUP_TITLES
from fgc.insight_web.presenters.outcomes import outcomes_section
from fgc.insight_web.presenters.tables import Section, Table
from fgc.standard import ENGLAND_CODE


def headline_section(ctx: Context) -> Section:
    charts = []
    for name in HEADLINES:
        m = _get_measure(name)
        nb_avg, _ = ctx.mean_of(neighbour_codes(ctx.la.old_la_code), name)
        charts.append(
            benchmark_chart(
                ctx.la.name,
                ctx.value_for_chart(name),
                {
                    "Statistical neighbours": nb_avg,
                    ctx.la.region_name: ctx.area_value(ctx.la.region_code, name),
                    "England": ctx.area_value(ENGLAND_CODE, name),
                },
                title=m.label,
                unit=m.unit,
                chart_id=f"headline-{name}",
            )
        )
    if len(ctx.result.periods) > 1:
        name = "offer_to_fgc_rate_families"
        charts.append(
            line_chart(
                list(ctx.result.periods),
                {
                    ctx.la.name: [ctx.value_for_chart(name, p) for p in ctx.result.periods],
                    "England": [ctx.area_value(ENGLAND_CODE, name, p) for p in ctx.result.periods],
                },
                title=f"{_get_measure(name).label}: trend",
                unit="%",
                chart_id="headline-trend",
            )
        )
    return Section(
        "headline",
        "Headline measures",
        "The council against the mean of its DfE statistical neighbours with a published "
        "figure (how many in brackets), its region and England. Rank 1 is best for the "
        "measure's direction; bands A–D are quartiles of rank (z: the measure has no better "
        "direction).",
        charts,
        [benchmark_table(ctx, HEADLINES, "headline", "Headline measures")],
    )


def funnel_section(ctx: Context) -> Section:
    steps_f = [(label, ctx.value_for_chart(f"{flag}_families") or 0.0) for flag, label in STEPS]
    steps_c = [(label, ctx.value_for_chart(f"{flag}_children") or 0.0) for flag, label in STEPS]
    steps = Table(
        "funnel-steps",
        "Funnel steps: families and children (FGCs only)",
        ["Step", "Families", "Children", "England families"],
        [
            [
                label,
                ctx.shown(f"{flag}_families"),
                ctx.shown(f"{flag}_children"),
                ctx.area(ENGLAND_CODE, f"{flag}_families"),
            ]
            for flag, label in [*STEPS, ("fnm_held", "Family network meeting held (not an FGC)")]
        ],
    )
    names = [m.name for m in all_measures() if m.group == "funnel" and m.kind == "rate"]
    return Section(
        "funnel",
        "Funnel",
        "Offered → accepted → referred → FGC held → plan agreed → reviewed. Family network "
        "meetings are counted apart and never as FGCs.",
        [
            funnel_chart(
                steps_f, title=f"FGC funnel, families, {ctx.period}", chart_id="funnel-families"
            ),
            funnel_chart(
                steps_c, title=f"FGC funnel, children, {ctx.period}", chart_id="funnel-children"
            ),
        ],
        [
            steps,
            benchmark_table(
                ctx,
                offer_rate_names(),
                "offer-rates",
                "Offers: counts, and rates per 10,000 children in need",
            ),
            benchmark_table(ctx, names, "funnel-rates", "Funnel conversion rates"),
        ],
        notes=offer_rate_notes(ctx),
    )


def reasons_section(ctx: Context) -> Section:
    charts, tables = [], []
    for measure, key, title, label in (
        ("decline_reasons", "declines", "Declines by reason", "Reason"),
        ("not_held_reasons", "not-held", "Accepted but no meeting held, by reason", "Reason"),
        (
            "not_held_exit_stage",
            "not-held-stage",
            "Accepted but no meeting held, by stage reached",
            "Stage",
        ),
    ):
        table, labels, values = _share_table(ctx, measure, key, title, label)
        tables.append(table)
        charts.append(
            bar_chart(
                labels,
                values,
                title=f"{title}, {ctx.la.name} (%)",
                unit="%",
                chart_id=f"chart-{key}",
            )
        )
    return Section(
        "reasons",
        "Why families decline, and why meetings do not happen",
        "Shares of the families who declined, or who accepted but had no meeting.",
        charts,
        tables,
    )


def group_section(ctx: Context, group: str, extra_share: str | None = None) -> Section:
    names = [m.name for m in all_measures() if m.group == group and m.kind != "share"]
    title = GROUP_TITLES[group]
    tables = [benchmark_table(ctx, names, group, title)]
    charts = [_group_chart(ctx, names, f"{title}, {ctx.la.name} {ctx.period}", f"chart-{group}")]
    if extra_share:
        m = _get_measure(extra_share)
        table, labels, values = _share_table(ctx, extra_share, extra_share, m.label, "Group")
        tables.append(table)
        charts.append(
            bar_chart(labels, values, title=m.label, unit="%", chart_id=f"chart-{extra_share}")
        )
    return Section(group, title, "", [c for c in charts if c], tables)


def council_sections(ctx: Context) -> list[Section]:
    if ctx.period not in ctx.result.periods:
        return []
    return [
        headline_section(ctx),
        funnel_section(ctx),
        reasons_section(ctx),
        group_section(ctx, "timeliness"),
        group_section(ctx, "compliance", "plo_exception_reasons"),
        equity_section(ctx),
        outcomes_section(ctx),
        group_section(ctx, "plans_voice", "planned_living_arrangement"),
    ]
