"""The aggregate return's measures and breakdowns, declared once as data.

The engine (``fgc.engine.aggregate``), the key-in template writer and the documentation are
all generated from ``AGGREGATE_MEASURES`` and ``BREAKDOWN_TOPICS``; add a measure here and
give it a counting rule in ``fgc.engine.aggregate.engine.STEP_RULES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["families", "children", "days"]
Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]

TOTAL = "Total"
STAGE = "Stage"
EXCEPTION_REASON = "Exception reason"
DECLINE_REASON = "Decline reason"
NOT_HELD_REASON = "Not held reason"
MEETING_TYPE = "Meeting type"
ETHNICITY = "Ethnicity group"
AGE_BAND = "Age band"
SEX = "Sex"
DISABILITY = "Disability"

# Topics in output order. Family-level topics split an episode's measures by a family-level
# field; child-level topics split children by a characteristic of the child.
FAMILY_TOPICS: tuple[str, ...] = (
    TOTAL,
    STAGE,
    EXCEPTION_REASON,
    DECLINE_REASON,
    NOT_HELD_REASON,
    MEETING_TYPE,
)
CHILD_TOPICS: tuple[str, ...] = (ETHNICITY, AGE_BAND, SEX, DISABILITY)
BREAKDOWN_TOPICS: tuple[str, ...] = FAMILY_TOPICS + CHILD_TOPICS


@dataclass(frozen=True)
class Measure:
    """One count (or median) column of the aggregate return."""

    name: str  # column name, e.g. families_offered
    label: str  # short label for templates and tables
    unit: Unit  # families (distinct episodes), children (distinct child per episode), days
    description: str  # the counting rule in plain words, including which date places it
    polarity: Polarity = "neutral"
    step: str = ""  # the journey step whose counting rule it uses (see STEP_RULES)
    topics: tuple[str, ...] = (TOTAL,)  # breakdown topics it is reported by
    dfe_quarterly: bool = False  # one of the DfE quarterly prevention-grant items


@dataclass(frozen=True)
class _Step:
    name: str
    label: str
    rule: str  # what is counted and which date puts it in the period
    topics: tuple[str, ...]
    polarity: Polarity = "neutral"
    by_child: bool = False  # children also broken down by ethnicity, age, sex, disability
    dfe_quarterly: bool = False


_FAMILY_TOTAL = (TOTAL, STAGE)

_STEPS: tuple[_Step, ...] = (
    _Step(
        "offered",
        "Offered",
        "an FGC / FGDM was offered: offer date in the period",
        _FAMILY_TOTAL,
        "higher_is_better",
        by_child=True,
    ),
    _Step(
        "offered_at_or_before_lbp",
        "Offered prior to or at the letter before proceedings",
        "offer date in the period, and the offer was in the letter before proceedings "
        "(offer_in_lbp = Y) or dated on or before the letter",
        _FAMILY_TOTAL,
        "higher_is_better",
        dfe_quarterly=True,
    ),
    _Step(
        "exceptions",
        "Exceptions (not in the child's best interests)",
        "exception = Y, placed in the period by the letter before proceedings date, "
        "or the offer date when there is no letter",
        (TOTAL, STAGE, EXCEPTION_REASON),
    ),
    _Step(
        "accepted",
        "Accepted",
        "offer accepted, for offers made in the period (offer date in the period)",
        _FAMILY_TOTAL,
        "higher_is_better",
        by_child=True,
    ),
    _Step(
        "declined",
        "Declined",
        "offer declined, for offers made in the period (offer date in the period)",
        (TOTAL, STAGE, DECLINE_REASON),
        "lower_is_better",
    ),
    _Step(
        "no_response",
        "No response",
        "no response to the offer, for offers made in the period",
        _FAMILY_TOTAL,
        "lower_is_better",
    ),
    _Step(
        "pending",
        "Response pending",
        "response awaited, for offers made in the period",
        _FAMILY_TOTAL,
    ),
    _Step(
        "response_not_recorded",
        "Response not recorded",
        "offer made in the period with no response recorded (so offered = accepted + declined "
        "+ no response + pending + not recorded)",
        _FAMILY_TOTAL,
        "lower_is_better",
    ),
    _Step(
        "referred",
        "Referred",
        "referral received by the FGC service: referral date in the period",
        _FAMILY_TOTAL,
        "higher_is_better",
        by_child=True,
    ),
    _Step(
        "held",
        "Meetings held (FGC or family network meeting)",
        "a meeting was held: conference date in the period",
        (TOTAL, STAGE, MEETING_TYPE),
        "higher_is_better",
        by_child=True,
    ),
    _Step(
        "fgc_held",
        "Family group conferences held",
        "meeting type FGC (independent coordinator): conference date in the period",
        (TOTAL, STAGE, MEETING_TYPE),
        "higher_is_better",
    ),
    _Step(
        "fnm_held",
        "Family network meetings held",
        "meeting type FNM (no independent coordinator): conference date in the period",
        (TOTAL, STAGE, MEETING_TYPE),
    ),
    _Step(
        "fgdm_facilitated",
        "FGDM meetings facilitated in pre-proceedings",
        "a meeting (FGC or FNM) was held with its conference date in the period, on or after "
        "the letter before proceedings and not after any care application (the CIN census "
        "FGDMMeetingFac)",
        _FAMILY_TOTAL,
        "higher_is_better",
        dfe_quarterly=True,
    ),
    _Step(
        "plans_agreed",
        "Plans agreed (full or partial)",
        "plan FULL or PARTIAL at a meeting held: conference date in the period",
        (TOTAL, STAGE, MEETING_TYPE),
        "higher_is_better",
    ),
    _Step(
        "not_held",
        "Accepted but no meeting held",
        "accepted, no meeting held and the episode closed: closure date in the period",
        (TOTAL, STAGE, NOT_HELD_REASON),
        "lower_is_better",
    ),
    _Step(
        "reviews_held",
        "Reviews held",
        "first review meeting: review date in the period",
        (TOTAL, STAGE, MEETING_TYPE),
        "higher_is_better",
    ),
)


def _measures() -> tuple[Measure, ...]:
    out: list[Measure] = []
    units: tuple[Unit, ...] = ("families", "children")
    for s in _STEPS:
        for unit in units:
            topics = s.topics + (CHILD_TOPICS if unit == "children" and s.by_child else ())
            out.append(
                Measure(
                    name=f"{unit}_{s.name}",
                    label=f"{s.label} ({unit})",
                    unit=unit,
                    description=f"{unit.capitalize()} counted when {s.rule}.",
                    polarity=s.polarity,
                    step=s.name,
                    topics=topics,
                    dfe_quarterly=s.dfe_quarterly,
                )
            )
    out += [
        Measure(
            name="median_days_offer_to_referral",
            label="Median days from offer to referral",
            unit="days",
            description=(
                "Median over families referred in the period (referral date in the period) "
                "with an offer date, of the days from offer to referral; negative intervals "
                "(dates out of order) are left out."
            ),
            polarity="lower_is_better",
            step="referred",
            topics=_FAMILY_TOTAL,
        ),
        Measure(
            name="median_days_referral_to_conference",
            label="Median days from referral to conference",
            unit="days",
            description=(
                "Median over families whose meeting was held in the period (conference date "
                "in the period) with a referral date, of the days from referral to conference; "
                "negative intervals are left out."
            ),
            polarity="lower_is_better",
            step="held",
            topics=(TOTAL, STAGE, MEETING_TYPE),
        ),
    ]
    return tuple(out)


AGGREGATE_MEASURES: tuple[Measure, ...] = _measures()
MEASURES_BY_NAME: dict[str, Measure] = {m.name: m for m in AGGREGATE_MEASURES}
COUNT_MEASURES: tuple[Measure, ...] = tuple(m for m in AGGREGATE_MEASURES if m.unit != "days")
MEDIAN_MEASURES: tuple[Measure, ...] = tuple(m for m in AGGREGATE_MEASURES if m.unit == "days")
DFE_QUARTERLY_MEASURES: tuple[Measure, ...] = tuple(
    m for m in AGGREGATE_MEASURES if m.dfe_quarterly
)
STEPS: tuple[str, ...] = tuple(s.name for s in _STEPS)
