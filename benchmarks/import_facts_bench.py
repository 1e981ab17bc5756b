"""Import findings and suggestions on a large tracker: grouping every finding with its rows,
and reading the notes for suggestions, stay small beside validation itself.

Run by hand (not in CI):

    uv run python benchmarks/import_facts_bench.py [--rows 100000]

Prints: validate time, time to group the report's findings (and how many groups and rows),
time to find suggestions in a notes column (one row in four has notes that prompt one).
"""

from __future__ import annotations

import argparse
import io
import time

import polars as pl

from fgc.casework import implicit
from fgc.casework.findings import group_report
from fgc.engine.validate import validate
from fgc.formats import read_table_bytes
from fgc.formats.result import ROW_COLUMN
from fgc.synth import generate

NOTES = ["Parent declined on the phone", "", "Family moved away", "Called gran twice"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    frame = pl.DataFrame()
    years = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
    codes = ["805", "806", "807", "808", "810", "811", "812", "813"]
    while frame.height < args.rows:
        frame = pl.concat([frame, generate(codes, years, seed=frame.height)])
    frame = frame.head(args.rows).with_columns(pl.lit(None, pl.Utf8).alias("sex"))
    frame = frame.with_columns(pl.int_range(2, 2 + frame.height).alias(ROW_COLUMN))

    t = time.perf_counter()
    report = validate(frame)
    validated = time.perf_counter() - t
    t = time.perf_counter()
    groups = group_report(report.findings)
    grouped = time.perf_counter() - t
    print(f"{frame.height:,} rows: validate {validated:.2f} s, {report.findings.height:,} findings")
    print(f"group_report: {grouped:.3f} s, {len(groups)} groups, every row listed")

    notes = pl.Series("Notes", [NOTES[i % 4] for i in range(frame.height)])
    buf = io.BytesIO()
    frame.select(pl.col("episode_id"), notes).write_csv(buf)
    read = read_table_bytes(buf.getvalue(), "tracker.csv")
    t = time.perf_counter()
    found = implicit.suggestions(read, {"notes": ["Notes"]}, frame)
    suggested = time.perf_counter() - t
    print(f"suggestions: {suggested:.2f} s, {len(found):,} suggestions")


if __name__ == "__main__":
    main()
