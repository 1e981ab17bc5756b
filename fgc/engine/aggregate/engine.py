"""Compute the aggregate return from a child-level frame (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from fgc.engine import derive
from fgc.engine.aggregate import measures as ms
from fgc.engine.aggregate.breakdowns import breakdown_values, topic_key_expr
from fgc.engine.aggregate.tidy import (
    GEOGRAPHIC_LEVELS,
    ID_COLUMNS,
    LA_LEVEL,
    NATIONAL_LEVEL,
    REGION_LEVEL,
    geography_columns,
    la_table,
)
from fgc.engine.coerce import type_frame
from fgc.engine.conditions import condition_expr
from fgc.engine.periods import Period
from fgc.standard import Standard, load_standard

StepRule = Callable[[Standard, Period], pl.Expr]


def _in(expr: pl.Expr | str, p: Period) -> pl.Expr:
    col = pl.col(expr) if isinstance(expr, str) else expr
    return col.is_between(pl.lit(p.start), pl.lit(p.end)).fill_null(False)


def _offered_in(p: Period) -> pl.Expr:
    return derive.offered_expr() & _in("offer_date", p)


def _response(code: str) -> pl.Expr:
    return (pl.col("offer_response") == code).fill_null(False)


def _response_not_recorded(std: Standard, p: Period) -> pl.Expr:
    codes = list(std.codelists["offer_response"].values)
    return _offered_in(p) & ~pl.col("offer_response").is_in(codes).fill_null(False)


def _fgdm_facilitated(std: Standard, p: Period) -> pl.Expr:
    conf = pl.col("conference_date")
    in_pre_proceedings = (conf >= pl.col("lbp_date")).fill_null(False) & (
        conf <= pl.col("care_application_date")
    ).fill_null(True)
    return derive.held_expr(std) & _in(conf, p) & in_pre_proceedings


# Which rows a step counts in a period: the one place the counting rules live in code. Each
# Measure's description says the same in words (a test keeps the two lists in step).
STEP_RULES: dict[str, StepRule] = {
    "offered": lambda std, p: _offered_in(p),
    "offered_at_or_before_lbp": lambda std, p: (
        derive.offered_at_or_before_lbp_expr() & _in("offer_date", p)
    ),
    "exceptions": lambda std, p: (
        derive.exception_expr(std) & _in(pl.coalesce("lbp_date", "offer_date"), p)
    ),
    "accepted": lambda std, p: _offered_in(p) & condition_expr(std, "accepted"),
    "declined": lambda std, p: _offered_in(p) & condition_expr(std, "declined"),
    "no_response": lambda std, p: _offered_in(p) & _response("NO_RESPONSE"),
    "pending": lambda std, p: _offered_in(p) & _response("PENDING"),
    "response_not_recorded": _response_not_recorded,
    "referred": lambda std, p: _in("referral_date", p),
    "held": lambda std, p: derive.held_expr(std) & _in("conference_date", p),
    "fgc_held": lambda std, p: derive.fgc_held_expr(std) & _in("conference_date", p),
    "fnm_held": lambda std, p: derive.fnm_held_expr(std) & _in("conference_date", p),
    "fgdm_facilitated": _fgdm_facilitated,
    "plans_agreed": lambda std, p: derive.plan_agreed_expr(std) & _in("conference_date", p),
    "not_held": lambda std, p: derive.accepted_not_held_expr(std) & _in("closure_date", p),
    "reviews_held": lambda std, p: _in("review_date", p),
}

# Median measures: the per-family interval column they take the median of.
MEDIAN_DAYS: dict[str, tuple[str, str]] = {
    "median_days_offer_to_referral": ("offer_date", "referral_date"),
    "median_days_referral_to_conference": ("referral_date", "conference_date"),
}

_TOPIC_RANK = {t: i for i, t in enumerate(ms.BREAKDOWN_TOPICS)}
_LEVEL_RANK = {lv: i for i, lv in enumerate(GEOGRAPHIC_LEVELS)}


def as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else Period.parse(str(period))


def _key(topic: str) -> str:
    return f"k_{_TOPIC_RANK[topic]}"


def _days(name: str) -> str:
    return f"d_{name}"


def _needed_fields(std: Standard) -> set[str]:
    fields = {
        "la_code", "episode_id", "child_id", "date_of_birth", "expected_due_date", "sex",
        "ethnicity", "disability", "stage", "lbp_date", "care_application_date", "offer_date",
        "offer_in_lbp", "exception", "exception_reason", "offer_response", "decline_reason",
        "referral_date", "meeting_type", "conference_date", "plan_agreed", "not_held_reason",
        "review_date", "closure_date",
    }  # fmt: skip
    return fields | {c.field for c in std.conditions.values() if c.field}


def child_frame(frame: pl.DataFrame, std: Standard, p: Period) -> pl.LazyFrame:
    """One row per child per episode with a flag per step (``f_*``), keys and intervals."""
    needed = _needed_fields(std)
    # Every step is dated inside the period, so rows with no event date in it cannot count:
    # drop them before typing (ISO date text compares in date order). A superset is kept, so
    # this only saves time on multi-year files.
    events = [
        f.name
        for f in std.fields_of_type("date")
        if f.name in frame.columns and f.name not in ("date_of_birth", "expected_due_date")
    ]
    if events:
        lo, hi = p.start.isoformat(), p.end.isoformat()
        frame = frame.filter(
            pl.any_horizontal(
                [
                    pl.col(c).cast(pl.Utf8).str.strip_chars().is_between(pl.lit(lo), pl.lit(hi))
                    for c in events
                ]
            )
        )
    typed = type_frame(frame.select([c for c in frame.columns if c in needed]), std)
    lf = derive.distinct_children(
        typed.lazy()
        .with_columns(pl.col("la_code").cast(pl.Utf8))
        .filter(pl.col("la_code").is_not_null())
    )
    flags = [STEP_RULES[step](std, p).alias(f"f_{step}") for step in ms.STEPS]
    keys = [topic_key_expr(t, std).alias(_key(t)) for t in ms.BREAKDOWN_TOPICS if t != ms.TOTAL]
    days = [
        (pl.col(end) - pl.col(start)).dt.total_days().alias(_days(name))
        for name, (start, end) in MEDIAN_DAYS.items()
    ]
    return lf.select("la_code", "episode_id", *flags, *keys, *days).with_columns(
        pl.lit(ms.TOTAL).alias(_key(ms.TOTAL))
    )


def episode_frame(child: pl.LazyFrame) -> pl.LazyFrame:
    """One row per family: ``fam_*`` (any child counted), ``ch_*`` (children counted)."""
    family_keys = [pl.col(_key(t)).first() for t in ms.FAMILY_TOPICS]
    return child.group_by("la_code", "episode_id").agg(
        *[pl.col(f"f_{s}").any().alias(f"fam_{s}") for s in ms.STEPS],
        *[pl.col(f"f_{s}").sum().alias(f"ch_{s}") for s in ms.STEPS],
        *family_keys,
        *[pl.col(_days(n)).min() for n in MEDIAN_DAYS],
    )


def _topic_measures(topic: str) -> tuple[list[ms.Measure], list[ms.Measure]]:
    applicable = [m for m in ms.AGGREGATE_MEASURES if topic in m.topics]
    return (
        [m for m in applicable if m.unit != "days"],
        [m for m in applicable if m.unit == "days"],
    )


def _count_aggs(topic: str, counts: list[ms.Measure]) -> list[pl.Expr]:
    if topic in ms.CHILD_TOPICS:  # child rows: each flagged row is one child
        return [pl.col(f"f_{m.step}").sum().cast(pl.Int64).alias(m.name) for m in counts]
    prefix = {"families": "fam", "children": "ch"}
    return [pl.col(f"{prefix[m.unit]}_{m.step}").sum().cast(pl.Int64).alias(m.name) for m in counts]


def _median_aggs(medians: list[ms.Measure]) -> list[pl.Expr]:
    out = []
    for m in medians:
        d = pl.col(_days(m.name))
        keep = pl.col(f"fam_{m.step}") & d.is_not_null() & (d >= 0)
        out.append(d.filter(keep).median().cast(pl.Float64).alias(m.name))
    return out


def _topic_frames(
    topic: str,
    std: Standard,
    child: pl.LazyFrame,
    episodes: pl.LazyFrame,
    geo: pl.LazyFrame,
    councils: pl.LazyFrame,
) -> list[pl.LazyFrame]:
    counts, medians = _topic_measures(topic)
    count_names = [m.name for m in counts]
    src = child if topic in ms.CHILD_TOPICS else episodes
    key = _key(topic)
    wanted = breakdown_values(topic, std)
    values = pl.LazyFrame(
        {
            "key": [b.key for b in wanted],
            "breakdown": [b.label for b in wanted],
            "_value_rank": list(range(len(wanted))),
        },
        schema={"key": pl.Utf8, "breakdown": pl.Utf8, "_value_rank": pl.Int64},
    )
    src_geo = src.rename({key: "key"}).join(
        geo.select("la_code", "region_code"), on="la_code", how="left"
    )
    la = (
        src.rename({key: "key"})
        .group_by("la_code", "key")
        .agg(*_count_aggs(topic, counts), *_median_aggs(medians))
    )
    la_geo = la.join(geo, on="la_code", how="left")

    def level(units: pl.LazyFrame, on: list[str], results: pl.LazyFrame) -> pl.LazyFrame:
        return (
            units.join(values, how="cross")
            .join(results, on=[*on, "key"], how="left")
            .with_columns(pl.col(count_names).fill_null(0))
        )

    sums = [pl.col(n).sum() for n in count_names]
    region_counts = (
        la_geo.filter(pl.col("region_code").is_not_null()).group_by("region_code", "key").agg(*sums)
    )
    national_counts = la_geo.group_by("key").agg(*sums)
    if medians:  # medians are recomputed from the pooled families, never averaged
        region_counts = region_counts.join(
            src_geo.group_by("region_code", "key").agg(*_median_aggs(medians)),
            on=["region_code", "key"],
            how="left",
        )
        national_counts = national_counts.join(
            src_geo.group_by("key").agg(*_median_aggs(medians)), on="key", how="left"
        )
    regions = (
        councils.join(geo, on="la_code", how="left")
        .select("region_code", "region_name")
        .unique()
        .filter(pl.col("region_code").is_not_null())
    )
    frames = {
        LA_LEVEL: level(councils.join(geo, on="la_code", how="left"), ["la_code"], la),
        REGION_LEVEL: level(regions, ["region_code"], region_counts),
        NATIONAL_LEVEL: level(pl.LazyFrame({"_": [0]}), [], national_counts),
    }
    return [
        f.with_columns(
            *geography_columns(lv),
            pl.lit(topic).alias("breakdown_topic"),
            pl.lit(_TOPIC_RANK[topic]).alias("_topic_rank"),
            pl.lit(_LEVEL_RANK[lv]).alias("_level_rank"),
        )
        for lv, f in frames.items()
    ]


def output_schema() -> dict[str, pl.DataType]:
    """Column names and types of ``aggregate``'s result, in order."""
    schema: dict[str, pl.DataType] = dict.fromkeys(ID_COLUMNS, pl.Utf8())
    for m in ms.AGGREGATE_MEASURES:
        schema[m.name] = pl.Float64() if m.unit == "days" else pl.Int64()
    return schema


def aggregate(
    frame: pl.DataFrame, period: Period | str, *, standard: Standard | None = None
) -> pl.DataFrame:
    """The tidy aggregate return for ``period`` (see ``fgc.engine.aggregate`` for the rules).

    ``frame`` is the child-level text frame as read from a file (extra columns are ignored);
    ``period`` a ``Period`` or its text (``2025-26``, ``2025-26-Q2``; PeriodError if neither).
    Columns: ``ID_COLUMNS`` then one per ``AGGREGATE_MEASURES``; a measure not reported for a
    breakdown topic is null there.
    """
    std = standard or load_standard()
    p = as_period(period)
    # Materialise the two shared frames once: every topic and level reads them, and a lazy
    # plan would recompute them per branch.
    child_df = child_frame(frame, std, p).collect()
    child = child_df.lazy()
    episodes = episode_frame(child).collect().lazy()
    geo = la_table().lazy()
    # Every council in the file gets rows, even one with nothing in this period.
    la = pl.col("la_code").cast(pl.Utf8).str.strip_chars()
    councils = (
        frame.lazy().select(pl.when(la != "").then(la).alias("la_code")).drop_nulls().unique()
    )
    parts: list[pl.LazyFrame] = []
    for topic in ms.BREAKDOWN_TOPICS:
        parts.extend(_topic_frames(topic, std, child, episodes, geo, councils))
    schema = output_schema()
    combined = pl.concat(parts, how="diagonal_relaxed").with_columns(
        pl.lit(p.time_period).alias("time_period"),
        pl.lit(p.time_identifier).alias("time_identifier"),
    )
    present = set(combined.collect_schema().names())
    select = [
        (pl.col(n) if n in present else pl.lit(None)).cast(t).alias(n) for n, t in schema.items()
    ]
    return (
        combined.sort(
            "_level_rank",
            "region_code",
            "old_la_code",
            "_topic_rank",
            "_value_rank",
            nulls_last=False,
        )
        .select(select)
        .collect()
    )
