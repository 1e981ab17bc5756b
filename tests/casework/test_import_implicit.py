"""Facts a tracker keeps implicitly: a default meeting type, ids for unborn children, and
flagged suggestions applied only when confirmed (notes are read, never stored)."""

from __future__ import annotations

import csv
import io

import pytest

from fgc.casework import implicit, importer
from fgc.casework.council_returns import council_frame
from fgc.casework.models import Child, Episode

pytestmark = pytest.mark.django_db

HEADERS = [
    "episode_id",
    "child_id",
    "stage",
    "date_of_birth",
    "expected_due_date",
    "offer_date",
    "offer_in_lbp",
    "exception",
    "offer_response",
    "referral_date",
    "conference_date",
    "meeting_type",
    "Notes",
]


def tracker(rows: list[dict[str, str]]) -> importer.ReadResult:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADERS)
    writer.writeheader()
    for r in rows:
        writer.writerow({"stage": "CP", **r})
    return importer.read_upload(buf.getvalue().encode(), "tracker.csv")


def mapped(read: importer.ReadResult) -> importer.Mapped:
    return importer.apply_mapping(read, {}, la_code="805")


def test_default_meeting_type_fills_only_meetings_held_without_one():
    read = tracker(
        [
            {"episode_id": "E1", "child_id": "C1", "conference_date": "01/06/2025"},
            {
                "episode_id": "E2",
                "child_id": "C2",
                "conference_date": "02/06/2025",
                "meeting_type": "FNM",
            },
            {"episode_id": "E3", "child_id": "C3"},
        ]
    )
    frame, rows = implicit.default_meeting_type(mapped(read).frame, "fgc")
    assert rows == [2]
    assert frame.get_column("meeting_type").to_list() == ["FGC", "FNM", None]


def test_default_meeting_type_must_be_on_the_code_list():
    with pytest.raises(implicit.DefaultError, match=r"not a code of 'Type of meeting'.*FGC.*FNM"):
        implicit.check_meeting_type("CONF")


def unborn_rows() -> list[dict[str, str]]:
    return [
        {"episode_id": "E1", "child_id": "C1", "date_of_birth": "01/02/2019"},
        {"episode_id": "E1", "expected_due_date": "01/09/2025"},
        {"episode_id": "E1", "expected_due_date": "01/09/2025"},  # a twin
        {"episode_id": "E2", "stage": "PREBIRTH", "offer_date": "01/03/2025"},
    ]


def test_unborn_children_get_stable_ids_and_reimport_does_not_duplicate(council_a, officer_a):
    first = mapped(tracker(unborn_rows()))
    assert first.problems == []
    ids = first.frame.get_column("child_id").to_list()
    assert ids[0] == "C1"
    assert all(i.startswith("UNB-") and len(i) <= 20 for i in ids[1:])
    assert len(set(ids)) == 4  # the twins differ
    assert first.generated_ids == dict(zip([3, 4, 5], ids[1:], strict=True))
    importer.import_frame(officer_a, council_a, first)

    again = mapped(tracker(unborn_rows()))
    assert again.frame.get_column("child_id").to_list() == ids
    result = importer.import_frame(officer_a, council_a, again)
    assert result.episodes_created == 0
    assert Child.objects.count() == 4


def test_unborn_id_depends_on_council_and_episode():
    row = {"episode_id": "E1", "expected_due_date": "2025-09-01"}
    assert implicit.unborn_id("805", row, {}) == implicit.unborn_id("805", row, {})
    assert implicit.unborn_id("805", row, {}) != implicit.unborn_id("806", row, {})
    other = {**row, "episode_id": "E2"}
    assert implicit.unborn_id("805", row, {}) != implicit.unborn_id("805", other, {})


def suggestion_rows() -> list[dict[str, str]]:
    return [
        {"episode_id": "P1", "child_id": "C1", "stage": "PLO", "offer_date": "01/03/2025"},
        {
            "episode_id": "P2",
            "child_id": "C2",
            "stage": "PLO",
            "Notes": "Manager agreed FGC NOT in the child\u2019s best interests - Jo Bloggs",
        },
        {"episode_id": "D1", "child_id": "C3", "Notes": "Parent declined on the phone"},
        {
            "episode_id": "N1",
            "child_id": "C4",
            "offer_response": "ACCEPTED",
            "Notes": "Family moved away before the meeting",
        },
        {"episode_id": "Q1", "child_id": "C5", "Notes": "Called gran twice"},
    ]


def test_suggestions_are_flagged_with_row_and_why():
    read = tracker(suggestion_rows())
    m = mapped(read)
    found = implicit.suggestions(read, {}, m.frame)
    got = {(s.row, s.field, s.value) for s in found}
    assert got == {
        (2, "offer_in_lbp", "Y"),
        (3, "exception", "Y"),
        (3, "exception_reason", "OTHER"),
        (4, "offer_response", "DECLINED"),
        (5, "not_held_reason", "MOVED_AWAY"),
    }
    exception = next(s for s in found if s.field == "exception")
    assert "not in the child's best interests" in exception.why
    assert "Jo Bloggs" not in str(exception)  # the phrase, never the notes themselves
    assert str(found[0]).startswith("row 2 (episode P1): offer_in_lbp = Y — a pre-proceedings")


def test_suggestions_stay_unapplied_unless_confirmed(council_a, officer_a):
    read = tracker(suggestion_rows())
    m = mapped(read)
    implicit.suggestions(read, {}, m.frame)
    importer.import_frame(officer_a, council_a, m)
    p2 = Episode.objects.get(reference="P2")
    assert p2.exception is None and p2.exception_reason is None
    assert Episode.objects.get(reference="P1").offer_in_lbp is None


def test_confirmed_suggestions_are_stored_and_notes_never_exported(council_a, officer_a):
    read = tracker(suggestion_rows())
    m = mapped(read)
    m.frame = implicit.apply_suggestions(m.frame, implicit.suggestions(read, {}, m.frame))
    importer.import_frame(officer_a, council_a, m)
    p2 = Episode.objects.get(reference="P2")
    assert (p2.exception, p2.exception_reason) == ("Y", "OTHER")
    assert Episode.objects.get(reference="P1").offer_in_lbp == "Y"
    assert Episode.objects.get(reference="D1").offer_response == "DECLINED"
    assert Episode.objects.get(reference="N1").not_held_reason == "MOVED_AWAY"
    exported = council_frame(council_a).write_csv()
    for text in ("best interests", "Jo Bloggs", "declined on the phone", "moved away", "gran"):
        assert text.casefold() not in exported.casefold()


def test_web_preview_offers_a_default_meeting_type(login, officer_a, council_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerow({"episode_id": "W1", "child_id": "C1", "conference_date": "01/06/2025"})
    client = login(officer_a)
    upload = SimpleUploadedFile("tracker.csv", buf.getvalue().encode())
    assert client.post(reverse("casework:import"), {"file": upload}).status_code == 302
    post = {f"col-{i}": (h if h != "Notes" else "") for i, h in enumerate(HEADERS)}
    assert client.post(reverse("casework:import-map"), post).status_code == 302
    url = reverse("casework:import-preview")
    page = client.get(url).content.decode()
    assert 'name="default_meeting_type"' in page and '<option value="FGC"' in page
    bad = client.get(url, {"default_meeting_type": "CONF"}).content.decode()
    assert "not a code of &#39;Type of meeting&#39;" in bad or "not a code of 'Type" in bad
    chosen = client.get(url, {"default_meeting_type": "FGC"}).content.decode()
    assert "given to meetings held with none recorded: row 2" in chosen
    r = client.post(url, {"default_meeting_type": "FGC"})
    assert r.status_code == 302
    assert Episode.objects.get(reference="W1").meeting_type == "FGC"
