"""Population denominators for the equity measures, counted from a CIN census file.

Counts, once per child, the children in need in the census year (every ``Child`` in the
file), those with a child protection plan in the year (any ``ChildProtectionPlans``), and
those in pre-proceedings (any ``PreProceedingsandFGDM`` block), in total and by the same
characteristic groupings the FGC aggregates use (``fgc.engine.derive``): ethnicity group, age
band on the census reference date, sex and disability (any / none).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from fgc.engine.derive import age_band_expr, disability_group_expr, ethnicity_group_expr
from fgc.formats.xml_safe import XmlSource
from fgc.returns.cin.reader import child_of, iter_census, parse_date
from fgc.standard import Standard, load_standard

# Census Sex: M/F/U from 2024-25; 1 (male), 2 (female), 0/9 (not known) before.
_SEX_CODES = {"M": "M", "F": "F", "U": "U", "1": "M", "2": "F", "0": "U", "9": "U"}

COUNT_COLUMNS: tuple[str, ...] = (
    "children_in_need",
    "children_cp_plan",
    "children_pre_proceedings",
)
BREAKDOWNS: tuple[tuple[str, str], ...] = (
    ("Ethnicity group", "ethnicity_group"),
    ("Age band", "age_band"),
    ("Sex", "sex_label"),
    ("Disability", "disability_group"),
)
TOTAL = "Total"


def read_cin_denominators(source: XmlSource, *, standard: Standard | None = None) -> pl.DataFrame:
    """Children in need / on CP plans / in pre-proceedings, in total and by characteristic.

    Columns: ``la_code``, ``reference_date``, ``breakdown_topic``, ``breakdown`` and the
    ``COUNT_COLUMNS``. Ages are taken on the census ``ReferenceDate`` (31 March if the header
    has none readable).
    """
    std = standard or load_standard()
    la_code: str | None = None
    reference: date | None = None
    rows: list[dict[str, object]] = []
    for node in iter_census(source):
        if node.tag == "Header":
            la_code = node.value("Source/LEA")
            reference = parse_date(node.value("CollectionDetails/ReferenceDate"))
            continue
        if node.tag != "Child":
            continue
        child = child_of(node)
        rows.append(
            {
                "date_of_birth": child.birth_date,
                "expected_due_date": child.expected_birth_date,
                "sex": _SEX_CODES.get((child.sex or "").strip().upper(), "U"),
                "ethnicity": child.ethnicity,
                "disability": ";".join(child.disabilities) or None,
                "cp": any(e.has_cp_plan for e in child.episodes),
                "pp": any(e.pp is not None for e in child.episodes),
            }
        )
    if reference is None:
        today = date.today()
        reference = date(today.year if today.month > 3 else today.year - 1, 3, 31)
    schema = {
        "date_of_birth": pl.Date,
        "expected_due_date": pl.Date,
        "sex": pl.Utf8,
        "ethnicity": pl.Utf8,
        "disability": pl.Utf8,
        "cp": pl.Boolean,
        "pp": pl.Boolean,
    }
    frame = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    sex_labels = {c.code: c.label for c in std.codelists["sex"].codes}
    frame = frame.with_columns(
        age_band_expr(on=pl.lit(reference)).alias("age_band"),
        ethnicity_group_expr(std).alias("ethnicity_group"),
        disability_group_expr().alias("disability_group"),
        pl.col("sex").replace_strict(sex_labels, default="Unknown").alias("sex_label"),
    )
    counts = [
        pl.len().alias("children_in_need"),
        pl.col("cp").sum().alias("children_cp_plan"),
        pl.col("pp").sum().alias("children_pre_proceedings"),
    ]
    parts = [
        frame.select(counts).with_columns(
            pl.lit(TOTAL).alias("breakdown_topic"), pl.lit(TOTAL).alias("breakdown")
        )
    ]
    for topic, column in BREAKDOWNS:
        parts.append(
            frame.group_by(column)
            .agg(counts)
            .sort(column)
            .rename({column: "breakdown"})
            .with_columns(pl.lit(topic).alias("breakdown_topic"))
        )
    out = pl.concat(
        [p.select("breakdown_topic", "breakdown", *COUNT_COLUMNS) for p in parts]
    ).with_columns(pl.col(c).cast(pl.Int64) for c in COUNT_COLUMNS)
    return out.select(
        pl.lit(la_code, dtype=pl.Utf8).alias("la_code"),
        pl.lit(reference).alias("reference_date"),
        pl.all(),
    )
