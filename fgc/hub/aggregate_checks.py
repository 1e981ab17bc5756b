"""Structural checks for an uploaded aggregate return (counts already computed by the council).

The child-level rules cannot apply to counts, so an aggregate return is checked for shape:
it must carry at least one declared measure column, and every count must be a whole number
of zero or more (or a suppression mark). Findings use the engine's finding columns.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from fgc.engine.aggregate.measures import AGGREGATE_MEASURES
from fgc.formats.result import ROW_COLUMN
from fgc.standard import load_standard

SUPPRESSION_MARKS = ("c", "x", "z", "low", "")
NO_MEASURES = "AGG01"
NOT_A_COUNT = "AGG02"


def _measure_names() -> list[str]:
    return [m.name for m in AGGREGATE_MEASURES]


def check_aggregate(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
    std = load_standard()
    measures = [c for c in frame.columns if c in set(_measure_names())]
    rows: list[dict[str, Any]] = []
    if not measures:
        rows.append(
            {
                "row": 1,
                "episode_id": None,
                "child_id": None,
                "field": None,
                "value": None,
                "code": NO_MEASURES,
                "severity": "error",
                "message": "The file has no aggregate measure columns (for example "
                f"{_measure_names()[0]}). Use the aggregate return template.",
            }
        )
    row_numbers = (
        frame.get_column(ROW_COLUMN)
        if ROW_COLUMN in frame.columns
        else pl.int_range(2, frame.height + 2, eager=True)
    )
    for name in measures:
        text = frame.get_column(name).cast(pl.Utf8).str.strip_chars().fill_null("")
        is_count = text.str.contains(r"^\d+(\.\d+)?$") | text.str.to_lowercase().is_in(
            list(SUPPRESSION_MARKS)
        )
        bad = pl.DataFrame({"row": row_numbers, "value": text, "ok": is_count}).filter(
            ~pl.col("ok")
        )
        for r in bad.iter_rows(named=True):
            rows.append(
                {
                    "row": int(r["row"]),
                    "episode_id": None,
                    "child_id": None,
                    "field": name,
                    "value": r["value"],
                    "code": NOT_A_COUNT,
                    "severity": "error",
                    "message": "A count must be a whole number of 0 or more, or a "
                    "suppression mark (c, x, z)",
                }
            )
    schema = {
        "row": pl.Int64,
        "episode_id": pl.Utf8,
        "child_id": pl.Utf8,
        "field": pl.Utf8,
        "value": pl.Utf8,
        "code": pl.Utf8,
        "severity": pl.Utf8,
        "message": pl.Utf8,
    }
    findings = pl.DataFrame(rows, schema=schema)
    errors = [r for r in rows if r["severity"] == "error"]
    report = {
        "standard_version": std.version,
        "rows": frame.height,
        "errors": errors,
        "queries": [],
    }
    return findings, report
