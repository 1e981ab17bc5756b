"""The one-page council benchmarking report: HTML (inline SVG) and PDF.

Council-facing: it shows the council its own unsuppressed figures (``own=True``) beside
comparators — neighbour average, region, England, rank and band — computed only from
**published** (suppressed, rounded) values, so the report can never reveal a figure the
release hides. Callers pass the published values (``published``: period → values, as
``fgc.engine.insight.published`` builds them); without them the report applies the same
disclosure control to every council in the result itself (``fgc insight`` on a file).
``own=False`` (national users) takes the council's own figures from the published values too.

The HTML is self-contained (inline ``<style>``) unless ``stylesheet`` names a CSS file to
link instead — the web page links the same CSS as a static file, so its strict content
security policy needs no exception.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import polars as pl

from fgc.charts import benchmark_chart, funnel_chart, line_chart
from fgc.engine.insight.benchmark import PER_10K_KIND, RATE_ROWS, benchmark, rate_notes
from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.engine.insight.outcomes import (
    ALL_STAGES_LABEL,
    CAVEAT,
    PLO_LABEL,
    PLO_SCOPE,
    TRIAL_ARMS,
    TRIAL_LABEL,
    TRIAL_REFERENCE,
    outcome_measure,
)
from fgc.engine.insight.published import PublishedFor, published_provider
from fgc.standard import ENGLAND_CODE, get_la

# The headline measures, in the order a service manager reads them.
HEADLINES: tuple[str, ...] = (
    "acceptance_rate_families",
    "held_rate_families",
    "offer_to_fgc_rate_families",
    "plan_rate_families",
    "within_12_weeks",
    "days_referral_conference",
    "offer_in_lbp_rate",
    # Pre-proceedings only, like the trial the report sets it beside.
    "looked_after_12m_held_plo",
)
LOOKED_AFTER = "looked_after_12m"  # the trial's primary outcome

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


SYMBOLS = (
    "c = suppressed to protect confidentiality; z = not applicable; x = not available; "
    "low = rounds to zero."
)


@dataclass(frozen=True)
class ExtraSection:
    """A further section (e.g. ``fgc.engine.impact``'s comparison): paragraphs and tables of
    text, shown after the outcomes in both formats. ``caveat`` is shown as a warning."""

    title: str
    paragraphs: tuple[str, ...] = ()
    caveat: str = ""
    tables: tuple[tuple[str, str, list[str], list[list[str]]], ...] = ()  # key, caption, …


def _extra_html(extra: Sequence[ExtraSection]) -> str:
    parts = []
    for x in extra:
        parts.append(f"<h2>{escape(x.title)}</h2>")
        parts += [f"<p>{escape(p)}</p>" for p in x.paragraphs]
        if x.caveat:
            parts.append(f'<p class="caveat">{escape(x.caveat)}</p>')
        parts += [_html_table(cap, head, rows, key) for key, cap, head, rows in x.tables]
    return "\n".join(parts)


def _fmt(v: object, unit: str = "", symbol: str = "–") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return symbol
    assert isinstance(v, int | float)
    s = f"{v:,.0f}" if float(v).is_integer() and unit != "%" else f"{v:,.1f}"
    return f"{s}%" if unit == "%" else s


class _Report:
    """Everything both formats show, computed once: rows, funnel and the published symbols."""

    def __init__(
        self,
        result: InsightResult,
        la_code: str,
        period: str,
        published: PublishedFor | None,
        own: bool,
    ) -> None:
        self.la = get_la(la_code)
        self.period, self.own, self.result = period, own, result
        self.published = published or published_provider(result)
        self.bench = benchmark(
            result, self.la.old_la_code, period=period, published=self.published, own=own
        )
        pub = self.published(period)
        # Published text (c, z, x, low or the figure) by (area, measure) for missing numbers.
        self.text = {
            (code, m): t for code, m, t in pub.select("la_code", "measure", "published").iter_rows()
        }

    def symbol(self, code: str, measure: str) -> str:
        text = self.text.get((code, measure), "x")
        return text if text in ("c", "z", "x", "low") else "–"

    def cells(self, r: dict) -> list[str]:
        """Council, neighbours, region, England, rank, band as the report prints them."""
        la, m, unit = self.la, r["measure"], r["unit"]
        # A rate per 10,000 children in need is hidden exactly when its count is.
        m = RATE_ROWS[m][1] if r["kind"] == PER_10K_KIND else m
        own_symbol = "–" if self.own else self.symbol(la.old_la_code, m)
        return [
            _fmt(r["la_value"], unit, own_symbol),
            _fmt(r["neighbour_avg"], unit),
            _fmt(r["region"], unit, self.symbol(la.region_code, m)),
            _fmt(r["england"], unit, self.symbol(ENGLAND_CODE, m)),
            f"{r['rank']} of {r['of_n']}" if r["rank"] else "–",
            r["band"] or "–",
        ]

    def rows(self) -> list[dict]:
        return [
            r
            for r in self.bench.iter_rows(named=True)
            if not (r["la_value"] is None and r["england"] is None)
        ]

    def funnel_steps(self) -> list[tuple[str, float | None, str]]:
        """(step, families, as printed): own figures unsuppressed, published otherwise."""
        from fgc.engine.insight.funnel import STEPS

        code = self.la.old_la_code
        if self.own:
            t = self.result.table("funnel").filter(
                (pl.col("la_code") == code)
                & (pl.col("period") == self.period)
                & (pl.col("breakdown_topic") == TOTAL)
            )
            vals = dict(zip(t["measure"], t["value"], strict=True))
            steps = [(label, vals.get(f"{flag}_families")) for flag, label in STEPS]
            return [(label, v, _fmt(v)) for label, v in steps]
        pub = self.published(self.period).filter(pl.col("la_code") == code)
        pvals = dict(zip(pub["measure"], pub["pvalue"], strict=True))
        return [
            (
                label,
                pvals.get(f"{flag}_families"),
                _fmt(pvals.get(f"{flag}_families"), "", self.symbol(code, f"{flag}_families")),
            )
            for flag, label in STEPS
        ]

    def outcome_tables(self) -> tuple[list[list[str]], list[list[str]]]:
        """Looked after at 12 months by group: PLO rows then the trial's arms (the trial was
        of families in pre-proceedings), and the all-stage rows, each [group, council,
        England(, trial)]. ``z``: the trial's arms are not this data's groups."""
        from fgc.engine.insight.flags import COHORTS

        bench = {r["measure"]: r for r in self.bench.iter_rows(named=True)}

        def figures(measure: str) -> list[str]:
            r = bench.get(measure)
            if r is None:
                return ["x", "x"]
            council, _nb, _region, england, _rank, _band = self.cells(r)
            return [council, england]

        plo = [
            [f"{PLO_LABEL}: {label.lower()}", *figures(outcome_measure(LOOKED_AFTER, c, True)), "z"]
            for c, label in COHORTS.items()
        ]
        plo += [[arm, "z", "z", _fmt(TRIAL_REFERENCE[key], "%")] for arm, key in TRIAL_ARMS]
        every = [
            [label, *figures(outcome_measure(LOOKED_AFTER, c))] for c, label in COHORTS.items()
        ]
        return plo, every

    def rate_notes(self) -> tuple[str, ...]:
        """What the offer rates per 10,000 children in need are, and their denominator."""
        rows = self.bench.filter(pl.col("kind") == PER_10K_KIND)
        return rate_notes(rows["denominator_source"][0] if rows.height else None)

    def note(self) -> str:
        who = (
            "Council figures are unsuppressed: do not share this report beyond the council."
            if self.own
            else "Council figures are published (suppressed and rounded) values."
        )
        return (
            f"{who} Neighbour, regional and England figures, ranks and bands are computed "
            f"from published (suppressed and rounded) values. {SYMBOLS}"
        )


def report_tables(
    result: InsightResult,
    la_code: str,
    period: str,
    published: PublishedFor | None = None,
    own: bool = True,
) -> pl.DataFrame:
    """The benchmark rows the report shows (all non-share measures), comparators published."""
    return _Report(result, la_code, period, published, own).bench


def render_html(
    result: InsightResult,
    la_code: str,
    period: str,
    *,
    published: PublishedFor | None = None,
    own: bool = True,
    stylesheet: str | None = None,
    extra: Sequence[ExtraSection] = (),
) -> str:
    """The report page; ``stylesheet`` (a URL) replaces the inline ``<style>`` with a link."""
    rep = _Report(result, la_code, period, published, own)
    la = rep.la
    rows = {r["measure"]: r for r in rep.bench.iter_rows(named=True)}
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
        [(label, float(v or 0)) for label, v, _t in rep.funnel_steps()],
        title=f"FGC funnel, families, {la.name} {period}",
        chart_id="funnel",
    )
    body = []
    for r in rep.rows():
        *numbers, band = rep.cells(r)
        cells = "".join(f"<td class=n>{escape(c)}</td>" for c in numbers)
        body.append(
            f"<tr><td>{escape(r['label'])}</td>{cells}<td class=band>{escape(band)}</td></tr>"
        )
    plo_rows, all_rows = rep.outcome_tables()
    outcomes_html = _html_table(
        f"Looked after at 12 months (%): {PLO_SCOPE} beside the trial",
        ["Group", la.name, "England", "Pre-proceedings FGC trial (randomised)"],
        plo_rows,
        "outcomes-plo",
    ) + _html_table(
        f"Looked after at 12 months (%): {ALL_STAGES_LABEL.lower()}",
        ["Group", la.name, "England"],
        all_rows,
        "outcomes-all",
    )
    style = (
        f'<link rel="stylesheet" href="{escape(stylesheet)}">'
        if stylesheet
        else f"<style>{CSS}</style>"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>FGC benchmarking report: {escape(la.name)} {escape(period)}</title>
{style}</head><body>
<h1>Family group conferences: {escape(la.name)} ({escape(la.old_la_code)})</h1>
<p>Benchmarking report for {escape(period)}, against the council's DfE statistical neighbours
(simple mean of those with a published figure), {escape(la.region_name)} and England. Bands
A–D are quartiles of rank among councils with a published figure; A is the best quarter for
the measure's direction (measures with no better direction have no band).</p>
<p>{escape(rep.note())}</p>
<h2>Funnel</h2>{funnel}
<h2>Headline measures</h2><div class="grid">{"".join(charts)}</div>
{f"<h2>Trend</h2>{trend}" if trend else ""}
<h2>Outcomes</h2><p>{escape(TRIAL_LABEL)}</p><p class="caveat">{escape(CAVEAT)}</p>
{outcomes_html}
{_extra_html(extra)}
<h2>All measures</h2>
{"".join(f"<p>{escape(n)}</p>" for n in rep.rate_notes())}
<table><thead><tr><th>Measure</th><th>{escape(la.name)}</th><th>Neighbours</th>
<th>{escape(la.region_name)}</th><th>England</th><th>Rank</th><th>Band</th></tr></thead>
<tbody>{"".join(body)}</tbody></table>
</body></html>
"""


def _html_table(caption: str, header: list[str], rows: list[list[str]], key: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        f"<tr><td>{escape(r[0])}</td>"
        + "".join(f"<td class=n>{escape(c)}</td>" for c in r[1:])
        + "</tr>"
        for r in rows
    )
    return (
        f'<table id="{key}"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def write_pdf(
    result: InsightResult,
    la_code: str,
    period: str,
    path: str | Path,
    *,
    published: PublishedFor | None = None,
    own: bool = True,
    extra: Sequence[ExtraSection] = (),
) -> None:
    """PDF version: key figures and the measures table (charts are in the HTML version)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rep = _Report(result, la_code, period, published, own)
    la = rep.la
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8)
    story = [
        Paragraph(
            f"Family group conferences: {escape(la.name)} ({la.old_la_code})", styles["Title"]
        ),
        Paragraph(
            f"Benchmarking report for {escape(period)} against statistical neighbours, "
            f"{escape(la.region_name)} and England. {escape(rep.note())}",
            styles["BodyText"],
        ),
        Spacer(1, 6),
    ]
    story.append(
        Paragraph(
            "Key figures (families): "
            + "; ".join(f"{escape(s)}: {escape(t)}" for s, _v, t in rep.funnel_steps()),
            styles["BodyText"],
        )
    )
    story.append(Spacer(1, 6))
    data: list[list[object]] = [
        ["Measure", la.name, "Neighbours", la.region_name, "England", "Rank", "Band"]
    ]
    for r in rep.rows():
        data.append([Paragraph(escape(r["label"]), small), *rep.cells(r)])
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
    plo_rows, all_rows = rep.outcome_tables()
    outcome_style = TableStyle(
        [
            ("FONTSIZE", (0, 0), (-1, -1), 7),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F3F2F1")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#B1B4B6")),
        ]
    )
    plo_table = Table(
        [["Group", la.name, "England", "Pre-proceedings FGC trial (randomised)"], *plo_rows]
    )
    all_table = Table([["Group", la.name, "England"], *all_rows])
    plo_table.setStyle(outcome_style)
    all_table.setStyle(outcome_style)
    story += [
        table,
        *(Paragraph(escape(n), small) for n in rep.rate_notes()),
        Spacer(1, 6),
        Paragraph(escape(TRIAL_LABEL), small),
        Paragraph(escape(CAVEAT), small),
        Paragraph(f"Looked after at 12 months (%): {escape(PLO_SCOPE)}", small),
        plo_table,
        Spacer(1, 4),
        Paragraph(f"Looked after at 12 months (%): {escape(ALL_STAGES_LABEL.lower())}", small),
        all_table,
    ]
    for x in extra:
        story += [Spacer(1, 6), Paragraph(escape(x.title), styles["Heading2"])]
        story += [Paragraph(escape(p), small) for p in (*x.paragraphs, x.caveat) if p]
        for _key, caption, header, rows in x.tables:
            cells = [[Paragraph(escape(c), small) for c in row] for row in [header, *rows]]
            t = Table(cells, repeatRows=1)
            t.setStyle(outcome_style)
            story += [Paragraph(escape(caption), small), t, Spacer(1, 4)]
    SimpleDocTemplate(str(path), pagesize=landscape(A4), title=f"FGC report {la.name}").build(story)
