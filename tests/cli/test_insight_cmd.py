from pathlib import Path

import pytest
from typer.testing import CliRunner

from fgc.cli import app
from tests.engine.insight.frames import HELD, child_rows, row

runner = CliRunner()


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    rows = []
    for la in ("805", "806", "807"):
        for i in range(12):
            extra = (
                HELD
                if i % 2
                else {
                    "offer_response": "DECLINED",
                    "response_date": "2025-05-02",
                    "decline_reason": "NO_NETWORK",
                }
            )
            rows.append(row(la, f"E{i}", "C1", **extra))
    path = tmp_path / "children.csv"
    child_rows(rows).write_csv(path)
    return path


def test_insight_writes_self_contained_html(data_file, tmp_path):
    out = tmp_path / "report.html"
    res = runner.invoke(
        app, ["insight", str(data_file), "--la", "805", "--period", "2025-26", "--output", str(out)]
    )
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "<svg" in html and "Hartlepool" in html and "<script" not in html
    assert "not randomised" in html


def test_insight_pdf(data_file, tmp_path):
    out = tmp_path / "report.pdf"
    res = runner.invoke(
        app,
        [
            "insight",
            str(data_file),
            "--la",
            "805",
            "--period",
            "2025-26",
            "--output",
            str(out),
            "--format",
            "pdf",
        ],
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(b"%PDF")


def test_insight_bad_input_is_one_line(data_file, tmp_path):
    res = runner.invoke(
        app,
        [
            "insight",
            str(data_file),
            "--la",
            "999",
            "--period",
            "2025-26",
            "--output",
            str(tmp_path / "r.html"),
        ],
    )
    assert res.exit_code == 2 and "999" in res.output
    res = runner.invoke(
        app,
        [
            "insight",
            str(data_file),
            "--la",
            "805",
            "--period",
            "2030-31",
            "--output",
            str(tmp_path / "r.html"),
        ],
    )
    assert res.exit_code == 1 and "2030-31" in res.output


def test_publish_writes_release_and_passes_checker(data_file, tmp_path):
    res = runner.invoke(
        app,
        ["publish", str(data_file), "--period", "2025-26", "--output-dir", str(tmp_path / "out")],
    )
    assert res.exit_code == 0, res.output
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"fgc_families.csv", "fgc_families.meta.csv"} <= names
    assert all(n.endswith(".csv") for n in names) and "suppression_log.csv" not in names
    assert "no suppressed cell can be recovered" in res.output


def test_publish_writes_compliance_timeliness_and_outcomes_tables(data_file, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["publish", str(data_file), "--period", "2025-26", "--output-dir", str(out)]
    )
    assert res.exit_code == 0, res.output
    names = {p.name for p in out.iterdir()}
    for table in (
        "fgc_pre_proceedings_compliance",
        "fgc_pre_proceedings_exceptions_by_reason",
        "fgc_timeliness",
        "fgc_outcomes_12_months",
        "fgc_living_arrangement_12_months",
        "fgc_outcomes_12_months_pre_proceedings",
        "fgc_living_arrangement_12_months_pre_proceedings",
    ):
        assert {f"{table}.csv", f"{table}.meta.csv"} <= names, table
    timeliness = (out / "fgc_timeliness.csv").read_text()
    # 6 FGCs per council, all 30 days after referral: published as counted; 6 referred and
    # allocated, none reviewed; median days 9 offer→referral, 2 to allocation, 30 to the FGC
    assert "Hartlepool,6,6,6,6,6,0,100.0,100.0,9.0,2.0,30.0,z" in timeliness


@pytest.fixture
def linked_file(tmp_path: Path) -> Path:
    import polars as pl

    from tests.engine.impact.linked import synthetic

    frame = synthetic(21, las=("805", "806"), per_la=250).with_columns(
        pl.col(c).replace_strict({True: "Y", False: "N"}, return_dtype=pl.Utf8)
        for c in ("plo", "prior_cp_plan", "looked_after_12m", "proceedings_issued_12m")
    )
    # Dates as in the DfE files (dd/mm/yyyy) are read too.
    frame = frame.with_columns(pl.col("index_date").dt.strftime("%d/%m/%Y"))
    path = tmp_path / "linked.csv"
    frame.write_csv(path)
    return path


def _insight(data_file, out, *extra):
    args = ["insight", str(data_file), "--la", "805", "--period", "2025-26", "--output", str(out)]
    return runner.invoke(app, [*args, *extra])


def test_insight_with_linked_children_adds_comparison_and_impact(data_file, linked_file, tmp_path):
    out = tmp_path / "report.html"
    res = _insight(data_file, out, "--linked", str(linked_file))
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "<h2>Comparing groups</h2>" in html
    assert 'id="groups-looked_after_12m"' in html and 'id="contrasts-days_looked_after_12m"' in html
    assert "Estimated impact if every family were offered an FGC" in html
    assert "<td>Hartlepool</td>" in html and "<td>England</td>" in html
    assert "Taylor S. et al. (2024)" in html  # the assumptions' sources
    pdf = tmp_path / "report.pdf"
    res = _insight(data_file, pdf, "--linked", str(linked_file), "--format", "pdf")
    assert res.exit_code == 0, res.output
    assert pdf.read_bytes().startswith(b"%PDF")


def test_insight_linked_bad_value_names_row_and_column(data_file, linked_file, tmp_path):
    lines = linked_file.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("looked_after_12m")] = "maybe"
    lines[3] = ",".join(cells)
    linked_file.write_text("\n".join(lines) + "\n")
    res = _insight(data_file, tmp_path / "r.html", "--linked", str(linked_file))
    assert res.exit_code == 2
    assert (
        "linked.csv, row 4, column looked_after_12m: expected Y or N (or blank when not yet "
        "due), found 'maybe'"
    ) in res.output
    assert not (tmp_path / "r.html").exists()


def test_insight_linked_missing_columns(data_file, tmp_path):
    bad = tmp_path / "linked.csv"
    bad.write_text("la_code,child_key\n805,A\n")
    res = _insight(data_file, tmp_path / "r.html", "--linked", str(bad))
    assert res.exit_code == 2
    assert "linked.csv: no column(s) group, index_date" in res.output


def test_publish_internal_log_kept_out_of_the_release(data_file, tmp_path):
    args = ["publish", str(data_file), "--period", "2025-26", "--output-dir", str(tmp_path / "out")]
    inside = runner.invoke(app, [*args, "--internal-log", str(tmp_path / "out" / "log.csv")])
    assert inside.exit_code == 2 and "inside the release folder" in inside.output
    assert not (tmp_path / "out").exists()
    res = runner.invoke(app, [*args, "--internal-log", str(tmp_path / "audit" / "log.csv")])
    assert res.exit_code == 0, res.output
    assert "suppression_log.csv" not in {p.name for p in (tmp_path / "out").iterdir()}
    assert (tmp_path / "audit" / "log.csv").read_text().startswith("table,")


def test_insight_links_statutory_files_inline(tmp_path):
    from tests.cli.test_outcomes_cmd import episodes_file, fgc_file

    fgc, episodes, out = fgc_file(tmp_path), episodes_file(tmp_path), tmp_path / "r.html"
    args = ["insight", str(fgc), "--la", "805", "--period", "2024-25", "--output", str(out)]
    res = runner.invoke(app, [*args, "--ssda903", str(episodes), "--as-at", "2026-06-30"])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "<h2>Comparing groups</h2>" in html
    # Three children: far too few to show (c), the trial's figures still beside them.
    assert "<td>Offered an FGC (any response)</td><td class=n>c</td>" in html
    assert "<td class=n>36.2</td>" in html
    missing = runner.invoke(app, [*args, "--ssda903", str(episodes)])
    assert missing.exit_code == 2 and "--as-at is needed with --ssda903" in missing.output
    both = runner.invoke(app, [*args, "--ssda903", str(episodes), "--linked", str(fgc)])
    assert both.exit_code == 2 and "not both" in both.output
    alone = runner.invoke(app, [*args, "--as-at", "2026-06-30"])
    assert alone.exit_code == 2 and "need --ssda903" in alone.output
