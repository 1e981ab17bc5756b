"""Page models for the insight pages: sections of (SVG chart, table, CSV), one source of numbers.

Every number on a page is formatted here once, as text, and the same text goes into the HTML
table and its CSV download, so the two can never disagree. ``own=True`` (a member of the
council looking at it) shows the council's unsuppressed figures; everything else shown comes
from ``published`` (suppressed, rounded) values.
"""

from __future__ import annotations

import csv
import io
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from fgc.charts import bar_chart, benchmark_chart, funnel_chart, line_chart
from fgc.engine.disclosure import DisclosureConfig
from fgc.engine.insight import EQUITY_TOPICS, TOTAL, InsightResult, all_measures, benchmark
from fgc.engine.insight import get_measure as _get_measure
from fgc.engine.insight.funnel import STEPS
from fgc.engine.insight.outcomes import CAVEAT, TRIAL_LABEL, TRIAL_REFERENCE
from fgc.engine.insight.published import COLUMNS as PUBLISHED_COLUMNS
from fgc.engine.insight.report import HEADLINES
from fgc.standard import ENGLAND_CODE, get_la, local_authorities, regions, statistical_neighbours

THRESHOLD = DisclosureConfig().threshold
_EMPTY_PUBLISHED: dict[str, Any] = {
    **dict.fromkeys(PUBLISHED_COLUMNS, pl.Utf8),
    "pvalue": pl.Float64,
}
GROUP_TITLES = {
    "funnel": "Funnel",
    "timeliness": "Timeliness",
    "compliance": "Pre-proceedings (s.31ZA) compliance",
    "outcomes": "Outcomes",
    "plans_voice": "Plans and voice",
}
TOPIC_TITLES = {
    "ethnicity_group": "Ethnic group",
    "age_band": "Age band",
    "sex": "Sex",
    "disability": "Disability",
    "stage": "Stage at offer",
}
SYMBOLS_KEY = (
    "c = suppressed to protect confidentiality; z = not applicable; x = not available; "
    "low = rounds to zero."
)
SYMBOLS_NOTE = (
    f"{SYMBOLS_KEY} Figures for other councils, regions and England are published "
    "(suppressed and rounded) values."
)


def is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt(v: Any, kind: str = "rate") -> str:
    """A figure as the pages and CSVs show it (DfE ``x`` when there is none)."""
    if is_missing(v):
        return "x"
    if kind == "count":
        return f"{float(v):.0f}"
    if kind == "mean":
        return f"{float(v):.2f}"
    return f"{float(v):.1f}"


def small(n: Any) -> bool:
    return not is_missing(n) and 1 <= float(n) <= THRESHOLD


@dataclass
class Table:
    key: str
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric_from: int = 1  # columns from this index are right-aligned numbers

    def csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.header)
        w.writerows(self.rows)
        return buf.getvalue()


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    charts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    caveat: str = ""


def find_table(sections: Sequence[Section], key: str) -> Table | None:
    for s in sections:
        for t in s.tables:
            if t.key == key:
                return t
    return None


PublishedMap = dict[tuple[str, str], tuple[str, float | None]]

# Per-process memos of what every page rebuilds from the same cached frames. Keyed by the
# frame or result object (the services cache hands out the same object for the same data)
# and holding a reference to it, so an id is never reused while its entry lives.
_MEMO_SIZE = 64
_memo_lock = threading.Lock()
_pub_maps: OrderedDict[int, tuple[pl.DataFrame, PublishedMap]] = OrderedDict()
_benches: OrderedDict[tuple[Any, ...], tuple[InsightResult, dict[str, dict[str, Any]]]] = (
    OrderedDict()
)


def _memo_get(memo: OrderedDict[Any, Any], key: Any) -> Any:
    with _memo_lock:
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    return None


def _memo_put(memo: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    with _memo_lock:
        memo[key] = value
        while len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)


def _published_map(pub: pl.DataFrame) -> PublishedMap:
    hit = _memo_get(_pub_maps, id(pub))
    if hit is not None and hit[0] is pub:
        return hit[1]  # type: ignore[no-any-return]
    built = {
        (code, m): (text, val)
        for code, m, text, val in pub.select(
            "la_code", "measure", "published", "pvalue"
        ).iter_rows()
    }
    _memo_put(_pub_maps, id(pub), (pub, built))
    return built


@dataclass
class Context:
    """What a council page needs: the result, published values per period, who is looking."""

    result: InsightResult
    published: dict[str, pl.DataFrame]  # period → published values
    la_code: str
    period: str
    own: bool
    comparator: str = "neighbours"
    codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.la = get_la(self.la_code)
        self.pub = {p: _published_map(f) for p, f in self.published.items()}
        # The council's own headline values, every period, in one pass over the tables.
        self.own_values: dict[tuple[str, str], float | None] = {}
        for g, t in self.result.tables.items():
            if g == "equity":
                continue
            rows = t.filter(
                (pl.col("la_code") == self.la.old_la_code) & (pl.col("breakdown_topic") == TOTAL)
            )
            for per, m, v in rows.select("period", "measure", "value").iter_rows():
                self.own_values[(per, m)] = v
        self._bench: dict[str, dict[str, Any]] | None = None

    def bench(self) -> dict[str, dict[str, Any]]:
        """``benchmark`` rows by measure (rank, band, labels), computed once per page."""
        if self._bench is None:
            key = (
                id(self.result),
                self.la.old_la_code,
                self.period,
                self.comparator,
                self.codes,
                self.own,
                tuple(id(f) for f in self.published.values()),
            )
            hit = _memo_get(_benches, key)
            if hit is not None and hit[0] is self.result:
                self._bench = hit[1]
                return hit[1]  # type: ignore[no-any-return]
            self._bench = self._compute_bench()
            _memo_put(_benches, key, (self.result, self._bench))
        return self._bench

    def _compute_bench(self) -> dict[str, dict[str, Any]]:
        comp: str | list[str] = "neighbours"
        if self.comparator == "custom" and self.codes:
            comp = list(self.codes)
        elif self.comparator == "all_with_data":
            comp = "all_with_data"
        # Comparators and the rank's other councils are published values; the council's own
        # figure is unsuppressed only for its own staff.
        frame = benchmark(
            self.result,
            self.la.old_la_code,
            period=self.period,
            comparator=comp,
            published=self.published_for,
            own=self.own,
        )
        return {r["measure"]: r for r in frame.iter_rows(named=True)}

    def published_for(self, period: str) -> pl.DataFrame:
        frame = self.published.get(period)
        if frame is None:  # a period with no published values: nothing may be shown
            return pl.DataFrame(schema=_EMPTY_PUBLISHED)
        return frame

    def shown(self, measure: str, period: str | None = None) -> str:
        """The council's figure: unsuppressed for its own staff, published otherwise."""
        per = period or self.period
        if self.own:
            return fmt(self.own_values.get((per, measure)), _get_measure(measure).kind)
        return self.pub.get(per, {}).get((self.la.old_la_code, measure), ("x", None))[0]

    def area(self, code: str, measure: str, period: str | None = None) -> str:
        per = period or self.period
        return self.pub.get(per, {}).get((code, measure), ("x", None))[0]

    def area_value(self, code: str, measure: str, period: str | None = None) -> float | None:
        per = period or self.period
        return self.pub.get(per, {}).get((code, measure), ("x", None))[1]

    def mean_of(self, codes: Sequence[str], measure: str) -> tuple[float | None, int]:
        vals = [
            v
            for c in codes
            if c != self.la.old_la_code
            and (v := self.area_value(c, measure)) is not None
            and not math.isnan(v)
        ]
        return (sum(vals) / len(vals) if vals else None, len(vals))

    @property
    def symbols_note(self) -> str:
        """What the symbols mean, and which figures are published, for this viewer."""
        if self.own:
            return SYMBOLS_NOTE
        return f"All figures on this page are published (suppressed and rounded). {SYMBOLS_KEY}"

    def has_figures(self, period: str | None = None) -> bool:
        """Whether the page has any figure of this council's for the period (else: say so)."""
        per = period or self.period
        if self.own:
            return any(p == per and not is_missing(v) for (p, _), v in self.own_values.items())
        return any(
            code == self.la.old_la_code and text != "x"
            for (code, _), (text, _v) in self.pub.get(per, {}).items()
        )

    def value_for_chart(self, measure: str, period: str | None = None) -> float | None:
        text = self.shown(measure, period)
        try:
            return float(text)
        except ValueError:
            return None


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


def neighbour_codes(la_code: str) -> list[str]:
    return [n.neighbour_code for n in statistical_neighbours().get(la_code, ())]


def comparator_codes(ctx: Context) -> tuple[str, list[str]]:
    if ctx.comparator == "all_with_data":
        return "All councils with data", [la.old_la_code for la in local_authorities()]
    if ctx.comparator == "custom":
        return "Your selected councils", list(ctx.codes)
    return "", []


# --- council dashboard --------------------------------------------------------------------


def benchmark_table(ctx: Context, names: Sequence[str], key: str, caption: str) -> Table:
    bench = ctx.bench()
    comp_label, comp_list = comparator_codes(ctx)
    nb = neighbour_codes(ctx.la.old_la_code)
    header = ["Measure", "Unit", ctx.la.name, "Statistical neighbours (mean)"]
    if comp_label:
        header.append(f"{comp_label} (mean)")
    header += [ctx.la.region_name, "England", "Rank", "Band", "Trend"]
    rows = []
    for name in names:
        r = bench.get(name)
        if r is None:
            continue
        nb_avg, nb_n = ctx.mean_of(nb, name)
        row = [r["label"], r["unit"], ctx.shown(name), fmt(nb_avg) + (f" ({nb_n})" if nb_n else "")]
        if comp_label:
            cp_avg, cp_n = ctx.mean_of(comp_list, name)
            row.append(fmt(cp_avg) + (f" ({cp_n})" if cp_n else ""))
        trend = "; ".join(f"{p}: {ctx.shown(name, p)}" for p in ctx.result.periods)
        row += [
            ctx.area(ctx.la.region_code, name),
            ctx.area(ENGLAND_CODE, name),
            f"{r['rank']} of {r['of_n']}" if r["rank"] else "x",
            r["band"] or "z",
            trend,
        ]
        rows.append(row)
    return Table(key, caption, header, rows, numeric_from=2)


def _share_table(
    ctx: Context, measure: str, key: str, caption: str, label: str
) -> tuple[Table, list[str], list[float | None]]:
    t = ctx.result.table(_get_measure(measure).group)
    per = pl.col("period") == ctx.period
    rows_la = t.filter(
        per & (pl.col("la_code") == ctx.la.old_la_code) & (pl.col("measure") == measure)
    )
    rows_en = t.filter(per & (pl.col("la_code") == ENGLAND_CODE) & (pl.col("measure") == measure))
    eng = dict(zip(rows_en["breakdown"], rows_en["value"], strict=True))
    names = _code_labels(_get_measure(measure).by)
    header = [label, f"{ctx.la.name} (number)", f"{ctx.la.name} (%)", "England (%)"]
    rows, labels, values = [], [], []
    for b, n, d, v in rows_la.select("breakdown", "numerator", "denominator", "value").iter_rows():
        hide = not ctx.own and (small(n) or small(d))
        rows.append(
            [
                names.get(b, str(b)),
                "c" if hide else fmt(n, "count"),
                "c" if hide else fmt(v),
                fmt(eng.get(b)),
            ]
        )
        labels.append(names.get(b, str(b)))
        values.append(None if hide or is_missing(v) else float(v))
    return Table(key, caption, header, rows), labels, values


def _code_labels(field: str | None) -> dict[str, str]:
    """Code → label from the standard's code list (reasons are stored as codes)."""
    from fgc.standard import load_standard

    std = load_standard()
    try:
        cl = std.codelist_for(std.field(field or ""))
    except (KeyError, ValueError):
        return {}
    return {c.code: c.label for c in cl.codes} if cl is not None else {}


def _group_chart(ctx: Context, names: Sequence[str], title: str, chart_id: str) -> str:
    pct = [n for n in names if _get_measure(n).unit == "%"]
    if not pct:
        return ""
    return bar_chart(
        [_get_measure(n).label for n in pct],
        [ctx.value_for_chart(n) for n in pct],
        title=title,
        unit="%",
        chart_id=chart_id,
    )


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
        [steps, benchmark_table(ctx, names, "funnel-rates", "Funnel conversion rates")],
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


def outcomes_section(ctx: Context) -> Section:
    from fgc.engine.insight.flags import COHORTS

    outcomes = (
        ("looked_after_6m", "Looked after at 6 months"),
        ("looked_after_12m", "Looked after at 12 months"),
        ("proceedings_issued_12m", "Care proceedings issued within 12 months"),
    )
    header = ["Outcome (%)", *(label for label in COHORTS.values()), "England: meeting held"]
    rows = [
        [label, *(ctx.shown(f"{f}_{c}") for c in COHORTS), ctx.area(ENGLAND_CODE, f"{f}_held")]
        for f, label in outcomes
    ]
    table = Table("outcomes", "Outcomes by what happened to the offer", header, rows)
    trial = Table(
        "trial",
        "Pre-proceedings FGC trial (randomised), looked after at 12 months",
        ["Trial arm", "Looked after at 12 months (%)"],
        [
            ["FGC arm", fmt(TRIAL_REFERENCE["looked_after_12m_fgc_arm"])],
            ["Usual care arm", fmt(TRIAL_REFERENCE["looked_after_12m_usual_care_arm"])],
        ],
    )
    chart = bar_chart(
        [
            *(f"{ctx.la.name}: {label}" for label in COHORTS.values()),
            "Trial: FGC arm",
            "Trial: usual care",
        ],
        [
            *(ctx.value_for_chart(f"looked_after_12m_{c}") for c in COHORTS),
            TRIAL_REFERENCE["looked_after_12m_fgc_arm"],
            TRIAL_REFERENCE["looked_after_12m_usual_care_arm"],
        ],
        title="Looked after at 12 months (%)",
        unit="%",
        chart_id="chart-outcomes",
    )
    la_t, _labels, _values = _share_table(
        ctx,
        "living_arrangement_12m_held",
        "living-12m",
        "Living arrangement at 12 months: meeting held",
        "Living arrangement",
    )
    return Section(
        "outcomes",
        "Outcomes",
        TRIAL_LABEL,
        [chart],
        [table, trial, la_t],
        caveat=CAVEAT,
    )


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


# --- national and measure pages ------------------------------------------------------------


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
