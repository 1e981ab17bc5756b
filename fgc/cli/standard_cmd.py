"""`fgc standard`: write the data dictionary generated from the standard; `fgc version`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class DictionaryFormat(StrEnum):
    md = "md"
    json = "json"
    xlsx = "xlsx"


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


def write_dictionary(fmt: DictionaryFormat, output: Path | None, version: str) -> None:
    """Render the data dictionary for ``version`` in ``fmt`` to ``output`` (or stdout)."""
    from fgc.standard import load_standard
    from fgc.standard.dictionary import dictionary_tables, render_json, render_markdown

    try:
        std = load_standard(version)
    except ValueError as exc:
        _fail(str(exc))
        return
    if fmt is DictionaryFormat.xlsx:
        if output is None:
            _fail("--format xlsx needs --output PATH (a workbook cannot go to the terminal).")
            return
        import polars as pl

        from fgc.formats import safe_sheet_name, write_xlsx

        sheets: dict[str, pl.DataFrame] = {}
        for name, rows in dictionary_tables(std).items():
            sheets[safe_sheet_name(name, set(sheets))] = pl.DataFrame(
                rows, infer_schema_length=None
            )
        try:
            write_xlsx(sheets, output)
        except OSError as exc:
            _fail(f"{output}: cannot write the file ({exc.strerror}).")
        return
    text = render_markdown(std) if fmt is DictionaryFormat.md else render_json(std)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: cannot write the file ({exc.strerror}).")


def register(app: typer.Typer) -> None:
    @app.command("version")
    def version() -> None:
        """Print the FGC Data version and the standard version it validates against."""
        from fgc import __version__
        from fgc.standard import CURRENT_VERSION

        typer.echo(f"fgc-data {__version__}, FGC standard {CURRENT_VERSION}")

    @app.command("standard")
    def standard(
        fmt: Annotated[
            DictionaryFormat, typer.Option("--format", "-f", help="md, json or xlsx.")
        ] = DictionaryFormat.md,
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="File to write (md and json: stdout if absent)."),
        ] = None,
        standard_version: Annotated[
            str, typer.Option("--standard-version", help="Version of the standard to describe.")
        ] = "0.1",
    ) -> None:
        """Write the data dictionary (fields, code lists, conditions, councils)."""
        write_dictionary(fmt, output, standard_version)
