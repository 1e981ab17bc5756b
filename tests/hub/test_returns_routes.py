"""The four returns in the hub: aggregate template/tidy uploads, the CIN census, the DfE
quarterly figures and the child-level return, each uploaded, checked and downloaded."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from polars.testing import assert_frame_equal

from fgc.engine.aggregate import AGGREGATE_MEASURES, aggregate
from fgc.formats import read_table_bytes
from fgc.hub.models import Decision, SubmissionVersion
from fgc.returns.child_level import child_level_return
from fgc.returns.cin.enrich import enrich_census
from fgc.returns.dfe_quarterly import dfe_quarterly_return
from fgc.returns.template import FIRST_ROW, INPUT_SHEET, KEY_ROW, read_template
from tests.hub.fixtures import csv_bytes, frame_for
from tests.returns.cin_factory import make_census

SAMPLE_XML = Path(__file__).parents[1] / "reference_samples" / "CIN_Census_2026_sample.xml"
BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<Message>&lol2;</Message>\n'
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _la_rows(frame: pl.DataFrame, la: str = "805") -> pl.DataFrame:
    return frame.filter(
        (pl.col("geographic_level") == "Local authority") & (pl.col("old_la_code") == la)
    )


def _key_in(blank: bytes, values: pl.DataFrame) -> bytes:
    """Type figures into a blank template cell by cell, as a person would."""
    book = openpyxl.load_workbook(io.BytesIO(blank))
    ws = book[INPUT_SHEET]
    cols = {c.value: j + 1 for j, c in enumerate(ws[KEY_ROW + 1]) if c.value}
    rows = {
        (ws.cell(r, 1).value, ws.cell(r, 2).value): r
        for r in range(FIRST_ROW + 1, ws.max_row + 1)
        if ws.cell(r, 1).value and ws.cell(r, 2).value
    }
    for row in values.iter_rows(named=True):
        r = rows[(row["breakdown_topic"], row["breakdown"])]
        for m in AGGREGATE_MEASURES:
            if row[m.name] is not None:
                ws.cell(r, cols[m.name]).value = row[m.name]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _post(client, council, data: bytes, kind: str, name: str, period: str = "2025-26"):
    return client.post(
        reverse("hub:upload"),
        {
            "council": council.pk,
            "period": period,
            "kind": kind,
            "file": SimpleUploadedFile(name, data),
        },
    )


def _accept(version: SubmissionVersion, analyst) -> None:
    """Mark a version submitted and accepted (its check is not what these tests are about)."""
    SubmissionVersion.objects.filter(pk=version.pk).update(submitted_at=timezone.now())
    Decision.objects.create(version=version, outcome=Decision.Outcome.ACCEPTED, by=analyst)


@pytest.fixture
def expected_805() -> pl.DataFrame:
    return _la_rows(aggregate(frame_for("805"), "2025-26"))


# --- Option 1: aggregate ----------------------------------------------------------------------


def test_blank_template_keyed_by_hand_is_valid(officer_a, council_a, login, expected_805):
    client = login(officer_a)
    page = client.get(reverse("hub:upload") + "?period=2025-26").content.decode()
    url = reverse("hub:return-template", kwargs={"la_code": "805", "period": "2025-26"})
    assert url in page
    blank = client.get(url)
    assert blank.status_code == 200 and blank["Content-Type"] == XLSX
    keyed = _key_in(blank.content, expected_805)
    response = _post(client, council_a, keyed, "aggregate", "keyed.xlsx")
    assert response.status_code == 302
    version = SubmissionVersion.objects.get()
    assert version.validation_status == "valid", version.summary
    assert version.error_count == 0 and version.query_count == 0
    tidy = client.get(reverse("hub:version-aggregate", kwargs={"version_id": version.pk}))
    assert tidy["Content-Type"].startswith("text/csv")
    got = pl.read_csv(tidy.content, schema=expected_805.schema)
    assert_frame_equal(got, expected_805)


def test_template_totals_that_do_not_add_up_are_agg_errors(
    officer_a, council_a, login, expected_805
):
    client = login(officer_a)
    blank = client.get(
        reverse("hub:return-template", kwargs={"la_code": "805", "period": "2025-26"})
    ).content
    broken = expected_805.with_columns(
        pl.when(pl.col("breakdown_topic") == "Total")
        .then(pl.col("families_offered") + 5)
        .otherwise(pl.col("families_offered"))
        .alias("families_offered")
    )
    _post(client, council_a, _key_in(blank, broken), "aggregate", "keyed.xlsx")
    version = SubmissionVersion.objects.get()
    assert version.validation_status == "errors"
    codes = {r["code"] for r in version.summary["rules"]}
    assert {"AGG001", "AGG007"} <= codes
    html = client.get(reverse("hub:version", kwargs={"version_id": version.pk})).content.decode()
    # The rule's declared message, once per rule, on the same report page.
    assert "Offered must equal accepted + declined" in html and "AGG007" in html


def test_template_for_another_period_is_agg010(officer_a, council_a, login, expected_805):
    client = login(officer_a)
    blank = client.get(
        reverse("hub:return-template", kwargs={"la_code": "805", "period": "2024-25"})
    ).content
    _post(client, council_a, blank, "aggregate", "old.xlsx")
    version = SubmissionVersion.objects.get()
    assert "AGG010" in {r["code"] for r in version.summary["rules"]}
    assert version.validation_status == "errors"


def test_tidy_aggregate_csv_uses_the_same_checks(officer_a, council_a, login, expected_805):
    client = login(officer_a)
    full = aggregate(frame_for("805"), "2025-26")  # LA, regional and national rows
    _post(client, council_a, csv_bytes(full), "aggregate", "aggregate.csv")
    good = SubmissionVersion.objects.get()
    assert good.validation_status == "valid" and good.error_count == 0
    tidy = client.get(reverse("hub:version-aggregate", kwargs={"version_id": good.pk}))
    assert_frame_equal(pl.read_csv(tidy.content, schema=expected_805.schema), expected_805)
    broken = expected_805.with_columns(
        pl.when(pl.col("breakdown_topic") == "Total")
        .then(pl.lit(-1))
        .otherwise(pl.col("children_offered"))
        .alias("children_offered")
    )
    _post(client, council_a, csv_bytes(broken), "aggregate", "a.csv")
    bad = SubmissionVersion.objects.order_by("-number").first()
    assert bad is not None and bad.validation_status == "errors"
    assert "AGG008" in {r["code"] for r in bad.summary["rules"]}
    # Not an aggregate at all: a clear failure, not a crash.
    _post(client, council_a, b"a,b\n1,2\n", "aggregate", "x.csv")
    failed = SubmissionVersion.objects.order_by("-number").first()
    assert failed is not None and failed.validation_status == "failed"
    assert "not an aggregate return" in failed.failure_message


def test_filled_template_is_made_from_the_latest_child_level_version(
    officer_a, council_a, login, upload_file, expected_805
):
    client = login(officer_a)
    url = reverse("hub:return-template-filled", kwargs={"la_code": "805", "period": "2025-26"})
    missing = client.get(url)
    assert missing.status_code == 404 and "No child-level data" in missing.content.decode()
    version = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f"-v{version.number}" in response["Content-Disposition"]
    frame, findings = read_template(response.content, la="805", period="2025-26")
    assert findings.is_empty()
    assert_frame_equal(frame, expected_805)


# --- Option 3: the CIN census ---------------------------------------------------------------


def test_cin_census_sample_is_read_and_summarised(officer_a, council_a, login):
    client = login(officer_a)
    response = _post(client, council_a, SAMPLE_XML.read_bytes(), "cin_census", "cin.xml", "2026-27")
    assert response.status_code == 302
    version = SubmissionVersion.objects.get()
    assert version.file_type == "xml" and version.is_checked
    assert version.rows == 2
    assert version.summary["census"] == {"children": 2, "children_with_block": 1, "blocks": 1}
    # The sample is a City of London census (LEA 201): a query, not an error.
    assert "CIN008" in {r["code"] for r in version.summary["rules"]}
    page = client.get(reverse("hub:version", kwargs={"version_id": version.pk})).content.decode()
    assert "pre-proceedings block" in page and "CIN008" in page
    summary = client.get(reverse("hub:cin-summary", kwargs={"version_id": version.pk}))
    assert summary["Content-Type"].startswith("text/csv")
    rows = pl.read_csv(summary.content, infer_schema=False).to_dicts()
    assert rows == [
        {
            "line": "71",
            "child_id": "DfEX0000001",
            "cin_referral_date": "2022-10-06",
            "lbp_date": "2026-09-20",
            "offer_in_lbp": "Y",
            "fgdm_meeting_facilitated": "Y",
            "care_application_date": "2026-12-18",
            "pp_outcome": "A",
        }
    ]
    denominators = client.get(reverse("hub:cin-denominators", kwargs={"version_id": version.pk}))
    total = pl.read_csv(denominators.content).filter(pl.col("breakdown_topic") == "Total")
    assert total.select("children_in_need", "children_pre_proceedings").row(0) == (2, 1)


def test_cin_block_findings(officer_a, council_a, analyst, login, upload_file):
    xml = SAMPLE_XML.read_text("utf-8")
    xml = xml.replace(
        "<FGDMMeetingOffer>1</FGDMMeetingOffer>", "<FGDMMeetingOffer>maybe</FGDMMeetingOffer>"
    )
    xml = xml.replace("<FGDMMeetingFac>1</FGDMMeetingFac>", "")
    xml = xml.replace("<LEA>201</LEA>", "<LEA>805</LEA>")
    version = upload_file(officer_a, council_a, xml.encode(), "2026-27", "cin.xml", "cin_census")
    codes = {r["code"]: r["severity"] for r in version.summary["rules"]}
    assert codes == {"CIN005": "error", "CIN003": "query"}
    # National analysts see the report with the census child ids pseudonymised, the counts,
    # but not the council's child-level files.
    client = login(analyst)
    page = client.get(reverse("hub:version", kwargs={"version_id": version.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "CIN005" in html and "DfEX0000001" not in html
    assert (
        client.get(reverse("hub:cin-denominators", kwargs={"version_id": version.pk})).status_code
        == 200
    )
    for name in ("hub:cin-summary", "hub:cin-enriched", "hub:cin-reconciliation"):
        assert client.get(reverse(name, kwargs={"version_id": version.pk})).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        BOMB,
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>',
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_hostile_xml_is_rejected_with_a_clear_message(officer_a, council_a, login, data):
    client = login(officer_a)
    response = _post(client, council_a, data, "cin_census", "evil-name.xml", "2026-27")
    assert response.status_code == 302
    version = SubmissionVersion.objects.get()
    assert version.validation_status == "failed"
    assert "document type declaration" in version.failure_message
    assert "v1-" not in version.failure_message  # never the stored file's name
    page = client.get(reverse("hub:version", kwargs={"version_id": version.pk}))
    assert page.status_code == 200 and "was rejected" in page.content.decode()
    assert (
        client.get(reverse("hub:cin-summary", kwargs={"version_id": version.pk})).status_code == 404
    )


def test_xml_and_kind_must_agree(officer_a, council_a, login):
    client = login(officer_a)
    html = _post(client, council_a, b"a,b\n1,2\n", "cin_census", "cin.xml").content.decode()
    assert "not XML" in html
    html = _post(
        client, council_a, SAMPLE_XML.read_bytes(), "child_level", "c.csv"
    ).content.decode()
    assert "CIN census" in html
    assert not SubmissionVersion.objects.exists()


def test_census_reconciliation_and_enriched_xml(officer_a, council_a, analyst, login, upload_file):
    census, fgc, _ = make_census(40, seed=5, la="805")
    client = login(officer_a)
    cin = upload_file(officer_a, council_a, census, "2026-27", "cin.xml", "cin_census")
    assert cin.is_checked, cin.failure_message
    recon_url = reverse("hub:cin-reconciliation", kwargs={"version_id": cin.pk})
    xml_url = reverse("hub:cin-enriched", kwargs={"version_id": cin.pk})
    assert client.get(xml_url).status_code == 404  # no child-level data yet
    data = csv_bytes(fgc)
    child = upload_file(officer_a, council_a, data, "2026-27", "fgc.csv")
    not_yet = client.get(recon_url)
    assert not_yet.status_code == 404 and "accepted" in not_yet.content.decode()
    expected_xml = io.BytesIO()
    frame = read_table_bytes(data, "fgc.csv").frame.with_columns(pl.lit("805").alias("la_code"))
    result = enrich_census(frame, census, expected_xml)
    enriched = client.get(xml_url)
    assert enriched.status_code == 200 and enriched["Content-Type"] == "application/xml"
    assert b"".join(enriched.streaming_content) == expected_xml.getvalue()
    _accept(child, analyst)
    page = client.get(reverse("hub:version", kwargs={"version_id": cin.pk})).content.decode()
    assert recon_url in page
    recon = client.get(recon_url)
    assert recon["Content-Type"].startswith("text/csv")
    got = pl.read_csv(recon.content, infer_schema=False)
    assert got.height == result.report.height > 0
    assert set(got.get_column("kind")) == set(result.report.get_column("kind"))


# --- DfE quarterly and the child-level return -----------------------------------------------


def test_dfe_quarterly_for_a_council_equals_the_engine(officer_a, council_a, login, upload_file):
    data = csv_bytes(frame_for("805"))
    upload_file(officer_a, council_a, data)
    client = login(officer_a)
    url = reverse("hub:return-dfe-quarterly", kwargs={"la_code": "805", "quarter": "2025-26-Q2"})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    got = pl.read_csv(response.content)
    expected = dfe_quarterly_return(read_table_bytes(data, "r.csv").frame, "805", "2025-26-Q2")
    assert "counting_rule" in got.columns
    assert got.get_column("value").to_list() == expected.get_column("value").to_list()
    assert got.get_column("measure").to_list() == expected.get_column("measure").to_list()
    year = reverse("hub:return-dfe-quarterly", kwargs={"la_code": "805", "quarter": "2025-26"})
    assert client.get(year).status_code == 404


def test_national_dfe_quarterly_covers_accepted_councils(
    officer_a, officer_b, council_a, council_b, analyst, login, upload_file
):
    a = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    upload_file(officer_b, council_b, csv_bytes(frame_for("806")))  # not accepted
    _accept(a, analyst)
    url = reverse("hub:national-dfe-quarterly", kwargs={"quarter": "2025-26-Q1"})
    assert login(officer_a).get(url).status_code == 403
    response = login(analyst).get(url)
    assert response.status_code == 200
    got = pl.read_csv(response.content, infer_schema=False)
    assert set(got.get_column("old_la_code")) == {"805"}
    assert "counting_rule" in got.columns
    national = login(analyst).get(reverse("hub:national")).content.decode()
    assert url in national


def test_child_level_return_needs_the_councils_key(
    officer_a, council_a, login, upload_file, monkeypatch
):
    monkeypatch.delenv("FGC_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("FGC_PSEUDONYM_KEY_805", raising=False)
    data = csv_bytes(frame_for("805"))
    upload_file(officer_a, council_a, data)
    client = login(officer_a)
    url = reverse("hub:return-child-level", kwargs={"la_code": "805", "period": "2025-26"})
    no_key = client.get(url)
    assert no_key.status_code == 409 and "FGC_PSEUDONYM_KEY_805" in no_key.content.decode()
    monkeypatch.setenv("FGC_PSEUDONYM_KEY_805", "a-long-council-secret")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    got = pl.read_csv(response.content, infer_schema=False)
    frame = read_table_bytes(data, "r.csv").frame
    expected = child_level_return(frame, "805", "2025-26", key="a-long-council-secret")
    assert got.columns == expected.columns and got.height == expected.height
    assert set(got.get_column("child_id")) == set(expected.get_column("child_id"))
    assert not set(got.get_column("child_id")) & set(frame.get_column("child_id"))


def test_another_councils_returns_are_not_found(
    officer_a, officer_b, council_a, council_b, login, upload_file
):
    upload_file(officer_b, council_b, csv_bytes(frame_for("806")))
    census, _, _ = make_census(5, seed=2, la="806")
    cin_b = upload_file(officer_b, council_b, census, "2026-27", "cin.xml", "cin_census")
    client = login(officer_a)
    for name, kw in (
        ("hub:return-template", {"period": "2025-26"}),
        ("hub:return-template-filled", {"period": "2025-26"}),
        ("hub:return-child-level", {"period": "2025-26"}),
        ("hub:return-dfe-quarterly", {"quarter": "2025-26-Q1"}),
    ):
        assert client.get(reverse(name, kwargs={"la_code": "806", **kw})).status_code == 404
    for name in ("hub:cin-summary", "hub:cin-denominators", "hub:cin-enriched"):
        assert client.get(reverse(name, kwargs={"version_id": cin_b.pk})).status_code == 404
    returns = client.get(reverse("hub:returns")).content.decode()
    assert "/806/" not in returns and "/805/" in returns


# --- API ---------------------------------------------------------------------------------------


def _api_post(officer, data: bytes, kind: str, period: str = "2026-27"):
    from django.test import Client

    from fgc.accounts.models import ApiToken

    _, raw = ApiToken.issue(officer, "test")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    body = {"la_code": "805", "period": period, "kind": kind}
    body["file"] = SimpleUploadedFile("census.xml", data)
    return api, api.post("/api/v1/submissions", body)


def test_api_accepts_a_cin_census(officer_a, council_a):
    api, response = _api_post(officer_a, SAMPLE_XML.read_bytes(), "cin_census")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "cin_census" and body["validation_status"] == "valid"
    report = api.get(f"/api/v1/versions/{body['id']}/report").json()
    assert report["rows"] == 2 and report["errors"] == []
    assert [q["code"] for q in report["queries"]] == ["CIN008"]


def test_api_hostile_census_fails_with_the_reason(officer_a, council_a):
    _, response = _api_post(officer_a, BOMB, "cin_census")
    body = response.json()
    assert response.status_code == 202 and body["validation_status"] == "failed"
    assert "document type declaration" in body["failure"]
    _, wrong = _api_post(officer_a, b"a,b\n1,2\n", "cin_census")
    assert wrong.status_code == 400 and "not XML" in wrong.json()["error"]["message"]
