"""Row flags and value columns the measures count, from a typed, derived child-level frame.

Every measure's numerator and denominator is one of these columns, so a definition lives in
exactly one place. Shared derivations (age band, ethnicity group, disability, held, plan
agreed, accepted-not-held) come from ``fgc.engine.derive``.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.derive import NOT_KNOWN, NOT_RECORDED, add_derived
from fgc.standard import Standard, load_standard

OUTCOME_FIELDS: tuple[str, ...] = ("looked_after_6m", "looked_after_12m", "proceedings_issued_12m")
COHORTS: dict[str, str] = {
    "held": "Meeting held",
    "offered_no_meeting": "Offered, no meeting (not declined)",
    "declined": "Offered and declined",
}
EXIT_BEFORE_REFERRAL = "Accepted, not referred"
EXIT_BEFORE_ALLOCATION = "Referred, no coordinator allocated"
EXIT_AFTER_ALLOCATION = "Coordinator allocated, no meeting"
EXIT_STAGES: tuple[str, ...] = (EXIT_BEFORE_REFERRAL, EXIT_BEFORE_ALLOCATION, EXIT_AFTER_ALLOCATION)
PARTICIPATED = ("ATTENDED", "ATTENDED_PART", "VIEWS_VIA_ADVOCATE", "VIEWS_OTHER")
PARTICIPATION_NOT_ELIGIBLE = ("UNBORN", "NOT_APPROPRIATE")

# Category columns the ``share`` measures split by (blank → "Not recorded").
CATEGORY_COLUMNS: tuple[str, ...] = (
    "decline_reason",
    "not_held_reason",
    "exception_reason",
    "exit_stage",
    "plan_living_arrangement",
    "living_arrangement_12m",
)
DAY_COLUMNS: tuple[str, ...] = (
    "days_offer_referral",
    "days_referral_allocation",
    "days_referral_conference",
    "days_conference_review",
)
VALUE_COLUMNS: tuple[str, ...] = (*DAY_COLUMNS, "family_feedback", "professional_feedback")


def _eq(name: str, value: str) -> pl.Expr:
    return (pl.col(name).cast(pl.Utf8) == value).fill_null(False)


def _in(name: str, values: tuple[str, ...]) -> pl.Expr:
    return pl.col(name).cast(pl.Utf8).is_in(list(values)).fill_null(False)


def _days(start: str, end: str) -> pl.Expr:
    # Negative intervals are recording errors (a rule reports them); they are left out.
    d = (pl.col(end) - pl.col(start)).dt.total_days()
    return pl.when(d >= 0).then(d).otherwise(None).cast(pl.Float64)


def flag_exprs() -> list[pl.Expr]:
    """The flags that depend only on the standard's columns and ``add_derived``'s."""
    accepted = _eq("offer_response", "ACCEPTED")
    declined = _eq("offer_response", "DECLINED")
    referred = pl.col("referral_date").is_not_null()
    plo = _eq("stage", "PLO")
    return [
        accepted.alias("accepted"),
        declined.alias("declined"),
        _eq("offer_response", "NO_RESPONSE").alias("no_response"),
        _eq("offer_response", "PENDING").alias("pending"),
        referred.alias("referred"),
        (referred & pl.col("allocation_date").is_not_null()).alias("allocated"),
        (pl.col("fgc_held") & pl.col("plan_agreed_flag")).alias("plan_made"),
        (pl.col("fgc_held") & _eq("plan_agreed", "FULL")).alias("plan_full"),
        (
            pl.col("fgc_held") & pl.col("plan_agreed_flag") & pl.col("review_date").is_not_null()
        ).alias("reviewed"),
        pl.col("accepted_not_held").alias("not_held"),
        pl.when(~pl.col("accepted_not_held"))
        .then(None)
        .when(~referred)
        .then(pl.lit(EXIT_BEFORE_REFERRAL))
        .when(pl.col("allocation_date").is_null())
        .then(pl.lit(EXIT_BEFORE_ALLOCATION))
        .otherwise(pl.lit(EXIT_AFTER_ALLOCATION))
        .alias("exit_stage"),
        _days("offer_date", "referral_date").alias("days_offer_referral"),
        _days("referral_date", "allocation_date").alias("days_referral_allocation"),
        pl.when(pl.col("fgc_held"))
        .then(_days("referral_date", "conference_date"))
        .alias("days_referral_conference"),
        pl.when(pl.col("fgc_held"))
        .then(_days("conference_date", "review_date"))
        .alias("days_conference_review"),
        plo.alias("plo"),
        (plo & pl.col("lbp_date").is_not_null() & ~pl.col("exception_flag")).alias("plo_letter"),
        _eq("offer_in_lbp", "Y").alias("offer_in_lbp_yes"),
        (plo & pl.col("exception_flag")).alias("plo_exception"),
        (plo & accepted).alias("plo_accepted"),
        (
            pl.col("care_application_date").is_not_null()
            & (
                pl.col("conference_date").is_null()
                | (pl.col("care_application_date") < pl.col("conference_date"))
            )
        ).alias("care_app_before_meeting"),
        pl.col("care_application_date").is_not_null().alias("care_application"),
        # A meeting held on or before the care application's date preceded it.
        (
            pl.col("care_application_date").is_not_null()
            & pl.col("held")
            & (pl.col("conference_date") <= pl.col("care_application_date")).fill_null(False)
        ).alias("care_app_after_meeting"),
        pl.col("held").alias("cohort_held"),
        (pl.col("offered") & ~declined & ~pl.col("held")).alias("cohort_offered_no_meeting"),
        (declined & ~pl.col("held")).alias("cohort_declined"),
        _in("plan_accepted", ("ACCEPTED", "ACCEPTED_WITH_CHANGES")).alias("plan_accepted_yes"),
        _eq("kinship_carer_identified", "Y").alias("kinship_yes"),
        (
            pl.col("fgc_held")
            & pl.col("child_participation").is_not_null()
            & ~_in("child_participation", PARTICIPATION_NOT_ELIGIBLE)
        ).alias("participation_eligible"),
        _in("child_participation", PARTICIPATED).alias("participated"),
        _eq("child_advocate", "Y").alias("advocate_yes"),
        pl.col("family_feedback").is_not_null().alias("family_feedback_received"),
        pl.col("professional_feedback").is_not_null().alias("professional_feedback_received"),
        pl.lit(True).alias("any_row"),
    ]


def second_flag_exprs() -> list[pl.Expr]:
    """Flags built from ``flag_exprs``' columns (outcome cohorts × outcome known, all stages
    and pre-proceedings only)."""
    exprs: list[pl.Expr] = [
        (pl.col("reviewed") & pl.col("plan_progress").is_not_null()).alias("review_progress"),
        _eq("plan_progress", "ON_TRACK").alias("on_track"),
        (pl.col("fgc_held") & pl.col("referral_date").is_not_null()).alias("conference_timed"),
        (pl.col("days_referral_conference") <= 42).fill_null(False).alias("within_6w"),
        (pl.col("days_referral_conference") <= 84).fill_null(False).alias("within_12w"),
    ]
    for f in (*OUTCOME_FIELDS, "living_arrangement_12m"):
        known = pl.col(f).is_not_null()
        if f != "living_arrangement_12m":
            exprs.append(_eq(f, "Y").alias(f"{f}_yes"))
        for cohort in COHORTS:
            in_cohort = pl.col(f"cohort_{cohort}") & known
            exprs.append(in_cohort.alias(f"{cohort}__{f}_known"))
            # Pre-proceedings only: the trial's population, so its figures compare like with like.
            exprs.append((in_cohort & pl.col("plo")).alias(f"{cohort}_plo__{f}_known"))
    return exprs


def prepare(frame: pl.DataFrame, standard: Standard | None = None) -> pl.DataFrame:
    """Typed child-level frame → frame with derived columns, flags and the financial year.

    The row's period is the financial year of its anchor date: the offer date, else the
    letter before proceedings (exceptions have no offer), else the referral date.
    """
    std = standard or load_standard()
    out = add_derived(frame, std).with_columns(flag_exprs())
    out = out.with_columns(second_flag_exprs())
    anchor = pl.coalesce(pl.col("offer_date"), pl.col("lbp_date"), pl.col("referral_date"))
    start = anchor.dt.year() - (anchor.dt.month() < 4).cast(pl.Int32)
    period = pl.concat_str(
        start.cast(pl.Utf8), pl.lit("-"), ((start + 1) % 100).cast(pl.Utf8).str.zfill(2)
    )
    stages = {c: c for c in std.codelists["stage"].values}
    sexes = {c.code: c.label for c in std.codelists["sex"].codes}
    cats = [
        pl.col(c).cast(pl.Utf8).fill_null(NOT_RECORDED).alias(c)
        for c in CATEGORY_COLUMNS
        if c != "exit_stage"
    ]
    return out.with_columns(
        period.alias("period"),
        # Unknown codes fall into Not known / Unknown so groups always add up to the total.
        pl.col("stage")
        .cast(pl.Utf8)
        .replace_strict(stages, default=NOT_KNOWN, return_dtype=pl.Utf8)
        .alias("stage_group"),
        pl.col("sex")
        .cast(pl.Utf8)
        .replace_strict(sexes, default=sexes["U"], return_dtype=pl.Utf8)
        .alias("sex_group"),
        *cats,
    )
