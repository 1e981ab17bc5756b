"""`fgc casework export --la 805 --output records.csv`: a council's casework records as a file.

The file is the standard's child-level layout with the council's own child ids, the same
frame the returns start from, so an officer can check it, fix it in a spreadsheet and import
it again (`fgc import` matches episodes by reference and children by id: it updates, never
duplicates). Names, contact details and free-text notes are not fields of the standard, so
they cannot reach this file. Every export is audited as a read of the council's records.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

EXIT_FAILED = 2

casework_app = typer.Typer(
    name="casework",
    help="Work with the casework records in the database (export them as a file).",
    no_args_is_help=True,
)


def _fail(message: str) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(EXIT_FAILED)


@casework_app.command("export")
def export_cmd(
    la: Annotated[str, typer.Option("--la", help="The council's DfE code, e.g. 805.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The CSV file to write (child-level layout).")
    ],
    local_fields: Annotated[
        bool,
        typer.Option(
            "--local-fields/--no-local-fields",
            help="Add the council's own fields as local_<key> columns (never in a return).",
        ),
    ] = False,
) -> None:
    """Write the council's casework records in the standard's child-level layout (CSV)."""
    if output.suffix.lower() != ".csv":
        raise _fail(f"--output {output}: write the records to a .csv file.")
    if not output.parent.is_dir():
        raise _fail(f"--output {output}: the folder {output.parent} does not exist.")
    from fgc.cli.database import announce, ready_database

    announce(ready_database())
    from fgc.accounts.models import Council
    from fgc.audit.services import record
    from fgc.casework.frame import episodes_to_frame
    from fgc.casework.models import Episode

    council = Council.objects.filter(old_la_code=la.strip()).first()
    if council is None:
        raise _fail(
            f"--la {la}: no council with that DfE code in the database "
            "(a council's DfE code has three digits, e.g. 805 for Hartlepool)."
        )
    episodes = Episode.objects.filter(council=council).order_by("reference", "pk")
    frame = episodes_to_frame(episodes, local_fields=local_fields)
    # Write beside the target, then rename: a failed write never leaves half a file.
    partial = output.with_name(f".{output.name}.partial")
    try:
        frame.write_csv(partial)
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _fail(f"--output {output}: cannot write the file ({exc.strerror}).") from None
    families = frame.get_column("episode_id").n_unique() if frame.height else 0
    record(
        None,
        "casework.export",
        council=council,
        detail={"children": frame.height, "episodes": families, "local_fields": local_fields},
        username="command line (fgc casework export)",
    )
    typer.echo(
        f"Wrote {frame.height} children in {families} episodes for {council.name} to {output}."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(casework_app)
