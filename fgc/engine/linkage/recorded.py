"""Linked rows from the outcomes a child-level return already carries.

A council's Option 2 return holds each child's 6- and 12-month outcomes (derived from its
SSDA903 file with ``fgc outcomes``, or keyed). At the hub, where only pseudonymised
child-level returns arrive, this turns those rows into the linked schema so comparison and
impact run on them. Only what a return carries can be filled: entering care and days looked
after come from the SSDA903 file itself, so they are blank here, and children not offered an
FGC are not in an FGC return at all.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.derive import add_derived, age_band_expr
from fgc.engine.linkage.outcomes import group_expr, index_date_expr
from fgc.engine.linkage.schema import LINKED_SCHEMA
from fgc.standard import Standard, load_standard

# The standard's living arrangement codes, grouped as the SSDA903 placements are.
RECORDED_LIVING: dict[str, str | None] = {
    "WITH_PARENTS": "WITH_PARENTS",
    "WITH_ONE_PARENT": "WITH_PARENTS",
    "RETURN_HOME": "WITH_PARENTS",
    "MATERNAL_FAMILY": "KINSHIP",
    "PATERNAL_FAMILY": "KINSHIP",
    "FAMILY_FRIEND": "KINSHIP",
    "FOSTER_CARE": "FOSTER_CARE",
    "OTHER_CARE": "OTHER",
    "UNDECIDED": None,
}


def _yes(name: str) -> pl.Expr:
    return pl.when(pl.col(name) == "Y").then(True).when(pl.col(name) == "N").then(False)


def linked_from_returns(frame: pl.DataFrame, standard: Standard | None = None) -> pl.DataFrame:
    """LINKED_SCHEMA rows (one per child, first offer) from child-level return rows."""
    std = standard or load_standard()
    if frame.height == 0:
        return pl.DataFrame(schema=LINKED_SCHEMA)
    typed = add_derived(type_frame(frame, std), std)
    group = group_expr()
    idx = index_date_expr()
    out = (
        typed.lazy()
        .filter(pl.col("child_id").is_not_null() & idx.is_not_null())
        .with_columns(idx.alias("index_date"))
        .sort(["la_code", "child_id", "index_date"])
        .unique(subset=["la_code", "child_id"], keep="first", maintain_order=True)
        .select(
            pl.col("la_code").cast(pl.Utf8),
            pl.col("child_id").alias("child_key"),
            group.alias("group"),
            "index_date",
            (pl.col("stage") == "PLO").fill_null(False).alias("plo"),
            age_band_expr(pl.col("index_date")).alias("age_band"),
            pl.col("sex"),
            pl.col("ethnicity_group"),
            pl.col("disability_group"),
            pl.lit(None, dtype=pl.Boolean).alias("prior_cp_plan"),
            _yes("looked_after_6m").alias("looked_after_6m"),
            _yes("looked_after_12m").alias("looked_after_12m"),
            pl.lit(None, dtype=pl.Boolean).alias("entered_care_12m"),
            pl.lit(None, dtype=pl.Int64).alias("days_looked_after_12m"),
            _yes("proceedings_issued_12m").alias("proceedings_issued_12m"),
            pl.col("living_arrangement_12m")
            .cast(pl.Utf8)
            .replace_strict(RECORDED_LIVING, default=None)
            .alias("living_arrangement_12m"),
        )
        .collect()
    )
    return out.cast(pl.Schema(LINKED_SCHEMA))
