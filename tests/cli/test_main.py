"""`fgc` itself: a command run against a database that is not set up says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_import_on_a_fresh_database_says_to_set_it_up(tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text("child_id,offer_date\nA1,01/05/2025\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FGC_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["FGC_VAR_DIR"] = str(tmp_path / "var")
    fgc = [sys.executable, "-c", "from fgc.cli import main; main()"]
    done = subprocess.run(
        [*fgc, "import", str(sheet), "--la", "805"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "no such table" not in done.stderr
    assert "database is not set up" in done.stderr
    assert "manage.py migrate" in done.stderr
    assert not (tmp_path / "var" / "uploads").exists()


def test_a_database_fault_names_the_database_not_the_library(monkeypatch, capsys) -> None:
    from django.db.utils import OperationalError

    import fgc.cli as cli

    def unreachable() -> None:
        raise OperationalError('connection to server at "db" failed: Connection refused')

    monkeypatch.setattr(cli, "app", unreachable)
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "could not use the database" in err and "DATABASE_URL" in err
    assert "Connection refused" not in err
