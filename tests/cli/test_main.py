"""`fgc` itself: a command run against a database that is not set up says what to do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FGC_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["FGC_VAR_DIR"] = str(tmp_path / "var")
    return env


@pytest.mark.slow
def test_import_on_a_fresh_machine_sets_up_its_database_and_says_where(tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "episode_id,child_id,offer_date\nF1,A1,01/05/2025\nF1,A2,01/05/2025\n", encoding="utf-8"
    )
    env = _fresh_env(tmp_path)
    fgc = [sys.executable, "-c", "from fgc.cli import main; main()"]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*fgc, "import", str(sheet), "--la", "805"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    first = run()
    database = tmp_path / "var" / "fgc.sqlite3"
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert f"Set up the SQLite database {database}" in first.stderr
    assert "migrations applied" in first.stderr
    assert "Imported 1 new and 0 updated episodes (2 children) for Hartlepool" in first.stdout
    again = run()
    assert again.returncode == 0, again.stderr
    assert f"Using the SQLite database {database}." in again.stderr
    assert "Imported 0 new and 1 updated episodes (2 children)" in again.stdout


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


# `fgc` run as a process with a handler the interpreter's tear-down would run at exit.
MARKED = (
    "import atexit, sys; atexit.register(lambda: sys.stderr.write('tear-down ran\\n')); "
    "from fgc.cli import main; main()"
)


def _fgc(*args: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return subprocess.run(
        [sys.executable, "-c", MARKED, *map(str, args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_validate_ends_at_once_once_its_report_is_written_and_flushed(tmp_path: Path) -> None:
    from tests.engine.rules.builders import REF, frame, row

    path = tmp_path / "fgc.csv"
    frame([row(), row(child_id="C2", sex="X")]).write_csv(path)
    out = tmp_path / "report.json"
    ref = ["--reference-date", REF.isoformat()]

    to_file = _fgc("validate", path, "--format", "json", "--output", out, *ref)
    assert to_file.returncode == 1, to_file.stderr
    assert "tear-down ran" not in to_file.stderr  # the interpreter's tear-down was skipped
    to_stdout = _fgc("validate", path, "--format", "json", *ref)
    assert to_stdout.returncode == 1 and "tear-down ran" not in to_stdout.stderr
    assert to_stdout.stdout == out.read_text(encoding="utf-8")  # all of it, flushed
    assert json.loads(to_stdout.stdout)["errors"][0]["value"] == "X"
    text = _fgc("validate", path, *ref)
    assert text.returncode == 1 and "FGC002" in text.stdout


def test_a_command_that_did_not_finish_its_output_exits_as_usual(tmp_path: Path) -> None:
    unreadable = _fgc("validate", tmp_path / "missing.csv", "--format", "json")
    assert unreadable.returncode == 2
    assert "tear-down ran" in unreadable.stderr
    assert "Traceback" not in unreadable.stderr
