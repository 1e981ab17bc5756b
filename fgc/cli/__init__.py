"""The `fgc` command line: one typer app, one module per command group."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import typer


def _root() -> None:
    """FGC Data: record, check, return and benchmark Family Group Conference data."""


def _new_app() -> typer.Typer:
    """The `fgc` app with no commands yet (one place for its settings)."""
    new = typer.Typer(
        name="fgc",
        help="FGC Data: record, check, return and benchmark Family Group Conference data.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    new.callback()(_root)
    return new


app = _new_app()

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


def _app_for(full: typer.Typer, args: Sequence[str]) -> typer.Typer:
    """The app to run ``fgc ARGS`` with: for a plain command, one holding only that command
    (typer turns every registered command into a click command before it parses anything:
    13 ms of each start for twenty commands, to run one); otherwise (no command, help, a
    command group, a misspelt name, whose message lists the others) the whole app."""
    chosen = [c for c in full.registered_commands if args and c.name == args[0]]
    if len(chosen) != 1:
        return full
    lean = _new_app()
    lean.registered_commands = chosen
    return lean


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


# Set by a command once everything it writes is written and its files closed: main() may
# then end the process without the interpreter's tear-down, which after a 1M-row `fgc
# validate` spent 0.1-0.3 s freeing frames nobody will use again (mypy ends the same way).
_output_complete = False


def output_complete() -> None:
    """Say that this command's output is all written and every file it opened is closed."""
    global _output_complete
    _output_complete = True


def _exit_now(code: object) -> None:
    """End the process at once with ``code`` (mypy's hard exit), if that is safe: only the
    console entry point's own process (never under pytest, nor with stdout or stderr taken
    over, as CliRunner and capsys do), and only once stdout and stderr are flushed."""
    import os
    import sys

    if not _output_complete or not (code is None or isinstance(code, int)):
        return
    if "PYTEST_CURRENT_TEST" in os.environ:
        return
    if sys.stdout is not sys.__stdout__ or sys.stderr is not sys.__stderr__:
        return
    out, err = sys.stdout, sys.stderr
    if out is None or err is None:
        return
    try:
        out.flush()
        err.flush()
    except (OSError, ValueError):
        return  # e.g. a closed pipe: the interpreter reports it as it always has
    os._exit(code or 0)


def main() -> None:
    """Run the CLI; a fault nobody foresaw is reported plainly, never as a traceback."""
    import os
    import sys

    global _output_complete
    _output_complete = False
    try:
        # (A test may stand a plain function in for the app.)
        run = _app_for(app, sys.argv[1:]) if isinstance(app, typer.Typer) else app
        run()
    except SystemExit as exc:
        _exit_now(exc.code)
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
