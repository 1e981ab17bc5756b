"""Publication tables for the national release, built from an ``InsightResult``.

One table per equity topic (children offered, accepted and with an FGC held, by group, with
the acceptance and FGC rates), one of family counts, one of offer rates per 10,000 children
(``release_rates``), then the s.31ZA compliance, timeliness
and outcomes tables (``release_tables``). Council rows only: regional and England rows,
rounding and suppression are added by ``fgc.engine.disclosure``. Coded values are published
as the standard's labels and every column has a plain label in the metadata.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.disclosure import TableSpec
from fgc.engine.insight.compute import EQUITY_TOPICS, TOTAL, InsightResult
from fgc.engine.insight.release_labels import relabel
from fgc.engine.insight.release_rates import offer_rates_table
from fgc.engine.insight.release_tables import extra_tables

# indicator column → (measure, take numerator) in the equity / funnel tables.
# The release counts the families whose journey started in the year (its cohort) and follows
# them to the end. Where that differs from a return's count of events dated in the year (a
# return's families_fgc_held counts meetings held in the year), the column is named
# cohort_…: one name, one definition, in every output (fgc.returns.crosscheck checks it).
_CHILD_COUNTS = {
    "children_offered": "offered_children",
    "children_accepted": "acceptance_rate_children",
    "cohort_children_fgc_held": "offer_to_fgc_rate_children",
}
_FAMILY_COUNTS = {
    "families_offered": "offered_families",
    "families_accepted": "accepted_families",
    "families_declined": "declined_families",
    "cohort_families_referred": "referred_families",
    "cohort_families_fgc_held": "fgc_held_families",
    "cohort_families_fnm_held": "fnm_held_families",
    "cohort_families_plan_agreed": "plan_made_families",
}
_COHORT = "Families whose FGC journey started in the year"
_FAMILY_LABELS = (
    ("families_offered", "Families: offered an FGC"),
    ("families_accepted", "Families: offer accepted"),
    ("families_declined", "Families: offer declined"),
    ("cohort_families_referred", f"{_COHORT}: referred to the FGC service"),
    ("cohort_families_fgc_held", f"{_COHORT}: FGC held, at any date"),
    ("cohort_families_fnm_held", f"{_COHORT}: family network meeting held, at any date"),
    ("cohort_families_plan_agreed", f"{_COHORT}: plan agreed, at any date"),
)
# equity topics whose values are codes of one of the standard's code lists
_CODED_TOPICS = {"stage": "stage"}
_RATES = (
    ("children_acceptance_rate", "children_accepted", "children_offered", "Offers accepted (%)"),
    (
        "children_fgc_rate",
        "cohort_children_fgc_held",
        "children_offered",
        "Offers leading to an FGC (%)",
    ),
)
_LABELS = (
    ("children_offered", "Children offered an FGC"),
    ("children_accepted", "Children whose family accepted"),
    ("cohort_children_fgc_held", "Of the children offered an FGC in the year: FGC held"),
    ("ethnicity_group", "Ethnic group"),
    ("age_band", "Age band"),
    ("sex", "Sex"),
    ("disability", "Disability"),
    ("stage", "Stage at offer"),
)


def _wide(rows: pl.DataFrame, counts: dict[str, str], keys: list[str]) -> pl.DataFrame:
    parts = [
        rows.filter(pl.col("measure") == m).select(*keys, pl.col("numerator").alias(col))
        for col, m in counts.items()
    ]
    out = parts[0]
    for p in parts[1:]:
        out = out.join(p, on=keys, how="full", coalesce=True)
    return out.with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in counts)


def publication_tables(result: InsightResult, period: str) -> list[TableSpec]:
    la_rows = pl.col("geographic_level") == "Local authority"
    in_period = pl.col("period") == period
    specs: list[TableSpec] = []
    totals = result.table("funnel").filter(
        la_rows & in_period & (pl.col("breakdown_topic") == TOTAL)
    )
    fam = _wide(totals, _FAMILY_COUNTS, ["la_code"])
    specs.append(
        TableSpec(
            "fgc_families",
            fam,
            (),
            tuple(_FAMILY_COUNTS),
            (
                (
                    "families_fgc_rate",
                    "cohort_families_fgc_held",
                    "families_offered",
                    "Offers leading to an FGC (families, %)",
                ),
            ),
            _FAMILY_LABELS,
        )
    )
    specs.append(offer_rates_table(result, period))
    child_totals = _wide(totals, _CHILD_COUNTS, ["la_code"])
    eq = result.table("equity").filter(la_rows & in_period)
    for topic in EQUITY_TOPICS:
        by = _wide(
            eq.filter(pl.col("breakdown_topic") == topic), _CHILD_COUNTS, ["la_code", "breakdown"]
        )
        by = by.rename({"breakdown": topic})
        if topic in _CODED_TOPICS:
            by = relabel(by, topic, _CODED_TOPICS[topic])
        frame = pl.concat(
            [
                by,
                child_totals.with_columns(pl.lit(TOTAL).alias(topic)).select(
                    "la_code", topic, *_CHILD_COUNTS
                ),
            ],
            how="diagonal",
        )
        specs.append(
            TableSpec(
                f"fgc_children_by_{topic}", frame, (topic,), tuple(_CHILD_COUNTS), _RATES, _LABELS
            )
        )
    return [*specs, *extra_tables(result, period)]
