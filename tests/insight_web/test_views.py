"""Insight pages by role: own council unsuppressed, other councils 404, national published."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import polars as pl
import pytest

from fgc.audit.models import AuditEvent
from fgc.insight_web import presenters, services

pytestmark = pytest.mark.django_db


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _html_cells(html: str, table_key: str) -> list[list[str]]:
    block = re.search(
        rf'<table class="govuk-table" id="table-{re.escape(table_key)}">(.*?)</table>', html, re.S
    )
    assert block, table_key
    out = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", block.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        out.append(
            [
                re.sub(r"<[^>]+>", "", c).replace("&amp;", "&").replace("&#39;", "'").strip()
                for c in cells
            ]
        )
    return out


def test_council_user_sees_own_dashboard_unsuppressed(accepted, officer_a, login):
    client = login(officer_a)
    response = client.get("/insight/council/805/?period=2025-26")
    assert response.status_code == 200
    html = response.content.decode()
    assert "unsuppressed" in html
    # The raw own figure is shown even where the published value would be suppressed.
    _snap, result = services.insight()
    t = result.table("funnel")
    small = t.filter(
        (pl.col("la_code") == "805")
        & (pl.col("kind") == "count")
        & (pl.col("breakdown_topic") == "Total")
        & (pl.col("value") >= 1)
        & (pl.col("value") <= 5)
    )
    steps = _html_cells(html, "funnel-steps")
    assert steps[1][0] == "Offered"
    offered = t.filter((pl.col("la_code") == "805") & (pl.col("measure") == "offered_families"))[
        "value"
    ][0]
    assert steps[1][1] == f"{offered:.0f}"
    assert small.height == 0 or "c" not in [row[1] for row in steps]
    assert AuditEvent.objects.filter(action="insight.view_council", council_code="805").exists()


def test_council_user_gets_404_for_another_council(accepted, officer_a, login):
    client = login(officer_a)
    for url in (
        "/insight/council/806/",
        "/insight/council/806/data.csv?table=headline",
        "/insight/council/806/report.pdf",
        "/insight/council/806/report.html",
        "/insight/council/806/population/",
        "/insight/measure/acceptance_rate_families/?la=806",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/insight/national/").status_code == 403
    assert client.get("/insight/publication/").status_code == 403


def test_national_user_sees_published_values(accepted, analyst, login):
    client = login(analyst)
    response = client.get("/insight/council/806/?period=2025-26")
    assert response.status_code == 200
    html = response.content.decode()
    assert "published (suppressed and rounded)" in html
    snap, result = services.insight()
    pub = services.published(snap, result, "2025-26")
    shown = {r[0]: r[2] for r in _html_cells(html, "headline")[1:]}
    label_to_name = {m.label: m.name for m in presenters.headline_measures()}
    published = {
        (code, m): text
        for code, m, text in pub.select("la_code", "measure", "published").iter_rows()
    }
    for label, text in shown.items():
        assert text == published[("806", label_to_name[label])]


def test_published_values_suppress_small_council_counts(accepted):
    snap, result = services.insight()
    pub = services.published(snap, result, "2025-26")
    t = result.table("funnel").filter(
        (pl.col("geographic_level") == "Local authority")
        & (pl.col("kind") == "count")
        & (pl.col("breakdown_topic") == "Total")
        & (pl.col("period") == "2025-26")
    )
    joined = t.join(pub, on=["la_code", "measure"])
    assert joined.height
    for value, text in joined.select("value", "published").iter_rows():
        if 1 <= value <= 5:
            assert text == "c"
        elif value == 0:
            assert text == "0"
    england = pub.filter(pl.col("la_code") == "E92000001").filter(pl.col("kind") == "count")
    assert all(v is None or v % 10 == 0 for v in england["pvalue"].to_list())


def test_council_csv_equals_the_table_on_the_page(accepted, officer_a, login):
    client = login(officer_a)
    html = client.get("/insight/council/805/?period=2025-26").content.decode()
    for key in ("headline", "funnel-steps", "declines", "equity-ethnicity_group", "outcomes"):
        response = client.get(f"/insight/council/805/data.csv?period=2025-26&table={key}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert _rows(response.content.decode()) == _html_cells(html, key), key


def test_national_and_measure_csv_equal_their_tables(accepted, analyst, login):
    client = login(analyst)
    html = client.get(
        "/insight/national/?period=2025-26&measure=decline_rate_families"
    ).content.decode()
    regions = client.get("/insight/national/data.csv?period=2025-26&table=regions").content.decode()
    assert _rows(regions) == _html_cells(html, "regions")
    councils = client.get(
        "/insight/national/data.csv?period=2025-26&table=councils&measure=decline_rate_families"
    ).content.decode()
    assert _rows(councils) == _html_cells(html, "councils-decline_rate_families")
    page = client.get("/insight/measure/offered_families/?period=2025-26&la=805").content.decode()
    data = client.get(
        "/insight/measure/offered_families/data.csv?period=2025-26&la=805"
    ).content.decode()
    assert _rows(data) == _html_cells(page, "councils-offered_families")


def test_cache_key_changes_when_a_version_is_accepted(
    accepted, officer_a, analyst, council_a, upload_file
):
    from tests.insight_web.conftest import accept

    before = services.snapshot()
    _, first = services.insight(before)
    assert services.cache_dir(before.key).joinpath("result", "periods.txt").exists()
    accept(officer_a, analyst, council_a, upload_file, period="2024-25", seed=9)
    after = services.snapshot()
    assert after.key != before.key
    _, second = services.insight(after)
    assert "2024-25" in second.periods and "2024-25" not in first.periods
    # Same accepted versions: same key, and the disk copy answers a fresh process.
    services.clear_memory_cache()
    assert services.snapshot().key == after.key
    _, again = services.insight()
    assert again.periods == second.periods


def test_cache_key_is_order_free_and_standard_versioned():
    assert services.cache_key([3, 1, 2], [], "0.1") == services.cache_key([1, 2, 3], [], "0.1")
    assert services.cache_key([1, 2, 3], [], "0.1") != services.cache_key([1, 2, 3], [], "0.2")
    assert services.cache_key([1, 2, 3], [], "0.1") != services.cache_key([1, 2, 3], [4], "0.1")


def test_report_pdf_and_html(accepted, officer_a, login):
    client = login(officer_a)
    pdf = client.get("/insight/council/805/report.pdf?period=2025-26")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get("/insight/council/805/report.html?period=2025-26")
    assert html.status_code == 200 and b"Hartlepool" in html.content
    # The report links its stylesheet: the strict CSP needs no hash and no 'unsafe-inline'.
    csp = html.headers.get("Content-Security-Policy", "")
    assert "sha256-" not in csp and "unsafe-inline" not in csp


def test_publication_page_and_zip(accepted, analyst, login):
    client = login(analyst)
    page = client.get("/insight/publication/?period=2025-26")
    assert page.status_code == 200
    snap, result = services.insight()
    pub = services.publication(snap, result, "2025-26")
    response = client.get("/insight/publication/release.zip?period=2025-26")
    if pub.ok:
        assert b"Passed" in page.content
        assert response.status_code == 200
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert "fgc_families.csv" in names and "fgc_families.meta.csv" in names
        # The suppression log says why each cell is hidden ("count of 1 ..."): never shipped.
        assert "suppression_log.csv" not in names
        assert all(n.endswith((".csv",)) and "log" not in n for n in names)
        event = AuditEvent.objects.filter(action="insight.download_publication").latest("pk")
        assert event.detail["suppressed"] == pub.check.hidden
    else:
        assert response.status_code == 409


def test_publication_zip_refused_when_checker_fails(accepted, analyst, login, monkeypatch):
    from fgc.engine.disclosure.checker import Disclosure

    client = login(analyst)
    snap, result = services.insight()
    pub = services.publication(snap, result, "2025-26")
    monkeypatch.setattr(
        pub.suppression.check,
        "disclosures",
        [Disclosure(("families_offered", "805", ()), 3, "linear")],
    )
    response = client.get("/insight/publication/release.zip?period=2025-26")
    assert response.status_code == 409
    page = client.get("/insight/publication/?period=2025-26").content.decode()
    assert "cannot be published" in page
    assert AuditEvent.objects.filter(action="insight.publication_refused").exists()


def test_population_upload_is_used_and_named(accepted, officer_a, login):
    from fgc.engine.insight.population import population_categories

    client = login(officer_a)
    lines = ["la_code,breakdown_topic,breakdown,count,source"]
    for topic, groups in population_categories().items():
        for i, g in enumerate(groups):
            lines.append(f'805,{topic},"{g}",{10 + i},Hartlepool CIN census 2025')
    data = ("\n".join(lines) + "\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/insight/council/805/population/",
        {"period": "2025-26", "file": SimpleUploadedFile("pop.csv", data, "text/csv")},
    )
    assert response.status_code == 302
    html = client.get("/insight/council/805/?period=2025-26").content.decode()
    assert "Hartlepool CIN census 2025" in html
    bad = client.post(
        "/insight/council/805/population/",
        {
            "period": "2025-26",
            "file": SimpleUploadedFile("bad.csv", b"la_code,count\n805,1\n", "text/csv"),
        },
    )
    assert bad.status_code == 200 and "missing column" in bad.content.decode()


def test_without_population_the_reference_is_named(accepted, officer_a, login):
    html = login(officer_a).get("/insight/council/805/?period=2025-26").content.decode()
    assert "Population denominators: DfE" in html
    # ethnicity: the council's own Census 2021 shares, not the national reference
    assert "Population denominators: ONS Census 2021, all usual residents in Hartlepool" in html


def test_no_accepted_data_yet(officer_a, analyst, login):
    assert (
        "no accepted child-level returns"
        in login(officer_a).get("/insight/council/805/").content.decode()
    )
    assert login(analyst).get("/insight/national/").status_code == 200
    assert login(analyst).get("/insight/publication/").status_code == 200


def test_national_and_measure_pages_draw_their_charts(accepted, analyst, login):
    # Regression: a context variable named like the chart macro once rendered no chart at all.
    client = login(analyst)
    html = client.get("/insight/national/?period=2025-26").content.decode()
    assert 'id="chart-acceptance_rate_families-title"' in html
    assert 'class="fgc-chart__caption"' in html
    html = client.get(
        "/insight/measure/acceptance_rate_families/?period=2025-26&la=805"
    ).content.decode()
    assert 'id="chart-acceptance_rate_families-title"' in html
    assert 'id="measure-trend-title"' in html or "2024-25" not in html


def test_count_charts_leave_out_england(accepted):
    snap, result = services.insight()
    pub = services.published(snap, result, "2025-26")
    assert ">England</text>" not in presenters.regions_chart(pub, "offered_families")
    assert ">England</text>" in presenters.regions_chart(pub, "acceptance_rate_families")


def test_council_page_says_when_the_council_has_no_figures_for_the_year(accepted, analyst, login):
    client = login(analyst)
    html = client.get("/insight/council/805/?period=2025-26").content.decode()
    assert "has no accepted child-level return" not in html
    html = client.get("/insight/council/807/?period=2025-26").content.decode()
    assert "Redcar and Cleveland has no accepted child-level return for 2025-26" in html
    # The symbols are explained once, without repeating that everything is published.
    assert html.count("published (suppressed and rounded)") == 1


def test_large_counts_get_thousands_separators_on_the_page_only():
    from django.template import engines

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    table = presenters.Table("t", "T", ["Area", "Count"], [["England", "17890"], ["X", "c"]])
    html = env.from_string(
        '{% from "insight/_macros.html" import data_table %}{{ data_table(t, "") }}'
    ).render(t=table)
    assert ">17,890<" in html and ">c<" in html
    assert "17890" in table.csv()


def test_council_page_opens_on_its_latest_year_with_a_return(
    officer_a, council_a, officer_b, council_b, analyst, upload_file, login
):
    from tests.insight_web.conftest import accept

    # Hartlepool returned 2025-26 (the latest year nationally); Middlesbrough only 2024-25.
    accept(officer_a, analyst, council_a, upload_file, period="2025-26")
    accept(officer_b, analyst, council_b, upload_file, period="2024-25", seed=8)
    assert services.snapshot().periods == ["2024-25", "2025-26"]
    html = login(officer_b).get("/insight/council/806/").content.decode()
    assert re.search(r'<option value="2024-25"\s+selected', html), "opens on its own latest year"
    html = login(officer_a).get("/insight/council/805/").content.decode()
    assert re.search(r'<option value="2025-26"\s+selected', html)
