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

When a council has not uploaded counts, the national reference distribution shipped in
``fgc/standard/data/reference_population_2024.csv`` is used. It holds *approximate* national
percentages from the DfE "Children in need" 2024 statistics, and every figure derived from it
carries that source text.
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
