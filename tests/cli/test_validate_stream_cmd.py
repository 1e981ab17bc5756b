"""`fgc validate --stream` (issue 13): the in-memory reports, exit codes 0/1/2, no partial
report on bad input, and automatic streaming for a CSV over the in-memory limits."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from fgc.cli import app
from fgc.synth import generate
from tests.engine.rules.builders import REF, frame, row

REF_ARG = ["--reference-date", REF.isoformat()]


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, [*map(str, args)], env=env)


def said(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def _messy(tmp_path: Path) -> Path:
    base = generate(["805"], ["2024-25"], seed=5, messy=0.2)
    path = tmp_path / "messy.csv"
    pl.concat([base, base.slice(2, 3)]).write_csv(path)
    return path


def test_stream_reports_equal_in_memory_reports(tmp_path: Path) -> None:
    path = _messy(tmp_path)
    for fmt in ("json", "csv", "text"):
        want, got = tmp_path / f"want.{fmt}", tmp_path / f"got.{fmt}"
        a = run("validate", path, "-f", fmt, "-o", want, *REF_ARG)
        b = run("validate", path, "--stream", "-f", fmt, "-o", got, *REF_ARG)
        assert (a.exit_code, b.exit_code) == (1, 1), said(b)
        assert got.read_text(encoding="utf-8") == want.read_text(encoding="utf-8"), fmt
    assert not list(tmp_path.glob(".*partial"))


def test_stream_to_stdout_and_clean_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    frame([row(child_id=f"C{i}") for i in range(5)]).write_csv(path)
    for fmt in ("json", "csv", "text"):
        a = run("validate", path, "-f", fmt, *REF_ARG)
        b = run("validate", path, "--stream", "-f", fmt, *REF_ARG)
        assert (a.exit_code, b.exit_code) == (0, 0), said(b)
        assert b.stdout == a.stdout


def test_stream_refuses_xlsx_input_and_output(tmp_path: Path) -> None:
    book = tmp_path / "fgc.xlsx"
    frame([row()]).write_excel(book)
    result = run("validate", book, "--stream", *REF_ARG)
    assert result.exit_code == 2 and "CSV files only" in said(result)
    assert "Traceback" not in said(result)
    csv = tmp_path / "fgc.csv"
    frame([row()]).write_csv(csv)
    out = tmp_path / "r.xlsx"
    result = run("validate", csv, "--stream", "-f", "xlsx", "-o", out, *REF_ARG)
    assert result.exit_code == 2 and "stream mode" in said(result)
    assert not out.exists()


def test_bad_file_leaves_no_report(tmp_path: Path) -> None:
    lines = frame([row(child_id=f"C{i}") for i in range(40)]).write_csv().splitlines()
    lines[30] += ",extra"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    result = run("validate", bad, "--stream", "-f", "json", "-o", out, *REF_ARG)
    assert result.exit_code == 2, said(result)
    assert "row 31 has" in said(result) and "Traceback" not in said(result)
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


def test_over_the_stream_ceiling(tmp_path: Path) -> None:
    path = tmp_path / "fgc.csv"
    frame([row(child_id=f"C{i}") for i in range(30)]).write_csv(path)
    out = tmp_path / "r.csv"
    result = run(
        "validate",
        path,
        "--stream",
        "-f",
        "csv",
        "-o",
        out,
        *REF_ARG,
        env={"FGC_MAX_STREAM_ROWS": "10"},
    )
    assert result.exit_code == 2 and "more than 10 rows" in said(result)
    assert not out.exists()


def test_a_csv_over_the_memory_limits_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "fgc.csv"
    frame([row(child_id=f"C{i}", sex="X") for i in range(30)]).write_csv(path)
    want = run("validate", path, "-f", "json", *REF_ARG)
    got = run("validate", path, "-f", "json", *REF_ARG, env={"FGC_MAX_ROWS": "10"})
    assert got.exit_code == 1, said(got)
    assert "stream mode" in got.stderr
    assert got.stdout == want.stdout
    refused = run(
        "validate",
        path,
        "-f",
        "xlsx",
        "-o",
        tmp_path / "r.xlsx",
        *REF_ARG,
        env={"FGC_MAX_ROWS": "10"},
    )
    assert refused.exit_code == 2 and "stream mode" in said(refused)


def test_a_csv_over_the_upload_size_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "fgc.csv"
    frame([row(child_id=f"C{i}") for i in range(6000)]).write_csv(path)
    assert path.stat().st_size > 1024 * 1024
    want = run("validate", path, "-f", "csv", *REF_ARG)
    got = run("validate", path, "-f", "csv", *REF_ARG, env={"FGC_MAX_UPLOAD_MB": "1"})
    assert got.exit_code == want.exit_code == 0, said(got)
    assert "stream mode" in got.stderr and got.stdout == want.stdout


def test_no_progress_text_when_not_a_terminal(tmp_path: Path) -> None:
    # CliRunner's stdout and stderr are not terminals, as in a pipe or CI.
    path = _messy(tmp_path)
    for fmt in ("json", "text"):
        got = run("validate", path, "--stream", "-f", fmt, *REF_ARG)
        assert got.exit_code == 1, said(got)
        assert "\r" not in said(got) and "Scanning" not in said(got)
        assert "Checking" not in got.stderr and got.stderr == ""
