"""Issue 14's journey: a council's own tracker to the return's counts, mapping unedited.

A realistic tracker (odd headers, names, notes, a coordinator's initials, blank rows between
families, labels instead of codes, an unborn child with no id, no meeting-type column, the one
exception sitting in the notes) goes through `fgc import --suggest-mapping`, `fgc import
--mapping` (the suggestion used unedited), `fgc casework export` and the aggregate engine.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from fgc.cli import app

pytestmark = pytest.mark.django_db

HEADERS = [
    "Family Ref", "Child ref", "Child name", "D.O.B", "Gender", "Ethnic origin", "Disability",
    "Stage", "Date of letter before proceedings", "Date offered", "Family response",
    "Date response", "Date referred", "Date of FGC", "Plan agreed?", "Date closed",
    "Coordinator", "Notes",
]  # fmt: skip
ROWS = [
    ["F001", "C1", "Amy Smith", "03/02/2015", "Female", "White British", "None",
     "Pre-proceedings (PLO)", "01/04/2025", "01/04/2025", "Accepted", "03/04/2025",
     "04/04/2025", "02/05/2025", "Yes", "30/06/2025", "JB", "Gran keen"],
    ["F001", "C2", "Ben Smith", "04/05/2017", "male", "White British", "None",
     "Pre-proceedings (PLO)", "01/04/2025", "01/04/2025", "Accepted", "03/04/2025",
     "04/04/2025", "02/05/2025", "Yes", "30/06/2025", "JB", ""],
    None,
    ["F002", "C3", "Cara Jones", "12/12/2012", "Female", "Mixed - White and Black Caribbean",
     "None", "Child in need", "", "12/05/2025", "Declined", "15/05/2025", "", "", "",
     "20/05/2025", "KT", "Dad unsure"],
    None,
    ["F003", "C4", "Dan Lee", "01/01/2019", "M", "Indian", "None", "Pre-proceedings (PLO)",
     "06/06/2025", "", "", "", "", "", "", "", "KT",
     "Exception: not in the child's best interests - risk of harm from contact"],
    ["F004", "", "", "", "", "White British", "", "Pre-birth", "", "20/06/2025", "Accepted",
     "22/06/2025", "23/06/2025", "", "", "", "KT", "Unborn, due August"],
    ["F005", "C6", "Eve Khan", "02/02/2020", "F", "Pakistani", "None", "Child protection", "",
     "01/07/2025", "Accepted", "03/07/2025", "05/07/2025", "", "", "10/09/2025", "",
     "Family withdrew before meeting"],
]  # fmt: skip
PERSONAL = ["Amy", "Smith", "Cara", "Jones", "Khan", "Gran", "JB", "KT", "withdrew", "Unborn"]


@pytest.fixture
def tracker(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row or [])
    path = tmp_path / "FGC tracker 2025-26.xlsx"
    book.save(path)
    return path


def test_tracker_to_return_with_the_suggested_mapping_unedited(council_a, tracker, tmp_path):
    from fgc.engine.aggregate import aggregate

    runner = CliRunner()
    mapping = tmp_path / "mapping.json"
    suggested = runner.invoke(
        app, ["import", str(tracker), "--la", "805", "--suggest-mapping", str(mapping)]
    )
    assert suggested.exit_code == 0, suggested.output
    m = json.loads(mapping.read_text("utf-8"))
    assert m["columns"]["Date of FGC"] == "conference_date"
    assert m["columns"]["Coordinator"] == m["columns"]["Notes"] == ""
    assert m["defaults"] == {"meeting_type": "FGC"}
    assert "meetings held are taken as FGC" in suggested.output

    dry = runner.invoke(app, ["import", str(tracker), "--la", "805", "--mapping", str(mapping),
                              "--dry-run"])  # fmt: skip
    assert dry.exit_code == 0, dry.output
    # The exception and the reason no meeting was held sit in the notes: flagged, not applied.
    assert "Suggestions, NOT applied" in dry.output
    assert "(episode F003): exception = Y" in dry.output
    assert "(episode F003): exception_reason = RISK_TO_CHILD" in dry.output
    assert "(episode F005): not_held_reason = CONSENT_WITHDRAWN" in dry.output
    assert "an unborn child with no identifier is given UNB-" in dry.output

    done = runner.invoke(app, ["import", str(tracker), "--la", "805", "--mapping", str(mapping),
                               "--confirm-suggestions"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "Imported 5 new and 0 updated episodes (6 children) for Hartlepool." in done.output

    out = tmp_path / "records.csv"
    exported = runner.invoke(app, ["casework", "export", "--la", "805", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    text = out.read_text("utf-8")
    for word in PERSONAL:
        assert word not in text, word
    rows = list(csv.DictReader(io.StringIO(text)))
    by_family = {r["episode_id"]: r for r in rows}
    assert by_family["F003"]["exception"] == "Y"
    assert by_family["F003"]["exception_reason"] == "RISK_TO_CHILD"
    assert by_family["F001"]["meeting_type"] == "FGC"
    assert by_family["F004"]["child_id"].startswith("UNB-")

    import polars as pl

    frame = pl.read_csv(out, infer_schema=False)
    ret = aggregate(frame, "2025-26").filter(
        (pl.col("geographic_level") == "Local authority") & (pl.col("breakdown_topic") == "Total")
    )
    steps = ("offered", "accepted", "declined", "held", "fgc_held", "not_held", "exceptions")
    got = {k: ret.item(0, f"families_{k}") for k in steps}
    assert got == {
        "offered": 4,  # F001, F002, F004, F005 (F003: an exception, no offer)
        "accepted": 3,  # F001, F004, F005
        "declined": 1,  # F002
        "held": 1,  # F001 on 2 May
        "fgc_held": 1,  # the service default: no meeting-type column
        "not_held": 1,  # F005 closed with no meeting
        "exceptions": 1,  # F003, from its notes, confirmed
    }
    # Open: accepted and referred, no meeting, not closed.
    assert [r["episode_id"] for r in rows if not r["closure_date"]] == ["F003", "F004"]

    # Next month the same file imports again as updates, never duplicates.
    again = runner.invoke(app, ["import", str(tracker), "--la", "805", "--mapping", str(mapping),
                                "--confirm-suggestions"])  # fmt: skip
    assert "Imported 0 new and 5 updated episodes (6 children)" in again.output
