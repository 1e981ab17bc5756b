from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from fgc.casework.crypto import DecryptionError, decrypt, encrypt
from fgc.casework.frame import episodes_to_frame
from fgc.casework.models import Child, Episode, NetworkMember
from fgc.casework.states import state_of
from fgc.standard import load_standard

pytestmark = pytest.mark.django_db


def test_standard_fields_are_columns():
    std = load_standard()
    episode_cols = {f.name for f in Episode._meta.get_fields()}
    child_cols = {f.name for f in Child._meta.get_fields()}
    for f in std.fields:
        if f.name in ("la_code", "episode_id", "child_id", "review_date", "plan_progress"):
            continue
        assert f.name in (episode_cols if f.level == "family" else child_cols), f.name


def test_names_are_encrypted_at_rest(council_a, make_episode):
    ep = make_episode(council_a)
    NetworkMember.objects.create(
        episode=ep,
        name="Gran Example",
        contact="07700 900123",
        relationship="Grandmother",
        side="maternal",
    )
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM casework_child")
        stored = cur.fetchone()[0]
        cur.execute("SELECT name, contact FROM casework_networkmember")
        member = cur.fetchone()
    assert stored.startswith("enc1:") and "Ava" not in stored
    assert "Gran" not in member[0] and "07700" not in member[1]
    assert Child.objects.get().name == "Ava Example"
    assert NetworkMember.objects.get().contact == "07700 900123"


def test_decrypt_with_wrong_key_fails(settings):
    token = encrypt("secret name")
    settings.FGC_FIELD_KEY = "another-key-entirely"
    with pytest.raises(DecryptionError):
        decrypt(token)


def test_frame_has_one_row_per_child_and_no_names(council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 1))
    Child.objects.create(
        episode=ep,
        child_id="C1002",
        name="Ben Example",
        known_to_csc="N",
        date_of_birth=date(2020, 1, 1),
        sex="M",
        ethnicity="WBRI",
        disability="NONE",
    )
    frame = episodes_to_frame(Episode.objects.all())
    assert frame.height == 2
    assert frame.columns == list(load_standard().field_names)
    assert set(frame["child_id"]) == {"C1001", "C1002"}
    assert frame["la_code"].to_list() == ["805", "805"]
    assert frame["offer_date"].to_list() == ["2025-05-01", "2025-05-01"]
    text = frame.write_csv()
    assert "Example" not in text


def test_state_machine(council_a, make_episode):
    ep = make_episode(council_a)
    kids = list(ep.children.all())
    assert state_of(ep, kids, False) == "identified"
    ep.offer_date = date(2025, 5, 1)
    assert state_of(ep, kids, False) == "offered"
    ep.offer_response = "ACCEPTED"
    assert state_of(ep, kids, False) == "accepted"
    ep.referral_date = date(2025, 5, 3)
    assert state_of(ep, kids, False) == "referred"
    ep.allocation_date = date(2025, 5, 5)
    assert state_of(ep, kids, False) == "allocated"
    ep.conference_date = date(2025, 6, 1)
    assert state_of(ep, kids, False) == "held"
    ep.plan_agreed = "FULL"
    assert state_of(ep, kids, False) == "planned"
    assert state_of(ep, kids, True) == "reviewed"
    ep.closure_date = date(2025, 9, 1)
    assert state_of(ep, kids, True) == "closed"
    for k in kids:
        k.looked_after_12m = "N"
    assert state_of(ep, kids, True) == "outcomes"
    ep.offer_response = "DECLINED"
    ep.closure_date = None
    assert state_of(ep, kids, False) == "declined"


def test_tenancy(
    council_a, council_b, make_episode, officer_a, officer_b, coordinator_a, analyst, manager_a
):
    mine = make_episode(council_a)
    make_episode(council_b)
    assert list(Episode.objects.for_user(officer_a)) == [mine]
    assert list(Episode.objects.for_user(manager_a)) == [mine]
    assert Episode.objects.for_user(officer_b).get().council == council_b
    assert not Episode.objects.for_user(analyst).exists()  # national roles: no casework
    assert not Episode.objects.for_user(coordinator_a).exists()  # not on their caseload
    mine.coordinator = coordinator_a
    mine.save()
    assert list(Episode.objects.for_user(coordinator_a)) == [mine]
    assert Child.objects.for_user(officer_b).filter(episode=mine).count() == 0
