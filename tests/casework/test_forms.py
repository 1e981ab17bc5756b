from __future__ import annotations

from datetime import date

import pytest

from fgc.casework.forms import ChildForm, NewEpisodeForm, StepForm
from fgc.casework.states import STEP_BY_KEY

pytestmark = pytest.mark.django_db


def test_step_form_is_generated_from_the_standard(council_a, make_episode):
    ep = make_episode(council_a)
    form = StepForm(episode=ep, step=STEP_BY_KEY["response"])
    f = form.fields["offer_response"]
    assert f.label.startswith("Response to offer")
    assert [c for c, _ in f.choices] == ["ACCEPTED", "DECLINED", "NO_RESPONSE", "PENDING"]
    assert f.fgc_kind == "radios"
    assert "How the family responded" in f.help_text
    # decline_reason is needed only when declined: optional in the current state
    assert "(optional)" in form.fields["decline_reason"].label


def test_engine_rule_codes_on_the_form(council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 1))
    form = StepForm(
        {"offer_response": "DECLINED", "response_date": "3/5/2025"},
        episode=ep,
        step=STEP_BY_KEY["response"],
    )
    assert not form.is_valid()
    message = form.errors["decline_reason"][0]
    assert "Decline reason is missing" in message and "(FGC001)" in message
    assert form.error_list()[0]["href"] == "#decline_reason"


def test_dates_in_order_use_the_engine_rule(council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 10))
    form = StepForm(
        {"offer_response": "ACCEPTED", "response_date": "01/05/2025"},
        episode=ep,
        step=STEP_BY_KEY["response"],
    )
    assert not form.is_valid()
    assert "(FGC" in form.errors["response_date"][0]


def test_own_field_checks_come_first(council_a, make_episode):
    ep = make_episode(council_a)
    form = StepForm({"offer_date": "31/02/2025"}, episode=ep, step=STEP_BY_KEY["offer"])
    assert not form.is_valid()
    assert form.errors["offer_date"] == ["Offer date must be a real date, for example 27/3/2025"]


def test_child_fields_are_per_child(council_a, make_episode):
    ep = make_episode(
        council_a,
        offer_date=date(2025, 5, 1),
        offer_response="ACCEPTED",
        response_date=date(2025, 5, 2),
        referral_date=date(2025, 5, 3),
        referrer_role="SW",
        referral_purpose="SAFETY_AT_HOME",
        allocation_date=date(2025, 5, 4),
        coordinator_type="IN_HOUSE",
    )
    child = ep.children.get()
    form = StepForm(
        {
            "meeting_type": "FGC",
            "conference_date": "1/6/2025",
            "private_family_time": "Y",
            "family_attendees": "5",
        },
        episode=ep,
        step=STEP_BY_KEY["meeting"],
    )
    assert not form.is_valid()
    assert "(FGC001)" in form.errors[f"c{child.pk}-child_participation"][0]
    ok = StepForm(
        {
            "meeting_type": "FGC",
            "conference_date": "1/6/2025",
            "private_family_time": "Y",
            "family_attendees": "5",
            f"c{child.pk}-child_participation": "ATTENDED",
            f"c{child.pk}-child_advocate": "N",
        },
        episode=ep,
        step=STEP_BY_KEY["meeting"],
    )
    assert ok.is_valid(), ok.errors


def test_new_episode_form_needs_the_childs_characteristics(council_a):
    form = NewEpisodeForm(
        {"stage": "CP", "child_id": "C1"}, councils=[council_a], step=STEP_BY_KEY["family"]
    )
    assert not form.is_valid()
    assert "(FGC001)" in form.errors["sex"][0]
    assert "(FGC001)" in form.errors["date_of_birth"][0]


def test_unborn_child_needs_due_date_not_birth_date(council_a, make_episode):
    ep = make_episode(council_a)
    data = {
        "child_id": "U1",
        "known_to_csc": "N",
        "expected_due_date": "1/1/2027",
        "sex": "U",
        "ethnicity": "NOBT",
        "disability": ["NONE"],
    }
    form = ChildForm(data, episode=ep)
    assert form.is_valid(), form.errors
