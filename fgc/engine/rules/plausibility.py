"""Plausibility queries and code combinations that only make sense together."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from fgc.engine.rules.model import Rule, RuleContext, fields_where
from fgc.standard import Field

MAX_DAYS_TO_CONFERENCE = 90


def _slow_check(ctx: RuleContext, f: Field) -> pl.Expr:
    days = (ctx.typed("conference_date") - ctx.typed("referral_date")).dt.total_days()
    return (days > MAX_DAYS_TO_CONFERENCE).fill_null(False)


SLOW_TO_CONFERENCE = Rule(
    code="FGC019",
    severity="query",
    fields=("conference_date",),
    message=f"More than {MAX_DAYS_TO_CONFERENCE} days passed between referral and conference.",
    check=_slow_check,
    detail=lambda std, f: (
        f"The conference was more than {MAX_DAYS_TO_CONFERENCE} days after the referral: "
        "check the dates or explain the delay."
    ),
)

NO_FAMILY_PRIVATE_TIME = Rule(
    code="FGC020",
    severity="query",
    fields=("family_attendees",),
    message="No family members attended, yet private family time is recorded.",
    check=lambda ctx, f: (
        (ctx.typed("family_attendees") == 0) & (ctx.text("private_family_time") == "Y")
    ).fill_null(False),
    detail=lambda std, f: "Family attendees is 0 but private family time is Y: check who attended.",
)


def _anchor(ctx: RuleContext) -> pl.Expr:
    # The trial's anchor: the letter before proceedings for PLO, otherwise the offer.
    return pl.when(ctx.cond("plo")).then(ctx.typed("lbp_date")).otherwise(ctx.typed("offer_date"))


@lru_cache(maxsize=64)
def last_anchor_due_by(reference_date: date, months: int) -> date:
    """The last anchor date whose outcome, ``months`` after it, is due by the reference date.

    Adding months never moves a later date before an earlier one (a month-end clamps to the
    shorter month's end), so "anchor + months <= reference" is "anchor <= this date": one
    date comparison per row instead of calendar arithmetic per row. Found with polars' own
    ``offset_by`` over every candidate day, so it agrees with it exactly."""
    candidates = pl.date_range(
        reference_date - timedelta(days=31 * months + 31), reference_date, eager=True
    )
    due = (candidates.dt.offset_by(f"{months}mo") <= reference_date).to_list()
    count = sum(due)
    if not 0 < count < len(due) or not all(due[:count]):  # not a run of True, then False
        raise AssertionError(f"month offsets are not monotone around {reference_date}")
    last: date = candidates[count - 1]
    return last


def _due_by(ctx: RuleContext, f: Field) -> pl.Expr:
    """True where the field's outcome is due by the reference date (null without an anchor)."""
    assert f.outcome_months is not None
    return _anchor(ctx) <= pl.lit(last_anchor_due_by(ctx.reference_date, f.outcome_months))


def _early_outcome_check(ctx: RuleContext, f: Field) -> pl.Expr:
    return ctx.present(f.name) & (~_due_by(ctx, f)).fill_null(False)


EARLY_OUTCOME = Rule(
    code="FGC021",
    severity="query",
    fields=fields_where(lambda f: f.outcome_months is not None),
    message=(
        "An outcome is filled in before the 6 or 12 months it measures could have passed "
        "(from the letter before proceedings for PLO, otherwise the offer date)."
    ),
    check=_early_outcome_check,
    detail=lambda std, f: (
        f"{f.label} is filled in but {f.outcome_months} months have not yet passed since the "
        "letter before proceedings (PLO) or offer date."
    ),
)


def _outcome_due_check(ctx: RuleContext, f: Field) -> pl.Expr:
    assert f.outcome_required is not None
    return ctx.absent(f.name) & ctx.cond(f.outcome_required) & _due_by(ctx, f).fill_null(False)


OUTCOME_DUE = Rule(
    code="FGC027",
    severity="query",
    fields=fields_where(lambda f: f.outcome_required is not None),
    message=(
        "An outcome is not recorded although the 6 or 12 months it measures have passed "
        "(from the letter before proceedings for PLO, otherwise the offer date)."
    ),
    check=_outcome_due_check,
    detail=lambda std, f: (
        f"{f.label} is blank but {f.outcome_months} months have passed since the letter "
        "before proceedings (PLO) or offer date: link the outcome from the case system."
    ),
)

UNBORN_SEX = Rule(
    code="FGC022",
    severity="error",
    fields=("sex",),
    message="An unborn child's sex must be recorded as U (unknown).",
    check=lambda ctx, f: ctx.cond("unborn") & ctx.present("sex") & (ctx.text("sex") != "U"),
    detail=lambda std, f: "The child is unborn (due date, no date of birth), so sex must be U.",
)

UNBORN_PARTICIPATION = Rule(
    code="FGC023",
    severity="query",
    fields=("child_participation",),
    message="Child participation is UNBORN but the child has a date of birth.",
    check=lambda ctx, f: (
        ~ctx.cond("unborn") & (ctx.text("child_participation") == "UNBORN").fill_null(False)
    ),
    detail=lambda std, f: (
        "Child participation is UNBORN but the child is not recorded as unborn "
        "(a date of birth, or no due date)."
    ),
)

EXCEPTION_REASON_ONLY = Rule(
    code="FGC024",
    severity="error",
    fields=("exception_reason",),
    message="An exception reason is recorded but exception is not Y.",
    check=lambda ctx, f: ctx.present(f.name) & ~ctx.cond("exception_yes"),
    detail=lambda std, f: (
        f"{f.label} is filled in but exception is not Y; give a reason only for an exception."
    ),
)

DECLINE_REASON_ONLY = Rule(
    code="FGC025",
    severity="error",
    fields=("decline_reason",),
    message="A decline reason is recorded but the response to the offer is not DECLINED.",
    check=lambda ctx, f: ctx.present(f.name) & ~ctx.cond("declined"),
    detail=lambda std, f: f"{f.label} is filled in but the response to the offer is not DECLINED.",
)

PLAUSIBILITY_RULES = (
    SLOW_TO_CONFERENCE,
    NO_FAMILY_PRIVATE_TIME,
    EARLY_OUTCOME,
    OUTCOME_DUE,
    UNBORN_SEX,
    UNBORN_PARTICIPATION,
    EXCEPTION_REASON_ONLY,
    DECLINE_REASON_ONLY,
)
