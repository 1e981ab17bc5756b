"""Outcomes derived in casework from a council's SSDA903 (and CIN census) upload."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fgc.audit.models import AuditEvent
from fgc.casework import council_returns
from fgc.casework.models import Child, DerivedOutcome, StatutoryUpload
from fgc.casework.statutory_upload import (
    UploadedFile,
    collection_year,
    keep_keyed,
    upload_statutory,
)
from fgc.engine.periods import Period
from fgc.formats.errors import FormatError

pytestmark = pytest.mark.django_db

HEAD = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
# C1001: index 15/01/2025 (letter before proceedings). In care from 01/03/2025 under a full
# care order, with foster carers, still open: looked after at 6 and 12 months.
IN_CARE = HEAD + "C1001,01/03/2025,S,C2,N1,U4,PR1,,\n"
AS_AT = date(2026, 6, 1)


def _episodes(text: str, name: str = "episodes.csv") -> list[UploadedFile]:
    return [UploadedFile(name, text.encode())]


@pytest.fixture
def family(make_episode, council_a):
    return make_episode(
        council_a, lbp_date=date(2025, 1, 15), offer_date=date(2025, 1, 20), stage="PLO"
    )


def _child(ep) -> Child:
    return Child.objects.get(episode=ep)


def _derived(ep) -> dict[str, str]:
    return {o.field: o.value for o in DerivedOutcome.objects.filter(child__episode=ep)}


def test_collection_year_runs_april_to_march():
    assert collection_year(date(2025, 3, 31)) == "2024-25"
    assert collection_year(date(2025, 4, 1)) == "2025-26"


def test_every_outcome_is_derived_and_filled_with_its_source(family, officer_a, council_a):
    result = upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    assert result.derived == 1
    assert _derived(family) == {
        "looked_after_6m": "Y",
        "looked_after_12m": "Y",
        "entered_care_12m": "Y",
        # 01/03/2025 to 15/01/2026
        "days_looked_after_12m": "320",
        "proceedings_issued_12m": "Y",
        "living_arrangement_12m": "FOSTER_CARE",
    }
    child = _child(family)
    assert (child.looked_after_6m, child.looked_after_12m) == ("Y", "Y")
    assert child.proceedings_issued_12m == "Y"
    assert child.living_arrangement_12m == "FOSTER_CARE"
    assert result.upload.source.startswith("SSDA903 2024-25, uploaded ")
    assert result.upload.source.endswith("by officer-a")
    assert "1 FGC children; 1 have SSDA903 episodes" in result.upload.report
    event = AuditEvent.objects.filter(action="casework.statutory_upload").get()
    assert event.detail["children"] == 1


def test_outcomes_not_yet_due_stay_blank(family, officer_a, council_a):
    # index + 6 months is 15/07/2025; + 12 months (15/01/2026) is after the as-at date.
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=date(2025, 7, 15))
    d = _derived(family)
    assert d["looked_after_6m"] == "Y"
    assert d["looked_after_12m"] == d["living_arrangement_12m"] == ""
    assert _child(family).looked_after_12m is None


def test_episode_ending_on_the_12_month_day_is_not_open_then(family, officer_a, council_a):
    text = HEAD + "C1001,01/03/2025,S,V2,N1,U4,PR1,15/01/2026,E11\n"
    upload_statutory(officer_a, council_a, ssda903=_episodes(text), as_at=AS_AT)
    d = _derived(family)
    assert (d["looked_after_6m"], d["looked_after_12m"]) == ("Y", "N")
    assert d["proceedings_issued_12m"] == "N"
    assert d["living_arrangement_12m"] == "NOT_LOOKED_AFTER"


def test_keyed_value_without_a_reason_gives_way_but_is_kept(family, officer_a, council_a):
    Child.objects.filter(episode=family).update(looked_after_12m="N")
    result = upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    assert result.disagreements == 1
    assert _child(family).looked_after_12m == "Y"
    o = DerivedOutcome.objects.get(child__episode=family, field="looked_after_12m")
    assert (o.value, o.keyed, o.keyed_wins) == ("Y", "N", False)
    # Uploading again still remembers the hand-keyed value.
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    o = DerivedOutcome.objects.get(child__episode=family, field="looked_after_12m")
    assert o.keyed == "N"


def test_keyed_value_with_a_reason_wins_and_stays(family, officer_a, council_a):
    Child.objects.filter(episode=family).update(looked_after_12m="N")
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    o = DerivedOutcome.objects.get(child__episode=family, field="looked_after_12m")
    with pytest.raises(ValueError):
        keep_keyed(officer_a, o, "  ")
    keep_keyed(officer_a, o, "Returned home on 10/01/2026; the 903 episode end is late")
    assert _child(family).looked_after_12m == "N"
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    o = DerivedOutcome.objects.get(child__episode=family, field="looked_after_12m")
    assert (o.value, o.keyed, o.keyed_wins) == ("Y", "N", True)
    assert _child(family).looked_after_12m == "N"


def test_a_bad_file_changes_nothing(family, officer_a, council_a):
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    bad = HEAD + "C1001,01/03/2025,S,C2,N1,U4,PR1,01/02/2025,E11\n"
    with pytest.raises(FormatError) as exc:
        upload_statutory(officer_a, council_a, ssda903=_episodes(bad, "903-2025.csv"), as_at=AS_AT)
    assert "903-2025.csv row 2, column DEC" in str(exc.value)
    assert StatutoryUpload.objects.count() == 1
    assert _derived(family)["looked_after_12m"] == "Y"


def test_several_years_at_once(family, officer_a, council_a):
    last_year = HEAD + "C1001,01/03/2025,S,C2,N1,U4,PR1,,\n"
    this_year = HEAD + "C1001,01/03/2025,S,C2,N1,U4,PR1,01/05/2025,E11\n"
    result = upload_statutory(
        officer_a,
        council_a,
        ssda903=_episodes(last_year, "a.csv") + _episodes(this_year, "b.csv"),
        as_at=AS_AT,
    )
    assert result.upload.years == "SSDA903 2024-25 to 2025-26"
    assert _derived(family)["looked_after_12m"] == "N"  # the closed copy wins


def test_option_2_return_carries_the_derived_outcomes(family, officer_a, council_a):
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    frame = council_returns.child_level_frame(council_a, Period.parse("2024-25"))
    assert frame.height == 1
    row = frame.row(0, named=True)
    assert (row["looked_after_6m"], row["looked_after_12m"]) == ("Y", "Y")
    assert row["proceedings_issued_12m"] == "Y"


URL = "casework:outcomes"


def _post(client, council, text: str, name: str = "episodes.csv"):
    return client.post(
        reverse(URL),
        {
            "council": council.pk,
            "action": "upload",
            "as_at": AS_AT.isoformat(),
            "ssda903": SimpleUploadedFile(name, text.encode(), content_type="text/csv"),
        },
    )


def test_page_upload_fills_outcomes(family, officer_a, council_a, login):
    client = login(officer_a)
    assert client.get(reverse(URL)).status_code == 200
    r = _post(client, council_a, IN_CARE)
    assert r.status_code == 302
    assert _child(family).looked_after_12m == "Y"
    page = client.get(r["Location"]).content.decode()
    assert "Outcomes derived for 1 children from SSDA903 2024-25" in page
    assert AuditEvent.objects.filter(action="casework.view_outcomes").count() == 2


def test_page_shows_the_bad_file_and_changes_nothing(family, officer_a, council_a, login):
    client = login(officer_a)
    r = _post(client, council_a, "CHILD,DECOM\nC1001,01/03/2025\n", "wrong.csv")
    assert r.status_code == 200
    assert "wrong.csv is not an SSDA903 episodes file" in r.content.decode()
    assert not StatutoryUpload.objects.exists()
    assert AuditEvent.objects.filter(action="casework.statutory_upload_rejected").exists()


def test_page_is_for_the_councils_own_officers(family, officer_b, coordinator_a, council_a, login):
    assert login(coordinator_a).get(reverse(URL)).status_code == 403
    r = _post(login(officer_b), council_a, IN_CARE)
    assert r.status_code == 404
    assert _child(family).looked_after_12m is None


def test_page_records_a_reason(family, officer_a, council_a, login):
    Child.objects.filter(episode=family).update(looked_after_12m="N")
    client = login(officer_a)
    _post(client, council_a, IN_CARE)
    o = DerivedOutcome.objects.get(child__episode=family, field="looked_after_12m")
    page = client.get(reverse(URL)).content.decode()
    assert "Keep the keyed value" in page
    r = client.post(
        reverse(URL),
        {"council": council_a.pk, "action": "keep", "outcome": o.pk, "reason": "Home 10/01"},
    )
    assert r.status_code == 302
    assert _child(family).looked_after_12m == "N"


def test_add_months_is_calendar_months():
    from fgc.casework.outcome_status import add_months

    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 1, 15), 12) == date(2026, 1, 15)


def test_caseload_says_what_is_due_derived_and_keyed(
    family, make_episode, officer_a, council_a, login
):
    from fgc.casework.outcome_status import outcome_lines

    later = make_episode(
        council_a, reference="LATER", offer_date=date(2026, 3, 1), child={"child_id": "C2"}
    )
    Child.objects.filter(episode=family).update(looked_after_6m="N")
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    lines = outcome_lines([family, later], today=date(2026, 6, 1))
    assert lines[later.pk] == [
        "Looked after at 6 months: due on 1 September 2026",
        "Looked after at 12 months: due on 1 March 2027",
    ]
    six, twelve = lines[family.pk]
    assert six.startswith("Looked after at 6 months: Y (derived, SSDA903 2024-25, uploaded ")
    assert six.endswith("; keyed N, not used (no reason)")
    assert twelve.startswith("Looked after at 12 months: Y (derived, SSDA903")
    page = login(officer_a).get(reverse("casework:home")).content.decode()
    assert "Looked after at 12 months: due on 1 March 2027" in page


def test_caseload_shows_a_keyed_value_when_nothing_was_derived(make_episode, council_a):
    from fgc.casework.outcome_status import outcome_lines

    ep = make_episode(council_a, offer_date=date(2024, 1, 10))
    Child.objects.filter(episode=ep).update(looked_after_12m="N")
    lines = outcome_lines([ep], today=date(2026, 6, 1))
    assert lines[ep.pk] == [
        "Looked after at 6 months: due since 10 July 2024, not recorded",
        "Looked after at 12 months: N (keyed)",
    ]


def test_management_command_uploads_and_refuses_bad_files(family, officer_a, tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "903.csv"
    good.write_text(IN_CARE)
    out = io.StringIO()
    call_command(
        "fgc_statutory_outcomes",
        "--council", "805", "--ssda903", str(good), "--user", "officer-a",
        "--as-at", AS_AT.isoformat(), stdout=out,
    )  # fmt: skip
    assert "Outcomes derived for 1 children from SSDA903 2024-25" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD + "C1001,01/03/2025,S,ZZ,N1,U4,PR1,,\n")
    with pytest.raises(CommandError, match=r"bad\.csv row 2, column LS"):
        call_command(
            "fgc_statutory_outcomes",
            "--council", "805", "--ssda903", str(bad), "--user", "officer-a",
        )  # fmt: skip
    assert StatutoryUpload.objects.count() == 1


def test_a_cin_census_that_is_not_xml_changes_nothing(family, officer_a, council_a):
    with pytest.raises(FormatError):
        upload_statutory(
            officer_a,
            council_a,
            ssda903=_episodes(IN_CARE),
            cin=[UploadedFile("census.xml", b"CHILD,DECOM\n")],
            as_at=AS_AT,
        )
    assert not StatutoryUpload.objects.exists()
    assert not DerivedOutcome.objects.exists()


def test_episode_page_shows_derived_and_keyed_values(family, officer_a, council_a, login):
    Child.objects.filter(episode=family).update(looked_after_12m="N")
    upload_statutory(officer_a, council_a, ssda903=_episodes(IN_CARE), as_at=AS_AT)
    html = login(officer_a).get(reverse("casework:episode", args=[family.pk])).content.decode()
    assert "Derived from statutory data" in html
    assert "Days looked after in 12 months" in html and ">320<" in html
    assert "N (not used: no reason recorded)" in html
