"""`fgc validate` and `fgc rules`: exit codes 0/1/2, the report formats, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import polars as pl
from typer.testing import CliRunner

from fgc.cli import app
from tests.engine.rules.builders import REF, frame, plo, row

REF_ARG = ["--reference-date", REF.isoformat()]


def run(*args: object):
    return CliRunner().invoke(app, [*map(str, args)])


def said(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def write(tmp_path: Path, rows: list[dict], name: str = "fgc.csv") -> Path:
    path = tmp_path / name
    df = frame(rows)
    if name.endswith(".xlsx"):
        df.write_excel(path, worksheet="Children")
    else:
        df.write_csv(path)
    return path


def test_clean_file_exits_0(tmp_path: Path) -> None:
    result = run("validate", write(tmp_path, [row()]), *REF_ARG)
    assert result.exit_code == 0, said(result)
    assert "standard 0.1" in said(result)
    assert "No errors or queries" in said(result)


def test_queries_only_exit_0(tmp_path: Path) -> None:
    result = run("validate", write(tmp_path, [plo(offer_in_lbp="N")]), *REF_ARG)
    assert result.exit_code == 0, said(result)
    assert "FGC017" in said(result)


def test_errors_exit_1_with_rule_and_rows(tmp_path: Path) -> None:
    rows = [row(child_id=f"C{i}", sex="X") for i in range(7)]
    result = run("validate", write(tmp_path, rows), *REF_ARG)
    assert result.exit_code == 1, said(result)
    out = said(result)
    assert "FGC002" in out and "7" in out and "2, 3, 4, 5, 6" in out
    assert "Traceback" not in out


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    missing = run("validate", tmp_path / "nope.csv")
    assert missing.exit_code == 2 and "nope.csv" in said(missing)
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x00\x01\x02\xff\xfe" * 100)
    result = run("validate", binary)
    assert result.exit_code == 2, said(result)
    assert "Traceback" not in said(result)


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, [row()])
    assert run("validate", path, "--format", "pdf").exit_code == 2
    assert run("validate", path, "--format", "xlsx").exit_code == 2  # needs --output
    bad_date = run("validate", path, "--reference-date", "31/03/2026")
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in said(bad_date)


def test_json_output(tmp_path: Path) -> None:
    path = write(tmp_path, [row(), row(child_id="C2", sex="X")])
    result = run("validate", path, "--format", "json", *REF_ARG)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["standard_version"] == "0.1" and data["rows"] == 2
    assert data["source"] == "fgc.csv"
    (err,) = data["errors"]
    assert (err["row"], err["field"], err["value"], err["code"]) == (3, "sex", "X", "FGC002")
    assert data["queries"] == []


def test_json_output_to_file_is_the_stdout_report(tmp_path: Path) -> None:
    path = write(tmp_path, [row(), row(child_id="C2", sex="X"), row(child_id="C3", sex="Z")])
    out = tmp_path / "report.json"
    to_file = run("validate", path, "--format", "json", "--output", out, *REF_ARG)
    to_stdout = run("validate", path, "--format", "json", *REF_ARG)
    assert to_file.exit_code == to_stdout.exit_code == 1
    assert out.read_bytes() == to_stdout.stdout_bytes
    assert json.loads(out.read_text(encoding="utf-8"))["errors"]


def test_csv_output_to_file(tmp_path: Path) -> None:
    path = write(tmp_path, [row(sex="X")])
    out = tmp_path / "report.csv"
    result = run("validate", path, "--format", "csv", "--output", out, *REF_ARG)
    assert result.exit_code == 1
    report = pl.read_csv(out)
    assert report.columns == [
        "row",
        "episode_id",
        "child_id",
        "field",
        "value",
        "code",
        "severity",
        "message",
    ]
    assert report["code"].to_list() == ["FGC002"]


def test_xlsx_input_and_output(tmp_path: Path) -> None:
    path = write(tmp_path, [row(), row(child_id="C2", ethnicity=None)], "fgc.xlsx")
    out = tmp_path / "report.xlsx"
    result = run("validate", path, "--sheet", "Children", "-f", "xlsx", "-o", out, *REF_ARG)
    assert result.exit_code == 1, said(result)
    wb = openpyxl.load_workbook(out)
    assert {"About", "Summary", "Findings"} <= set(wb.sheetnames)
    findings = list(wb["Findings"].iter_rows(values_only=True))
    assert findings[0][:6] == ("row", "episode_id", "child_id", "field", "value", "code")
    assert findings[1][0] == 3 and findings[1][5] == "FGC001"


def test_text_output_to_file(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = run("validate", write(tmp_path, [row(sex="X")]), "-o", out, *REF_ARG)
    assert result.exit_code == 1
    assert "FGC002" in out.read_text() and "standard 0.1" in out.read_text()


def test_rules_command_matches_docs(tmp_path: Path) -> None:
    result = run("rules")
    assert result.exit_code == 0
    docs = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert result.stdout == docs.read_text(encoding="utf-8")


def _aggregate_return(tmp_path: Path, suffix: str) -> Path:
    from fgc.synth import generate

    child = tmp_path / "fgc.csv"
    generate(["805", "806"], ["2025-26"], seed=3).write_csv(child)
    out = tmp_path / f"return{suffix}"
    agg = run("aggregate", child, "--period", "2025-26", "--output", out)
    assert agg.exit_code == 0, said(agg)
    return out


def test_an_aggregate_return_is_checked_as_one(tmp_path: Path) -> None:
    # The README's own `fgc aggregate … --output return.xlsx` crashed `fgc validate` with a
    # ShapeError traceback (issue 11).
    for suffix in (".csv", ".xlsx"):
        result = run("validate", _aggregate_return(tmp_path, suffix))
        text = said(result)
        assert result.exit_code == 0, text
        assert "is an Option 1 aggregate return" in text
        assert "128 rows checked" in text and "No errors or queries" in text
        assert "Traceback" not in text


def test_a_broken_aggregate_total_is_reported(tmp_path: Path) -> None:
    path = _aggregate_return(tmp_path, ".csv")
    tidy = pl.read_csv(path, infer_schema=False)
    la_total = (pl.col("geographic_level") == "Local authority") & (
        pl.col("breakdown_topic") == "Total"
    )
    tidy = tidy.with_columns(
        pl.when(la_total & (pl.col("old_la_code") == "805"))
        .then(pl.lit("999999"))
        .otherwise(pl.col("families_offered"))
        .alias("families_offered")
    )
    tidy.write_csv(path)
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1, said(result)
    codes = {e["code"] for e in json.loads(result.stdout)["errors"]}
    assert codes and all(c.startswith("AGG") for c in codes)


def test_a_header_only_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("la_code,episode_id,child_id\n")
    result = run("validate", path)
    assert result.exit_code == 1
    assert "FGC028" in said(result)


def test_a_zip_bomb_is_refused_without_a_traceback(tmp_path: Path, monkeypatch) -> None:
    from tests.formats.test_limits import bomb

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(200_000))
    monkeypatch.setenv("FGC_MAX_ROWS", "1000")
    monkeypatch.setenv("FGC_MAX_COMPRESSION_RATIO", "100000")
    result = run("validate", path)
    assert result.exit_code == 2
    assert "bomb.xlsx: worksheet sheet1 has" in said(result) and "rows" in said(result)
    assert "ShapeError" not in said(result) and "Traceback" not in said(result)


def test_an_unexpected_fault_is_one_plain_line(monkeypatch, capsys) -> None:
    import pytest

    import fgc.cli as cli

    def boom() -> None:
        raise RuntimeError("internal detail nobody should see")

    monkeypatch.setattr(cli, "app", boom)
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "unexpected problem (RuntimeError)" in err
    assert "internal detail" not in err


def test_a_file_without_time_period_cannot_be_a_tidy_aggregate() -> None:
    # validate_cmd._aggregate looks for this column before importing the aggregate engine.
    from fgc.engine.aggregate import ID_COLUMNS

    assert ID_COLUMNS[0] == "time_period"
