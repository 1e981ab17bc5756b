"""The release's table of offer rates per 10,000 children (``fgc_offer_rates``).

Raw counts of offers rank big councils first; a rate per 10,000 children lets councils of
different sizes be compared. The numerators are the release's own counts of families and
children offered an FGC (the same cells as ``fgc_families`` and the children tables, so a
count hidden in one is hidden in all). The denominators are published statistics, shipped
with their sources (``fgc/standard/data/dfe_denominators_2025.meta.toml``), one definition
for every council:

* children in need at 31 March 2025 (DfE, Characteristics of children in need 2025, B1);
* children aged 0 to 17 (ONS mid-2024 population estimates).

A council's own CIN census upload is not used here: it counts every child in need in the
year, a different figure, and the release keeps one definition per column. DfE publishes no
count of children in pre-proceedings by council, so that rate is not in the release; the
council's own pages give it from its upload (``fgc.engine.insight.rates``).
"""

from __future__ import annotations

import polars as pl

from fgc.engine.disclosure import TableSpec
from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.engine.insight.rates import NUMERATORS, shipped_denominators

DENOMINATORS = {
    "children_in_need": "children_in_need_31_march",
    "population_0_17": "population_0_17",
}
PER_10K = (
    (
        "families_offered_per_10k_cin",
        "families_offered",
        "children_in_need",
        "Families offered an FGC per 10,000 children in need",
    ),
    (
        "children_offered_per_10k_cin",
        "children_offered",
        "children_in_need",
        "Children offered an FGC per 10,000 children in need",
    ),
    (
        "children_offered_per_10k_population",
        "children_offered",
        "population_0_17",
        "Children offered an FGC per 10,000 children aged 0 to 17",
    ),
)
LABELS = (
    ("families_offered", "Families: offered an FGC"),
    ("children_offered", "Children offered an FGC"),
    ("children_in_need", "Children in need at 31 March 2025 (DfE)"),
    ("population_0_17", "Children aged 0 to 17, mid-2024 (ONS)"),
)


def offer_rates_table(result: InsightResult, period: str) -> TableSpec:
    """Council rows of offers and their public denominators (empty where DfE gives none)."""
    funnel = result.table("funnel").filter(
        (pl.col("geographic_level") == "Local authority")
        & (pl.col("period") == period)
        & (pl.col("breakdown_topic") == TOTAL)
    )
    frame = shipped_denominators().select(
        pl.col("la_code"), *(pl.col(src).alias(col) for col, src in DENOMINATORS.items())
    )
    counts = [
        funnel.filter(pl.col("measure") == m).select(
            "la_code", pl.col("numerator").cast(pl.Int64).alias(col)
        )
        for col, m in NUMERATORS.items()
    ]
    # Councils with an FGC service only: a region's rate is over the councils in the data.
    out = counts[0]
    for part in counts[1:]:
        out = out.join(part, on="la_code", how="full", coalesce=True)
    out = out.join(frame, on="la_code", how="left").with_columns(
        pl.col(c).fill_null(0) for c in NUMERATORS
    )
    return TableSpec(
        "fgc_offer_rates",
        out.select("la_code", *NUMERATORS, *DENOMINATORS),
        (),
        tuple(NUMERATORS),
        labels=LABELS,
        public=tuple(DENOMINATORS),
        per_10k=PER_10K,
    )
