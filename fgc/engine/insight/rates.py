"""Offers per 10,000 children in need and per 10,000 children in pre-proceedings, by council.

Raw counts of offers rank big councils first; a rate per 10,000 children lets councils of
different sizes be compared. Numerators are the funnel measures ``offered_families`` and
``offered_children`` (headline rows, the period's cohort), exactly as the release counts
them. Denominators:

* **children in need at 31 March**: the DfE figure shipped in
  ``fgc/standard/data/dfe_denominators_2025.csv`` (Characteristics of children in need 2025,
  table B1; sources in the ``.meta.toml`` beside it). A council's own CIN census upload
  (``fgc.returns.cin.denominators``, ``Total`` row) takes precedence, and its source text says
  so: it counts every child in need in the census year, not only those at 31 March.
* **children in pre-proceedings**: only from the council's CIN census upload. DfE publishes
  no pre-proceedings count by council, so without an upload the rate is "not available"
  (``x``), never estimated.

Disclosure: a rate whose numerator is 1 to 5 is suppressed (``c``), like the count it comes
from (``fgc.engine.disclosure``); denominators are published statistics and always shown.
A suppressed or missing denominator (DfE ``c``) gives ``x``.
"""

from __future__ import annotations

import io
import tomllib
from importlib import resources

import polars as pl

from fgc.engine.disclosure import DisclosureConfig, round_half_away
from fgc.engine.disclosure.suppress import PER_10K, format_rate
from fgc.engine.insight.compute import TOTAL, InsightResult
from fgc.standard import ENGLAND_CODE, local_authorities

PER = PER_10K
SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE = "c", "x", "z"
DENOMINATORS_FILE = "dfe_denominators_2025"
NUMERATORS = {"families_offered": "offered_families", "children_offered": "offered_children"}
# rate column → (numerator column, denominator column)
RATES = {
    "families_offered_per_10k_cin": ("families_offered", "children_in_need"),
    "children_offered_per_10k_cin": ("children_offered", "children_in_need"),
    "children_offered_per_10k_pre_proceedings": ("children_offered", "children_pre_proceedings"),
}
PRE_PROCEEDINGS_FOOTNOTE = (
    "DfE publishes no count of children in pre-proceedings by council: the rate per 10,000 "
    "children in pre-proceedings is shown only where the council has uploaded its CIN census."
)


def _data(name: str) -> str:
    return resources.files("fgc.standard").joinpath("data", name).read_text("utf-8")


def shipped_denominators() -> pl.DataFrame:
    """The shipped DfE / ONS denominators, one row per current council (empty = not published)."""
    counts = ("children_in_need_31_march", "children_looked_after_31_march", "population_0_17")
    return pl.read_csv(
        io.StringIO(_data(f"{DENOMINATORS_FILE}.csv")),
        schema_overrides={"la_code": pl.Utf8, **dict.fromkeys(counts, pl.Int64)},
    )


def denominator_sources() -> dict[str, dict[str, str]]:
    """Release, table and year of each shipped denominator (the ``.meta.toml``)."""
    meta = tomllib.loads(_data(f"{DENOMINATORS_FILE}.meta.toml"))
    return {k: v for k, v in meta.items() if isinstance(v, dict)}


def cin_source() -> str:
    s = denominator_sources()["children_in_need_31_march"]
    return f"{s['release']}, {s['table']}"


def format_per_10k(numerator: int | None, denominator: int | None, dp: int = 1) -> str:
    """The published text of a rate per 10,000 (the release's ``format_rate``)."""
    if denominator is None or numerator is None:
        return NOT_AVAILABLE
    return format_rate(numerator, denominator, dp, PER)


def _uploaded_totals(uploaded: pl.DataFrame) -> pl.DataFrame:
    return uploaded.filter(pl.col("breakdown_topic") == TOTAL).select(
        pl.col("la_code").cast(pl.Utf8),
        pl.col("children_in_need").cast(pl.Int64).alias("_up_cin"),
        pl.col("children_pre_proceedings").cast(pl.Int64).alias("_up_pp"),
        pl.format(
            "Council's CIN census upload, reference date {}: children in need in the year",
            pl.col("reference_date").cast(pl.Utf8),
        ).alias("_up_src"),
    )


def offer_rates(
    result: InsightResult,
    period: str,
    *,
    uploaded: pl.DataFrame | None = None,
    config: DisclosureConfig | None = None,
) -> pl.DataFrame:
    """One row per council with an FGC service: counts, denominators and rates per 10,000.

    ``uploaded``: councils' CIN census denominators (``read_cin_denominators`` frames,
    concatenated). Columns: la_code, la_name, the ``NUMERATORS``, children_in_need (+ its
    source), children_pre_proceedings, the ``RATES`` (floats, null when not computable) and
    ``published_<column>`` text for each count and rate (``c``, ``x``, ``z`` as in EES).
    """
    cfg = config or DisclosureConfig()
    funnel = result.table("funnel").filter(
        (pl.col("geographic_level") == "Local authority")
        & (pl.col("period") == period)
        & (pl.col("breakdown_topic") == TOTAL)
    )
    out = None
    for col, measure in NUMERATORS.items():
        part = funnel.filter(pl.col("measure") == measure).select(
            "la_code", pl.col("numerator").cast(pl.Int64).alias(col)
        )
        out = part if out is None else out.join(part, on="la_code", how="full", coalesce=True)
    assert out is not None
    den = shipped_denominators().select(
        "la_code", "la_name", pl.col("children_in_need_31_march").alias("_dfe_cin")
    )
    out = out.join(den, on="la_code", how="left")
    if uploaded is not None and uploaded.height:
        out = out.join(_uploaded_totals(uploaded), on="la_code", how="left")
    else:
        out = out.with_columns(
            pl.lit(None, pl.Int64).alias("_up_cin"),
            pl.lit(None, pl.Int64).alias("_up_pp"),
            pl.lit(None, pl.Utf8).alias("_up_src"),
        )
    dfe_src = cin_source()
    out = out.with_columns(
        pl.coalesce("_up_cin", "_dfe_cin").alias("children_in_need"),
        pl.when(pl.col("_up_cin").is_not_null())
        .then(pl.col("_up_src"))
        .when(pl.col("_dfe_cin").is_not_null())
        .then(pl.lit(dfe_src))
        .otherwise(pl.lit(f"Not available: suppressed or not published in {dfe_src}"))
        .alias("children_in_need_source"),
        pl.col("_up_pp").alias("children_pre_proceedings"),
        *(pl.col(c).fill_null(0) for c in NUMERATORS),
    ).drop("_dfe_cin", "_up_cin", "_up_pp", "_up_src")
    out = out.with_columns(
        pl.when(pl.col(d) > 0).then(PER * pl.col(n) / pl.col(d)).alias(r)
        for r, (n, d) in RATES.items()
    )

    def hidden(count: int) -> bool:
        return 1 <= count <= cfg.threshold

    text: dict[str, list[str]] = {f"published_{c}": [] for c in (*NUMERATORS, *RATES)}
    text["published_children_in_need"] = []
    text["published_children_pre_proceedings"] = []
    for r in out.iter_rows(named=True):
        for c in NUMERATORS:
            text[f"published_{c}"].append(SUPPRESSED if hidden(r[c]) else str(r[c]))
        for d in ("children_in_need", "children_pre_proceedings"):
            text[f"published_{d}"].append(NOT_AVAILABLE if r[d] is None else str(r[d]))
        for rate, (n, d) in RATES.items():
            shown = format_per_10k(r[n], r[d], cfg.rate_dp)
            if hidden(r[n]) and shown not in (NOT_AVAILABLE, NOT_APPLICABLE):
                shown = SUPPRESSED
            text[f"published_{rate}"].append(shown)
    return out.with_columns(pl.Series(k, v, dtype=pl.Utf8) for k, v in text.items()).sort("la_code")


AREA_LEVELS = {"Regional": "region", "National": "England"}


def area_offer_rates(
    result: InsightResult,
    period: str,
    *,
    uploaded: pl.DataFrame | None = None,
    config: DisclosureConfig | None = None,
    councils: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Region and England offers per 10,000 children in need, from the ROUNDED counts.

    Definition (the release table ``fgc_offer_rates`` uses the same one, over the DfE figure
    for every council: the pages match it where no council's upload is passed)::

        rate = published area count × 10,000 / Σ children_in_need

    * **published area count**: the region's or England's ``offered_families`` /
      ``offered_children`` numerator rounded to ``config.rounding_base`` (10), halves away from
      zero, exactly as ``fgc.engine.insight.published`` and the release round area counts. A
      non-zero count that rounds to 0 is ``low``: its rate is hidden (null, text ``c``).
    * **Σ children_in_need**: over the councils of that area that are in the result (the
      ``offer_rates`` rows, so a council's CIN census upload counts before the DfE figure).
      If one of them has no figure the area's rate is ``x``: its offers would otherwise be
      counted over too few children.
    * Never the unrounded count: the denominator is public, so the rate would give the exact
      area count back, while the release's suppression protects councils on the basis that
      area counts are known only to ±5.

    One row per area: geographic_level, area_code, councils (how many are summed), the rounded
    counts (null when ``low``), children_in_need, the two ``*_per_10k_cin`` rates (null when
    not computable) and their ``published_*`` text (``c`` over a ``low`` count, as the
    release). ``councils``: the period's ``offer_rates`` frame when the caller already has it
    (``uploaded`` is then ignored).
    """
    cfg = config or DisclosureConfig()
    if councils is None:
        councils = offer_rates(result, period, uploaded=uploaded, config=cfg)
    region_of = {la.old_la_code: la.region_code for la in local_authorities()}
    cin: dict[str, list[int | None]] = {}
    for code, n in councils.select("la_code", "children_in_need").iter_rows():
        for area in (region_of.get(code), ENGLAND_CODE):
            if area is not None:
                cin.setdefault(area, []).append(n)
    funnel = result.table("funnel").filter(
        pl.col("geographic_level").is_in(list(AREA_LEVELS))
        & (pl.col("period") == period)
        & (pl.col("breakdown_topic") == TOTAL)
        & pl.col("measure").is_in(list(NUMERATORS.values()))
    )
    counts: dict[tuple[str, str], tuple[str, float]] = {
        (code, m): (level, n)
        for level, code, m, n in funnel.select(
            "geographic_level", "la_code", "measure", "numerator"
        ).iter_rows()
    }
    rows = []
    for area in sorted({code for code, _m in counts}):
        dens = cin.get(area, [])
        total = None if not dens or any(d is None for d in dens) else sum(d or 0 for d in dens)
        row: dict[str, object] = {"area_code": area, "councils": len(dens)}
        row["children_in_need"] = total
        for col, measure in NUMERATORS.items():
            level, raw = counts.get((area, measure), ("", 0.0))
            row["geographic_level"] = row.get("geographic_level") or level
            shown = round_half_away(raw or 0.0, cfg.rounding_base)
            rate_col = f"{col}_per_10k_cin"
            if raw and shown == 0:
                row[col], row[rate_col], row[f"published_{rate_col}"] = None, None, SUPPRESSED
                continue
            row[col] = shown
            row[rate_col] = PER * shown / total if total else None
            row[f"published_{rate_col}"] = format_per_10k(shown, total, cfg.rate_dp)
        rows.append(row)
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "geographic_level": pl.Utf8,
        "area_code": pl.Utf8,
        "councils": pl.Int64,
        "children_in_need": pl.Int64,
    }
    for col in NUMERATORS:
        schema |= {
            col: pl.Int64,
            f"{col}_per_10k_cin": pl.Float64,
            f"published_{col}_per_10k_cin": pl.Utf8,
        }
    return pl.DataFrame(rows, schema=schema).sort("geographic_level", "area_code")
