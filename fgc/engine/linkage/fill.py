"""Fill a child-level return's outcome fields from the derived outcomes.

Only blank cells are filled. Where a coordinator keyed a value that the statutory data
contradict, the keyed value is kept and the disagreement listed, so it can be checked: a
value keyed by hand wins only when someone has looked at why.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.linkage.outcomes import index_date_expr
from fgc.standard import load_standard

# Derived (linked) living arrangement -> the standard's code list, where one code fits.
LIVING_TO_STANDARD: dict[str, str | None] = {
    "WITH_PARENTS": "WITH_PARENTS",
    "KINSHIP": None,  # maternal, paternal or friend: the SSDA903 placement does not say
    "FOSTER_CARE": "FOSTER_CARE",
    "RESIDENTIAL": "OTHER_CARE",
    "OTHER": "OTHER_CARE",
    "NOT_LOOKED_AFTER": None,
}
FILLED: tuple[str, ...] = (
    "looked_after_6m",
    "looked_after_12m",
    "proceedings_issued_12m",
    "living_arrangement_12m",
)
DISAGREEMENT_COLUMNS: tuple[str, ...] = ("la_code", "child_id", "field", "keyed", "derived")


def fill_outcomes(fgc: pl.DataFrame, outcomes: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the FGC frame with blank outcome fields filled, the keyed-vs-derived disagreements).

    ``outcomes`` is ``link(...).outcomes``; a row is filled when its child and index date
    (letter before proceedings, else offer date) match the derived row's.
    """
    std = load_standard()
    typed_idx = type_frame(fgc.select("lbp_date", "offer_date"), std).select(
        index_date_expr().alias("_index")
    )
    derived = outcomes.select(
        "la_code",
        "child_id",
        pl.col("index_date").alias("_index"),
        *(pl.col(f).alias(f"_d_{f}") for f in FILLED if f != "living_arrangement_12m"),
        pl.col("living_arrangement_12m")
        .replace_strict(LIVING_TO_STANDARD, default=None)
        .alias("_d_living_arrangement_12m"),
    )
    work = fgc.with_columns(typed_idx["_index"], pl.int_range(pl.len()).alias("_order")).join(
        derived, on=["la_code", "child_id", "_index"], how="left"
    )
    for f in FILLED:
        if f not in work.columns:
            work = work.with_columns(pl.lit(None, dtype=pl.Utf8).alias(f))
    blank = {f: pl.col(f).is_null() | (pl.col(f).str.strip_chars() == "") for f in FILLED}
    parts = [
        work.filter(
            ~blank[f] & pl.col(f"_d_{f}").is_not_null() & (pl.col(f) != pl.col(f"_d_{f}"))
        ).select(
            "la_code",
            "child_id",
            pl.lit(f).alias("field"),
            pl.col(f).alias("keyed"),
            pl.col(f"_d_{f}").alias("derived"),
        )
        for f in FILLED
    ]
    disagreements = pl.concat(parts, how="vertical_relaxed")
    columns = [*fgc.columns, *(f for f in FILLED if f not in fgc.columns)]
    filled = (
        work.with_columns(
            pl.when(blank[f]).then(pl.col(f"_d_{f}")).otherwise(pl.col(f)).alias(f) for f in FILLED
        )
        .sort("_order")
        .select(columns)
    )
    return filled, disagreements
