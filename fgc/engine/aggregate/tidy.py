"""The tidy (Explore education statistics) layout of the aggregate return: geography columns."""

from __future__ import annotations

import polars as pl

from fgc.standard import ENGLAND_CODE, ENGLAND_NAME, local_authorities

LA_LEVEL = "Local authority"
REGION_LEVEL = "Regional"
NATIONAL_LEVEL = "National"
GEOGRAPHIC_LEVELS: tuple[str, ...] = (NATIONAL_LEVEL, REGION_LEVEL, LA_LEVEL)

ID_COLUMNS: tuple[str, ...] = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "breakdown_topic",
    "breakdown",
)


def la_table() -> pl.DataFrame:
    """Every council (current and legacy codes, so older files still place) with its region."""
    las = local_authorities()
    return pl.DataFrame(
        {
            "la_code": [la.old_la_code for la in las],
            "new_la_code": [la.new_la_code or None for la in las],
            "la_name": [la.name for la in las],
            "region_code": [la.region_code or None for la in las],
            "region_name": [la.region_name or None for la in las],
        },
        schema=dict.fromkeys(
            ("la_code", "new_la_code", "la_name", "region_code", "region_name"), pl.Utf8
        ),
    )


def geography_columns(level: str) -> list[pl.Expr]:
    """Expressions filling the geography columns for a frame at ``level``.

    Council frames carry ``la_code`` and the joined ``la_table`` columns; regional frames carry
    ``region_code`` and ``region_name``; national frames carry neither.
    """
    null = pl.lit(None, dtype=pl.Utf8)
    exprs = [
        pl.lit(level).alias("geographic_level"),
        pl.lit(ENGLAND_CODE).alias("country_code"),
        pl.lit(ENGLAND_NAME).alias("country_name"),
    ]
    if level == NATIONAL_LEVEL:
        exprs += [null.alias(c) for c in ("region_code", "region_name")]
    else:
        exprs += [pl.col("region_code"), pl.col("region_name")]
    if level == LA_LEVEL:
        exprs += [
            pl.col("la_code").alias("old_la_code"),
            pl.col("new_la_code"),
            pl.col("la_name"),
        ]
    else:
        exprs += [null.alias(c) for c in ("old_la_code", "new_la_code", "la_name")]
    return exprs
