"""Every rule has a case it passes and a case it fails (a new rule without one fails here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest

from fgc.engine.rules import RULES

from .builders import REF, check, children, declined, not_held, plo, row, unborn


@dataclass(frozen=True)
class Case:
    passing: list[dict[str, Any]]
    failing: list[dict[str, Any]]
    field: str | None  # None: a finding about the whole file
    reference_date: date = REF
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _plus(iso: str, days: int) -> str:
    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()


CASES: dict[str, Case] = {
    "FGC001": Case([row()], [row(ethnicity=None)], "ethnicity"),
    "FGC002": Case([row(sex="M")], [row(sex="X")], "sex"),
    "FGC003": Case([row(disability="MOB;HAND")], [row(disability="NONE;MOB")], "disability"),
    "FGC004": Case(
        [row(date_of_birth="2016-02-29")], [row(date_of_birth="2015-02-29")], "date_of_birth"
    ),
    "FGC005": Case([row(family_attendees="99")], [row(family_attendees="100")], "family_attendees"),
    "FGC006": Case([row(child_id="ABC-123_x")], [row(child_id="ABC 123")], "child_id"),
    "FGC007": Case(
        [row(closure_date=REF.isoformat())],
        [row(closure_date=_plus(REF.isoformat(), 1))],
        "closure_date",
    ),
    "FGC008": Case([row(review_date="2024-03-01")], [row(review_date="2024-02-29")], "review_date"),
    "FGC009": Case(
        [row(date_of_birth="2024-01-20")], [row(date_of_birth="2024-01-21")], "date_of_birth"
    ),
    "FGC010": Case([unborn()], [row(expected_due_date="2024-05-01")], "expected_due_date"),
    # 18th birthday the day after the offer passes; on the offer date fails.
    "FGC011": Case(
        [row(date_of_birth="2006-01-11")], [row(date_of_birth="2006-01-10")], "date_of_birth"
    ),
    "FGC012": Case(
        children(row(), row()),
        [row(), row()],
        "child_id",
    ),
    "FGC013": Case(children(row(), row()), children(row(), row(stage="CIN")), "stage"),
    "FGC014": Case([not_held()], [not_held(plan_agreed="FULL")], "plan_agreed"),
    "FGC015": Case([not_held()], [row(not_held_reason="CONSENT_WITHDRAWN")], "not_held_reason"),
    "FGC016": Case(
        [plo(offer_date=None, exception="Y", exception_reason="RISK_TO_CHILD")],
        [plo(offer_date=None)],
        "offer_date",
    ),
    "FGC017": Case([plo()], [plo(offer_in_lbp="N")], "offer_in_lbp"),
    "FGC018": Case(
        [row(care_application_date="2024-03-01")],
        [row(care_application_date="2024-02-29")],
        "care_application_date",
    ),
    "FGC019": Case(
        [row(conference_date=_plus("2024-01-20", 90))],
        [row(conference_date=_plus("2024-01-20", 91))],
        "conference_date",
    ),
    "FGC020": Case([row(family_attendees="1")], [row(family_attendees="0")], "family_attendees"),
    "FGC021": Case(
        [row()],
        [row()],
        "looked_after_12m",
        reference_date=date(2025, 1, 9),
        extra={"passing_reference_date": date(2025, 1, 10)},
    ),
    "FGC027": Case(
        [plo()],
        [plo(proceedings_issued_12m=None)],
        "proceedings_issued_12m",
        note="PLO outcome due 12 months after the letter and still blank",
    ),
    "FGC022": Case([unborn()], [unborn(sex="F")], "sex"),
    "FGC023": Case([unborn()], [row(child_participation="UNBORN")], "child_participation"),
    "FGC024": Case(
        [plo(exception="Y", exception_reason="RISK_TO_CHILD")],
        [plo(exception="N", exception_reason="RISK_TO_CHILD")],
        "exception_reason",
    ),
    "FGC025": Case([declined()], [row(decline_reason="NO_BENEFIT_SEEN")], "decline_reason"),
    "FGC026": Case([row()], [row(notes="free text")], "notes"),
    "FGC028": Case([row()], [], None),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == {r.code for r in RULES}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fails(code: str) -> None:
    case = CASES[code]
    found = check(case.failing, case.reference_date).findings.filter(pl.col("code") == code)
    assert not found.is_empty(), f"{code} did not fire"
    assert case.field in found["field"].to_list()


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passes(code: str) -> None:
    case = CASES[code]
    ref = case.extra.get("passing_reference_date", case.reference_date)
    found = check(case.passing, ref).findings.filter(pl.col("code") == code)
    assert found.is_empty(), found.to_dicts()


@pytest.mark.parametrize(
    "rows",
    [
        [row()],
        [unborn()],
        [not_held()],
        [declined()],
        [plo()],
        children(row(), row(), unborn()),
    ],
    ids=["full", "unborn", "not-held", "declined", "plo", "three-children"],
)
def test_valid_episodes_have_no_findings(rows: list[dict[str, Any]]) -> None:
    findings = check(rows).findings
    assert findings.is_empty(), findings.to_dicts()
