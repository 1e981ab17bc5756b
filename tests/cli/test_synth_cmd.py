"""`fgc synth`: writes CSV / XLSX, and refuses bad arguments clearly."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from fgc.cli import app
from fgc.standard import load_standard
from fgc.synth import generate

runner = CliRunner()


def test_writes_a_csv_matching_generate(tmp_path: Path) -> None:
    out = tmp_path / "fgc.csv"
    result = runner.invoke(
        app, ["synth", "--las", "805,806", "--years", "2024-25,2025-26", "--seed", "7",
              "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "rows" in result.output and "2 councils" in result.output
    written = pl.read_csv(out, infer_schema=False)
    expected = generate(["805", "806"], ["2024-25", "2025-26"], seed=7)
    assert written.columns == list(load_standard().field_names)
    assert written.equals(expected)


def test_writes_xlsx_with_messy_rows(tmp_path: Path) -> None:
    out = tmp_path / "fgc.xlsx"
    result = runner.invoke(
        app, ["synth", "--las", "805", "--years", "2025-26", "--messy", "0.05", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheet = pl.read_excel(out, infer_schema_length=0)
    assert sheet.height == generate(["805"], ["2025-26"], messy=0.05).height


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--las", "805,999"], "Unknown local authority code(s): 999"),
        (["--years", "2025-27"], "not a financial year"),
        (["--years", "2030-31"], "starts after the reference date"),
        (["--messy", "2"], "--messy must be a rate"),
        (["--reference-date", "1/11/2026"], "not a date"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "fgc.csv"
    result = runner.invoke(app, ["synth", "--output", str(out), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_refuses_an_unknown_output_type(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--las", "805", "-o", str(tmp_path / "fgc.txt")])
    assert result.exit_code == 2
    assert ".csv or .xlsx" in result.output


def test_synth_statutory_files_link_back(tmp_path):
    from typer.testing import CliRunner

    from fgc.cli import app

    runner = CliRunner()
    out, stat = tmp_path / "fgc.csv", tmp_path / "stat"
    res = runner.invoke(app, ["synth", "--las", "805", "--years", "2025-26", "--seed", "2",
                              "--output", str(out), "--statutory-dir", str(stat)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert {p.name for p in stat.iterdir()} == {
        "ssda903_episodes.csv",
        "ssda903_header.csv",
        "cin_census_805.xml",
    }
    res = runner.invoke(app, ["outcomes", str(out), "--ssda903", str(stat / "ssda903_episodes.csv"),
                              "--ssda903-header", str(stat / "ssda903_header.csv"),
                              "--cin", str(stat / "cin_census_805.xml"), "--as-at", "2026-11-01",
                              "--output", str(tmp_path / "o.csv")])  # fmt: skip
    assert res.exit_code == 0, res.output
