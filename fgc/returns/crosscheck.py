"""One definition per label: a council's figures in every return and the release, side by side.

The same FGC records feed the Option 1 aggregate return, the DfE quarterly figures, the CIN
census items and the official statistics release. Each output names its figures; this module
lists every figure with its source, column, label and definition, and reports any column name
or label that carries two different numbers (``conflicts``): the rule is that the same name
means the same count everywhere, and a different definition gets a different name.

Used by ``fgc reconcile`` and by the tests that hold every output to that rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from fgc.engine.aggregate import AGGREGATE_MEASURES, DFE_QUARTERLY_MEASURES, LA_LEVEL, aggregate
from fgc.engine.coerce import type_frame
from fgc.engine.insight import compute_measures
from fgc.engine.insight.release import publication_tables
from fgc.engine.periods import Period
from fgc.returns.cin.enrich import pre_proceedings_blocks
from fgc.standard import Standard, load_standard

RETURN = "Option 1 aggregate return"
QUARTERLY = "DfE quarterly (sum of Q1 to Q4)"
CIN = "CIN census items"
RELEASE = "Official statistics release"
SOURCES = (RETURN, QUARTERLY, CIN, RELEASE)

SCHEMA = {
    "source": pl.Utf8,
    "column": pl.Utf8,
    "label": pl.Utf8,
    "value": pl.Int64,
    "definition": pl.Utf8,
}


@dataclass(frozen=True)
class Figure:
    source: str
    column: str
    label: str
    value: int
    definition: str


def _return_figures(frame: pl.DataFrame, la: str, year: Period, std: Standard) -> list[Figure]:
    rows = aggregate(frame, year, standard=std).filter(
        (pl.col("geographic_level") == LA_LEVEL)
        & (pl.col("old_la_code") == la)
        & (pl.col("breakdown_topic") == "Total")
    )
    if rows.is_empty():
        return []
    row = rows.row(0, named=True)
    return [
        Figure(RETURN, m.name, m.label, int(row[m.name] or 0), m.description)
        for m in AGGREGATE_MEASURES
        if m.unit != "days"
    ]


def _quarterly_figures(frame: pl.DataFrame, la: str, year: Period, std: Standard) -> list[Figure]:
    totals = dict.fromkeys((m.name for m in DFE_QUARTERLY_MEASURES), 0)
    for q in range(1, 5):
        rows = aggregate(frame, Period.parse(f"{year.label}-Q{q}"), standard=std).filter(
            (pl.col("geographic_level") == LA_LEVEL)
            & (pl.col("old_la_code") == la)
            & (pl.col("breakdown_topic") == "Total")
        )
        if rows.height:
            row = rows.row(0, named=True)
            for name in totals:
                totals[name] += int(row[name] or 0)
    # A family with meetings in two quarters counts in both: the sum is its own figure, so it
    # carries its own name.
    return [
        Figure(
            QUARTERLY,
            f"{m.name}_sum_of_quarters",
            f"{m.label}: sum of the four quarters",
            totals[m.name],
            f"{m.description}; counted in each quarter, then added up",
        )
        for m in DFE_QUARTERLY_MEASURES
    ]


def _cin_figures(frame: pl.DataFrame, la: str, year: Period, std: Standard) -> list[Figure]:
    blocks = [
        b
        for records in pre_proceedings_blocks(frame.filter(pl.col("la_code") == la), std).values()
        for b in records
        if year.start <= b.lbp_date <= year.end
    ]
    return [
        Figure(
            CIN,
            "cin_pre_proceedings_blocks",
            "Pre-proceedings modules (child and letter before proceedings)",
            len(blocks),
            "one module per child and letter before proceedings dated in the year",
        ),
        Figure(
            CIN,
            "cin_fgdm_meeting_offer_true",
            "FGDMMeetingOffer true",
            sum(1 for b in blocks if b.offer),
            "modules whose FGDM meeting was offered prior to or at the letter before "
            "proceedings (in the letter, or dated on or before it)",
        ),
    ]


def _release_figures(frame: pl.DataFrame, la: str, year: Period, std: Standard) -> list[Figure]:
    result = compute_measures(type_frame(frame, std), year.label)
    if year.label not in result.periods:
        return []
    figures = []
    seen: set[str] = set()
    for spec in publication_tables(result, year.label):
        rows = spec.frame.filter(pl.col("la_code") == la)
        for f in spec.filters:
            rows = rows.filter(pl.col(f) == "Total")
        if rows.is_empty():
            continue
        row = rows.row(0, named=True)
        for column in spec.counts:
            if column in seen:  # the same total repeated in every equity table
                continue
            seen.add(column)
            figures.append(
                Figure(
                    RELEASE,
                    column,
                    spec.label(column),
                    int(row[column] or 0),
                    f"table {spec.name}, the council's total row (before suppression)",
                )
            )
    return figures


def crosscheck(
    frame: pl.DataFrame, la: str, year: Period | str, *, standard: Standard | None = None
) -> pl.DataFrame:
    """Every figure of the council's year in every output: source, column, label, value."""
    std = standard or load_standard()
    p = year if isinstance(year, Period) else Period.parse(str(year))
    if p.quarter is not None:
        raise ValueError(f"{p.label} is a quarter: reconcile a financial year (e.g. 2025-26)")
    la = str(la).strip()
    if "la_code" not in frame.columns:
        frame = frame.with_columns(pl.lit(la).alias("la_code"))
    figures = [
        *_return_figures(frame, la, p, std),
        *_quarterly_figures(frame, la, p, std),
        *_cin_figures(frame, la, p, std),
        *_release_figures(frame, la, p, std),
    ]
    return pl.DataFrame([f.__dict__ for f in figures], schema=SCHEMA)


def conflicts(table: pl.DataFrame) -> pl.DataFrame:
    """Names (a column or a label) that carry more than one value across the outputs."""
    parts = []
    for key in ("column", "label"):
        clash = (
            table.group_by(pl.col(key).str.to_lowercase().alias("name"))
            .agg(
                pl.col("value").n_unique().alias("values"),
                pl.concat_str("source", pl.lit(": "), pl.col("value").cast(pl.Utf8))
                .sort()
                .str.join("; ")
                .alias("seen"),
            )
            .filter(pl.col("values") > 1)
            .select(pl.lit(key).alias("by"), "name", "seen")
        )
        parts.append(clash)
    return pl.concat(parts).sort("by", "name")
