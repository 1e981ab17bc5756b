"""A valid base episode row and small builders for rule tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from fgc.engine.validate import ValidationReport, validate
from fgc.standard import load_standard

REF = date(2026, 11, 1)

# One child, CP stage, offer accepted, referred, allocated, conference held with a full plan,
# reviewed, closed, outcomes recorded after 12 months: every rule passes on it.
BASE: dict[str, str | None] = {
    "la_code": "805",
    "episode_id": "E1",
    "child_id": "C1",
    "known_to_csc": "Y",
    "date_of_birth": "2015-03-04",
    "expected_due_date": None,
    "sex": "F",
    "ethnicity": "WBRI",
    "disability": "NONE",
    "uasc": "N",
    "interpreter_needed": "N",
    "postcode_district": "TS24",
    "stage": "CP",
    "lbp_date": None,
    "care_application_date": None,
    "offer_date": "2024-01-10",
    "offer_in_lbp": None,
    "exception": "N",
    "exception_reason": None,
    "offer_response": "ACCEPTED",
    "response_date": "2024-01-15",
    "decline_reason": None,
    "referral_date": "2024-01-20",
    "referrer_role": "SW",
    "referral_purpose": "SAFETY_AT_HOME;KINSHIP_CARE",
    "allocation_date": "2024-01-25",
    "coordinator_type": "IN_HOUSE",
    "meeting_type": "FGC",
    "conference_date": "2024-03-01",
    "private_family_time": "Y",
    "family_attendees": "6",
    "child_participation": "ATTENDED",
    "child_advocate": "N",
    "plan_agreed": "FULL",
    "plan_accepted": "ACCEPTED",
    "plan_living_arrangement": "WITH_PARENTS",
    "kinship_carer_identified": "N",
    "not_held_reason": None,
    "review_date": "2024-06-01",
    "plan_progress": "ON_TRACK",
    "closure_date": "2024-07-01",
    "family_feedback": "4",
    "professional_feedback": "5",
    "looked_after_6m": "N",
    "looked_after_12m": "N",
    "living_arrangement_12m": "WITH_PARENTS",
    "proceedings_issued_12m": None,
}

MEETING_FIELDS = tuple(f.name for f in load_standard().fields if f.meeting_field)


def row(**changes: Any) -> dict[str, str | None]:
    out = dict(BASE)
    out.update(changes)
    return out


def unborn(**changes: Any) -> dict[str, str | None]:
    return row(
        **{
            "date_of_birth": None,
            "expected_due_date": "2024-05-01",
            "sex": "U",
            "child_participation": "UNBORN",
            **changes,
        }
    )


def not_held(**changes: Any) -> dict[str, str | None]:
    """Accepted and referred, but no meeting: closed with a reason."""
    cleared: dict[str, Any] = dict.fromkeys(MEETING_FIELDS)
    cleared.update(
        conference_date=None,
        allocation_date=None,
        coordinator_type=None,
        review_date=None,
        plan_progress=None,
        not_held_reason="CONSENT_WITHDRAWN",
    )
    cleared.update(changes)
    return row(**cleared)


def plo(**changes: Any) -> dict[str, str | None]:
    return row(
        **{
            "stage": "PLO",
            "lbp_date": "2024-01-05",
            "offer_in_lbp": "Y",
            "proceedings_issued_12m": "N",
            **changes,
        }
    )


def declined(**changes: Any) -> dict[str, str | None]:
    cleared: dict[str, Any] = dict.fromkeys(MEETING_FIELDS)
    cleared.update(
        offer_response="DECLINED",
        decline_reason="NO_BENEFIT_SEEN",
        referral_date=None,
        referrer_role=None,
        referral_purpose=None,
        allocation_date=None,
        coordinator_type=None,
        conference_date=None,
        review_date=None,
        plan_progress=None,
        closure_date="2024-02-01",
    )
    cleared.update(changes)
    return row(**cleared)


def children(*rows: dict[str, Any]) -> list[dict[str, Any]]:
    """Several children of one episode, numbered C1, C2, …"""
    return [{**r, "child_id": f"C{i + 1}"} for i, r in enumerate(rows)]


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    names = list(dict.fromkeys(k for r in rows for k in r))
    return pl.DataFrame({n: pl.Series(n, [r.get(n) for r in rows], dtype=pl.Utf8) for n in names})


def check(rows: list[dict[str, Any]], reference_date: date = REF) -> ValidationReport:
    return validate(frame(rows), reference_date=reference_date)
