"""The journey as a state machine: where an episode is, and which step it needs next.

Each step names the standard fields it records (family-level on the episode, child-level once
per child); the forms are generated from these lists and the standard's declarations. The
state is derived from what has been recorded, never stored, so an import or a correction
moves an episode along by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fgc.standard import load_standard


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    family: tuple[str, ...] = ()
    child: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()  # casework-only episode fields (not in the standard)


STEPS: tuple[Step, ...] = (
    Step(
        "family",
        "Family and stage",
        family=("stage", "lbp_date", "interpreter_needed", "postcode_district"),
    ),
    Step("offer", "Offer", family=("offer_date", "offer_in_lbp", "exception", "exception_reason")),
    Step(
        "response",
        "Response to the offer",
        family=("offer_response", "response_date", "decline_reason"),
    ),
    Step("referral", "Referral", family=("referral_date", "referrer_role", "referral_purpose")),
    Step("allocation", "Coordinator allocation", family=("allocation_date", "coordinator_type")),
    Step(
        "meeting",
        "Meeting",
        family=("meeting_type", "conference_date", "private_family_time", "family_attendees"),
        child=("child_participation", "child_advocate"),
    ),
    Step(
        "plan",
        "Plan",
        family=("plan_agreed", "plan_accepted"),
        child=("plan_living_arrangement", "kinship_carer_identified"),
        extra=("resources_requested",),
    ),
    Step("review", "Reviews"),  # Review records: date and plan progress
    Step(
        "closure",
        "Closure and feedback",
        family=("closure_date", "not_held_reason", "family_feedback", "professional_feedback"),
    ),
    Step(
        "outcomes",
        "Outcomes at 6 and 12 months",
        child=(
            "looked_after_6m",
            "looked_after_12m",
            "living_arrangement_12m",
            "proceedings_issued_12m",
            "care_application_date",
        ),
    ),
)
STEP_BY_KEY = {s.key: s for s in STEPS}
# The child identity fields, recorded on the child's own page.
CHILD_IDENTITY = (
    "child_id",
    "known_to_csc",
    "date_of_birth",
    "expected_due_date",
    "sex",
    "ethnicity",
    "disability",
    "uasc",
)

# Practice thresholds for the caseload page (not rules of the standard).
CONFERENCE_DUE_DAYS = 42  # conference within 6 weeks of referral
REVIEW_DUE_DAYS = 84  # first review within 12 weeks of the conference

STATE_LABELS = {
    "identified": "Identified",
    "offered": "Offered",
    "exception": "Exception",
    "declined": "Declined or no response",
    "accepted": "Accepted",
    "referred": "Referred",
    "allocated": "Coordinator allocated",
    "held": "Meeting held",
    "planned": "Plan made",
    "reviewed": "Reviewed",
    "closed": "Closed",
    "outcomes": "Outcomes recorded",
}
OPEN_STATES = (
    "identified",
    "offered",
    "accepted",
    "referred",
    "allocated",
    "held",
    "planned",
    "reviewed",
)


def _check_steps() -> None:
    """Every standard field is recorded somewhere: fail at import if a step list drifts."""
    std = load_standard()
    covered = {"la_code", "episode_id", "review_date", "plan_progress", *CHILD_IDENTITY}
    for s in STEPS:
        covered.update(s.family, s.child)
    missing = [n for n in std.field_names if n not in covered]
    if missing:
        raise RuntimeError(f"Casework steps do not record: {', '.join(missing)}")


_check_steps()


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if it is shorter)."""
    import calendar

    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def anchor_date(ep: Any) -> date | None:
    """The outcome anchor: the letter before proceedings for PLO, otherwise the offer date."""
    if ep.stage == "PLO" and ep.lbp_date:
        return ep.lbp_date
    return ep.offer_date


def outcome_due(ep: Any, months: int, today: date) -> bool:
    anchor = anchor_date(ep)
    return anchor is not None and add_months(anchor, months) <= today


def state_of(ep: Any, children: list[Any], has_review: bool) -> str:
    """Where the episode has got to (a key of STATE_LABELS)."""
    if ep.closure_date:
        if children and all(c.looked_after_12m for c in children):
            return "outcomes"
        return "closed"
    if ep.exception == "Y":
        return "exception"
    if ep.offer_date is None:
        return "identified"
    if ep.offer_response in (None, "", "PENDING"):
        return "offered"
    if ep.offer_response in ("DECLINED", "NO_RESPONSE"):
        return "declined"
    if ep.referral_date is None:
        return "accepted"
    if ep.allocation_date is None and ep.conference_date is None:
        return "referred"
    if ep.conference_date is None:
        return "allocated"
    if not ep.plan_agreed:
        return "held"
    if not has_review:
        return "planned"
    return "reviewed"


NEXT_STEP = {
    "identified": "offer",
    "offered": "response",
    "exception": "closure",
    "declined": "closure",
    "accepted": "referral",
    "referred": "allocation",
    "allocated": "meeting",
    "held": "plan",
    "planned": "review",
    "reviewed": "closure",
    "closed": "outcomes",
    "outcomes": None,
}


def next_step(state: str) -> Step | None:
    key = NEXT_STEP.get(state)
    return STEP_BY_KEY[key] if key else None


def steps_available(state: str) -> list[Step]:
    """The steps that make sense to show for an episode in this state (so far and next)."""
    order = [s.key for s in STEPS]
    nxt = NEXT_STEP.get(state)
    if nxt is None:
        return list(STEPS)
    reached = order.index(nxt)
    keys = set(order[: reached + 1])
    if state in ("exception", "declined"):
        keys = {"family", "offer", "response", "closure"}
        if state == "exception":
            keys.discard("response")
    return [s for s in STEPS if s.key in keys]
