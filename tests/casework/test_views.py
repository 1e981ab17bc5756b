from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from fgc.audit.models import AuditEvent
from fgc.casework.models import Child, Episode, LocalFieldDefinition, NetworkMember

pytestmark = pytest.mark.django_db


def dmy(name: str, text: str) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: ``name-day``, ``name-month``, ``name-year``."""
    day, month, year = text.split("/")
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def test_caseload_for_council_staff_only(
    login, officer_a, coordinator_a, analyst, council_a, make_episode
):
    make_episode(council_a, reference="FAM-1")
    page = login(officer_a).get(reverse("casework:home"))
    assert page.status_code == 200
    assert b"FAM-1" in page.content
    assert b"Caseload and waiting list" in page.content
    # coordinators see their own caseload; this family is not on it
    assert b"FAM-1" not in login(coordinator_a).get(reverse("casework:home")).content
    assert login(analyst).get(reverse("casework:home")).status_code == 403


def test_other_councils_episode_is_not_found(login, officer_b, council_a, make_episode):
    ep = make_episode(council_a)
    client = login(officer_b)
    assert client.get(reverse("casework:episode", kwargs={"pk": ep.pk})).status_code == 404
    url = reverse("casework:step", kwargs={"pk": ep.pk, "key": "offer"})
    assert client.post(url, {**dmy("offer_date", "1/5/2025")}).status_code == 404
    ep.refresh_from_db()
    assert ep.offer_date is None


def test_new_family_then_offer(login, manager_a, council_a):
    client = login(manager_a)
    bad = client.post(reverse("casework:episode-new"), {"stage": "PLO", "child_id": "C77"})
    assert bad.status_code == 200
    assert b"There is a problem" in bad.content and b"FGC001" in bad.content
    ok = client.post(
        reverse("casework:episode-new"),
        {
            "stage": "PLO",
            **dmy("lbp_date", "2/4/2025"),
            "name": "Ava Example",
            "child_id": "C77",
            "known_to_csc": "Y",
            **dmy("date_of_birth", "1/5/2019"),
            "sex": "F",
            "ethnicity": "WBRI",
            "disability": ["NONE"],
        },
    )
    assert ok.status_code == 302, ok.content.decode()[:3000]
    ep = Episode.objects.get()
    assert ep.lbp_date == date(2025, 4, 2) and ep.reference.startswith("FGC-")
    assert ep.children.get().name == "Ava Example"
    detail = client.get(ok["Location"])
    assert b"Record offer" in detail.content
    offer = client.post(
        reverse("casework:step", kwargs={"pk": ep.pk, "key": "offer"}),
        {**dmy("offer_date", "2/4/2025"), "offer_in_lbp": "Y", "exception": "N"},
    )
    assert offer.status_code == 302
    ep.refresh_from_db()
    assert ep.offer_date == date(2025, 4, 2)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "casework.create_episode",
        "casework.create_child",
        "casework.view_episode",
        "casework.update_episode",
    } <= actions


def test_child_network_and_review_pages(login, manager_a, council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 1))
    client = login(manager_a)
    r = client.post(
        reverse("casework:child-new", kwargs={"pk": ep.pk}),
        {
            "child_id": "U9",
            "known_to_csc": "N",
            **dmy("expected_due_date", "1/12/2026"),
            "sex": "U",
            "ethnicity": "NOBT",
            "disability": ["NONE"],
        },
    )
    assert r.status_code == 302
    assert Child.objects.get(child_id="U9").is_unborn
    child = Child.objects.get(child_id="C1001")
    assert (
        client.get(
            reverse("casework:child", kwargs={"pk": ep.pk, "child_pk": child.pk})
        ).status_code
        == 200
    )
    assert AuditEvent.objects.filter(action="casework.view_child", target_id=str(child.pk)).exists()
    r = client.post(
        reverse("casework:network-new", kwargs={"pk": ep.pk}),
        {
            "name": "Gran Example",
            "contact": "07700 900000",
            "relationship": "Grandmother",
            "side": "maternal",
            "invited": "on",
        },
    )
    assert r.status_code == 302
    assert NetworkMember.objects.get().invited
    r = client.post(
        reverse("casework:review-new", kwargs={"pk": ep.pk}),
        {**dmy("review_date", "1/9/2025"), "plan_progress": "ON_TRACK"},
    )
    assert r.status_code == 302
    assert ep.reviews.get().review_date == date(2025, 9, 1)
    page = client.get(reverse("casework:episode", kwargs={"pk": ep.pk}))
    assert b"Gran Example" in page.content


def test_data_quality_links_to_records(login, manager_a, council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 1), offer_response="DECLINED")
    page = login(manager_a).get(reverse("casework:data-quality"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "FGC001" in text
    assert reverse("casework:episode", kwargs={"pk": ep.pk}) in text


def test_local_fields_in_forms_and_council_export_never_in_national_return(
    login, manager_a, coordinator_a, council_a, make_episode
):
    client = login(manager_a)
    r = client.post(
        reverse("casework:local-fields"),
        {
            "label": "Risk level",
            "type": "choice",
            "choices": "Low\nHigh",
            "stage": "offer",
            "help": "Our own risk scale",
            "required": "on",
        },
    )
    assert r.status_code == 302
    d = LocalFieldDefinition.objects.get()
    assert d.key == "risk_level" and d.version == 1
    ep = make_episode(council_a)
    step_url = reverse("casework:step", kwargs={"pk": ep.pk, "key": "offer"})
    page = client.post(step_url, {**dmy("offer_date", "1/5/2025")})
    assert b"Enter risk level" in page.content
    data = {**dmy("offer_date", "1/5/2025"), "local-risk_level": "High"}
    assert client.post(step_url, data).status_code == 302
    export = client.get(reverse("casework:export")).content.decode()
    assert "local_risk_level" in export and "High" in export
    assert "Ava Example" not in export
    national = client.post(
        reverse("casework:returns"), {"period": "2025-26", "action": "download_child_level"}
    )
    assert national.status_code == 200
    body = national.content.decode()
    assert "risk" not in body.lower() and "Ava" not in body and "C1001" not in body
    # a coordinator cannot manage local fields
    assert login(coordinator_a).get(reverse("casework:local-fields")).status_code == 403


def test_new_version_and_retirement_keep_history(login, manager_a, council_a):
    from fgc.casework import services

    d1 = services.define_local_field(
        manager_a,
        council_a,
        label="Risk level",
        type="text",
        choices=[],
        stage="offer",
        help="",
        required=False,
    )
    d2 = services.define_local_field(
        manager_a,
        council_a,
        label="Risk level",
        type="choice",
        choices=["Low", "High"],
        stage="offer",
        help="",
        required=False,
    )
    d1.refresh_from_db()
    assert d1.retired_at is not None and d2.version == 2
    assert services.active_local_fields(council_a) == [d2]
    services.retire_local_field(manager_a, d2)
    assert services.active_local_fields(council_a) == []
    assert LocalFieldDefinition.objects.count() == 2


def test_returns_downloads_and_submit_to_hub(login, manager_a, council_a, make_episode):
    from fgc.hub.models import SubmissionVersion

    make_episode(council_a, stage="CP", offer_date=date(2025, 5, 1), offer_response="PENDING")
    client = login(manager_a)
    assert client.get(reverse("casework:returns")).status_code == 200
    for action in ("download_aggregate", "download_aggregate_xlsx", "download_child_level"):
        r = client.post(reverse("casework:returns"), {"period": "2025-26", "action": action})
        assert r.status_code == 200, action
        assert "attachment" in r["Content-Disposition"]
    q = client.post(
        reverse("casework:returns"), {"period": "2025-26-Q1", "action": "download_dfe_quarterly"}
    )
    assert q.status_code == 200
    bad = client.post(
        reverse("casework:returns"), {"period": "2025", "action": "download_aggregate"}
    )
    assert b"There is a problem" in bad.content
    sub = client.post(reverse("casework:returns"), {"period": "2025-26", "action": "submit"})
    assert sub.status_code == 200
    assert b"Returns submitted to the hub" in sub.content
    versions = SubmissionVersion.objects.filter(submission__council=council_a)
    assert {v.submission.kind for v in versions} == {"child_level", "aggregate"}
    assert all(v.error_count == 0 for v in versions), [
        (v.submission.kind, v.summary) for v in versions
    ]


def test_import_pages(login, officer_a, council_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.casework.test_importer import MAPPING, RENAMED, messy_xlsx, source_frame

    client = login(officer_a)
    data = messy_xlsx(source_frame(3))
    r = client.post(reverse("casework:import"), {"file": SimpleUploadedFile("tracker.xlsx", data)})
    assert r.status_code == 302
    page = client.get(reverse("casework:import-map"))
    assert b"Family ref" in page.content
    source = source_frame(3)
    headers = [RENAMED.get(c, c) for c in source.columns] + ["Notes"]
    post = {f"col-{i}": MAPPING["columns"].get(h, h) for i, h in enumerate(headers)}
    r = client.post(reverse("casework:import-map"), post)
    assert r.status_code == 302, r.content.decode()[:2000]
    preview = client.get(reverse("casework:import-preview"))
    assert b"Import 3 episodes" in preview.content
    r = client.post(reverse("casework:import-preview"))
    assert r.status_code == 302
    assert Episode.objects.filter(council=council_a).count() == 3
    # the mapping is remembered for next time
    client.post(reverse("casework:import"), {"file": SimpleUploadedFile("tracker.xlsx", data)})
    page = client.get(reverse("casework:import-map"))
    assert b'<option value="episode_id" selected>' in page.content
