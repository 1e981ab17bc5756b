"""`fgc template` and `fgc export child-level | cin | dfe-quarterly`: outputs and messages."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from fgc.cli import app
from fgc.returns.template import is_template, read_template
from fgc.synth import generate

SAMPLE_CENSUS = Path(__file__).parents[1] / "reference_samples" / "CIN_Census_2026_sample.xml"


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def said(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fgc") / "fgc.csv"
    generate(["805"], ["2025-26"], seed=2).write_csv(path)
    return path


def test_template_command(tmp_path):
    out = tmp_path / "template.xlsx"
    result = run("template", "--period", "2025-26", "--la", "805", "--output", out)
    assert result.exit_code == 0, said(result)
    assert is_template(out)
    frame, _ = read_template(out)
    assert set(frame["old_la_code"]) == {"805"} and set(frame["time_period"]) == {"202526"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025-27", "--la", "805"], "--period"),
        (["--period", "2025-26", "--la", "999"], "--la"),
    ],
)
def test_template_bad_arguments(tmp_path, args, message):
    result = run("template", *args, "--output", tmp_path / "t.xlsx")
    assert result.exit_code == 2
    assert message in said(result) and "Traceback" not in said(result)


def test_child_level_needs_a_key(tmp_path, records, monkeypatch):
    monkeypatch.delenv("FGC_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("FGC_PSEUDONYM_KEY_805", raising=False)
    out = tmp_path / "r.csv"
    result = run(
        "export", "child-level", records, "--la", "805", "--period", "2025-26", "--output", out
    )
    assert result.exit_code == 2
    assert "FGC_PSEUDONYM_KEY_805" in said(result)
    assert not out.exists()


def test_child_level_writes_pseudonymised_return(tmp_path, records, monkeypatch):
    monkeypatch.setenv("FGC_PSEUDONYM_KEY_805", "a-council-secret")
    out = tmp_path / "r.csv"
    result = run(
        "export", "child-level", records, "--la", "805", "--period", "2025-26", "--output", out
    )
    assert result.exit_code == 0, said(result)
    written = pl.read_csv(out, infer_schema=False)
    original = pl.read_csv(records, infer_schema=False)
    assert not set(written["child_id"]) & set(original["child_id"])
    assert written["date_of_birth"].drop_nulls().str.ends_with("-01").all()


def test_export_cin(tmp_path, records):
    out, report = tmp_path / "cin.xml", tmp_path / "recon.csv"
    result = run(
        "export", "cin", records, "--census", SAMPLE_CENSUS, "--output", out, "--report", report
    )
    assert result.exit_code == 0, said(result)
    assert out.read_bytes().startswith(SAMPLE_CENSUS.read_bytes()[:200])
    kinds = set(pl.read_csv(report)["kind"])
    assert "fgc_child_not_in_census" in kinds
    assert "pre-proceedings blocks" in result.output


def test_export_cin_rejects_hostile_census(tmp_path, records):
    census = tmp_path / "evil.xml"
    census.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE M [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Message><Children>&x;</Children></Message>"
    )
    out = tmp_path / "out.xml"
    result = run("export", "cin", records, "--census", census, "--output", out)
    assert result.exit_code == 2
    assert "evil.xml" in said(result) and "DTD" in said(result)
    assert "Traceback" not in said(result)
    assert not out.exists() and not (tmp_path / "out.xml.part").exists()


def test_dfe_quarterly_command(tmp_path, records):
    out = tmp_path / "q.csv"
    result = run(
        "export",
        "dfe-quarterly",
        records,
        "--la",
        "805",
        "--quarter",
        "2025-26-Q2",
        "--output",
        out,
    )
    assert result.exit_code == 0, said(result)
    assert "Offered prior to or at the letter before proceedings (families)" in result.output
    assert "Families counted when" in result.output
    written = pl.read_csv(out)
    assert written.height == 4 and "counting_rule" in written.columns


def test_dfe_quarterly_needs_a_quarter(records):
    result = run("export", "dfe-quarterly", records, "--la", "805", "--quarter", "2025-26")
    assert result.exit_code == 2
    assert "quarterly" in said(result)
