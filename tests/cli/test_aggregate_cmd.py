"""`fgc aggregate`: outputs, exit codes and messages."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from fgc.cli import app
from fgc.engine.aggregate import AGGREGATE_MEASURES, ID_COLUMNS

SAMPLE = Path(__file__).parents[1] / "engine" / "test_aggregate_sample.csv"


def run(*args: str):
    return CliRunner().invoke(app, ["aggregate", *map(str, args)])


def said(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def with_errors(tmp_path: Path) -> Path:
    """The sample with two errors: an unknown stage code and a missing episode id."""
    rows = list(csv.DictReader(SAMPLE.open(newline="")))
    rows[0]["stage"] = "NOTASTAGE"
    rows[3]["episode_id"] = ""
    path = tmp_path / "errors.csv"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_writes_csv_with_measures_notes(tmp_path: Path) -> None:
    out = tmp_path / "return.csv"
    result = run(SAMPLE, "--period", "2025-26", "--output", out)
    assert result.exit_code == 0, said(result)
    assert "4 councils" in result.output and "2025-04-01 to 2026-03-31" in result.output
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns == [*ID_COLUMNS, *(m.name for m in AGGREGATE_MEASURES)]
    hartlepool = frame.filter(
        (pl.col("old_la_code") == "805") & (pl.col("breakdown_topic") == "Total")
    )
    assert hartlepool["families_offered"].item() == "3"
    notes = pl.read_csv(tmp_path / "return.measures.csv")
    assert notes["measure"].to_list() == [m.name for m in AGGREGATE_MEASURES]


def test_writes_xlsx_with_two_sheets(tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    result = run(SAMPLE, "--period", "2025-26-Q2", "--output", out)
    assert result.exit_code == 0, said(result)
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Aggregate return", "Measures"]
    header = next(book["Aggregate return"].iter_rows(max_row=1, values_only=True))
    assert list(header[: len(ID_COLUMNS)]) == list(ID_COLUMNS)
    second = next(book["Aggregate return"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert second[1] == "Financial year Q2" and second[2] == "National"


def test_la_option_keeps_one_council(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    result = run(SAMPLE, "--period", "2025-26", "--output", out, "--la", "806")
    assert result.exit_code == 0, said(result)
    councils = pl.read_csv(out, infer_schema=False).filter(
        pl.col("geographic_level") == "Local authority"
    )
    assert councils["old_la_code"].unique().to_list() == ["806"]


def test_file_with_errors_is_refused_unless_allowed(tmp_path: Path) -> None:
    bad = with_errors(tmp_path)
    out = tmp_path / "r.csv"
    result = run(bad, "--period", "2025-26", "--output", out)
    assert result.exit_code == 1
    message = said(result)
    assert "errors" in message and "fgc validate" in message and "--allow-errors" in message
    assert not out.exists()
    allowed = run(bad, "--period", "2025-26", "--output", out, "--allow-errors")
    assert allowed.exit_code == 0, said(allowed)
    assert "errors allowed" in allowed.output
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--period", "2025-27"], "--period"),
        (["--period", "Q2"], "--period"),
        (["--period", "2025-26", "--la", "999"], "999"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    result = run(SAMPLE, *args, "--output", tmp_path / "r.csv")
    assert result.exit_code == 2
    assert expected in said(result)
    assert "Traceback" not in said(result)


def test_bad_output_kind_exit_2(tmp_path: Path) -> None:
    result = run(SAMPLE, "--period", "2025-26", "--output", tmp_path / "r.json")
    assert result.exit_code == 2
    assert ".csv or .xlsx" in said(result)


def test_missing_and_unreadable_files_exit_2(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.csv", "--period", "2025-26", "--output", tmp_path / "r.csv")
    assert result.exit_code == 2 and "no such file" in said(result)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01not a workbook\xff" * 10)
    result = run(junk, "--period", "2025-26", "--output", tmp_path / "r.csv")
    assert result.exit_code == 2
    assert "Traceback" not in said(result) and said(result).strip()


def test_no_rows_for_council_exit_1(tmp_path: Path) -> None:
    result = run(SAMPLE, "--period", "2025-26", "--output", tmp_path / "r.csv", "--la", "807")
    assert result.exit_code == 1 and "807" in said(result)
