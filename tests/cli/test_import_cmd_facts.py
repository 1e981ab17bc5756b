"""`fgc import`: every finding grouped with its rows, the default meeting type, and flagged
suggestions applied only with --confirm-suggestions."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fgc.casework.models import Child, Episode
from fgc.cli import app

pytestmark = pytest.mark.django_db

HEADERS = [
    "episode_id",
    "child_id",
    "known_to_csc",
    "date_of_birth",
    "expected_due_date",
    "sex",
    "ethnicity",
    "disability",
    "stage",
    "offer_date",
    "offer_in_lbp",
    "offer_response",
    "referral_date",
    "conference_date",
    "meeting_type",
    "Notes",
]


def write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADERS)
    writer.writeheader()
    base = {"known_to_csc": "Y", "sex": "F", "ethnicity": "WBRI", "disability": "NONE"}
    for r in rows:
        writer.writerow({"stage": "CP", "date_of_birth": "01/02/2019", **base, **r})
    path = tmp_path / "tracker.csv"
    path.write_text(buf.getvalue())
    return path


@pytest.fixture
def run(council_a, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(app, ["import", *args, "--la", "805"])

    return _run


def test_refusal_lists_every_bad_value_grouped(run, tmp_path):
    rows = [{"episode_id": f"E{i}", "child_id": f"C{i}"} for i in range(30)]
    for i in range(25):
        rows[i]["ethnicity"] = "White Brit"
    rows[27]["offer_date"] = "soon"
    result = run(str(write(tmp_path, rows)))
    assert result.exit_code == 2
    assert (
        "column 'ethnicity': 'White Brit' is not a code or label from the "
        "'Ethnicity (CIN census and SSDA903)' list"
        " — rows 2-26 (25 rows)" in result.output
    )
    assert "column 'offer_date': 'soon' is not a date" in result.output
    assert "row 29 (1 row)" in result.output
    assert "nothing imported (26 values cannot be stored)" in result.output
    assert "… and" not in result.output


def test_dry_run_lists_the_reports_findings_by_rule(run, tmp_path):
    rows = [{"episode_id": f"E{i}", "child_id": f"C{i}", "sex": ""} for i in range(8)]
    result = run(str(write(tmp_path, rows)), "--dry-run")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "(sex)" in x)
    assert line.startswith("tracker.csv: error ") and "rows 2-9 (8 rows)" in line
    assert "Dry run: nothing stored." in result.output
    assert not Episode.objects.exists()


def held_rows() -> list[dict[str, str]]:
    return [
        {
            "episode_id": "E1",
            "child_id": "C1",
            "offer_date": "01/03/2025",
            "offer_response": "ACCEPTED",
            "referral_date": "05/03/2025",
            "conference_date": "01/05/2025",
        },
        {"episode_id": "E2", "child_id": "C2", "conference_date": "02/05/2025"},
        {
            "episode_id": "E3",
            "child_id": "C3",
            "meeting_type": "FNM",
            "conference_date": "03/05/2025",
        },
    ]


def test_default_meeting_type(run, tmp_path):
    path = str(write(tmp_path, held_rows()))
    bad = run(path, "--default-meeting-type", "CONF")
    assert bad.exit_code == 2
    assert "--default-meeting-type CONF: not a code of 'Type of meeting'" in bad.output
    assert "FGC (Family group conference" in bad.output

    result = run(path, "--default-meeting-type", "FGC")
    assert result.exit_code == 0, result.output
    assert "given to meetings held with none recorded: rows 2-3 (2)" in result.output
    types = dict(Episode.objects.values_list("reference", "meeting_type"))
    assert types == {"E1": "FGC", "E2": "FGC", "E3": "FNM"}


def test_unborn_child_reimported_is_not_duplicated(run, tmp_path):
    rows = [{"episode_id": "U1", "date_of_birth": "", "expected_due_date": "01/09/2025"}]
    path = str(write(tmp_path, rows))
    first = run(path)
    assert first.exit_code == 0, first.output
    assert "row 2: an unborn child with no identifier is given UNB-" in first.output
    again = run(path)
    assert again.exit_code == 0 and "0 new and 1 updated" in again.output
    assert Child.objects.count() == 1
    assert Child.objects.get().child_id.startswith("UNB-")


def suggestion_rows() -> list[dict[str, str]]:
    return [
        {"episode_id": "P1", "child_id": "C1", "stage": "PLO", "offer_date": "01/03/2025"},
        {"episode_id": "D1", "child_id": "C2", "Notes": "Parent declined, see email from J Smith"},
    ]


def test_suggestions_are_printed_and_not_applied_without_confirming(run, tmp_path):
    path = str(write(tmp_path, suggestion_rows()))
    dry = run(path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Suggestions, NOT applied:" in dry.output
    assert "row 2 (episode P1): offer_in_lbp = Y — a pre-proceedings family" in dry.output
    assert "row 3 (episode D1): offer_response = DECLINED — the notes say 'parent declined'" in (
        dry.output
    )
    assert "J Smith" not in dry.output
    result = run(path)
    assert result.exit_code == 0, result.output
    assert Episode.objects.get(reference="P1").offer_in_lbp is None
    assert Episode.objects.get(reference="D1").offer_response is None


def test_confirmed_suggestions_are_applied(run, tmp_path):
    result = run(str(write(tmp_path, suggestion_rows())), "--confirm-suggestions")
    assert result.exit_code == 0, result.output
    assert "Suggestions, applied (--confirm-suggestions):" in result.output
    assert Episode.objects.get(reference="P1").offer_in_lbp == "Y"
    assert Episode.objects.get(reference="D1").offer_response == "DECLINED"
