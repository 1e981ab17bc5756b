"""`fgc casework export`: the council's records in the child-level layout, and back again."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from typer.testing import CliRunner

from fgc.cli import app
from fgc.standard import load_standard
from tests.casework.conftest import CHILD


@pytest.fixture
def records(council_a, council_b, monkeypatch):
    """Two episodes of council 805 (one with two children) and one of 806, with names."""
    from fgc.accounts.services import create_user
    from fgc.casework import services
    from fgc.casework.models import NetworkMember

    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")
    made = []
    for code, council, reference, child_id in (
        ("805", council_a, "FAM-1", "C1001"),
        ("805", council_a, "FAM-2", "C2001"),
        ("806", council_b, "OTHER-1", "D9001"),
    ):
        maker = create_user(
            f"maker-{reference}", role="service_manager", councils=[code], password="x" * 20
        )
        episode = services.create_episode(
            maker,
            council=council,
            reference=reference,
            family={"stage": "CP", "offer_date": date(2025, 6, 2)},
            child={**CHILD, "child_id": child_id},
            child_name=f"Secretname {reference}",
        )
        episode.resources_requested = "Notes: grandmother Zelda lives at 4 Privet Drive"
        episode.save()
        NetworkMember.objects.create(
            episode=episode, name="Auntie Quorra", contact="07700 900123", relationship="Aunt"
        )
        made.append(episode)
    made[0].children.create(
        child_id="C1002", name="Bo Example", known_to_csc="Y", date_of_birth=date(2020, 1, 3)
    )
    return made


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.django_db
def test_export_writes_the_councils_records_in_the_standard_layout_and_nothing_personal(
    records, tmp_path
):
    from fgc.audit.models import AuditEvent

    out = tmp_path / "records.csv"
    result = CliRunner().invoke(app, ["casework", "export", "--la", "805", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote 3 children in 2 episodes for Hartlepool to {out}." in result.output
    rows = _rows(out)
    assert list(rows[0]) == list(load_standard().field_names)
    assert sorted((r["episode_id"], r["child_id"]) for r in rows) == [
        ("FAM-1", "C1001"),
        ("FAM-1", "C1002"),
        ("FAM-2", "C2001"),
    ]
    assert {r["offer_date"] for r in rows} == {"2025-06-02"}
    text = out.read_text("utf-8")
    for personal in ("Secretname", "Bo Example", "Zelda", "Privet", "Quorra", "07700", "D9001"):
        assert personal not in text
    event = AuditEvent.objects.get(action="casework.export")
    assert event.detail == {"children": 3, "episodes": 2, "local_fields": False}


@pytest.mark.django_db
def test_the_export_imports_again_as_updates_never_duplicates(records, tmp_path):
    from fgc.casework.models import Child, Episode

    out = tmp_path / "records.csv"
    runner = CliRunner()
    assert runner.invoke(app, ["casework", "export", "--la", "805", "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["import", str(out), "--la", "805"])
    assert result.exit_code == 0, result.output
    assert "Imported 0 new and 2 updated episodes (3 children) for Hartlepool." in result.output
    assert Episode.objects.filter(council__old_la_code="805").count() == 2
    assert Child.objects.filter(episode__council__old_la_code="805").count() == 3
    # Names stay where they were: an import of the export does not blank them.
    assert Child.objects.get(child_id="C1001").name == "Secretname FAM-1"


@pytest.mark.django_db
def test_export_errors_are_specific_and_write_nothing(records, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["casework", "export", "--la", "805", "-o", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2 and "write the records to a .csv file" in result.output
    missing = tmp_path / "nowhere" / "x.csv"
    result = runner.invoke(app, ["casework", "export", "--la", "805", "-o", str(missing)])
    assert result.exit_code == 2 and "does not exist" in result.output
    result = runner.invoke(
        app, ["casework", "export", "--la", "999", "-o", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2 and "--la 999: no council" in result.output
    assert list(tmp_path.iterdir()) == []
