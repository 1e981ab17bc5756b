"""The one-page report: own figures unsuppressed, every comparator from published values."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from fgc.engine.coerce import type_frame
from fgc.engine.insight import compute_measures
from fgc.engine.insight.benchmark import benchmark
from fgc.engine.insight.published import published_provider
from fgc.engine.insight.rates import area_offer_rates, cin_source
from fgc.engine.insight.report import CSS, render_html, report_tables, write_pdf
from fgc.standard import ENGLAND_CODE, get_la, load_standard, statistical_neighbours
from tests.engine.insight.frames import HELD, child_rows, row
from tests.engine.insight.pdf_text import pdf_strings

PERIOD = "2025-26"
DECLINED = {"offer_response": "DECLINED", "response_date": "2025-05-02"}


def _families(la: str, n: int, held_every: int = 2) -> list[dict[str, str]]:
    return [row(la, f"E{i}", "C1", **(HELD if i % held_every else DECLINED)) for i in range(n)]


@pytest.fixture(scope="module")
def result():
    # 806 (Middlesbrough) is Hartlepool's only neighbour with data, and every one of its
    # counts is 1..5: all suppressed. 202 and 330 are not neighbours (England comparators).
    rows = [
        *_families("805", 14),
        *_families("806", 3, held_every=3),
        *_families("202", 40),
        *_families("330", 27, held_every=3),
    ]
    return compute_measures(type_frame(child_rows(rows), load_standard()), None)


def _html_rows(html: str) -> dict[str, list[str]]:
    body = re.search(r"<h2>All measures</h2>.*?<tbody>(.*?)</tbody>", html, re.S)
    assert body
    out = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        out[cells[0].replace("&#x27;", "'")] = cells[1:]
    return out


def test_suppressed_neighbour_never_appears_in_the_report(result, tmp_path: Path):
    raw = benchmark(result, "805", period=PERIOD).filter(pl.col("measure") == "offered_families")
    # Without disclosure control the neighbour mean IS Middlesbrough's hidden count (3).
    assert raw["neighbour_avg"][0] == 3.0
    pub = published_provider(result)(PERIOD)
    hidden = pub.filter((pl.col("la_code") == "806") & (pl.col("published") == "c"))
    assert "offered_families" in hidden["measure"].to_list()

    rows = _html_rows(render_html(result, "805", PERIOD))
    offered = rows["Offered (families)"]
    assert offered[0] == "14"  # Hartlepool's own figure, unsuppressed
    assert offered[1] == "–"  # no neighbour has a published figure
    labels = dict(report_tables(result, "805", PERIOD).select("measure", "label").iter_rows())
    shown = [labels[n] for n in hidden["measure"].to_list() if labels.get(n) in rows]
    assert len(shown) > 3
    for label in shown:  # every measure Middlesbrough's release hides: no neighbour figure
        assert rows[label][1] == "–", label

    path = tmp_path / "r.pdf"
    write_pdf(result, "805", PERIOD, path)
    strings = pdf_strings(path.read_bytes())
    at = strings.index("Offered (families)")
    assert strings[at + 1 : at + 3] == ["14", "–"]
    assert "Key figures (families): Offered: 14;" in " ".join(strings)


def test_comparators_equal_the_published_values(result, tmp_path: Path):
    published = published_provider(result)
    pub = published(PERIOD)
    values = {(c, m): v for c, m, v in pub.select("la_code", "measure", "pvalue").iter_rows()}
    la = get_la("805")
    nbs = [n.neighbour_code for n in statistical_neighbours()["805"]]
    bench = report_tables(result, "805", PERIOD, published)
    raw = {r["measure"]: r["neighbour_avg"] for r in benchmark(result, "805").iter_rows(named=True)}
    headline = pl.concat(
        [t for g, t in result.tables.items() if g != "equity"], how="diagonal_relaxed"
    ).filter((pl.col("breakdown_topic") == "Total") & (pl.col("period") == PERIOD))
    true_values = {
        (c, m)
        for c, m, v in headline.select("la_code", "measure", "value").iter_rows()
        if v is not None and v == v
    }
    checked = 0
    for r in bench.iter_rows(named=True):
        m = r["measure"]
        if r["kind"] == "per_10k":
            continue  # offer rates: their area figures are area_offer_rates (below)
        assert r["region"] == values.get((la.region_code, m))
        assert r["england"] == values.get((ENGLAND_CODE, m))
        # Neighbour means are on true values, suppressed when one hidden neighbour is in them.
        true_mean = raw.get(m)
        hidden = [c for c in nbs if (c, m) in true_values and values.get((c, m)) is None]
        expected = None if len(hidden) == 1 or true_mean is None else pytest.approx(true_mean)
        assert r["neighbour_avg"] == expected
        if r["england"] is not None and m.endswith("_families") and "rate" not in m:
            assert r["england"] % 10 == 0  # England counts are rounded, as published
            checked += 1
    assert checked
    # Counts are not ranked; rates per 10,000 children in need are, on true values: every
    # council with a figure, 806 (hidden) included.
    offered = bench.filter(pl.col("measure") == "offered_families").row(0, named=True)
    assert offered["rank"] is None and offered["of_n"] is None
    rate = bench.filter(pl.col("measure") == "families_offered_per_10k_cin").row(0, named=True)
    assert rate["of_n"] == 4 and rate["band"] is None
    areas = area_offer_rates(result, PERIOD)
    area_rate = dict(zip(areas["area_code"], areas["families_offered_per_10k_cin"], strict=True))
    assert rate["region"] == area_rate[la.region_code]
    assert rate["england"] == area_rate[ENGLAND_CODE]
    # What the HTML and the PDF print is exactly that.
    html_rows = _html_rows(render_html(result, "805", PERIOD, published=published))
    path = tmp_path / "r.pdf"
    write_pdf(result, "805", PERIOD, path, published=published)
    text = "\n".join(pdf_strings(path.read_bytes()))
    eng = offered["england"]
    assert html_rows["Offered (families)"][3] == f"{eng:,.0f}"
    assert f"Offered (families)\n14\n–\n{offered['region']:,.0f}\n{eng:,.0f}\n" in text


def test_national_view_takes_own_figures_from_published(result):
    published = published_provider(result)
    own = benchmark(result, "806", period=PERIOD, published=published, own=True)
    national = benchmark(result, "806", period=PERIOD, published=published, own=False)
    pick = lambda t, m="offered_families": t.filter(pl.col("measure") == m).row(0, named=True)  # noqa: E731
    assert pick(own)["la_value"] == 3.0 and pick(national)["la_value"] is None
    rate = "families_offered_per_10k_cin"
    assert pick(own, rate)["la_value"] is not None and pick(own, rate)["rank"] is not None
    assert pick(national, rate)["la_value"] is None and pick(national, rate)["rank"] is None
    rows = _html_rows(render_html(result, "806", PERIOD, published=published, own=False))
    assert rows["Offered (families)"][0] == "c"
    assert "published (suppressed and rounded) values" in render_html(
        result, "806", PERIOD, published=published, own=False
    )


def test_html_inline_style_or_linked_stylesheet(result):
    inline = render_html(result, "805", PERIOD)
    assert f"<style>{CSS}</style>" in inline and "<link" not in inline
    linked = render_html(result, "805", PERIOD, stylesheet="/static/insight/report.css")
    assert "<style" not in linked
    assert '<link rel="stylesheet" href="/static/insight/report.css">' in linked


def test_report_shows_offer_rates_ranked_and_counts_unranked(result, tmp_path: Path):
    published = published_provider(result)
    html = render_html(result, "805", PERIOD, published=published)
    rows = _html_rows(html)
    label = "Families offered an FGC per 10,000 children in need"
    bench = report_tables(result, "805", PERIOD, published)
    rate = bench.filter(pl.col("measure") == "families_offered_per_10k_cin").row(0, named=True)
    council, _nb, region, england, rank, band = rows[label]
    assert council == f"{rate['la_value']:,.1f}"
    assert (region, england) == (f"{rate['region']:,.1f}", f"{rate['england']:,.1f}")
    assert rank == f"{rate['rank']} of 4" and band == "–"
    assert rows["Offered (families)"][4:] == ["–", "–"]  # counts are not ranked
    text = re.sub(r"\s+", " ", html)
    assert cin_source() in text and "per 10,000 children in need" in text
    assert "pre-proceedings" in text
    # 806's 3 offers are suppressed for national users, and so is its rate.
    national = _html_rows(render_html(result, "806", PERIOD, published=published, own=False))
    assert national[label][0] == "c" and national[label][4] == "–"
    path = tmp_path / "r.pdf"
    write_pdf(result, "805", PERIOD, path, published=published)
    strings = pdf_strings(path.read_bytes())
    at = strings.index(label)
    assert strings[at + 1] == council and strings[at + 5] == rank
    assert cin_source() in re.sub(r"\s+", " ", " ".join(strings))  # lines wrap at spaces
