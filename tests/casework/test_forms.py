from __future__ import annotations

from datetime import date

import pytest

from fgc.casework.forms import ChildForm, NewEpisodeForm, StepForm
from fgc.casework.states import STEP_BY_KEY

pytestmark = pytest.mark.django_db


def dmy(name: str, text: str) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: ``name-day``, ``name-month``, ``name-year``."""
    day, month, year = text.split("/")
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


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
        {"offer_response": "DECLINED", **dmy("response_date", "3/5/2025")},
        episode=ep,
        step=STEP_BY_KEY["response"],
    )
    assert not form.is_valid()
    message = form.errors["decline_reason"][0]
    assert message == "Select the decline reason – it is needed if the family declined (FGC001)"
    assert form.error_list()[0]["href"] == "#decline_reason"


def test_dates_in_order_use_the_engine_rule(council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 10))
    form = StepForm(
        {"offer_response": "ACCEPTED", **dmy("response_date", "01/05/2025")},
        episode=ep,
        step=STEP_BY_KEY["response"],
    )
    assert not form.is_valid()
    assert "(FGC" in form.errors["response_date"][0]


@pytest.mark.parametrize(
    ("parts", "message", "first_box"),
    [
        (("31", "2", "2025"), "Offer date must be a real date", "day"),
        (("1", "", "2025"), "Offer date must include a month", "month"),
        (("", "", "2025"), "Offer date must include a day and month", "day"),
        (("1", "May", "2025"), "Offer date must be a real date", "day"),
        (("1", "5", "25"), "Offer date: the year must include 4 numbers", "day"),
    ],
)
def test_date_input_own_checks_come_first(council_a, make_episode, parts, message, first_box):
    ep = make_episode(council_a)
    day, month, year = parts
    data = {"offer_date-day": day, "offer_date-month": month, "offer_date-year": year}
    form = StepForm(data, episode=ep, step=STEP_BY_KEY["offer"])
    assert not form.is_valid()
    assert form.errors["offer_date"] == [message]
    # The summary links to the first box in error, as the GOV.UK date input asks.
    assert form.error_list()[0]["href"] == f"#offer_date-{first_box}"


def test_date_input_round_trips_a_saved_date(council_a, make_episode):
    ep = make_episode(council_a, offer_date=date(2025, 5, 1))
    form = StepForm(episode=ep, step=STEP_BY_KEY["offer"])
    assert form["offer_date"].value() == {"day": "1", "month": "5", "year": "2025"}
    html = form_html(form, "offer_date")
    assert 'name="offer_date-day"' in html and 'value="2025"' in html
    assert "govuk-date-input" in html


def test_future_date_uses_the_engine_rule_in_govuk_words(council_a, make_episode):
    ep = make_episode(council_a)
    form = StepForm(
        {**dmy("offer_date", "1/1/2099"), "offer_in_lbp": "N", "exception": "N"},
        episode=ep,
        step=STEP_BY_KEY["offer"],
    )
    assert not form.is_valid()
    assert form.errors["offer_date"] == ["Offer date must be today or in the past (FGC007)"]


def test_hints_show_labels_not_codes(council_a):
    form = NewEpisodeForm(councils=[council_a], step=STEP_BY_KEY["family"])
    assert "';'" not in form.fields["disability"].help_text
    assert form.fields["interpreter_needed"].help_text.startswith("Yes if")
    assert form.fields["date_of_birth"].help_text.endswith("For example, 27 3 2025.")


def form_html(form, name: str) -> str:
    from django.template import engines

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    macro = env.get_template("casework/_form.html").module.field
    return str(macro(form, name))


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
            **dmy("conference_date", "1/6/2025"),
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
            **dmy("conference_date", "1/6/2025"),
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
        **dmy("expected_due_date", "1/1/2027"),
        "sex": "U",
        "ethnicity": "NOBT",
        "disability": ["NONE"],
    }
    form = ChildForm(data, episode=ep)
    assert form.is_valid(), form.errors
