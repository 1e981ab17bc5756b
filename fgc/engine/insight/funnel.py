"""Funnel measures: offered → accepted → referred → meeting held → plan agreed → reviewed.

Declared for families (episodes) and children (rows). FGCs and family network meetings are
kept apart: every step after "referred" counts FGCs only; FNMs have their own count.
"""

from __future__ import annotations

from fgc.engine.insight.measures import Level, Measure

# (flag, label) in funnel order; the counts.
STEPS: tuple[tuple[str, str], ...] = (
    ("offered", "Offered"),
    ("accepted", "Accepted"),
    ("referred", "Referred"),
    ("fgc_held", "FGC held"),
    ("plan_made", "Plan agreed"),
    ("reviewed", "Reviewed"),
)

# (name, label, numerator, denominator, polarity, equity)
_RATES: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("acceptance_rate", "Offers accepted", "accepted", "offered", "high_good", True),
    ("decline_rate", "Offers declined", "declined", "offered", "low_good", True),
    ("referral_rate", "Accepted offers referred", "referred", "accepted", "high_good", True),
    ("held_rate", "Referrals with an FGC held", "fgc_held", "referred", "high_good", True),
    ("plan_rate", "FGCs with a plan agreed", "plan_made", "fgc_held", "high_good", True),
    ("review_rate", "Plans reviewed", "reviewed", "plan_made", "high_good", False),
    ("offer_to_fgc_rate", "Offers leading to an FGC", "fgc_held", "offered", "high_good", True),
)

_COUNTS: tuple[tuple[str, str], ...] = (
    *STEPS,
    ("exception_flag", "Exceptions (offer not in the child's best interests)"),
    ("declined", "Declined"),
    ("no_response", "No response"),
    ("pending", "Response pending"),
    ("allocated", "Coordinator allocated"),
    ("fnm_held", "Family network meeting held (not an FGC)"),
    ("not_held", "Accepted, closed with no meeting"),
)

_WHO: dict[Level, str] = {"family": "families", "child": "children"}


def _measures() -> tuple[Measure, ...]:
    out: list[Measure] = []
    for level in ("family", "child"):
        who = _WHO[level]
        for flag, label in _COUNTS:
            out.append(
                Measure(
                    f"{flag}_{who}",
                    f"{label} ({who})",
                    "funnel",
                    "count",
                    level,
                    flag,
                    None,
                    equity=(level == "child" and flag == "offered"),
                )
            )
        for name, label, num, den, pol, equity in _RATES:
            out.append(
                Measure(
                    f"{name}_{who}",
                    f"{label} ({who}, %)",
                    "funnel",
                    "rate",
                    level,
                    num,
                    den,
                    pol,  # type: ignore[arg-type]
                    equity=(equity and level == "child"),
                )
            )
    # Reasons are family-level fields: one row per episode.
    out += [
        Measure(
            "decline_reasons",
            "Declines by reason (families, %)",
            "funnel",
            "share",
            "family",
            "declined",
            "declined",
            by="decline_reason",
        ),
        Measure(
            "not_held_reasons",
            "Accepted but no meeting held, by reason (families, %)",
            "funnel",
            "share",
            "family",
            "not_held",
            "not_held",
            by="not_held_reason",
        ),
        Measure(
            "not_held_exit_stage",
            "Accepted but no meeting held, by stage reached (families, %)",
            "funnel",
            "share",
            "family",
            "not_held",
            "not_held",
            by="exit_stage",
        ),
    ]
    return tuple(out)


MEASURES = _measures()
