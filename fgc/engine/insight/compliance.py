"""s.31ZA compliance in pre-proceedings (PLO): the offer in the letter, exceptions, and
accepted offers overtaken by a care application."""

from __future__ import annotations

from fgc.engine.insight.measures import Measure

MEASURES: tuple[Measure, ...] = (
    Measure(
        "offer_in_lbp_rate",
        "Letters before proceedings that included the offer (%)",
        "compliance",
        "rate",
        "family",
        "offer_in_lbp_yes",
        "plo_letter",
        "high_good",
        description="PLO episodes with a letter before proceedings and no exception.",
    ),
    Measure(
        "plo_exception_rate",
        "PLO episodes where an offer was not in the child's best interests (%)",
        "compliance",
        "rate",
        "family",
        "plo_exception",
        "plo",
        "neutral",
    ),
    Measure(
        "plo_exception_reasons",
        "PLO exceptions by reason (%)",
        "compliance",
        "share",
        "family",
        "plo_exception",
        "plo_exception",
        by="exception_reason",
    ),
    Measure(
        "care_app_before_meeting_rate",
        "Accepted PLO offers where the care application came before the meeting (%)",
        "compliance",
        "rate",
        "family",
        "care_app_before_meeting",
        "plo_accepted",
        "low_good",
    ),
    Measure(
        "care_app_after_meeting_rate",
        "Care applications preceded by a family meeting (%)",
        "compliance",
        "rate",
        "family",
        "care_app_after_meeting",
        "care_application",
        "high_good",
        description="Families with a care application date whose meeting (FGC or family "
        "network meeting) was held on or before it.",
    ),
)
