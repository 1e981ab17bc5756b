"""`fgc reconcile`: the figures of every output side by side, failing on a name with two."""

from __future__ import annotations

import polars as pl
import pytest
from typer.testing import CliRunner

from fgc.cli import app
from fgc.synth import generate


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("rc") / "fgc.csv"
    generate(["805", "806"], ["2024-25", "2025-26"], seed=7).write_csv(path)
    return str(path)


def test_reconcile_prints_every_output_and_writes_the_figures(records, tmp_path):
    out = tmp_path / "figures.csv"
    result = CliRunner().invoke(
        app, ["reconcile", records, "--la", "805", "--period", "2025-26", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    for title in ("Option 1 aggregate return", "DfE quarterly", "CIN census items"):
        assert title in result.output
    assert "Every column name and label means one number across the 4 outputs." in result.output
    figures = pl.read_csv(out)
    assert figures.columns == ["source", "column", "label", "value", "definition"]
    assert "cohort_families_fgc_held" in figures.get_column("column").to_list()


def test_a_name_with_two_numbers_fails_and_is_named(records, monkeypatch):
    import fgc.returns.crosscheck as crosscheck

    real = crosscheck.crosscheck

    def clashing(*args, **kwargs):
        table = real(*args, **kwargs)
        return table.with_columns(
            pl.when(
                (pl.col("source") == crosscheck.RELEASE)
                & (pl.col("column") == "cohort_families_fgc_held")
            )
            .then(pl.lit("families_fgc_held"))
            .otherwise(pl.col("column"))
            .alias("column")
        )

    monkeypatch.setattr(crosscheck, "crosscheck", clashing)
    result = CliRunner().invoke(app, ["reconcile", records, "--la", "805", "--period", "2025-26"])
    assert result.exit_code == 1
    assert "The column 'families_fgc_held' carries two numbers" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--la", "805", "--period", "2025-26-Q1"], "reconcile a financial year"),
        (["--la", "805", "--period", "2025"], "--period"),
        (["--la", "999", "--period", "2025-26"], "--la"),
        (["--la", "805", "--period", "2025-26", "-o", "x.xlsx"], "written as .csv"),
    ],
)
def test_bad_arguments_are_named(records, args, message):
    result = CliRunner().invoke(app, ["reconcile", records, *args])
    assert result.exit_code == 2
    assert message in result.output


def test_a_file_without_the_standards_columns_is_refused_naming_them(tmp_path):
    # Zeros from absent columns would "reconcile" perfectly: the command must say what is
    # missing instead of printing them.
    path = tmp_path / "tracker.csv"
    path.write_text("la_code,Family name,offer_date\n805,Smith,2025-05-01\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["reconcile", str(path), "--la", "805", "--period", "2025-26"])
    assert result.exit_code == 2
    assert "tracker.csv" in result.output
    for column in ("episode_id", "child_id", "stage", "referral_date", "conference_date"):
        assert f"'{column}'" in result.output
    assert "'offer_date'" not in result.output
    assert "fgc import" in result.output
    assert "Option 1 aggregate return" not in result.output
