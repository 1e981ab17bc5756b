"""The `fgc` command line: one typer app, one module per command group."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="fgc",
    help="FGC Data: record, check, return and benchmark Family Group Conference data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """FGC Data: record, check, return and benchmark Family Group Conference data."""


# Each module registers its own commands on `app` when imported.
_COMMAND_MODULES = [
    "fgc.cli.insight_cmd",
    "fgc.cli.standard_cmd",
    "fgc.cli.web_cmd",
    "fgc.cli.aggregate_cmd",
    "fgc.cli.synth_cmd",
    "fgc.cli.returns_cmd",
    "fgc.cli.validate_cmd",
    "fgc.cli.import_cmd",
    "fgc.cli.outcomes_cmd",
    "fgc.cli.casework_cmd",
    "fgc.cli.reconcile_cmd",
]

for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def _database_problem(exc: BaseException) -> str:
    """What to do about a database error, or "" when it is not one."""
    import sys

    db_errors = sys.modules.get("django.db.utils")
    if db_errors is None or not isinstance(exc, db_errors.DatabaseError):
        return ""
    text = str(exc).lower()
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return (
            "the database is not set up yet, so nothing was written. Create its tables with "
            "`uv run python manage.py migrate` (or run `uv run fgc demo` for a demo database), "
            "then run the command again."
        )
    return (
        "could not use the database, so nothing was written. Check DATABASE_URL (unset, "
        "fgc uses var/fgc.sqlite3) and that the database server is running, then try again."
    )


def main() -> None:
    """Run the CLI; a fault nobody foresaw is reported plainly, never as a traceback."""
    import os
    import sys

    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("fgc: stopped.\n")
        raise SystemExit(130) from None
    except Exception as exc:
        if os.environ.get("FGC_DEBUG"):
            raise
        database = _database_problem(exc)
        if database:
            sys.stderr.write(f"fgc: {database}\n")
            raise SystemExit(2) from None
        sys.stderr.write(
            f"fgc: the command stopped on an unexpected problem ({type(exc).__name__}); "
            "nothing more was written. Check the file and options, or run again with "
            "FGC_DEBUG=1 set to see the details to report to the FGC Data team.\n"
        )
        raise SystemExit(2) from None
