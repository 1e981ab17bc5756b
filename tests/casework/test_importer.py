"""A council's messy spreadsheet imports correctly and round-trips to a return that validates."""

from __future__ import annotations

import io
import json
from datetime import date

import polars as pl
import pytest
import xlsxwriter

from fgc.casework import importer
from fgc.casework.council_returns import child_level_frame, council_frame
from fgc.casework.models import Child, Episode, SavedMapping
from fgc.engine.periods import Period
from fgc.engine.validate import validate
from fgc.standard import load_standard
from fgc.synth import generate

pytestmark = pytest.mark.django_db

RENAMED = {
    "episode_id": "Family ref",
    "child_id": "Child no.",
    "ethnicity": "Ethnic origin",
    "offer_date": "Date FGC offered",
    "referral_date": "Referral received",
    "known_to_csc": "Open to CSC?",
}


def source_frame(n_episodes: int = 12) -> pl.DataFrame:
    frame = generate(["805"], ["2025-26"], seed=11)
    ids = frame.get_column("episode_id").unique(maintain_order=True).to_list()[:n_episodes]
    return frame.filter(pl.col("episode_id").is_in(ids))


def messy_xlsx(frame: pl.DataFrame) -> bytes:
    """Renamed headers, labels instead of codes, Yes/No, dd/mm/yyyy, blank rows and notes."""
    std = load_standard()
    headers = [RENAMED.get(c, c) for c in frame.columns] + ["Notes"]
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("Tracker")
    sheet.write_row(0, 0, headers)
    out_row = 1
    for i, rec in enumerate(frame.iter_rows(named=True)):
        cells = []
        for name, value in rec.items():
            f = std.field(name)
            if value is None:
                cells.append("")
            elif f.type == "date" and value[:1].isdigit():
                d = date.fromisoformat(value)
                cells.append(f"{d.day:02d}/{d.month:02d}/{d.year}")
            elif f.type == "yn":
                cells.append("Yes" if value == "Y" else "No")
            elif name == "ethnicity":
                cells.append(std.codelist_for(f).label_for(value) or value)
            elif name == "sex":
                cells.append(value.lower())
            else:
                cells.append(value)
        cells.append("Called gran twice" if i % 3 == 0 else "")
        sheet.write_row(out_row, 0, [str(c) for c in cells])
        out_row += 1
        if i % 5 == 4:
            out_row += 1  # a blank row
    book.close()
    return buf.getvalue()


MAPPING = {"columns": {v: k for k, v in RENAMED.items()} | {"Notes": ""}}


def test_messy_spreadsheet_imports_and_round_trips(council_a, officer_a):
    source = source_frame()
    read = importer.read_upload(messy_xlsx(source), "tracker.xlsx")
    mapped = importer.preview(importer.apply_mapping(read, MAPPING, la_code="805"))
    assert mapped.problems == []
    assert mapped.ignored == ["Notes"]
    assert mapped.frame.height == source.height  # blank rows dropped
    assert mapped.report.error_count == 0
    result = importer.import_frame(officer_a, council_a, mapped)
    assert result.episodes_created == source.get_column("episode_id").n_unique()
    assert result.children == source.height

    back = council_frame(council_a)
    key = ["episode_id", "child_id"]
    assert back.sort(key).equals(source.select(back.columns).sort(key))
    report = validate(back)
    assert report.error_count == 0
    # The national return built from the imported records validates clean too.
    national = child_level_frame(council_a, Period.parse("2025-26"))
    assert national.height > 0
    assert validate(national).error_count == 0


def test_bad_values_stop_the_whole_import(council_a, officer_a):
    source = source_frame(3)
    broken = source.with_columns(
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit("not a date"))
        .otherwise(pl.col("offer_date"))
        .alias("offer_date")
    )
    read = importer.read_upload(messy_xlsx(broken), "tracker.xlsx")
    mapped = importer.apply_mapping(read, MAPPING, la_code="805")
    assert len(mapped.problems) == 1
    p = mapped.problems[0]
    assert (p.row, p.column, p.value) == (3, "Date FGC offered", "not a date")
    assert "date" in p.expected
    with pytest.raises(
        importer.ImportError_, match="Nothing was imported: row 3, column 'Date FGC offered'"
    ):
        importer.import_frame(officer_a, council_a, mapped)
    assert not Episode.objects.exists()


def test_value_mapping_for_the_councils_own_words(council_a):
    source = source_frame(2).with_columns(pl.lit("White - British").alias("ethnicity"))
    read = importer.read_upload(messy_xlsx(source), "t.xlsx")
    assert importer.apply_mapping(read, MAPPING, la_code="805").problems
    mapping = {**MAPPING, "values": {"ethnicity": {"White - British": "WBRI"}}}
    mapped = importer.apply_mapping(read, mapping, la_code="805")
    assert mapped.problems == []
    assert set(mapped.frame["ethnicity"]) == {"WBRI"}


def test_another_councils_rows_are_refused(council_a):
    source = source_frame(1).with_columns(pl.lit("806").alias("la_code"))
    read = importer.read_upload(messy_xlsx(source), "t.xlsx")
    mapped = importer.apply_mapping(read, MAPPING, la_code="805")
    assert mapped.problems and "this council (805)" in str(mapped.problems[0])


def test_reimport_updates_instead_of_duplicating(council_a, officer_a):
    source = source_frame(2)
    read = importer.read_upload(messy_xlsx(source), "t.xlsx")
    importer.import_frame(
        officer_a, council_a, importer.apply_mapping(read, MAPPING, la_code="805")
    )
    again = importer.import_frame(
        officer_a, council_a, importer.apply_mapping(read, MAPPING, la_code="805")
    )
    assert again.episodes_created == 0 and again.episodes_updated == 2
    assert Child.objects.count() == source.height


def test_cli_import(council_a, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from fgc.cli import app

    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")
    source = source_frame(3)
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(messy_xlsx(source))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING))
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(path), "--la", "805", "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 new" in result.output
    assert Episode.objects.filter(council=council_a).count() == 3

    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = runner.invoke(app, ["import", str(path), "--la", "805", "--mapping", str(bad)])
    assert result.exit_code == 2
    assert "not valid JSON" in result.output
    result = runner.invoke(app, ["import", str(path), "--la", "999"])
    assert result.exit_code == 2 and "no council" in result.output


def test_suggestions_remember_a_saved_mapping(council_a):
    source = source_frame(1)
    read = importer.read_upload(messy_xlsx(source), "t.xlsx")
    plain = importer.suggest(read, None, [])
    assert plain["Family ref"] == ""  # not a standard name: needs mapping
    assert plain["sex"] == "sex"
    SavedMapping.objects.create(council=council_a, mapping=MAPPING)
    saved = importer.suggest(read, MAPPING, [])
    assert saved["Family ref"] == "episode_id"
