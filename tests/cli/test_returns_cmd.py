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


def census_file(tmp_path: Path, reference: str = "2026-03-31", lea: str = "805") -> Path:
    """The DfE-shaped sample with its (fake) header set to a census year and council."""
    data = SAMPLE_CENSUS.read_bytes()
    data = data.replace(
        b"<ReferenceDate>2024-03-31</ReferenceDate>",
        f"<ReferenceDate>{reference}</ReferenceDate>".encode(),
    )
    path = tmp_path / f"cin-{lea}-{reference}.xml"
    path.write_bytes(data.replace(b"<LEA>201</LEA>", f"<LEA>{lea}</LEA>".encode()))
    return path  # fmt: skip


def test_export_cin(tmp_path, records):
    out, report = tmp_path / "cin.xml", tmp_path / "recon.csv"
    census = census_file(tmp_path)
    result = run("export", "cin", records, "--census", census, "--output", out, "--report", report)
    assert result.exit_code == 0, said(result)
    assert out.read_bytes().startswith(census.read_bytes()[:200])
    kinds = set(pl.read_csv(report)["kind"])
    assert "fgc_child_not_in_census" in kinds
    assert "pre-proceedings blocks" in result.output
    assert "DfE 2026-27 pre-proceedings rules on the enriched file" in result.output


def test_export_cin_refuses_another_councils_census(tmp_path, records):
    out = tmp_path / "out.xml"
    result = run("export", "cin", records, "--census", census_file(tmp_path, lea="806"),
                 "--output", out)  # fmt: skip
    assert result.exit_code == 2
    assert "census of council 806" in said(result) and "council 805" in said(result)
    assert not out.exists() and not (tmp_path / "out.xml.part").exists()


def test_export_cin_refuses_last_years_census(tmp_path, records):
    out = tmp_path / "out.xml"
    result = run("export", "cin", records, "--census", census_file(tmp_path, "2025-03-31"),
                 "--output", out)  # fmt: skip
    assert result.exit_code == 2
    assert "census for 2024-25" in said(result) and "Nothing was written" in said(result)
    assert not out.exists()


def test_export_cin_will_not_write_items_that_break_a_dfe_rule(tmp_path):
    census = tmp_path / "cin.xml"
    census.write_bytes(
        b"<Message><Header><CollectionDetails><ReferenceDate>2027-03-31</ReferenceDate>"
        b"</CollectionDetails><Source><LEA>805</LEA></Source></Header><Children><Child>"
        b"<ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers><CINdetails>"
        b"<CINreferralDate>2026-05-01</CINreferralDate><PreProceedingsandFGDM>"
        b"<PPStartDate>2026-06-10</PPStartDate></PreProceedingsandFGDM></CINdetails>"
        b"</Child></Children></Message>"
    )
    records = tmp_path / "fgc.csv"
    pl.DataFrame(
        {"la_code": ["805"], "episode_id": ["E1"], "child_id": ["C1"], "known_to_csc": ["Y"],
         "stage": ["PLO"], "lbp_date": ["2026-06-01"], "offer_in_lbp": ["Y"],
         "offer_date": ["2026-06-01"]}
    ).write_csv(records)  # fmt: skip
    out, report = tmp_path / "out.xml", tmp_path / "recon.csv"
    result = run("export", "cin", records, "--census", census, "--output", out,
                 "--report", report)  # fmt: skip
    assert result.exit_code == 1, said(result)
    assert "Not written" in said(result) and "9006 for child C1" in said(result)
    assert not out.exists() and not (tmp_path / "out.xml.part").exists()
    rows = pl.read_csv(report, infer_schema=False)
    assert "cin_rule_error" in rows["kind"].to_list()


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
