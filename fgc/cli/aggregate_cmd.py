"""`fgc aggregate`: the Option 1 aggregate return from a child-level file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

OUTPUT_KINDS = (".csv", ".xlsx")
RETURN_SHEET = "Aggregate return"
MEASURES_SHEET = "Measures"


def _fail(message: str, code: int) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def measures_path(output: Path) -> Path:
    """Where a CSV return's notes go: beside it, as EES data files carry a metadata file."""
    return output.with_name(f"{output.stem}.measures.csv")


def register(app: typer.Typer) -> None:
    @app.command("aggregate")
    def aggregate_cmd(
        file: Annotated[Path, typer.Argument(help="Child-level CSV or XLSX file.")],
        period: Annotated[
            str, typer.Option("--period", help="Financial year (2025-26) or quarter (2025-26-Q2).")
        ],
        output: Annotated[
            Path, typer.Option("--output", "-o", help="Where to write the return: .csv or .xlsx.")
        ],
        sheet: Annotated[
            str | None, typer.Option("--sheet", help="Worksheet to read from an XLSX file.")
        ] = None,
        allow_errors: Annotated[
            bool,
            typer.Option("--allow-errors", help="Aggregate even if the file has errors."),
        ] = False,
        la: Annotated[
            str | None, typer.Option("--la", help="Only this council (DfE 3-digit code).")
        ] = None,
        template: Annotated[
            bool,
            typer.Option(
                "--template",
                help="Write the Option 1 Excel template filled from this data (needs --la "
                "and an .xlsx output): identical to one keyed in by hand.",
            ),
        ] = False,
    ) -> None:
        """Write the aggregate return (counts of families and children) for a period.

        The file is validated first; a file with errors is refused unless --allow-errors.

        Exit codes: 0 written; 1 the file has errors (or no rows for --la); 2 bad arguments,
        or a file that cannot be read or written.
        """
        # Imported here so `fgc --help` stays quick.
        import polars as pl

        from fgc.engine.aggregate import aggregate, measures_table
        from fgc.engine.periods import Period, PeriodError
        from fgc.engine.validate import validate
        from fgc.formats import FormatError, read_table, write_csv, write_xlsx
        from fgc.standard import get_la

        try:
            p = Period.parse(period)
        except PeriodError as exc:
            raise _fail(f"--period: {exc}", 2) from None
        kind = output.suffix.lower()
        if kind not in OUTPUT_KINDS:
            raise _fail(
                f"--output {output}: the return can be written as .csv or .xlsx, not "
                f"{output.suffix or 'a file without an extension'}",
                2,
            )
        if template and (la is None or kind != ".xlsx"):
            raise _fail("--template fills one council's workbook: give --la and an .xlsx output", 2)
        la_code = None
        if la is not None:
            try:
                la_code = get_la(la).old_la_code
            except KeyError as exc:
                raise _fail(f"--la: {exc.args[0]}", 2) from None
        if not file.is_file():
            raise _fail(f"{file}: no such file", 2)

        try:
            read = read_table(file, sheet=sheet)
        except FormatError as exc:
            raise _fail(str(exc), exc.exit_code) from None
        frame = read.frame
        if la_code is not None:
            if "la_code" not in frame.columns:
                raise _fail(f"{read.source}: no la_code column, so --la {la} matches nothing", 1)
            frame = frame.filter(pl.col("la_code").str.strip_chars() == la_code)
            if frame.is_empty():
                raise _fail(f"{read.source}: no rows for council {la_code}", 1)

        report = validate(frame, unknown_columns=read.unknown_columns, source=read.source)
        if report.has_errors and not allow_errors:
            n = report.error_count
            raise _fail(
                f"{read.source} has {n} error{'s' if n != 1 else ''}: run `fgc validate {file}` "
                "to see them, or use --allow-errors to aggregate anyway.",
                1,
            )

        result = aggregate(frame, p)
        try:
            if template:
                from fgc.returns.template import fill_template

                assert la_code is not None
                output.write_bytes(fill_template(result, la_code, p))
                typer.echo(
                    f"Wrote the {p.label} template for council {la_code}, filled, to {output}."
                )
                return
            if kind == ".csv":
                write_csv(result, output)
                notes = measures_path(output)
                write_csv(measures_table(), notes)
                where = f"{output} (counting rules in {notes})"
            else:
                write_xlsx({RETURN_SHEET: result, MEASURES_SHEET: measures_table()}, output)
                where = f"{output} (counting rules on the {MEASURES_SHEET} sheet)"
        except OSError as exc:
            raise _fail(f"{output}: cannot write the return ({exc.strerror or exc})", 2) from None

        councils = result.filter(pl.col("geographic_level") == "Local authority")[
            "old_la_code"
        ].n_unique()
        warnings = []
        if report.has_errors:
            warnings.append(f"{report.error_count} errors allowed")
        if report.query_count:
            warnings.append(f"{report.query_count} queries to explain before sign-off")
        note = f" [{'; '.join(warnings)}]" if warnings else ""
        typer.echo(
            f"Wrote {result.height} rows for {councils} council{'s' if councils != 1 else ''}, "
            f"{p.label} ({p.start.isoformat()} to {p.end.isoformat()}), to {where}.{note}"
        )
