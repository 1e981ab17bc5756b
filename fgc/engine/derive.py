"""Derived columns shared by the engines: age band, ethnicity group, disability, journey flags.

Every engine that counts children or families (aggregate returns, insight measures,
disclosure control) derives these the same way, from a frame typed by
``fgc.engine.coerce.type_frame``. The groupings come from the standard (the ethnicity
code list's ``group``; the standard's conditions for "held", "plan made" and "accepted but
not held"), so a new version of the standard changes them without code changes here.

Families and children: a **family** is one episode, so families are distinct
``(la_code, episode_id)``; a **child** is one row of the child-level return, distinct
``(la_code, episode_id, child_id)``.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from fgc.engine.conditions import condition_expr
from fgc.standard import Standard, load_standard

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

FAMILY_KEY: tuple[str, ...] = ("la_code", "episode_id")
CHILD_KEY: tuple[str, ...] = ("la_code", "episode_id", "child_id")

NOT_RECORDED = "Not recorded"
NOT_KNOWN = "Not known"

UNBORN = "Unborn"
# (label, lowest age in complete years, highest age) — the spec's bands; 18+ is "Not known"
# because a child in the return is under 18 on the offer / referral date (a rule checks it).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 9", 5, 9),
    ("10 to 15", 10, 15),
    ("16 to 17", 16, 17),
)
AGE_BAND_LABELS: tuple[str, ...] = (UNBORN, *(b[0] for b in AGE_BANDS), NOT_KNOWN)

DISABILITY_ANY = "Any disability"
DISABILITY_NONE = "No disability"
DISABILITY_LABELS: tuple[str, ...] = (DISABILITY_ANY, DISABILITY_NONE, NOT_RECORDED)

# Derived column names added by ``add_derived``.
DERIVED_COLUMNS: tuple[str, ...] = (
    "reference_date",
    "age_years",
    "age_band",
    "ethnicity_group",
    "disability_group",
    "offered",
    "offered_at_or_before_lbp",
    "exception_flag",
    "held",
    "fgc_held",
    "fnm_held",
    "plan_agreed_flag",
    "accepted_not_held",
)


def ethnicity_groups(standard: Standard | None = None) -> tuple[str, ...]:
    """The major ethnic groups in the order the ethnicity code list first uses them."""
    std = standard or load_standard()
    groups: list[str] = []
    for code in std.codelists["ethnicity"].codes:
        if code.group and code.group not in groups:
            groups.append(code.group)
    if NOT_KNOWN not in groups:
        groups.append(NOT_KNOWN)
    return tuple(groups)


def ethnicity_group_expr(standard: Standard | None = None) -> pl.Expr:
    """Major ethnic group from the code list's ``group``; blank or unknown codes are Not known."""
    std = standard or load_standard()
    mapping = {c.code: c.group or NOT_KNOWN for c in std.codelists["ethnicity"].codes}
    return (
        pl.col("ethnicity")
        .cast(pl.Utf8)
        .replace_strict(mapping, default=NOT_KNOWN, return_dtype=pl.Utf8)
        .fill_null(NOT_KNOWN)
    )


def reference_date_expr() -> pl.Expr:
    """The date a child's age is taken at: the offer date, or the referral date if no offer."""
    return pl.coalesce(pl.col("offer_date"), pl.col("referral_date"))


def age_years_expr(on: pl.Expr | None = None) -> pl.Expr:
    """Age in complete years on the reference date (null without both dates)."""
    ref = reference_date_expr() if on is None else on
    dob = pl.col("date_of_birth")

    # month() and day() are Int8: widen before scaling, or 12 * 100 overflows.
    def month_day(d: pl.Expr) -> pl.Expr:
        return d.dt.month().cast(pl.Int32) * 100 + d.dt.day().cast(pl.Int32)

    had_birthday = month_day(ref) >= month_day(dob)
    return (
        ref.dt.year().cast(pl.Int64) - dob.dt.year().cast(pl.Int64) - (~had_birthday).cast(pl.Int64)
    )


def age_band_expr(on: pl.Expr | None = None) -> pl.Expr:
    """Age band on the reference date (see ``AGE_BAND_LABELS``).

    Unborn: no date of birth but a due date, or born after the reference date.
    """
    ref = reference_date_expr() if on is None else on
    dob = pl.col("date_of_birth")
    age = age_years_expr(ref)
    unborn = (dob.is_null() & pl.col("expected_due_date").is_not_null()) | (dob > ref).fill_null(
        False
    )
    banded: pl.Expr = pl.lit(NOT_KNOWN)
    for label, low, high in reversed(AGE_BANDS):
        banded = pl.when(age.is_between(low, high)).then(pl.lit(label)).otherwise(banded)
    return pl.when(unborn).then(pl.lit(UNBORN)).otherwise(banded)


def disability_group_expr() -> pl.Expr:
    """Any disability / No disability (``NONE``) / Not recorded (blank)."""
    codes = pl.col("disability").cast(pl.Utf8).str.to_uppercase().str.replace_all(" ", "")
    return (
        pl.when(codes.is_null())
        .then(pl.lit(NOT_RECORDED))
        .when(codes == "NONE")
        .then(pl.lit(DISABILITY_NONE))
        .otherwise(pl.lit(DISABILITY_ANY))
    )


def offered_expr() -> pl.Expr:
    """An FGC / FGDM was offered: the offer date is recorded."""
    return pl.col("offer_date").is_not_null()


def offered_at_or_before_lbp_expr() -> pl.Expr:
    """Offered prior to or at the letter before proceedings (the DfE quarterly item).

    The offer was in the letter (``offer_in_lbp`` = Y), or was dated on or before the letter's
    date. Episodes with no letter before proceedings never count.
    """
    in_letter = (pl.col("offer_in_lbp") == "Y").fill_null(False)
    before = (pl.col("offer_date") <= pl.col("lbp_date")).fill_null(False)
    return offered_expr() & (in_letter | before)


def exception_expr(standard: Standard | None = None) -> pl.Expr:
    return condition_expr(standard or load_standard(), "exception_yes")


def held_expr(standard: Standard | None = None) -> pl.Expr:
    """A meeting (FGC or family network meeting) was held: the conference date is recorded."""
    return condition_expr(standard or load_standard(), "held")


def fgc_held_expr(standard: Standard | None = None) -> pl.Expr:
    """An FGC with an independent coordinator was held; FNMs are never counted as FGCs."""
    return held_expr(standard) & (pl.col("meeting_type") == "FGC").fill_null(False)


def fnm_held_expr(standard: Standard | None = None) -> pl.Expr:
    return held_expr(standard) & (pl.col("meeting_type") == "FNM").fill_null(False)


def plan_agreed_expr(standard: Standard | None = None) -> pl.Expr:
    """A full or partial plan was agreed at a meeting that was held."""
    std = standard or load_standard()
    return held_expr(std) & condition_expr(std, "plan_made")


def accepted_not_held_expr(standard: Standard | None = None) -> pl.Expr:
    """Accepted, closed, and no meeting held (the standard's ``accepted_not_held_closed``)."""
    return condition_expr(standard or load_standard(), "accepted_not_held_closed")


def add_derived(frame: FrameT, standard: Standard | None = None) -> FrameT:
    """Add the ``DERIVED_COLUMNS`` to a typed frame (eager or lazy; returns the same kind)."""
    std = standard or load_standard()
    return frame.with_columns(
        reference_date_expr().alias("reference_date"),
        age_years_expr().alias("age_years"),
        age_band_expr().alias("age_band"),
        ethnicity_group_expr(std).alias("ethnicity_group"),
        disability_group_expr().alias("disability_group"),
        offered_expr().alias("offered"),
        offered_at_or_before_lbp_expr().alias("offered_at_or_before_lbp"),
        exception_expr(std).alias("exception_flag"),
        held_expr(std).alias("held"),
        fgc_held_expr(std).alias("fgc_held"),
        fnm_held_expr(std).alias("fnm_held"),
        plan_agreed_expr(std).alias("plan_agreed_flag"),
        accepted_not_held_expr(std).alias("accepted_not_held"),
    )


def distinct_children(frame: FrameT) -> FrameT:
    """One row per child per episode (the first if a file repeats one; a rule reports it)."""
    return frame.unique(subset=list(CHILD_KEY), keep="first", maintain_order=True)
