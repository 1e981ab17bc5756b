"""The one-page council benchmarking report: self-contained HTML (inline SVG) and PDF.

Council-facing: it shows the council its own unsuppressed figures beside published-style
comparators (neighbour average, region, England).
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import polars as pl

from fgc.charts import benchmark_chart, funnel_chart, line_chart
from fgc.engine.insight.benchmark import benchmark
from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.engine.insight.outcomes import CAVEAT, TRIAL_LABEL
from fgc.standard import get_la

# The headline measures, in the order a service manager reads them.
HEADLINES: tuple[str, ...] = (
    "acceptance_rate_families",
    "held_rate_families",
    "offer_to_fgc_rate_families",
    "plan_rate_families",
    "within_12_weeks",
    "days_referral_conference",
    "offer_in_lbp_rate",
    "looked_after_12m_held",
)

CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:60rem;margin:1rem auto;
padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .4rem;text-align:left}
td.n{text-align:right}th{background:#f3f2f1}.band{font-weight:bold}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.caveat{border-left:5px solid #F46A25;
padding:.4rem .8rem;background:#fef3ec}
@media print{body{margin:0;max-width:none;font-size:10pt}.grid{gap:.4rem}h2{break-after:avoid}
table,svg{break-inside:avoid}}
"""


def _fmt(v: object, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    assert isinstance(v, int | float)
    s = f"{v:,.0f}" if float(v).is_integer() and unit != "%" else f"{v:,.1f}"
    return f"{s}%" if unit == "%" else s


def _funnel_steps(result: InsightResult, la_code: str, period: str) -> list[tuple[str, float]]:
    from fgc.engine.insight.funnel import STEPS

    t = result.table("funnel").filter(
        (pl.col("la_code") == la_code)
        & (pl.col("period") == period)
        & (pl.col("breakdown_topic") == TOTAL)
    )
    vals = dict(zip(t["measure"], t["value"], strict=True))
    return [(label, float(vals.get(f"{flag}_families") or 0)) for flag, label in STEPS]


def report_tables(result: InsightResult, la_code: str, period: str) -> pl.DataFrame:
    """The benchmark rows the report shows (all non-share measures)."""
    return benchmark(result, la_code, period=period)


def render_html(result: InsightResult, la_code: str, period: str) -> str:
    la = get_la(la_code)
    bench = report_tables(result, la.old_la_code, period)
    rows = {r["measure"]: r for r in bench.iter_rows(named=True)}
    charts = []
    for name in HEADLINES:
        r = rows.get(name)
        if not r:
            continue
        charts.append(
            benchmark_chart(
                la.name,
                r["la_value"],
                {
                    "Statistical neighbours": r["neighbour_avg"],
                    r["region_name"]: r["region"],
                    "England": r["england"],
                },
                title=r["label"],
                unit=r["unit"],
                chart_id=f"b-{name}",
            )
        )
    trend_src = rows.get("offer_to_fgc_rate_families")
    trend = (
        line_chart(
            trend_src["trend_periods"],
            {la.name: trend_src["trend"]},
            title=f"{trend_src['label']}: trend",
            unit="%",
            chart_id="trend",
        )
        if trend_src and len(result.periods) > 1
        else ""
    )
    funnel = funnel_chart(
        _funnel_steps(result, la.old_la_code, period),
        title=f"FGC funnel, families, {la.name} {period}",
        chart_id="funnel",
    )
    body = []
    for r in bench.iter_rows(named=True):
        if r["la_value"] is None and r["england"] is None:
            continue
        rank = f"{r['rank']} of {r['of_n']}" if r["rank"] else "–"
        body.append(
            "<tr>"
            f"<td>{escape(r['label'])}</td>"
            f"<td class=n>{_fmt(r['la_value'], r['unit'])}</td>"
            f"<td class=n>{_fmt(r['neighbour_avg'], r['unit'])}</td>"
            f"<td class=n>{_fmt(r['region'], r['unit'])}</td>"
            f"<td class=n>{_fmt(r['england'], r['unit'])}</td>"
            f"<td class=n>{rank}</td><td class=band>{r['band'] or '–'}</td>"
            "</tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>FGC benchmarking report: {escape(la.name)} {escape(period)}</title>
<style>{CSS}</style></head><body>
<h1>Family group conferences: {escape(la.name)} ({escape(la.old_la_code)})</h1>
<p>Benchmarking report for {escape(period)}, against the council's DfE statistical neighbours
(simple mean of those with data), {escape(la.region_name)} and England. Bands A–D are quartiles
of rank among councils with data; A is the best quarter for the measure's direction (measures
with no better direction have no band). Council figures are unsuppressed: do not share this
report beyond the council.</p>
<h2>Funnel</h2>{funnel}
<h2>Headline measures</h2><div class="grid">{"".join(charts)}</div>
{f"<h2>Trend</h2>{trend}" if trend else ""}
<h2>Outcomes</h2><p>{escape(TRIAL_LABEL)}</p><p class="caveat">{escape(CAVEAT)}</p>
<h2>All measures</h2>
<table><thead><tr><th>Measure</th><th>{escape(la.name)}</th><th>Neighbours</th>
<th>{escape(la.region_name)}</th><th>England</th><th>Rank</th><th>Band</th></tr></thead>
<tbody>{"".join(body)}</tbody></table>
</body></html>
"""


def write_pdf(result: InsightResult, la_code: str, period: str, path: str | Path) -> None:
    """PDF version: key figures and the measures table (charts are in the HTML version)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    la = get_la(la_code)
    bench = report_tables(result, la.old_la_code, period)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8)
    story = [
        Paragraph(
            f"Family group conferences: {escape(la.name)} ({la.old_la_code})", styles["Title"]
        ),
        Paragraph(
            f"Benchmarking report for {escape(period)} against statistical neighbours, "
            f"{escape(la.region_name)} and England. Council figures are unsuppressed.",
            styles["BodyText"],
        ),
        Spacer(1, 6),
    ]
    steps = _funnel_steps(result, la.old_la_code, period)
    story.append(
        Paragraph(
            "Key figures (families): " + "; ".join(f"{s}: {v:,.0f}" for s, v in steps),
            styles["BodyText"],
        )
    )
    story.append(Spacer(1, 6))
    data = [["Measure", la.name, "Neighbours", la.region_name, "England", "Rank", "Band"]]
    for r in bench.iter_rows(named=True):
        if r["la_value"] is None and r["england"] is None:
            continue
        data.append(
            [
                Paragraph(escape(r["label"]), small),
                _fmt(r["la_value"], r["unit"]),
                _fmt(r["neighbour_avg"], r["unit"]),
                _fmt(r["region"], r["unit"]),
                _fmt(r["england"], r["unit"]),
                f"{r['rank']} of {r['of_n']}" if r["rank"] else "–",
                r["band"] or "–",
            ]
        )
    table = Table(data, repeatRows=1, colWidths=[300, 70, 70, 90, 60, 60, 40])
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 7),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#12436D")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#B1B4B6")),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 6),
        Paragraph(escape(TRIAL_LABEL), small),
        Paragraph(escape(CAVEAT), small),
    ]
    SimpleDocTemplate(str(path), pagesize=landscape(A4), title=f"FGC report {la.name}").build(story)
