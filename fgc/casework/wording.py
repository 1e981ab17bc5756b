"""How the casework forms word the standard for a coordinator.

The standard's help text is written for people producing a file ("Y if ...", "codes separated
by ';'"); a form shows labels, not codes. This module turns that text into form hints and turns
the engine's findings into GOV.UK error messages, keeping the rule code so a form and a
submitted return still point at the same rule. Anything not reworded here falls back to the
standard's own text.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from fgc.standard import Field

# Hints that in the standard describe codes or file syntax.
FORM_HINTS = {
    "sex": "As in the CIN census. An unborn child is ‘Unknown’.",
    "ethnicity": "As recorded in the CIN census.",
    "disability": "Select all that apply, or ‘No disability’.",
    "referral_purpose": "Select all that apply.",
    "meeting_type": (
        "A family group conference has an independent coordinator. A family network meeting "
        "is run by the allocated worker and is never counted as an FGC."
    ),
    "decline_reason": "Why the family declined. Choose ‘Reason not recorded’ if none was given.",
    "family_feedback": "The family's overall rating, from 1 to 5. Leave blank if not received.",
    "professional_feedback": (
        "The referrer's overall rating, from 1 to 5. Leave blank if not received."
    ),
}
# "Needed ..." phrases that in the standard name codes.
NEEDED_WHEN = {
    "exception_reason": "if an exception applies",
    "response_date": "if the family accepted or declined",
    "decline_reason": "if the family declined",
    "plan_accepted": "if a full or partial plan was agreed",
    "plan_living_arrangement": "if a full or partial plan was agreed",
}
DATE_EXAMPLE = "For example, 27 3 2025"

REQUIRED_RULE = "FGC001"
FUTURE_RULE = "FGC007"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def needed_when(f: Field) -> str:
    return NEEDED_WHEN.get(f.name, f.required_text or "")


def form_hint(f: Field, required_now: bool) -> str:
    """The hint a form shows for a standard field."""
    hint = FORM_HINTS.get(f.name, f.help)
    hint = re.sub(r"^Y if ", "Yes if ", hint)  # yes/no questions are answered Yes or No
    if f.type == "date":
        hint = f"{hint} {DATE_EXAMPLE}."
    if f.required and f.required != "always" and needed_when(f) and not required_now:
        hint = f"{hint} Needed {needed_when(f)}."
    return hint.strip()


def finding_message(f: Field, finding: dict[str, Any], kind: str) -> str:
    """An engine finding as a GOV.UK error message for the field's control, rule code kept."""
    code = finding["code"]
    if code == REQUIRED_RULE:
        if f.type == "yn":
            text = f"Select yes or no for ‘{f.label}’"
        elif kind in ("radios", "select", "checkboxes"):
            text = f"Select the {lower_first(f.label)}"
        else:
            text = f"Enter the {lower_first(f.label)}"
        if f.required != "always" and needed_when(f):
            text = f"{text} – it is needed {needed_when(f)}"
        return f"{text} ({code})"
    if code == FUTURE_RULE:
        return f"{f.label} must be today or in the past ({code})"
    return f"{str(finding['message']).rstrip('.')} ({code})"


def long_date(value: date | datetime | str | None, empty: str = "Not recorded") -> str:
    """A date as GOV.UK writes it: 3 March 2026."""
    if value is None or value == "":
        return empty
    day = value
    if isinstance(value, datetime):  # stored in UTC; people read the service's local day
        from django.utils import timezone

        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    assert isinstance(day, date)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
