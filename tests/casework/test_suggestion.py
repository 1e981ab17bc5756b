"""A council's own tracker gets a suggested mapping that imports unedited."""

from __future__ import annotations

import html
import io
import json
import re

import openpyxl
import pytest

from fgc.casework import importer
from fgc.casework.models import Episode, SavedMapping
from fgc.casework.suggestion import PERSONAL_WHY, suggest_mapping

pytestmark = pytest.mark.django_db

HEADERS = [
    "Family Ref",
    "Child ref",
    "Child name",
    "D.O.B",
    "Gender",
    "Ethnic origin",
    "Stage at referral",
    "Date referred",
    "Date offered",
    "FGC offered?",
    "Outcome",
    None,  # column L: the coordinator's initials, never given a header
    "Mosaic ID",
    "Notes",
]
ROWS = [
    [
        "F001",
        "C1",
        "Amy Smith",
        "03/02/2015",
        "Female",
        "White British",
        "Pre-proceedings (PLO)",
        "01/04/2025",
        "10/04/2025",
        "Yes",
        "Accepted",
        "JB",
        "M123",
        "Gran keen",
    ],
    [
        "F001",
        "C2",
        "Ben Smith",
        "04/05/2017",
        "male",
        "White British",
        "Pre-proceedings (PLO)",
        "01/04/2025",
        "10/04/2025",
        "Yes",
        "Accepted",
        "JB",
        "M124",
        "",
    ],
    None,  # blank row between families
    [
        "F002",
        "C1",
        "Cara Jones",
        "12/12/2012",
        "Female",
        "Mixed - White and Black Caribbean",
        "Child in need",
        "05/05/2025",
        "12/05/2025",
        "yes",
        "declined",
        "KT",
        "M200",
        "Dad unsure",
    ],
    None,
    [
        "F003",
        "C1",
        "Dan Lee",
        "01/01/2019",
        "M",
        "Indian",
        "CP",
        "06/06/2025",
        "",
        "no",
        "",
        "KT",
        "M300",
        "",
    ],
    [
        "F004",
        "C1",
        "Eve Khan",
        "02/02/2020",
        "F",
        "Martian",
        "Early help",
        "07/06/2025",
        "20/06/2025",
        "Yes",
        "Accepted",
        "",
        "M400",
        "Called twice",
    ],
]


def tracker_xlsx(rows: list[list[str] | None] = ROWS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "FGC tracker"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row or [])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _suggest(data: bytes | None = None) -> dict:
    read = importer.read_upload(data or tracker_xlsx(), "tracker.xlsx")
    return suggest_mapping(read, None, [])


def test_headers_are_matched_and_personal_columns_ignored():
    mapping = _suggest()
    assert mapping["columns"] == {
        "Family Ref": "episode_id",
        "Child ref": "child_id",
        "Child name": "",
        "D.O.B": "date_of_birth",
        "Gender": "sex",
        "Ethnic origin": "ethnicity",
        "Stage at referral": "stage",
        "Date referred": "referral_date",
        "Date offered": "offer_date",
        "FGC offered?": "",
        "Outcome": "offer_response",
        "L": "",
        "Mosaic ID": "",
        "Notes": "",
    }
    conf = mapping["confidence"]
    for personal in ("Child name", "Mosaic ID", "Notes"):
        assert conf[personal]["why"] == PERSONAL_WHY
    assert conf["Family Ref"]["score"] > 0.9
    assert conf["L"]["score"] == 0.0 and "no header" in conf["L"]["why"]
    assert all(0 <= c["score"] <= 1 for c in conf.values())


def test_values_are_mapped_to_codes_and_unknown_ones_left_unguessed():
    values = _suggest()["values"]
    assert values["stage"] == {
        "Pre-proceedings (PLO)": "PLO",
        "Child in need": "CIN",
        "CP": "CP",
        "Early help": "EH",
    }
    assert values["ethnicity"]["Mixed - White and Black Caribbean"] == "MWBC"
    assert values["ethnicity"]["White British"] == "WBRI"
    assert values["ethnicity"]["Indian"] == "AIND"
    assert "Martian" not in values["ethnicity"]
    assert values["sex"] == {"Female": "F", "male": "M", "M": "M", "F": "F"}
    assert values["offer_response"] == {"Accepted": "ACCEPTED", "declined": "DECLINED"}
    conf = _suggest()["value_confidence"]
    assert conf["ethnicity"]["Martian"] == {"code": "", "score": 0.0}


def test_the_unedited_suggestion_imports(council_a, officer_a):
    clean = [r for r in ROWS if r is None or r[5] != "Martian"]  # the one unmatched value
    read = importer.read_upload(tracker_xlsx(clean), "tracker.xlsx")
    mapping = json.loads(json.dumps(suggest_mapping(read, None, [])))
    mapped = importer.preview(importer.apply_mapping(read, mapping, la_code="805"))
    assert mapped.problems == []
    result = importer.import_frame(officer_a, council_a, mapped)
    assert (result.episodes_created, result.children) == (3, 4)
    episodes = Episode.objects.filter(council=council_a)
    assert episodes.exclude(offer_date=None).count() == 2
    assert episodes.filter(offer_response="ACCEPTED").count() == 1
    assert episodes.filter(offer_response="DECLINED").count() == 1
    assert episodes.get(reference="F001").stage == "PLO"
    assert episodes.get(reference="F002").children.get().ethnicity == "MWBC"
    assert set(mapped.ignored) == {"Child name", "FGC offered?", "L", "Mosaic ID", "Notes"}


def test_an_unmatched_value_stops_the_import_with_where_it_is():
    read = importer.read_upload(tracker_xlsx(), "tracker.xlsx")
    mapped = importer.apply_mapping(read, suggest_mapping(read, None, []), la_code="805")
    assert [str(p) for p in mapped.problems] == [
        "row 8, column 'Ethnic origin': 'Martian' is not a code or label from the "
        "'Ethnicity (CIN census and SSDA903)' list"
    ]


def test_a_saved_mapping_wins_so_next_month_needs_no_work(council_a):
    read = importer.read_upload(tracker_xlsx(), "tracker.xlsx")
    first = suggest_mapping(read, None, [])
    first["values"]["ethnicity"]["Martian"] = "OOTH"  # the officer's choice, saved
    SavedMapping.objects.create(council=council_a, name="default", mapping=first)
    saved = SavedMapping.objects.get(council=council_a, name="default").as_dict()
    again = suggest_mapping(read, saved, [])
    assert again["values"]["ethnicity"]["Martian"] == "OOTH"
    assert again["confidence"]["Family Ref"]["why"] == "saved for this council"
    assert importer.apply_mapping(read, again, la_code="805").problems == []


def test_the_import_page_shows_value_suggestions_and_remembers_them(login, officer_a, council_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = login(officer_a)
    data = tracker_xlsx()
    upload = {"file": SimpleUploadedFile("tracker.xlsx", data)}
    assert client.post(reverse("casework:import"), upload).status_code == 302
    page = client.get(reverse("casework:import-map")).content.decode()
    assert "Column ‘L’" in page
    assert "“Pre-proceedings (PLO)”" in page
    assert "“Martian”" in page
    rows = {}  # (field, their value) -> index of its select
    for name in re.findall(r'name="raw-([a-z_]+-\d+)" value="([^"]*)"', page):
        rows[(name[0].rsplit("-", 1)[0], html.unescape(name[1]))] = name[0]
    assert re.search(
        rf'id="val-{rows[("stage", "Pre-proceedings (PLO)")]}".*?<option value="PLO" selected>',
        page,
        re.S,
    )
    columns = _suggest(data)["columns"]
    post = {f"col-{i}": target for i, target in enumerate(columns.values())}
    post[f"val-{rows[('ethnicity', 'Martian')]}"] = "OOTH"  # the officer's choice
    post[f"raw-{rows[('ethnicity', 'Martian')]}"] = "Martian"
    r = client.post(reverse("casework:import-map"), post)
    assert r.status_code == 302, re.findall(r"“([^”]*)”", r.content.decode())
    saved = SavedMapping.objects.get(council=council_a, name="default").as_dict()
    assert saved["values"]["ethnicity"]["Martian"] == "OOTH"
    assert saved["values"]["stage"]["Pre-proceedings (PLO)"] == "PLO"

    # Next month: the same file needs no mapping work, the officer only confirms.
    client.post(reverse("casework:import"), {"file": SimpleUploadedFile("tracker.xlsx", data)})
    page = client.get(reverse("casework:import-map")).content.decode()
    assert re.search(
        rf'id="val-{rows[("ethnicity", "Martian")]}".*?<option value="OOTH" selected>', page, re.S
    )
    post = {f"col-{i}": target for i, target in enumerate(columns.values())}
    r = client.post(reverse("casework:import-map"), post)
    assert r.status_code == 302
    preview = client.get(reverse("casework:import-preview"))
    assert b"Import 4 episodes" in preview.content
