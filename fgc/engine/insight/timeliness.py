"""Timeliness: days between the steps (median and quartiles); FGCs within 6 and 12 weeks."""

from __future__ import annotations

from fgc.engine.insight.measures import Measure

MEASURES: tuple[Measure, ...] = (
    Measure(
        "days_offer_referral",
        "Days from offer to referral (median)",
        "timeliness",
        "median",
        "family",
        None,
        "referred",
        "low_good",
        value_col="days_offer_referral",
    ),
    Measure(
        "days_referral_allocation",
        "Days from referral to coordinator allocated (median)",
        "timeliness",
        "median",
        "family",
        None,
        "allocated",
        "low_good",
        value_col="days_referral_allocation",
    ),
    Measure(
        "days_referral_conference",
        "Days from referral to FGC (median)",
        "timeliness",
        "median",
        "family",
        None,
        "conference_timed",
        "low_good",
        value_col="days_referral_conference",
    ),
    Measure(
        "days_conference_review",
        "Days from FGC to review (median)",
        "timeliness",
        "median",
        "family",
        None,
        "reviewed",
        "neutral",
        value_col="days_conference_review",
    ),
    Measure(
        "within_6_weeks",
        "FGCs held within 6 weeks of referral (%)",
        "timeliness",
        "rate",
        "family",
        "within_6w",
        "conference_timed",
        "high_good",
    ),
    Measure(
        "within_12_weeks",
        "FGCs held within 12 weeks of referral (%)",
        "timeliness",
        "rate",
        "family",
        "within_12w",
        "conference_timed",
        "high_good",
    ),
)
