"""The release's s.31ZA compliance, timeliness and outcomes tables (council rows only).

Every column is a count taken from a measure's numerator or denominator in the
``InsightResult``, so the release and the pages count the same rows; rates are computed by
``fgc.engine.disclosure`` from the (suppressed) counts. Code values are published as the
standard's labels (``release_labels``) and every column has a plain label for the metadata.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.derive import NOT_RECORDED
from fgc.engine.disclosure import TableSpec
from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.engine.insight.flags import COHORTS
from fgc.engine.insight.measures import get_measure
from fgc.engine.insight.outcomes import LIVING_ARRANGEMENT, PLO_SCOPE, outcome_measure
from fgc.engine.insight.release_labels import relabel

# column → (measure, "numerator" | "denominator"), with the column's plain label
Counts = dict[str, tuple[str, str, str]]

COMPLIANCE: Counts = {
    "families_pre_proceedings": (
        "plo_exception_rate",
        "denominator",
        "Families in pre-proceedings (PLO)",
    ),
    "families_letter_sent": (
        "offer_in_lbp_rate",
        "denominator",
        "Families: letter before proceedings sent (no exception)",
    ),
    "families_offer_in_letter": (
        "offer_in_lbp_rate",
        "numerator",
        "Families: FGC offered in the letter before proceedings",
    ),
    "families_exception": (
        "plo_exception_rate",
        "numerator",
        "Families: exception recorded (an offer not in the child's best interests)",
    ),
    "care_applications": (
        "care_app_after_meeting_rate",
        "denominator",
        "Families: care application made",
    ),
    "care_applications_after_meeting": (
        "care_app_after_meeting_rate",
        "numerator",
        "Families: care application preceded by a family meeting",
    ),
}
COMPLIANCE_RATES = (
    (
        "offer_in_letter_rate",
        "families_offer_in_letter",
        "families_letter_sent",
        "offer_in_lbp_rate",
    ),
    ("exception_rate", "families_exception", "families_pre_proceedings", "plo_exception_rate"),
    (
        "care_application_after_meeting_rate",
        "care_applications_after_meeting",
        "care_applications",
        "care_app_after_meeting_rate",
    ),
)
TIMELINESS: Counts = {
    "families_fgc_timed": (
        "within_6_weeks",
        "denominator",
        "Families: FGC held, with a referral date",
    ),
    "families_within_6_weeks": (
        "within_6_weeks",
        "numerator",
        "Families: FGC held within 6 weeks (42 days) of referral",
    ),
    "families_within_12_weeks": (
        "within_12_weeks",
        "numerator",
        "Families: FGC held within 12 weeks (84 days) of referral",
    ),
    # The counts the other medians are taken over (count measures: their flag's count).
    # cohort_families_referred is the fgc_families column of that name: one cell in both.
    "cohort_families_referred": (
        "referred_families",
        "numerator",
        "Families whose FGC journey started in the year: referred to the FGC service",
    ),
    "families_allocated": ("allocated_families", "numerator", "Families: coordinator allocated"),
    "families_reviewed": ("reviewed_families", "numerator", "Families: plan reviewed"),
}
# median column → (median measure, the TIMELINESS count of the families it is taken over).
# The count is the families the measure's denominator flag counts; a median is published
# only where that count is, and its values are above the threshold too: a family whose
# interval is negative (a recording error) is counted with no value
# (``fgc.engine.disclosure.medians``). The number of values is not published.
TIMELINESS_MEDIANS: dict[str, tuple[str, str]] = {
    "median_days_offer_to_referral": ("days_offer_referral", "cohort_families_referred"),
    "median_days_referral_to_allocation": ("days_referral_allocation", "families_allocated"),
    "median_days_referral_to_fgc": ("days_referral_conference", "families_fgc_timed"),
    "median_days_fgc_to_review": ("days_conference_review", "families_reviewed"),
}
TIMELINESS_RATES = (
    ("within_6_weeks_rate", "families_within_6_weeks", "families_fgc_timed", "within_6_weeks"),
    ("within_12_weeks_rate", "families_within_12_weeks", "families_fgc_timed", "within_12_weeks"),
)
# outcome field → (column stem, plain label of those with the outcome)
OUTCOME_FIELDS = {
    "looked_after_12m": "Children looked after at 12 months",
    "proceedings_issued_12m": "Children with care proceedings issued within 12 months",
}
GROUP = "outcome_group"
GROUP_LABEL = "Children's group"
LIVING = "living_arrangement"
# the pre-proceedings (PLO) only outcome tables: table name suffix, column name prefix
PLO_TABLE = "_pre_proceedings"
PLO_PREFIX = "plo_"


def _rows(result: InsightResult, group: str, period: str, topic: str = TOTAL) -> pl.DataFrame:
    return result.table(group).filter(
        (pl.col("geographic_level") == "Local authority")
        & (pl.col("period") == period)
        & (pl.col("breakdown_topic") == topic)
    )


def _pick(rows: pl.DataFrame, counts: Counts, keys: list[str]) -> pl.DataFrame:
    """One column per count, one row per key (council), missing counts 0."""
    parts = [
        rows.filter(pl.col("measure") == m).select(*keys, pl.col(part).alias(col))
        for col, (m, part, _label) in counts.items()
    ]
    out = parts[0]
    for p in parts[1:]:
        out = out.join(p, on=keys, how="full", coalesce=True)
    return out.with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in counts)


def _rates(
    rates: tuple[tuple[str, str, str, str], ...],
) -> tuple[tuple[str, str, str, str], ...]:
    # A rate's label is its measure's, so the release and the pages name it alike.
    return tuple((name, num, den, get_measure(m).label) for name, num, den, m in rates)


def _labels(counts: Counts) -> tuple[tuple[str, str], ...]:
    return tuple((col, label) for col, (_m, _p, label) in counts.items())


def compliance_table(result: InsightResult, period: str) -> TableSpec:
    """s.31ZA: letters before proceedings, the offer in them, exceptions, care applications."""
    frame = _pick(_rows(result, "compliance", period), COMPLIANCE, ["la_code"])
    return TableSpec(
        "fgc_pre_proceedings_compliance",
        frame,
        (),
        tuple(COMPLIANCE),
        _rates(COMPLIANCE_RATES),
        _labels(COMPLIANCE),
    )


def exception_reasons_table(result: InsightResult, period: str) -> TableSpec:
    """Families with an exception recorded, by reason (Total: every exception)."""
    rows = _rows(result, "compliance", period, "exception_reason").filter(
        pl.col("measure") == "plo_exception_reasons"
    )
    col = "families_exception"
    by = rows.select("la_code", pl.col("breakdown").alias("exception_reason"), pl.col("numerator"))
    total = rows.group_by("la_code").agg(pl.col("denominator").first().alias("numerator"))
    frame = pl.concat(
        [
            relabel(by, "exception_reason", "exception_reason"),
            total.with_columns(pl.lit(TOTAL).alias("exception_reason")).select(by.columns),
        ]
    ).select("la_code", "exception_reason", pl.col("numerator").cast(pl.Int64).alias(col))
    return TableSpec(
        "fgc_pre_proceedings_exceptions_by_reason",
        frame,
        ("exception_reason",),
        (col,),
        (),
        ((col, COMPLIANCE[col][2]), ("exception_reason", "Reason for the exception")),
    )


def _medians(result: InsightResult, period: str, level: str) -> pl.DataFrame:
    """One row per area of ``level``: its median days (null: none) and number of values."""
    rows = result.table("timeliness").filter(
        (pl.col("geographic_level") == level)
        & (pl.col("period") == period)
        & (pl.col("breakdown_topic") == TOTAL)
    )
    out = rows.select(pl.col("la_code").alias("area")).unique()
    for col, (measure, _count) in TIMELINESS_MEDIANS.items():
        part = rows.filter(pl.col("measure") == measure).select(
            pl.col("la_code").alias("area"),
            pl.col("value").alias(col),
            pl.col("denominator").cast(pl.Int64).alias(f"{col}_values"),
        )
        out = out.join(part, on="area", how="left")
    return out


def timeliness_table(result: InsightResult, period: str) -> TableSpec:
    """FGCs held within 6 and 12 weeks of referral (of those with a referral date), and the
    median days between the steps beside the count each is taken over."""
    rows = pl.concat(
        [_rows(result, "timeliness", period), _rows(result, "funnel", period)],
        how="diagonal_relaxed",
    )
    frame = _pick(rows, TIMELINESS, ["la_code"]).join(
        _medians(result, period, "Local authority").rename({"area": "la_code"}),
        on="la_code",
        how="left",
    )
    area = pl.concat([_medians(result, period, level) for level in ("Regional", "National")])
    return TableSpec(
        "fgc_timeliness",
        frame,
        (),
        tuple(TIMELINESS),
        _rates(TIMELINESS_RATES),
        _labels(TIMELINESS),
        tuple(
            (col, count, f"{col}_values", get_measure(measure).label)
            for col, (measure, count) in TIMELINESS_MEDIANS.items()
        ),
        area,
    )


def _outcome_counts(prefix: str, scope: str) -> dict[str, tuple[str, str, str]]:
    # per cohort the measure names differ; the columns are the same for every cohort
    out: dict[str, tuple[str, str, str]] = {}
    for field, label in OUTCOME_FIELDS.items():
        out[f"{prefix}children_{field}_known"] = (
            field,
            "denominator",
            f"{label}{scope}: outcome recorded",
        )
        out[f"{prefix}children_{field}"] = (field, "numerator", f"{label}{scope}")
    return out


def _with_total(by: pl.DataFrame, keys: list[str], counts: list[str]) -> pl.DataFrame:
    """Add the outcome group's Total rows: the sum of its groups (they do not overlap)."""
    total = (
        by.group_by(keys)
        .agg(pl.col(c).sum() for c in counts)
        .with_columns(pl.lit(TOTAL).alias(GROUP))
    )
    return pl.concat([by, total.select(by.columns)])


def _scope(plo: bool) -> tuple[str, str, str]:
    """(table name suffix, column prefix, label suffix) of the all-stage or PLO-only tables.

    The PLO tables' columns have their own names: a column name is one cell across the
    release, and a PLO count is not the all-stage count of the same group.
    """
    return (PLO_TABLE, PLO_PREFIX, f", {PLO_SCOPE}") if plo else ("", "", "")


def outcomes_table(result: InsightResult, period: str, plo: bool = False) -> TableSpec:
    """Children looked after / with proceedings at 12 months, of those with it recorded.

    ``plo``: families whose FGC journey was at the pre-proceedings stage only (the trial's
    population), from the ``…_plo`` outcome measures.
    """
    suffix, prefix, scope = _scope(plo)
    spec = _outcome_counts(prefix, scope)
    rows = _rows(result, "outcomes", period)
    parts = []
    for cohort, cohort_label in COHORTS.items():
        counts: Counts = {
            col: (outcome_measure(field, cohort, plo), part, label)
            for col, (field, part, label) in spec.items()
        }
        parts.append(
            _pick(rows, counts, ["la_code"]).with_columns(pl.lit(cohort_label).alias(GROUP))
        )
    by = pl.concat(parts).select("la_code", GROUP, *spec)
    rates = tuple(
        (
            f"{prefix}{field}_rate",
            f"{prefix}children_{field}",
            f"{prefix}children_{field}_known",
            f"{label}{scope}, of those with the outcome recorded (%)",
        )
        for field, label in OUTCOME_FIELDS.items()
    )
    return TableSpec(
        f"fgc_outcomes_12_months{suffix}",
        _with_total(by, ["la_code"], list(spec)),
        (GROUP,),
        tuple(spec),
        rates,
        ((GROUP, GROUP_LABEL), *((c, label) for c, (_f, _p, label) in spec.items())),
    )


def living_arrangement_table(result: InsightResult, period: str, plo: bool = False) -> TableSpec:
    """Children by living arrangement at 12 months (of those with it recorded), by group."""
    suffix, prefix, scope = _scope(plo)
    rows = _rows(result, "outcomes", period, LIVING_ARRANGEMENT)
    col = f"{prefix}children"
    parts = []
    for cohort, cohort_label in COHORTS.items():
        r = rows.filter(pl.col("measure") == outcome_measure(LIVING_ARRANGEMENT, cohort, plo))
        # Only children with it recorded are counted, so "Not recorded" is always empty.
        by = r.filter(pl.col("breakdown") != NOT_RECORDED).select(
            "la_code", pl.col("breakdown").alias(LIVING), pl.col("numerator").alias(col)
        )
        total = r.group_by("la_code").agg(pl.col("denominator").first().alias(col))
        parts += [
            relabel(by, LIVING, "living_arrangement").with_columns(
                pl.lit(cohort_label).alias(GROUP)
            ),
            total.with_columns(pl.lit(TOTAL).alias(LIVING), pl.lit(cohort_label).alias(GROUP)),
        ]
    by_group = pl.concat([p.select("la_code", GROUP, LIVING, col) for p in parts]).with_columns(
        pl.col(col).cast(pl.Int64)
    )
    return TableSpec(
        f"fgc_living_arrangement_12_months{suffix}",
        _with_total(by_group, ["la_code", LIVING], [col]).select("la_code", GROUP, LIVING, col),
        (GROUP, LIVING),
        (col,),
        (),
        (
            (GROUP, GROUP_LABEL),
            (LIVING, "Living arrangement at 12 months"),
            (col, f"Children with their living arrangement at 12 months recorded{scope}"),
        ),
    )


def extra_tables(result: InsightResult, period: str) -> list[TableSpec]:
    """The compliance, timeliness and outcomes tables, in release order."""
    return [
        compliance_table(result, period),
        exception_reasons_table(result, period),
        timeliness_table(result, period),
        outcomes_table(result, period),
        living_arrangement_table(result, period),
        outcomes_table(result, period, plo=True),
        living_arrangement_table(result, period, plo=True),
    ]
