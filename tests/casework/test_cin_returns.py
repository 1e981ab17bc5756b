"""Option 3 from casework: the CIN census filled from the council's recorded episodes."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from fgc.audit.models import AuditEvent
from fgc.casework import council_returns, services
from fgc.casework.models import Child
from fgc.casework.standard_fields import column_fields
from fgc.standard import load_standard
from tests.returns.cin_factory import make_census

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parents[1] / "reference_samples" / "CIN_Census_2026_sample.xml"
PP = "PreProceedingsandFGDM"
URL = "casework:returns-cin"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&lol3;</LAchildID>
</ChildIdentifiers></Child></Children></Message>"""
FAMILY = {f.name for f in column_fields("family")}
DATE_FIELDS = {f.name for f in load_standard().fields if f.type == "date"}


def _value(name: str, text: str) -> object:
    return date.fromisoformat(text) if name in DATE_FIELDS else text


def record(actor, council, row: dict[str, str | None], name: str = "Ava Example"):
    """A casework episode holding one child-level row (as a worker would have recorded it)."""
    family = {k: _value(k, v) for k, v in row.items() if k in FAMILY and v}
    child = {k: _value(k, v) for k, v in row.items() if k not in FAMILY and v}
    child["disability"] = [child.get("disability") or "NONE"]
    ep = services.create_episode(
        actor,
        council=council,
        reference=row.get("episode_id"),
        family=family,
        child=child,
        child_name=name,
    )
    if row.get("care_application_date"):
        Child.objects.filter(episode=ep).update(
            care_application_date=date.fromisoformat(str(row["care_application_date"]))
        )
    return ep


def upload(client, council, data: bytes, action: str, name: str = "cin.xml"):
    return client.post(
        reverse(URL),
        {
            "council": council.pk,
            "action": action,
            "census": SimpleUploadedFile(name, data, content_type="application/xml"),
        },
    )


def report_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def child_node(xml: bytes, child_id: str):
    root = etree.fromstring(xml)
    return root.xpath(f"//Child[ChildIdentifiers/LAchildID='{child_id}']")[0]


@pytest.fixture
def factory_census(manager_a, council_a):
    """A synthetic census whose pre-proceedings children are all recorded in casework."""
    census, frame, exp = make_census(30, seed=2)
    plo = frame.filter(pl.col("stage") == "PLO")
    for row in plo.iter_rows(named=True):
        record(manager_a, council_a, row)
    # Known to social care, active in the census year, but not in the census.
    record(
        manager_a,
        council_a,
        {"episode_id": "GONE1", "child_id": "Z9", "known_to_csc": "Y", "stage": "CIN",
         "offer_date": "2026-06-01", "sex": "F", "ethnicity": "WBRI"},
    )  # fmt: skip
    # Closed long before the census year: rightly absent, so not reported.
    record(
        manager_a,
        council_a,
        {"episode_id": "OLD1", "child_id": "Z8", "known_to_csc": "Y", "stage": "CIN",
         "offer_date": "2020-06-01", "closure_date": "2020-12-01"},
    )  # fmt: skip
    return census, plo, exp


def absent_block_children(census: bytes, plo: pl.DataFrame) -> list[str]:
    root = etree.fromstring(census)
    return [
        cid
        for cid in plo.get_column("child_id")
        if not root.xpath(f"//Child[ChildIdentifiers/LAchildID='{cid}']//{PP}")
    ]


def test_factory_census_enriched_from_casework(login, manager_a, council_a, factory_census):
    census, plo, exp = factory_census
    client = login(manager_a)
    xml = upload(client, council_a, census, "download_xml")
    assert xml.status_code == 200
    assert xml["Content-Type"] == "application/xml"
    assert 'filename="cin-805-2026-27-with-fgdm.xml"' in xml["Content-Disposition"]
    enriched = b"".join(xml.streaming_content)
    absent = absent_block_children(census, plo)
    assert len(absent) == exp.blocks_added >= 1
    for cid in absent:
        row = plo.row(by_predicate=pl.col("child_id") == cid, named=True)
        block = child_node(enriched, cid).xpath(f".//{PP}")
        assert len(block) == 1
        assert block[0].findtext("LBPSentDate") == row["lbp_date"]
        assert block[0].findtext("FGDMMeetingOffer") == ("1" if row["offer_in_lbp"] == "Y" else "0")

    rep = upload(client, council_a, census, "download_report")
    assert rep.status_code == 200 and rep["Content-Type"] == "text/csv"
    rows = report_rows(rep)
    kinds = [r["kind"] for r in rows]
    assert kinds.count("added_block") == exp.blocks_added
    assert kinds.count("disagreement") == exp.disagreements >= 1
    assert {r["la_child_id"] for r in rows if r["kind"] == "disagreement"} == exp.disagreeing
    assert {
        r["la_child_id"] for r in rows if r["kind"] == "census_pre_proceedings_without_fgc"
    } == exp.census_pp_without_fgc
    # Only the child active in the census year is reported missing.
    assert [r["la_child_id"] for r in rows if r["kind"] == "fgc_child_not_in_census"] == ["Z9"]
    # Names never leave casework (the frame has no name column to carry them).
    assert b"Ava Example" not in enriched and b"Ava Example" not in rep.content

    page = upload(client, council_a, census, "summary")
    assert page.status_code == 200
    assert b"Census checked" in page.content and b"added_block" in page.content
    events = AuditEvent.objects.filter(action="casework.cin_census")
    assert [e.detail["output"] for e in events.order_by("pk")] == [
        "download_xml",
        "download_report",
        "summary",
    ]
    assert events.first().detail["blocks_added"] == exp.blocks_added


def sample_for(reference_date: str, lea: str = "805") -> bytes:
    """The DfE-shaped sample with its (fake) header set to a census year and council."""
    data = SAMPLE.read_bytes()
    data = data.replace(
        b"<ReferenceDate>2024-03-31</ReferenceDate>",
        f"<ReferenceDate>{reference_date}</ReferenceDate>".encode(),
    )
    return data.replace(b"<LEA>201</LEA>", f"<LEA>{lea}</LEA>".encode())  # fmt: skip


def test_another_councils_census_is_refused(login, manager_a, council_a):
    page = upload(login(manager_a), council_a, sample_for("2027-03-31", "201"), "summary")
    assert b"census of council 201" in page.content and b"Nothing was written" in page.content
    assert AuditEvent.objects.filter(action="casework.cin_census_rejected").count() == 1


def test_reference_sample_disagreement_kept(login, manager_a, council_a):
    sample = sample_for("2027-03-31")
    # The sample child's block says an FGDM was offered and facilitated; ours says not offered.
    record(
        manager_a,
        council_a,
        {"episode_id": "PLO1", "child_id": "DfEX0000001", "known_to_csc": "Y", "stage": "PLO",
         "lbp_date": "2026-09-20", "offer_in_lbp": "N", "offer_date": "2026-09-25",
         "conference_date": "2026-10-05", "meeting_type": "FGC",
         "care_application_date": "2026-12-18"},
    )  # fmt: skip
    client = login(manager_a)
    xml = upload(client, council_a, sample, "download_xml", name="CIN_Census_2026_sample.xml")
    assert b"".join(xml.streaming_content) == sample  # never overwritten: byte for byte
    rows = report_rows(upload(client, council_a, sample, "download_report"))
    # The sample's episode closed on 2023-02-27 (its dates are fake), so the 2026 meeting and
    # court application are outside it: left out, and the census's "facilitated" disputed.
    assert sorted((r["kind"], r["element"], r["census_value"], r["fgc_value"]) for r in rows) == [
        ("disagreement", "FGDMMeetingFac", "1", "0"),
        ("disagreement", "FGDMMeetingOffer", "1", "0"),
        ("fgc_fact_left_out", "CourtAppDate", "", "2026-12-18"),
        ("fgc_fact_left_out", "FGDMMeetingFac", "", "2026-10-05"),
    ]
    page = upload(client, council_a, sample, "summary")
    assert page.status_code == 200 and b"census of council" not in page.content


def test_reference_sample_block_added_when_case_system_left_it_out(login, manager_a, council_a):
    sample = sample_for("2023-03-31")
    start = sample.index(b"<" + PP.encode())
    end = sample.index(b"</" + PP.encode() + b">") + len(PP) + 3
    without = sample[:start] + sample[end:]
    record(
        manager_a,
        council_a,
        {"episode_id": "PLO1", "child_id": "DfEX0000001", "known_to_csc": "Y", "stage": "PLO",
         "lbp_date": "2022-11-01", "offer_in_lbp": "Y", "offer_date": "2022-11-01",
         "conference_date": "2022-11-20", "meeting_type": "FNM"},
    )  # fmt: skip
    enriched = b"".join(
        upload(login(manager_a), council_a, without, "download_xml").streaming_content
    )
    block = child_node(enriched, "DfEX0000001").xpath(f".//{PP}")[0]
    assert [(e.tag, e.text) for e in block] == [
        ("LBPSentDate", "2022-11-01"),
        ("FGDMMeetingOffer", "1"),
        ("FGDMMeetingFac", "1"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, b"rejected"),
        (b"child_id,stage\nC1,PLO\n", b"not XML"),
        (b"<Message><Children><Child></Children></Message>", b"not well-formed"),
        (b"<Other/>", b"not a CIN census file"),
        (b"", b"Select your CIN census XML file"),
    ],
)
def test_bad_census_gives_error_summary(login, manager_a, council_a, settings, data, message):
    page = upload(login(manager_a), council_a, data, "download_xml")
    assert page.status_code == 200
    assert "attachment" not in page.get("Content-Disposition", "")
    assert b"There is a problem" in page.content and message in page.content
    assert not AuditEvent.objects.filter(action="casework.cin_census").exists()
    assert AuditEvent.objects.filter(action="casework.cin_census_rejected").count() == 1
    data_dir = Path(settings.FGC_DATA_DIR)
    assert not data_dir.exists() or not any(data_dir.rglob("*"))  # nothing stored


def test_size_limit(login, manager_a, council_a, settings):
    settings.FGC_MAX_UPLOAD_BYTES = 100
    client = login(manager_a)
    assert upload(client, council_a, SAMPLE.read_bytes(), "download_xml").status_code == 413
    # The view checks the file itself too, should the body limit ever be lifted.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "UploadSizeLimit" not in m]
    page = upload(login(manager_a), council_a, SAMPLE.read_bytes(), "download_xml")
    assert page.status_code == 200 and b"must be smaller than" in page.content


def test_only_own_councils_episodes(login, manager_a, council_a, council_b):
    from fgc.accounts.services import create_user

    census, frame, _ = make_census(30, seed=2)
    for row in frame.filter(pl.col("stage") == "PLO").iter_rows(named=True):
        record(manager_a, council_a, row)
    manager_b = create_user(
        "manager-b", role="service_manager", councils=["806"], password="x-very-long-password-1"
    )
    client = login(manager_b)
    # B cannot act for A...
    assert upload(client, council_a, census, "download_xml").status_code == 404
    assert upload(client, council_a, census, "download_report").status_code == 404
    # ...A's census is refused for B (another council's census)...
    refused = upload(client, council_b, census, "download_report")
    assert b"census of council 805" in refused.content
    # ...and B's own census run sees none of A's episodes.
    census_b = census.replace(b"<LEA>805</LEA>", b"<LEA>806</LEA>")
    rows = report_rows(upload(client, council_b, census_b, "download_report"))
    assert rows and not any(r["kind"] in ("added_block", "disagreement") for r in rows)
    assert not AuditEvent.objects.filter(action="casework.cin_census", council_code="805").exists()


def test_roles_and_get(login, manager_a, coordinator_a, council_a):
    assert (
        upload(login(coordinator_a), council_a, SAMPLE.read_bytes(), "summary").status_code == 403
    )
    got = login(manager_a).get(reverse(URL))
    assert got.status_code == 302 and got["Location"].startswith(reverse("casework:returns"))
    page = login(manager_a).get(reverse("casework:returns"))
    assert b"Children in Need census (from 2026-27)" in page.content
    assert b'enctype="multipart/form-data"' in page.content


def test_council_frame_holds_standard_fields_only(manager_a, council_a):
    record(manager_a, council_a, {"episode_id": "E1", "child_id": "C1", "stage": "CP"})
    frame = council_returns.council_frame(council_a)
    assert frame.columns == list(load_standard().field_names)
    assert not {"name", "child_name", "phone", "email", "address"} & set(frame.columns)
    assert "Ava Example" not in frame.write_csv()


def test_report_cells_formula_escaped(login, manager_a, council_a):
    hostile = sample_for("2027-03-31").replace(b"DfEX0000001", b"=HYPERLINK(1)")
    rows = report_rows(upload(login(manager_a), council_a, hostile, "download_report"))
    assert [(r["kind"], r["la_child_id"]) for r in rows] == [
        ("census_pre_proceedings_without_fgc", "'=HYPERLINK(1)")
    ]
