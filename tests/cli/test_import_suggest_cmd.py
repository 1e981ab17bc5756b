"""`fgc import --suggest-mapping` writes a mapping that imports unedited, and stores nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from fgc.casework.models import Episode
from fgc.cli import app
from tests.casework.test_suggestion import ROWS, tracker_xlsx

pytestmark = pytest.mark.django_db


def test_suggest_mapping_then_import(council_a, tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")
    sheet = tmp_path / "tracker.xlsx"
    sheet.write_bytes(tracker_xlsx([r for r in ROWS if r is None or r[5] != "Martian"]))
    out = tmp_path / "suggested.json"
    runner = CliRunner()
    result = runner.invoke(
        app, ["import", str(sheet), "--la", "805", "--suggest-mapping", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert Episode.objects.count() == 0  # a suggestion stores nothing
    written = json.loads(out.read_text("utf-8"))
    assert written["columns"]["Family Ref"] == "episode_id"
    assert written["values"]["stage"]["Pre-proceedings (PLO)"] == "PLO"
    lines = result.output.splitlines()
    assert any(line.startswith("Family Ref") and "episode_id" in line for line in lines)
    assert any(line.startswith("Notes") and "(ignored)" in line for line in lines)

    result = runner.invoke(app, ["import", str(sheet), "--la", "805", "--mapping", str(out)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 new" in result.output
    assert Episode.objects.filter(council=council_a, offer_response="ACCEPTED").count() == 1


def test_suggest_mapping_of_an_unreadable_file(council_a, tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")
    sheet = tmp_path / "tracker.xlsx"
    sheet.write_bytes(b"")
    result = CliRunner().invoke(
        app, ["import", str(sheet), "--la", "805", "--suggest-mapping", str(tmp_path / "o.json")]
    )
    assert result.exit_code == 2
    assert "tracker.xlsx" in result.output and "empty" in result.output
