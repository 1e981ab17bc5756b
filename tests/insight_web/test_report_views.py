"""The one-page report on the web, the publication cache and the dashboard's measure links."""

from __future__ import annotations

import re

import polars as pl
import pytest

from fgc.engine.insight.report import CSS
from fgc.insight_web import presenters, services
from fgc.insight_web.published import published_values
from fgc.standard import ENGLAND_CODE, get_la
from tests.engine.insight.pdf_text import pdf_strings

pytestmark = pytest.mark.django_db
PERIOD = "2025-26"


def _report_rows(html: str) -> dict[str, list[str]]:
    body = re.search(r"<h2>All measures</h2>.*?<tbody>(.*?)</tbody>", html, re.S)
    assert body
    out = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        out[cells[0].replace("&#x27;", "'")] = cells[1:]
    return out


def _fmt(v: float | None, unit: str) -> str:
    from fgc.engine.insight.report import _fmt as report_fmt

    return report_fmt(v, unit)


def _hide_806(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Middlesbrough (806: Hartlepool's neighbour) figure published as ``c``."""
    real = services.published

    def hidden(snap, result, period):
        frame = real(snap, result, period)
        is806 = pl.col("la_code") == "806"
        return frame.with_columns(
            pl.when(is806).then(pl.lit("c")).otherwise(pl.col("published")).alias("published"),
            pl.when(is806).then(None).otherwise(pl.col("pvalue")).alias("pvalue"),
        )

    monkeypatch.setattr(services, "published", hidden)
    # The figures changed under the same key: the pages drawn from the old ones go too.
    from tests.insight_web.conftest import forget_drawn_pages

    forget_drawn_pages()


def test_report_never_shows_a_suppressed_neighbour(accepted, officer_a, login, monkeypatch):
    _hide_806(monkeypatch)
    client = login(officer_a)
    html = client.get(f"/insight/council/805/report.html?period={PERIOD}").content.decode()
    rows = _report_rows(html)
    assert rows
    # 806 is the only neighbour with data, and all of it is hidden: its mean would be its
    # value, so there is no neighbour figure. Ranks are on true values (806 counts in them).
    assert all(cells[1] == "–" for cells in rows.values())
    assert all(cells[4] in ("1 of 2", "2 of 2", "–") for cells in rows.values())
    _snap, result = services.insight()
    offered = result.table("funnel").filter(
        (pl.col("la_code") == "805") & (pl.col("measure") == "offered_families")
    )["value"][0]
    assert rows["Offered (families)"][0] == f"{offered:,.0f}"  # own figure unsuppressed
    pdf = client.get(f"/insight/council/805/report.pdf?period={PERIOD}").content
    strings = pdf_strings(pdf)
    at = strings.index("Offered (families)")
    assert strings[at + 1 : at + 3] == [f"{offered:,.0f}", "–"]


def test_report_comparators_are_the_published_values(accepted, officer_a, login):
    client = login(officer_a)
    html = client.get(f"/insight/council/805/report.html?period={PERIOD}").content.decode()
    snap, result = services.insight()
    pub = services.published(snap, result, PERIOD)
    values = {(c, m): v for c, m, v in pub.select("la_code", "measure", "pvalue").iter_rows()}
    la = get_la("805")
    rows = _report_rows(html)
    checked = 0
    for m in presenters.headline_measures():
        cells = rows.get(m.label)
        if cells is None:
            continue
        region, england = values.get((la.region_code, m.name)), values.get((ENGLAND_CODE, m.name))
        if region is not None:
            assert cells[2] == _fmt(region, m.unit), m.name
        if england is not None:
            assert cells[3] == _fmt(england, m.unit), m.name
            checked += 1
        neighbour = values.get(("806", m.name))  # 806 is the neighbour with data
        assert cells[1] == (_fmt(neighbour, m.unit) if neighbour is not None else "–"), m.name
    assert checked > 10
    # England counts are rounded to 10 in the report, as published.
    eng_offered = values[(ENGLAND_CODE, "offered_families")]
    assert eng_offered is not None and eng_offered % 10 == 0
    pdf = client.get(f"/insight/council/805/report.pdf?period={PERIOD}").content
    strings = pdf_strings(pdf)
    at = strings.index("Offered (families)")
    assert strings[at + 4] == _fmt(eng_offered, "")


def test_national_user_report_is_published_only(accepted, analyst, login, monkeypatch):
    _hide_806(monkeypatch)
    client = login(analyst)
    html = client.get(f"/insight/council/806/report.html?period={PERIOD}").content.decode()
    assert "Council figures are published (suppressed and rounded) values" in html
    rows = _report_rows(html)
    assert rows and all(cells[0] == "c" for cells in rows.values())
    assert all(cells[4] == "–" and cells[5] == "–" for cells in rows.values())  # no rank, band
    pdf = pdf_strings(client.get(f"/insight/council/806/report.pdf?period={PERIOD}").content)
    at = pdf.index("Offered (families)")
    assert pdf[at + 1] == "c"
    # The dashboard's rank and band for a national user come from published values too.
    page = client.get(f"/insight/council/806/?period={PERIOD}").content.decode()
    headline = re.search(r'id="table-headline">(.*?)</table>', page, re.S)
    assert headline
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", headline.group(1), re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        ]
        assert cells[-3:-1] == ["x", "z"], cells


def test_report_page_links_its_css_and_needs_no_csp_exception(accepted, officer_a, login):
    client = login(officer_a)
    response = client.get(f"/insight/council/805/report.html?period={PERIOD}")
    html = response.content.decode()
    assert "<style" not in html and "style=" not in html
    link = re.search(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert link and link.group(1) == "/insight/report.css"
    csp = response.headers["Content-Security-Policy"]
    style_src = re.search(r"style-src ([^;]*)", csp)
    assert style_src and style_src.group(1).strip() == "'self'"
    assert "unsafe-inline" not in csp and "sha256-" not in csp
    css = client.get(link.group(1))
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert css.content.decode() == CSS  # the one copy the CLI report inlines


def test_publication_cache_survives_a_restart(accepted, monkeypatch):
    snap, result = services.insight()
    first = services.publication(snap, result, PERIOD)
    stored = list(services.cache_dir(snap.key).joinpath("publication").iterdir())
    assert len(stored) == 1 and stored[0].name.startswith(PERIOD)
    services.clear_memory_cache()  # a fresh process: only the disk copy is left

    def no_recompute(*_a, **_k):
        raise AssertionError("the release was recomputed instead of read from disk")

    monkeypatch.setattr(services, "publish", no_recompute)
    again = services.publication(snap, result, PERIOD)
    assert again is not first
    assert again.files == first.files and again.period == first.period
    assert again.problems == first.problems and again.ok == first.ok
    assert (again.check.cells, again.check.hidden, again.check.equations) == (
        first.check.cells,
        first.check.hidden,
        first.check.equations,
    )
    assert again.check.disclosures == first.check.disclosures
    assert again.suppression.log_frame().equals(first.suppression.log_frame())
    assert set(again.suppression.tables) == set(first.suppression.tables)
    for name, table in first.suppression.tables.items():
        assert again.suppression.tables[name].equals(table)
        a, b = again.suppression.specs[name], first.suppression.specs[name]
        assert a.frame.equals(b.frame)
        assert (a.name, a.filters, a.counts, a.rates, a.labels) == (
            b.name,
            b.filters,
            b.counts,
            b.rates,
            b.labels,
        )
    # What the pages derive from the release is the same from the disk copy.
    assert published_values(result, PERIOD, again).equals(published_values(result, PERIOD, first))


def test_dashboard_links_every_measure_page(accepted, officer_a, login):
    html = login(officer_a).get(f"/insight/council/805/?period={PERIOD}").content.decode()
    for m in presenters.headline_measures():
        assert f'href="/insight/measure/{m.name}/?la=805&amp;period={PERIOD}"' in html, m.name
    page = login(officer_a).get(f"/insight/measure/plan_rate_families/?la=805&period={PERIOD}")
    assert page.status_code == 200
