"""Date rules: not in the future, in the order the journey runs, and a child's age."""

from __future__ import annotations

import polars as pl

from fgc.engine.rules.model import Rule, RuleContext, fields_where
from fgc.standard import Field, Standard

# The journey's dates in order. Each later date is compared with the nearest earlier one that
# is recorded, so a missing step (no review yet) does not hide an out-of-order closure.
OFFER_CHAIN = ("offer_date", "response_date")
REFERRAL_CHAIN = (
    "referral_date",
    "allocation_date",
    "conference_date",
    "review_date",
    "closure_date",
)
# A due date is expected to lie ahead; every other date records something that has happened.
MAY_BE_FUTURE = ("expected_due_date",)


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _predecessors(name: str) -> tuple[str, ...]:
    for chain in (OFFER_CHAIN, REFERRAL_CHAIN):
        if name in chain:
            return tuple(reversed(chain[: chain.index(name)]))
    return ()


def _order_fields(std: Standard) -> tuple[str, ...]:
    return tuple(n for n in OFFER_CHAIN[1:] + REFERRAL_CHAIN[1:])


def _order_check(ctx: RuleContext, f: Field) -> pl.Expr:
    earlier = pl.coalesce([ctx.typed(p) for p in _predecessors(f.name)])
    return (ctx.typed(f.name) < earlier).fill_null(False)


def _order_detail(std: Standard, f: Field) -> str:
    before = " or ".join(_lower(std.field(p).label) for p in _predecessors(f.name))
    return (
        f"{f.label} is before the {before}; dates must run offer → response and "
        "referral → allocation → conference → review → closure."
    )


FUTURE = Rule(
    code="FGC007",
    severity="error",
    fields=fields_where(lambda f: f.type == "date" and f.name not in MAY_BE_FUTURE),
    message="A date is in the future (after the date the data was checked).",
    check=lambda ctx, f: (ctx.typed(f.name) > pl.lit(ctx.reference_date)).fill_null(False),
    detail=lambda std, f: f"{f.label} is in the future.",
)

ORDER = Rule(
    code="FGC008",
    severity="error",
    fields=_order_fields,
    message=(
        "Dates are out of order: offer ≤ response, and referral ≤ allocation ≤ conference "
        "≤ review ≤ closure."
    ),
    check=_order_check,
    detail=_order_detail,
)


def _born_check(ctx: RuleContext, f: Field) -> pl.Expr:
    start = pl.coalesce([ctx.typed("referral_date"), ctx.typed("offer_date")])
    return (ctx.typed("date_of_birth") > start).fill_null(False)


BORN_BEFORE_REFERRAL = Rule(
    code="FGC009",
    severity="error",
    fields=("date_of_birth",),
    message=(
        "The date of birth is after the referral date (or the offer date when there is no "
        "referral); an unborn child has an expected due date and no date of birth."
    ),
    check=_born_check,
    detail=lambda std, f: (
        "Date of birth is after the referral (or offer) date; for a child not yet born then, "
        "record the expected due date instead."
    ),
)

BIRTH_AND_DUE = Rule(
    code="FGC010",
    severity="error",
    fields=("expected_due_date",),
    message="Both a date of birth and an expected due date are recorded; record only one.",
    check=lambda ctx, f: ctx.present("date_of_birth") & ctx.present("expected_due_date"),
    detail=lambda std, f: (
        "Expected due date and date of birth are both filled in; an unborn child has a due "
        "date only, a born child a date of birth only."
    ),
)


def _adult_check(ctx: RuleContext, f: Field) -> pl.Expr:
    on = pl.coalesce([ctx.typed("offer_date"), ctx.typed("referral_date")])
    eighteenth = ctx.typed("date_of_birth").dt.offset_by("18y")
    return (eighteenth <= on).fill_null(False)


UNDER_18 = Rule(
    code="FGC011",
    severity="error",
    fields=("date_of_birth",),
    message=(
        "The child is 18 or over on the offer date (or referral date); records are for "
        "children under 18."
    ),
    check=_adult_check,
    detail=lambda std, f: (
        "The child is 18 or over on the offer (or referral) date; check the date of birth."
    ),
)

DATE_RULES = (FUTURE, ORDER, BORN_BEFORE_REFERRAL, BIRTH_AND_DUE, UNDER_18)
