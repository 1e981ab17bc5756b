"""Population denominators for "who is offered compared with who it should serve".

Council upload layout (CSV, UTF-8, one row per group; header exactly as below)::

    la_code,breakdown_topic,breakdown,count
    805,ethnicity_group,White,412
    805,ethnicity_group,Mixed,37
    805,sex,Male,240
    ...

* ``la_code``: DfE 3-digit code.
* ``breakdown_topic``: one of ``ethnicity_group``, ``age_band``, ``sex``, ``disability``.
* ``breakdown``: the group label exactly as the insight tables show it (see
  ``population_categories()``): ethnic major groups from the standard's ethnicity code list,
  the age bands of ``fgc.engine.derive``, the sex code list's labels, and
  ``Any disability`` / ``No disability``.
* ``count``: children in the council's CIN census extract (children in need at 31 March) or
  SSDA903-derived counts in that group — whichever population the service is meant to reach.

Optional column ``source`` names where the counts came from; it is shown beside the figures.

When a council has not uploaded counts for a topic (``fallback_population``):

* **ethnicity**: the council's own ONS Census 2021 shares (all usual residents, all ages),
  shipped in ``fgc/standard/data/census2021_ethnicity_by_la.csv``, source text
  "ONS Census 2021, all usual residents in <council> (all ages)";
* **age, sex, disability**: no per-council figure is published by characteristic, so the
  national reference distribution in ``fgc/standard/data/reference_population_2024.csv``
  (*approximate* national percentages from the DfE "Children in need" 2024 statistics); its
  source text says "national".

An upload replaces the fallback for the topics it covers (``one_source_per_topic``).
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import polars as pl

from fgc.engine.derive import AGE_BAND_LABELS, DISABILITY_ANY, DISABILITY_NONE, ethnicity_groups
from fgc.standard import load_standard

REFERENCE_YEAR = 2024
TOPICS: tuple[str, ...] = ("ethnicity_group", "age_band", "sex", "disability")
SCHEMA = {
    "la_code": pl.Utf8,
    "breakdown_topic": pl.Utf8,
    "breakdown": pl.Utf8,
    "share": pl.Float64,
    "source": pl.Utf8,
}


class PopulationError(ValueError):
    """An uploaded population file that does not follow the documented layout."""


def population_categories() -> dict[str, tuple[str, ...]]:
    std = load_standard()
    return {
        "ethnicity_group": ethnicity_groups(std),
        "age_band": AGE_BAND_LABELS,
        "sex": tuple(c.label for c in std.codelists["sex"].codes),
        "disability": (DISABILITY_ANY, DISABILITY_NONE),
    }


def reference_population(year: int = REFERENCE_YEAR) -> pl.DataFrame:
    """The shipped national distribution as shares (la_code null)."""
    text = (
        resources.files("fgc.standard")
        .joinpath("data", f"reference_population_{year}.csv")
        .read_text("utf-8")
    )
    ref = pl.read_csv(io.StringIO(text), schema_overrides={"percent": pl.Float64})
    return ref.select(
        pl.lit(None, dtype=pl.Utf8).alias("la_code"),
        "breakdown_topic",
        "breakdown",
        (pl.col("percent") / 100).alias("share"),
        "source",
    )


def census_ethnicity_population() -> pl.DataFrame:
    """Each council's ethnic-group shares from the shipped Census 2021 counts (all ages)."""
    text = (
        resources.files("fgc.standard")
        .joinpath("data", "census2021_ethnicity_by_la.csv")
        .read_text("utf-8")
    )
    counts = pl.read_csv(
        io.StringIO(text), schema_overrides={"la_code": pl.Utf8, "usual_residents": pl.Int64}
    )
    return counts.select(
        "la_code",
        pl.lit("ethnicity_group").alias("breakdown_topic"),
        pl.col("ethnicity_group").alias("breakdown"),
        (pl.col("usual_residents") / pl.col("usual_residents").sum().over("la_code")).alias(
            "share"
        ),
        pl.format("ONS Census 2021, all usual residents in {} (all ages)", "la_name").alias(
            "source"
        ),
    )


def fallback_population(year: int = REFERENCE_YEAR) -> pl.DataFrame:
    """What a council without an upload is compared with: its own Census 2021 ethnicity
    shares, and the national reference only for topics with no per-council figure."""
    national = reference_population(year).filter(pl.col("breakdown_topic") != "ethnicity_group")
    return pl.concat([census_ethnicity_population(), national], how="vertical")


def one_source_per_topic(local: pl.DataFrame) -> pl.DataFrame:
    """Per council and topic, only the rows of the first source listed (uploads come first).

    Shares from two sources must not be mixed: an upload of two groups sums to 1 on its own.
    """
    first = pl.col("source").first().over("la_code", "breakdown_topic")
    return local.filter(pl.col("source") == first)


def read_population(path: str | Path) -> pl.DataFrame:
    """Read a council upload in the documented layout and return shares per group."""
    p = Path(path)
    try:
        text = p.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PopulationError(f"{p.name}: cannot read the file ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    need = ("la_code", "breakdown_topic", "breakdown", "count")
    missing = [c for c in need if c not in (reader.fieldnames or [])]
    if missing:
        raise PopulationError(f"{p.name}: missing column(s) {', '.join(missing)}")
    cats = population_categories()
    rows = []
    for i, r in enumerate(reader, start=2):
        topic, group = r["breakdown_topic"].strip(), r["breakdown"].strip()
        if topic not in cats:
            raise PopulationError(
                f"{p.name}, row {i}, breakdown_topic: {topic!r} is not one of {', '.join(TOPICS)}"
            )
        if group not in cats[topic]:
            raise PopulationError(
                f"{p.name}, row {i}, breakdown: {group!r} is not a {topic} group "
                f"(expected one of {', '.join(cats[topic])})"
            )
        try:
            count = int(r["count"].strip())
            if count < 0:
                raise ValueError
        except ValueError:
            raise PopulationError(
                f"{p.name}, row {i}, count: expected a whole number ≥ 0, got {r['count']!r}"
            ) from None
        source = (r.get("source") or "").strip() or f"Council upload ({p.name})"
        rows.append((r["la_code"].strip(), topic, group, count, source))
    return population_from_counts(
        pl.DataFrame(
            rows,
            schema=["la_code", "breakdown_topic", "breakdown", "count", "source"],
            orient="row",
        )
    )


def population_from_counts(counts: pl.DataFrame) -> pl.DataFrame:
    """Counts (la_code, breakdown_topic, breakdown, count[, source]) → shares per topic."""
    if "source" not in counts.columns:
        counts = counts.with_columns(pl.lit("Council upload").alias("source"))
    return counts.with_columns(
        (pl.col("count") / pl.col("count").sum().over("la_code", "breakdown_topic")).alias("share")
    ).select(list(SCHEMA))
