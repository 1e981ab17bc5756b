"""s.31ZA Children Act 1989 checks (queries): the duty to offer a family group decision
making meeting before applying for a care order."""

from __future__ import annotations

import polars as pl

from fgc.engine.rules.model import Rule, RuleContext
from fgc.standard import Field

PLO_NO_OFFER = Rule(
    code="FGC016",
    severity="query",
    fields=("offer_date",),
    message=(
        "A pre-proceedings (PLO) episode has no offer date and no exception recorded; "
        "s.31ZA expects an offer unless it is not in the child's best interests."
    ),
    check=lambda ctx, f: ctx.cond("plo") & ctx.absent("offer_date") & ~ctx.cond("exception_yes"),
    detail=lambda std, f: (
        "PLO episode with no offer date and no exception: explain why no family group "
        "decision making meeting was offered."
    ),
)

NOT_IN_LBP = Rule(
    code="FGC017",
    severity="query",
    fields=("offer_in_lbp",),
    message=("A pre-proceedings (PLO) offer was not made in the letter before proceedings."),
    check=lambda ctx, f: (
        ctx.cond("plo")
        & (ctx.text("offer_in_lbp") == "N").fill_null(False)
        & ~ctx.cond("exception_yes")
    ),
    detail=lambda std, f: (
        "The offer was not included in the letter before proceedings: explain when and how "
        "it was made."
    ),
)


def _application_check(ctx: RuleContext, f: Field) -> pl.Expr:
    applied = ctx.typed("care_application_date")
    before_meeting = (applied < ctx.typed("conference_date")).fill_null(False)
    no_meeting = ctx.absent("conference_date")
    return ctx.cond("accepted") & applied.is_not_null() & (before_meeting | no_meeting)


APPLIED_BEFORE_MEETING = Rule(
    code="FGC018",
    severity="query",
    fields=("care_application_date",),
    message=(
        "The family accepted the offer, but the council applied to court before a meeting "
        "was held (or with no meeting)."
    ),
    check=_application_check,
    detail=lambda std, f: (
        "The offer was accepted but the care application is dated before the conference "
        "(or there was no conference): explain why the application could not wait."
    ),
)

DUTY_RULES = (PLO_NO_OFFER, NOT_IN_LBP, APPLIED_BEFORE_MEETING)
