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
]

for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(app)


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
        sys.stderr.write(
            f"fgc: the command stopped on an unexpected problem ({type(exc).__name__}); "
            "nothing more was written. Check the file and options, or run again with "
            "FGC_DEBUG=1 set to see the details to report to the FGC Data team.\n"
        )
        raise SystemExit(2) from None
