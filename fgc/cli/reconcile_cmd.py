"""`fgc reconcile FILE --la 805 --period 2025-26`: every output's figures side by side.

Prints the council's figures in the Option 1 return, the DfE quarterly figures, the CIN
census items and the official statistics release, each with its column, label and
definition, and fails when one name carries two numbers (``fgc.returns.crosscheck``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _fail(message: str, code: int) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


# The dates every figure is placed in the year by; without one of them the counts are
# silently 0, which would "reconcile" perfectly.
_COUNTED_BY = ("referral_date", "offer_date", "lbp_date", "conference_date", "closure_date")
# Dates only some figures use (reviews, care applications): said, not refused.
_ALSO_COUNTED_BY = ("care_application_date", "review_date")


def _missing_columns(columns: list[str]) -> tuple[list[str], list[str]]:
    """(columns the figures cannot be counted without, optional fields that are absent)."""
    from fgc.standard import load_standard

    std = load_standard()
    have = set(columns)
    needed = [f.name for f in std.fields if f.required == "always"] + list(_COUNTED_BY)
    missing = [n for n in dict.fromkeys(needed) if n not in have]
    absent = [n for n in _ALSO_COUNTED_BY if n not in have]
    return missing, absent


def register(app: typer.Typer) -> None:
    @app.command("reconcile")
    def reconcile_cmd(
        file: Annotated[Path, typer.Argument(help="Child-level CSV or XLSX file.")],
        la: Annotated[str, typer.Option("--la", help="The council (DfE 3-digit code).")],
        period: Annotated[str, typer.Option("--period", help="Financial year, e.g. 2025-26.")],
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Also write the figures as CSV."),
        ] = None,
    ) -> None:
        """Reconcile the return, DfE quarterly, CIN items and release for a council's year.

        Exit codes: 0 every name means one number; 1 a name carries two numbers (listed);
        2 bad arguments or a file that cannot be read.
        """
        import polars as pl
        from rich.console import Console
        from rich.table import Table

        from fgc.engine.periods import Period, PeriodError
        from fgc.formats import FormatError, read_table, write_csv
        from fgc.returns.crosscheck import SOURCES, conflicts, crosscheck
        from fgc.standard import get_la

        try:
            p = Period.parse(period)
        except PeriodError as exc:
            raise _fail(f"--period: {exc}", 2) from None
        if p.quarter is not None:
            raise _fail(f"--period {p.label}: reconcile a financial year (e.g. 2025-26)", 2)
        try:
            council = get_la(la)
        except KeyError as exc:
            raise _fail(f"--la: {exc.args[0]}", 2) from None
        if output is not None and output.suffix.lower() != ".csv":
            raise _fail(f"--output {output}: the figures are written as .csv", 2)
        if not file.is_file():
            raise _fail(f"{file}: no such file", 2)
        try:
            read = read_table(file)
        except FormatError as exc:
            raise _fail(str(exc), exc.exit_code) from None
        frame = read.frame
        missing, absent = _missing_columns(frame.columns)
        if missing:
            names = ", ".join(f"'{n}'" for n in missing)
            raise _fail(
                f"{read.source}: the standard's column(s) {names} are missing, so the figures "
                "cannot be counted. Use the standard's field names in the header (see "
                "docs/data-dictionary.md), or bring a tracker in with `fgc import` and reconcile "
                "the output of `fgc casework export`.",
                2,
            )
        if absent:
            typer.secho(
                f"{read.source}: no column {', '.join(repr(n) for n in absent)}; "
                "the figures counted from them are 0.",
                err=True,
                fg=typer.colors.YELLOW,
            )
        frame = frame.filter(pl.col("la_code").str.strip_chars() == council.old_la_code)
        if frame.is_empty():
            raise _fail(f"{read.source}: no rows for council {council.old_la_code}", 1)
        table = crosscheck(frame, council.old_la_code, p)

        console = Console(width=160)
        for source in SOURCES:
            rows = table.filter(pl.col("source") == source)
            view = Table(title=f"{source}: {council.name}, {p.label}", title_justify="left")
            for heading in ("column", "label", "value", "definition"):
                view.add_column(heading, justify="right" if heading == "value" else "left")
            for r in rows.iter_rows(named=True):
                view.add_row(r["column"], r["label"], str(r["value"]), r["definition"])
            console.print(view)
        if output is not None:
            try:
                write_csv(table, output)
            except FormatError as exc:
                raise _fail(str(exc), 2) from None
            typer.echo(f"Wrote {table.height} figures to {output}.")
        clashes = conflicts(table)
        if clashes.height:
            for r in clashes.iter_rows(named=True):
                typer.secho(
                    f"The {r['by']} '{r['name']}' carries two numbers: {r['seen']}",
                    err=True,
                    fg=typer.colors.RED,
                )
            raise typer.Exit(1)
        typer.echo(
            f"Every column name and label means one number across the {len(SOURCES)} outputs."
        )
