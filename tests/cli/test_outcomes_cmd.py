"""`fgc outcomes`: the hand-made case end to end, the match report, and refusals."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from fgc.cli import app
from fgc.standard import load_standard


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def said(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def fgc_file(tmp_path: Path) -> Path:
    names = load_standard().field_names
    rows = []
    for cid, lbp in (("C1", "2025-01-31"), ("C2", "2025-03-01"), ("C3", "2026-12-01")):
        r: dict[str, str | None] = dict.fromkeys(names)
        r.update(la_code="805", episode_id=f"E{cid}", child_id=cid, stage="PLO", lbp_date=lbp,
                 offer_date=lbp, offer_in_lbp="Y", offer_response="ACCEPTED")  # fmt: skip
        rows.append(r)
    p = tmp_path / "fgc.csv"
    pl.DataFrame(rows, schema=dict.fromkeys(names, pl.Utf8)).write_csv(p)
    return p


def episodes_file(tmp_path: Path) -> Path:
    p = tmp_path / "episodes.csv"
    p.write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
        "C1,01/03/2025,S,V2,N1,U6,PR1,01/05/2025,X1\n"
        "C1,01/05/2025,B,C1,N1,U3,PR1,,\n"
        "C9,01/01/2025,S,V2,N1,U4,PR1,,\n"
    )
    return p


def test_outcomes_hand_made_case(tmp_path):
    out = tmp_path / "outcomes.csv"
    result = run("outcomes", fgc_file(tmp_path), "--ssda903", episodes_file(tmp_path),
                 "--as-at", "2026-06-30", "--output", out)  # fmt: skip
    assert result.exit_code == 0, said(result)
    rows = pl.read_csv(out, infer_schema=False).to_dicts()
    assert [r["child_id"] for r in rows] == ["C1", "C2", "C3"]  # C9 is only in the 903
    assert rows[0] == {
        "la_code": "805", "child_id": "C1", "index_date": "2025-01-31",
        "looked_after_6m": "Y", "looked_after_12m": "Y", "entered_care_12m": "Y",
        "days_looked_after_12m": "336", "proceedings_issued_12m": "Y",
        "living_arrangement_12m": "KINSHIP",
    }  # fmt: skip
    assert rows[1]["looked_after_12m"] == "N" and rows[1]["days_looked_after_12m"] == "0"
    assert rows[2]["looked_after_6m"] is None  # not yet due
    assert "3 FGC children; 1 have SSDA903 episodes" in said(result)
    assert "Not found: C2, C3" in said(result)


def test_outcomes_bad_statutory_file_writes_nothing(tmp_path):
    bad = tmp_path / "episodes.csv"
    bad.write_text("CHILD,DECOM,RNE,LS,PLACE,DEC\nC1,01/04/2025,S,V2,U4,01/03/2025\n")
    out = tmp_path / "outcomes.csv"
    result = run("outcomes", fgc_file(tmp_path), "--ssda903", bad, "--as-at", "2026-06-30",
                 "--output", out)  # fmt: skip
    assert result.exit_code == 2
    assert "episodes.csv row 2, column DEC" in said(result) and "Traceback" not in said(result)
    assert not out.exists()


def test_outcomes_as_at_checked(tmp_path):
    args = ["outcomes", fgc_file(tmp_path), "--ssda903", episodes_file(tmp_path), "--output",
            tmp_path / "o.csv"]  # fmt: skip
    assert "not a date" in said(run(*args, "--as-at", "30/06/2026"))
    assert "in the future" in said(run(*args, "--as-at", "2999-01-01"))


def test_filled_return_keeps_keyed_values_and_lists_disagreements(tmp_path):
    src = fgc_file(tmp_path)
    frame = pl.read_csv(src, infer_schema=False).with_columns(
        pl.when(pl.col("child_id") == "C2").then(pl.lit("Y")).otherwise(None)
        .alias("looked_after_12m")
    )  # fmt: skip
    frame.write_csv(src)
    filled = tmp_path / "filled.csv"
    result = run("outcomes", src, "--ssda903", episodes_file(tmp_path), "--as-at", "2026-06-30",
                 "--output", tmp_path / "o.csv", "--filled", filled)  # fmt: skip
    assert result.exit_code == 0, said(result)
    rows = {r["child_id"]: r for r in pl.read_csv(filled, infer_schema=False).to_dicts()}
    assert rows["C1"]["looked_after_12m"] == "Y" and rows["C1"]["looked_after_6m"] == "Y"
    assert rows["C1"]["proceedings_issued_12m"] == "Y"
    assert rows["C1"]["living_arrangement_12m"] is None  # kinship: which family is not known
    assert rows["C2"]["looked_after_12m"] == "Y"  # keyed, kept
    assert "Kept as keyed: child C2 looked_after_12m = Y (the SSDA903 file says N)" in said(result)
    assert rows["C3"]["looked_after_6m"] is None  # not yet due
    assert list(rows["C1"]) == pl.read_csv(src, infer_schema=False).columns
