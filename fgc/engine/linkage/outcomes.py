"""Each FGC child's outcomes, derived from the council's SSDA903 episodes (and CIN census).

Definitions (docs/insight.md, "Outcomes from SSDA903 and the CIN census"):

* index date: the letter before proceedings date where there is one, else the offer date;
* ``looked_after_6m`` / ``_12m``: an episode is open on index + 6 / 12 calendar months
  (DECOM on or before that day, DEC empty or after it); null while that day is after the
  as-at date (not yet due);
* ``entered_care_12m``: a period of care started (RNE ``S``) after the index date and on or
  before index + 12 months;
* ``days_looked_after_12m``: days in care from the index date up to index + 12 months;
* ``proceedings_issued_12m``: the FGC record's care application date, or a care order (LS
  C1 or C2) starting, on or after the index date and on or before index + 12 months;
* ``living_arrangement_12m``: the placement open at index + 12 months, grouped
  (``LIVING_ARRANGEMENTS``), or ``NOT_LOOKED_AFTER``.

Every 12-month outcome is null until index + 12 months has passed. A child is one row: the
earliest index date among their FGC episodes (the first time the family was offered one).
Everything is one lazy polars plan: a million FGC children against three million episodes
needs no Python per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.derive import add_derived, age_band_expr
from fgc.engine.linkage.schema import (
    GROUP_DECLINED,
    GROUP_HELD,
    GROUP_NOT_OFFERED,
    GROUP_OFFERED_NO_MEETING,
    LINKED_SCHEMA,
)
from fgc.standard import Standard, load_standard
from fgc.statutory.layout import CARE_ORDERS, PLACE_LIVING

OUTPUT_COLUMNS: tuple[str, ...] = (
    "la_code",
    "child_id",
    "index_date",
    "looked_after_6m",
    "looked_after_12m",
    "entered_care_12m",
    "days_looked_after_12m",
    "proceedings_issued_12m",
    "living_arrangement_12m",
)
YN_OUTCOMES: tuple[str, ...] = (
    "looked_after_6m",
    "looked_after_12m",
    "entered_care_12m",
    "proceedings_issued_12m",
)


@dataclass(frozen=True)
class MatchReport:
    """How many FGC children the SSDA903 / CIN files hold; who was not found."""

    fgc_children: int
    found_in_ssda903: int
    found_in_cin: int | None
    not_found: list[str]  # child ids in neither file

    def text(self) -> str:
        lines = [
            f"{self.fgc_children:,} FGC children; {self.found_in_ssda903:,} have SSDA903 episodes "
            f"(looked after at some time)"
            + (
                f"; {self.found_in_cin:,} are in the CIN census"
                if self.found_in_cin is not None
                else ""
            )
            + f"; {len(self.not_found):,} are in neither file."
        ]
        if self.not_found:
            shown = ", ".join(self.not_found[:20])
            more = f" and {len(self.not_found) - 20:,} more" if len(self.not_found) > 20 else ""
            lines.append(
                f"Not found: {shown}{more}. A child never looked after has no SSDA903 episodes, "
                "so these are not errors unless you expected them there (check the child id "
                "is the one your case system uses for CHILD / LAchildID)."
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class LinkResult:
    outcomes: pl.DataFrame  # OUTPUT_COLUMNS, one row per FGC child
    linked: pl.DataFrame  # LINKED_SCHEMA: FGC children and pre-proceedings children not offered
    report: MatchReport


def _months(expr: pl.Expr, n: int) -> pl.Expr:
    # Calendar months; 31 January + 1 month is the last day of February.
    return expr.dt.offset_by(f"{n}mo")


def _yn(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.is_null()).then(None).when(expr).then(pl.lit("Y")).otherwise(pl.lit("N"))


def _episode_frame(episodes: pl.DataFrame) -> pl.LazyFrame:
    # Sorted by child then start, so "the previous episode of the same child" is the previous
    # row when its CHILD is the same (cheaper than a window over millions of small groups).
    orders = list(CARE_ORDERS)
    same_child = pl.col("CHILD") == pl.col("CHILD").shift(1)
    prev_order = (same_child & pl.col("LS").shift(1).is_in(orders)).fill_null(False)
    return (
        episodes.lazy()
        .select("CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE")
        .sort(["CHILD", "DECOM"])
        .with_columns((pl.col("LS").is_in(orders) & ~prev_order).alias("_order_starts"))
    )


def derive_outcomes(
    index: pl.LazyFrame, episodes: pl.DataFrame, as_at: date, key: str = "child_key"
) -> pl.LazyFrame:
    """Outcomes for rows of ``index`` (``key``, ``index_date``, ``care_application_date``)."""
    at = pl.lit(as_at)
    idx = pl.col("index_date")
    d6, d12 = _months(idx, 6), _months(idx, 12)
    base = index.with_columns(d6.alias("_d6"), d12.alias("_d12"))
    ep = _episode_frame(episodes)
    joined = base.select(key, "index_date", "_d6", "_d12").join(
        ep, left_on=key, right_on="CHILD", how="inner"
    )

    def open_on(day: str) -> pl.Expr:
        return (pl.col("DECOM") <= pl.col(day)) & (
            pl.col("DEC").is_null() | (pl.col("DEC") > pl.col(day))
        )

    end = pl.min_horizontal(pl.col("DEC").fill_null(pl.col("_d12")), pl.col("_d12"))
    start = pl.max_horizontal(pl.col("DECOM"), idx)
    days = (end - start).dt.total_days().clip(lower_bound=0)
    living = pl.col("PLACE").replace_strict(PLACE_LIVING, default="OTHER")
    per_child = joined.group_by(key).agg(
        open_on("_d6").any().alias("_la6"),
        open_on("_d12").any().alias("_la12"),
        ((pl.col("RNE") == "S") & (pl.col("DECOM") > idx) & (pl.col("DECOM") <= pl.col("_d12")))
        .any()
        .alias("_entered"),
        days.sum().alias("_days"),
        (pl.col("_order_starts") & (pl.col("DECOM") >= idx) & (pl.col("DECOM") <= pl.col("_d12")))
        .any()
        .alias("_order"),
        living.filter(open_on("_d12")).first().alias("_living"),
    )
    due6 = pl.col("_d6") <= at
    due12 = pl.col("_d12") <= at
    app = pl.col("care_application_date")
    applied = ((app >= idx) & (app <= pl.col("_d12"))).fill_null(False)

    def when_due(due: pl.Expr, value: pl.Expr) -> pl.Expr:
        return pl.when(idx.is_null() | ~due).then(None).otherwise(value)

    return base.join(per_child, on=key, how="left").with_columns(
        when_due(due6, pl.col("_la6").fill_null(False)).alias("looked_after_6m"),
        when_due(due12, pl.col("_la12").fill_null(False)).alias("looked_after_12m"),
        when_due(due12, pl.col("_entered").fill_null(False)).alias("entered_care_12m"),
        when_due(due12, pl.col("_days").fill_null(0)).cast(pl.Int64).alias("days_looked_after_12m"),
        when_due(due12, pl.col("_order").fill_null(False) | applied).alias(
            "proceedings_issued_12m"
        ),
        when_due(due12, pl.col("_living").fill_null("NOT_LOOKED_AFTER")).alias(
            "living_arrangement_12m"
        ),
        pl.col("_la6").is_not_null().alias("_in_ssda903"),
    )


# The FGC columns linking reads; typing only these keeps a national file fast.
_NEEDED = (
    "la_code", "episode_id", "child_id", "stage", "lbp_date", "offer_date", "offer_response",
    "conference_date", "meeting_type", "date_of_birth", "expected_due_date", "sex", "ethnicity",
    "disability", "care_application_date", "known_to_csc",
)  # fmt: skip


def group_expr() -> pl.Expr:
    """The comparison group of an FGC record (after ``add_derived``): held, declined, or
    offered with no meeting."""
    return (
        pl.when(pl.col("held"))
        .then(pl.lit(GROUP_HELD))
        .when(pl.col("offer_response") == "DECLINED")
        .then(pl.lit(GROUP_DECLINED))
        .otherwise(pl.lit(GROUP_OFFERED_NO_MEETING))
    )


def index_date_expr() -> pl.Expr:
    """The letter before proceedings date where there is one, otherwise the offer date."""
    return pl.coalesce(pl.col("lbp_date"), pl.col("offer_date"))


def _fgc_children(frame: pl.DataFrame, std: Standard) -> pl.LazyFrame:
    present = [c for c in _NEEDED if c in frame.columns]
    typed = add_derived(type_frame(frame.select(present), std), std)
    group = group_expr()
    idx = index_date_expr()
    return (
        typed.lazy()
        .filter(pl.col("child_id").is_not_null())
        .with_columns(
            idx.alias("index_date"),
            group.alias("group"),
            (pl.col("stage") == "PLO").fill_null(False).alias("plo"),
        )
        .with_columns(age_band_expr(pl.col("index_date")).alias("age_band"))
        .sort(["la_code", "child_id", "index_date"], nulls_last=True)
        .unique(subset=["la_code", "child_id"], keep="first", maintain_order=True)
        .with_columns(pl.col("child_id").alias("child_key"))
    )


def _yn_output(lf: pl.LazyFrame) -> pl.LazyFrame:
    return lf.with_columns(_yn(pl.col(c)).alias(c) for c in YN_OUTCOMES)


def link(
    fgc: pl.DataFrame,
    episodes: pl.DataFrame,
    *,
    as_at: date,
    cin: Sequence[object] | None = None,
    header: pl.DataFrame | None = None,
    standard: Standard | None = None,
) -> LinkResult:
    """Link FGC child-level records to SSDA903 episodes (and, optionally, CIN census children
    as ``fgc.returns.cin.reader.CensusChild``) and derive every outcome.

    ``header`` (``fgc.statutory.read_header``) fills an FGC child's blank date of birth, sex
    or ethnicity, so the comparison's covariates are as complete as the council's data.
    """
    std = standard or load_standard()
    if header is not None:
        fgc = _fill_from_header(fgc, header)
    children = _fgc_children(fgc, std)
    derived = derive_outcomes(children, episodes, as_at).collect()
    cin_children = list(cin or [])
    by_id = {getattr(c, "la_child_id", ""): c for c in cin_children}
    # A CP plan before the index date: a CIN episode with a plan, referred before it.
    cp = pl.DataFrame(
        [
            (getattr(c, "la_child_id", ""), e.referral_date)
            for c in cin_children
            for e in getattr(c, "episodes", ())
            if e.has_cp_plan and e.referral_date is not None
        ],
        schema={"child_id": pl.Utf8, "_cp_referral": pl.Date},
        orient="row",
    )
    first_cp = cp.group_by("child_id").agg(pl.col("_cp_referral").min())
    derived = (
        derived.join(first_cp, on="child_id", how="left")
        .with_columns(
            (pl.col("_cp_referral") < pl.col("index_date")).fill_null(False).alias("prior_cp_plan")
        )
        .drop("_cp_referral")
    )
    outcomes = (
        _yn_output(derived.lazy()).select(OUTPUT_COLUMNS).sort("la_code", "child_id").collect()
    )
    linked_fgc = derived.select(
        "la_code", "child_key", "group", "index_date", "plo", "age_band", "sex",
        "ethnicity_group", "disability_group", "prior_cp_plan", "looked_after_6m",
        "looked_after_12m", "entered_care_12m", "days_looked_after_12m",
        "proceedings_issued_12m", "living_arrangement_12m",
    )  # fmt: skip
    fgc_ids = set(derived["child_id"].to_list()) if cin_children else set()
    la = str(derived["la_code"][0]) if derived.height else ""
    not_offered = _not_offered(cin_children, fgc_ids, episodes, as_at, la=la)
    schema = pl.Schema(LINKED_SCHEMA)
    linked = pl.concat([linked_fgc.cast(schema), not_offered.cast(schema)], how="vertical")
    missing = derived.filter(~pl.col("_in_ssda903") & ~pl.col("child_id").is_in(list(by_id)))
    report = MatchReport(
        fgc_children=derived.height,
        found_in_ssda903=int(derived["_in_ssda903"].sum()),
        found_in_cin=(
            int(derived["child_id"].is_in(list(by_id)).sum()) if cin is not None else None
        ),
        not_found=sorted(missing["child_id"].to_list()),
    )
    return LinkResult(outcomes, linked, report)


def _fill_from_header(fgc: pl.DataFrame, header: pl.DataFrame) -> pl.DataFrame:
    h = header.select(
        pl.col("CHILD").alias("child_id"),
        pl.col("DOB").cast(pl.Utf8).alias("_dob"),
        pl.col("SEX").cast(pl.Utf8).replace_strict(_CIN_SEX, default=None).alias("_sex"),
        pl.col("ETHNIC").cast(pl.Utf8).alias("_eth"),
    )
    blank = {"date_of_birth": "_dob", "sex": "_sex", "ethnicity": "_eth"}
    return (
        fgc.join(h, on="child_id", how="left")
        .with_columns(
            pl.when(pl.col(col).is_null() | (pl.col(col).str.strip_chars() == ""))
            .then(pl.col(src))
            .otherwise(pl.col(col))
            .alias(col)
            for col, src in blank.items()
        )
        .drop(list(blank.values()))
    )


_CIN_SEX = {"1": "M", "2": "F", "M": "M", "F": "F", "0": "U", "9": "U", "U": "U"}


def _not_offered(
    cin: list[object], fgc_ids: set[str], episodes: pl.DataFrame, as_at: date, la: str
) -> pl.DataFrame:
    """Children the CIN census shows in pre-proceedings who have no FGC record."""
    from fgc.engine.derive import disability_group_expr, ethnicity_group_expr

    rows = []
    for c in cin:
        cid = getattr(c, "la_child_id", "")
        if not cid or cid in fgc_ids:
            continue
        starts = [
            d
            for e in getattr(c, "episodes", ())
            if e.pp
            for d in (_iso(e.pp.get("LBPSentDate")) or _iso(e.pp.get("PPStartDate")),)
            if d is not None
        ]
        if not starts:
            continue
        idx = min(starts)
        rows.append(
            {
                "la_code": la,
                "child_key": cid,
                "index_date": idx,
                "date_of_birth": getattr(c, "birth_date", None),
                "expected_due_date": getattr(c, "expected_birth_date", None),
                "sex": _CIN_SEX.get(str(getattr(c, "sex", "") or ""), "U"),
                "ethnicity": getattr(c, "ethnicity", None),
                "disability": ";".join(getattr(c, "disabilities", ()) or ()) or None,
                "prior_cp_plan": any(
                    e.has_cp_plan and e.referral_date is not None and e.referral_date < idx
                    for e in getattr(c, "episodes", ())
                ),
                "care_application_date": _iso(
                    next((e.pp.get("CourtAppDate") for e in c.episodes if e.pp), None)  # type: ignore[attr-defined]
                ),
            }
        )
    schema = {
        "la_code": pl.Utf8, "child_key": pl.Utf8, "index_date": pl.Date, "date_of_birth": pl.Date,
        "expected_due_date": pl.Date,
        "sex": pl.Utf8, "ethnicity": pl.Utf8, "disability": pl.Utf8, "prior_cp_plan": pl.Boolean,
        "care_application_date": pl.Date,
    }  # fmt: skip
    if not rows:
        return pl.DataFrame(schema=LINKED_SCHEMA)
    base = (
        pl.DataFrame(rows, schema=schema)
        .lazy()
        .with_columns(
            pl.lit(GROUP_NOT_OFFERED).alias("group"),
            pl.lit(True).alias("plo"),
            age_band_expr(pl.col("index_date")).alias("age_band"),
            ethnicity_group_expr().alias("ethnicity_group"),
            disability_group_expr().alias("disability_group"),
        )
    )
    out = derive_outcomes(base, episodes, as_at).collect()
    return out.select(list(LINKED_SCHEMA))


def _iso(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
