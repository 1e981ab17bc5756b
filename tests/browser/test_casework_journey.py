"""A coordinator takes a two-child family from offer to the 12-month outcome in the browser,
with an axe check on every page; the manager then sees the caseload and data quality."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from fgc.casework.models import Episode


@pytest.fixture(autouse=True)
def casework_data_dir(settings, tmp_path):
    settings.FGC_DATA_DIR = tmp_path / "data"
    settings.FGC_JOBS_INLINE = True


def d(days_ago: int) -> str:
    day = date.today() - timedelta(days=days_ago)
    return f"{day.day}/{day.month}/{day.year}"


def fill_date(page, name: str, text: str) -> None:
    """Type a d/m/yyyy date into the GOV.UK date input's day, month and year boxes."""
    for part, value in zip(("day", "month", "year"), text.split("/"), strict=True):
        page.fill(f"#{name}-{part}", value)


def _save(page, axe_check, button: str = "Save") -> None:
    axe_check(page)
    page.click(f"main button:has-text('{button}')")
    page.wait_for_url(re.compile(r".*/casework/episodes/\d+/$"))
    assert "There is a problem" not in page.content(), page.locator(
        ".govuk-error-summary"
    ).inner_text()
    axe_check(page)


def _child(page, child_id: str, born: str, sex: str) -> None:
    page.fill("#name", f"Child {child_id}")
    page.fill("#child_id", child_id)
    page.check("input[name=known_to_csc][value=Y]")
    fill_date(page, "date_of_birth", born)
    page.check(f"input[name=sex][value={sex}]")
    page.select_option("#ethnicity", "WBRI")
    page.check("input[name=disability][value=NONE]")


def _next(page, text: str) -> None:
    page.click(f"a.govuk-button:has-text('{text}')")
    page.wait_for_load_state()


def test_two_child_family_offer_to_12_month_outcome(
    page, sign_in, axe_check, coordinator_a, manager_a, council_a
):
    sign_in(coordinator_a)
    page.goto("/casework/")
    axe_check(page)
    page.click("text=Record a new family")
    axe_check(page)

    # An error first: the GOV.UK summary quotes the engine's rule code.
    page.select_option("#stage", "CP")
    page.fill("#child_id", "C9001")
    with page.expect_navigation():
        page.click("main button:has-text('Save family')")
    assert "There is a problem" in page.content() and "FGC001" in page.content()
    axe_check(page)

    page.fill("#reference", "FAM-JOURNEY")
    _child(page, "C9001", "4/3/2016", "F")
    _save(page, axe_check, "Save family")
    episode = Episode.objects.get(reference="FAM-JOURNEY")
    assert episode.coordinator == coordinator_a

    page.click("text=Add a child")
    _child(page, "C9002", "9/10/2021", "M")
    _save(page, axe_check, "Save child")

    _next(page, "Record offer")
    fill_date(page, "offer_date", d(420))
    _save(page, axe_check)

    _next(page, "Record response to the offer")
    page.check("input[name=offer_response][value=ACCEPTED]")
    fill_date(page, "response_date", d(415))
    _save(page, axe_check)

    _next(page, "Record referral")
    fill_date(page, "referral_date", d(410))
    page.check("input[name=referrer_role][value=SW]")
    page.check("input[name=referral_purpose][value=SAFETY_AT_HOME]")
    _save(page, axe_check)

    _next(page, "Record coordinator allocation")
    fill_date(page, "allocation_date", d(405))
    page.check("input[name=coordinator_type][value=IN_HOUSE]")
    _save(page, axe_check)

    page.click("text=Add a person")
    page.fill("#name", "Gran Journey")
    page.fill("#relationship", "Grandmother")
    page.check("input[name=side][value=maternal]")
    page.check("input[name=invited]")
    page.check("input[name=attended]")
    _save(page, axe_check)

    _next(page, "Record meeting")
    page.check("input[name=meeting_type][value=FGC]")
    fill_date(page, "conference_date", d(380))
    page.check("input[name=private_family_time][value=Y]")
    page.fill("#family_attendees", "6")
    for child in episode.children.order_by("pk"):
        page.check(f"input[name='c{child.pk}-child_participation'][value=ATTENDED]")
        page.check(f"input[name='c{child.pk}-child_advocate'][value=N]")
    _save(page, axe_check)

    _next(page, "Record plan")
    page.check("input[name=plan_agreed][value=FULL]")
    page.check("input[name=plan_accepted][value=ACCEPTED]")
    for child in episode.children.order_by("pk"):
        page.check(f"input[name='c{child.pk}-plan_living_arrangement'][value=WITH_PARENTS]")
        page.check(f"input[name='c{child.pk}-kinship_carer_identified'][value=N]")
    _save(page, axe_check)

    _next(page, "Record a review")
    fill_date(page, "review_date", d(300))
    page.check("input[name=plan_progress][value=ON_TRACK]")
    _save(page, axe_check, "Save review")

    _next(page, "Record closure and feedback")
    fill_date(page, "closure_date", d(250))
    page.fill("#family_feedback", "5")
    _save(page, axe_check)

    _next(page, "Record outcomes at 6 and 12 months")
    for child in episode.children.order_by("pk"):
        page.check(f"input[name='c{child.pk}-looked_after_6m'][value=N]")
        page.check(f"input[name='c{child.pk}-looked_after_12m'][value=N]")
        page.check(f"input[name='c{child.pk}-living_arrangement_12m'][value=WITH_PARENTS]")
    _save(page, axe_check)
    assert "Outcomes recorded" in page.content()
    assert "journey is complete" in page.content()

    # The manager sees the caseload and a clean data-quality page for this family.
    page.click("button:has-text('Sign out')")
    sign_in(manager_a)
    page.goto("/casework/?state=outcomes")
    assert "FAM-JOURNEY" in page.content()
    axe_check(page)
    page.goto("/casework/data-quality/")
    assert "FAM-JOURNEY" not in page.content()  # nothing to fix
    axe_check(page)
    page.goto("/casework/returns/")
    axe_check(page)

    # One click submits the year's returns (child-level and aggregate) to the hub in the same
    # deployment, where they validate clean.
    offer = date.today() - timedelta(days=420)  # the offer date recorded above
    start = offer.year if offer.month >= 4 else offer.year - 1
    page.fill("#period", f"{start}-{(start + 1) % 100:02d}")
    page.click("button:has-text('Submit returns to the hub')")
    page.wait_for_selector("h1.govuk-panel__title")  # the POST's page, not the one before
    assert "Returns submitted to the hub" in page.content()
    axe_check(page)
    statuses = page.locator("main ul.govuk-list li").all_inner_texts()
    assert len(statuses) == 2, statuses
    assert all(s.endswith("No errors") for s in statuses), statuses
