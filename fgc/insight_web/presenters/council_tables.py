"""Tables and charts the council dashboard's sections share: benchmark, shares, group bars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from fgc.charts import bar_chart
from fgc.engine.insight import get_measure as _get_measure
from fgc.engine.insight.benchmark import PER_10K_KIND, RATE_ROWS, rate_notes
from fgc.insight_web.presenters.context import Context, comparator_codes, neighbour_codes
from fgc.insight_web.presenters.formatting import fmt, is_missing, small
from fgc.insight_web.presenters.tables import Table
from fgc.standard import ENGLAND_CODE


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
        if r["kind"] == PER_10K_KIND:
            rows.append(_rate_row(ctx, r, bool(comp_label)))
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
            # counts are not ranked (z): ranking counts ranks big councils first
            "z" if r["kind"] == "count" else (f"{r['rank']} of {r['of_n']}" if r["rank"] else "x"),
            r["band"] or "z",
            trend,
        ]
        rows.append(row)
    return Table(key, caption, header, rows, numeric_from=2)


def _rate_row(ctx: Context, r: dict[str, Any], with_comparator: bool) -> list[str]:
    """A rate per 10,000 children in need: every figure from ``benchmark`` (means over true
    rates, suppressed as ``c`` when one hidden council could be undone from them)."""
    count = RATE_ROWS[r["measure"]][1]

    def own(v: float | None, period: str | None = None) -> str:
        if not is_missing(v):
            return fmt(v)
        symbol = ctx.shown(count, period)  # a hidden rate is hidden because its count is
        return symbol if symbol in ("c", "z") else "x"

    def area(v: float | None, code: str) -> str:
        return fmt(v) if not is_missing(v) else ("low" if ctx.area(code, count) == "low" else "x")

    def mean(v: float | None, n: int) -> str:
        return ("c" if n and is_missing(v) else fmt(v)) + (f" ({n})" if n else "")

    row = [
        r["label"],
        r["unit"],
        own(r["la_value"]),
        mean(r["neighbour_avg"], r["neighbours_with_data"]),
    ]
    if with_comparator:
        row.append(mean(r["comparator_avg"], r["comparator_n"]))
    trend = zip(r["trend_periods"], r["trend"], strict=True)
    row += [
        area(r["region"], ctx.la.region_code),
        area(r["england"], ENGLAND_CODE),
        f"{r['rank']} of {r['of_n']}" if r["rank"] else "x",
        "z",  # neutral: no band
        "; ".join(f"{p}: {own(v, p)}" for p, v in trend),
    ]
    return row


def offer_rate_names() -> list[str]:
    """Each offer count followed by its rate per 10,000 children in need."""
    return [name for rate, (_label, count) in RATE_ROWS.items() for name in (count, rate)]


def offer_rate_notes(ctx: Context) -> list[str]:
    row = ctx.bench().get(next(iter(RATE_ROWS)))
    return list(rate_notes(row["denominator_source"] if row else None))


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
