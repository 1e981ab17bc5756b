"""`fgc template` and `fgc export child-level | cin | dfe-quarterly`: the returns."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fgc.engine.periods import Period
    from fgc.formats import ReadResult

export_app = typer.Typer(
    help="Write a return: child-level (Option 2), CIN census XML (Option 3), DfE quarterly.",
    no_args_is_help=True,
)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _la(code: str) -> str:
    from fgc.standard import get_la

    try:
        return get_la(code).old_la_code
    except KeyError as exc:
        raise _fail(f"--la: {exc.args[0]} (use the DfE 3-digit code, e.g. 805)") from None


def _period(text: str, option: str = "--period") -> Period:
    from fgc.engine.periods import Period, PeriodError

    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise _fail(f"{option}: {exc}") from None


def _read(file: Path, sheet: str | None) -> ReadResult:
    from fgc.formats import FormatError, read_table

    try:
        return read_table(file, sheet=sheet)
    except FormatError as exc:
        raise _fail(str(exc), exc.exit_code) from None


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise _fail(f"{path}: cannot write the file ({exc.strerror or exc})") from None


SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Worksheet of an XLSX file.")]
FileArg = Annotated[Path, typer.Argument(help="Child-level FGC records (CSV or XLSX).")]


@export_app.command("child-level")
def child_level_cmd(
    file: FileArg,
    la: Annotated[str, typer.Option("--la", help="Your council's DfE 3-digit code.")],
    period: Annotated[str, typer.Option("--period", help="Financial year, e.g. 2025-26.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The return (.csv).")],
    sheet: SheetOpt = None,
) -> None:
    """Option 2: national fields only, ids pseudonymised, month-only dates, postcode district.

    Needs FGC_PSEUDONYM_KEY_<LA> (or FGC_PSEUDONYM_KEY) in the environment.
    """
    from fgc.formats import FormatError, write_csv
    from fgc.returns.child_level import MissingKeyError, child_level_return

    la_code, p = _la(la), _period(period)
    read = _read(file, sheet)
    try:
        result = child_level_return(read.frame, la_code, p)
        write_csv(result, output)
    except FormatError as exc:
        raise _fail(
            str(exc) if isinstance(exc, MissingKeyError) else f"{read.source}: {exc}"
        ) from None
    except OSError as exc:
        raise _fail(f"{output}: cannot write the file ({exc.strerror or exc})") from None
    dropped = list(read.unknown_columns)
    typer.echo(
        f"Wrote {output}: {result.height} child rows for {la_code}, {p.label}; ids pseudonymised, "
        "dates of birth as the first of the month."
    )
    if dropped:
        typer.echo(f"Left out columns not in the standard: {', '.join(dropped)}")


@export_app.command("cin")
def cin_cmd(
    file: FileArg,
    census: Annotated[Path, typer.Option("--census", help="Your CIN census XML file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The enriched census XML.")],
    report: Annotated[
        Path | None, typer.Option("--report", help="Reconciliation report (.csv).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="TOML with the CIN encodings (boolean, PPOutcome)."),
    ] = None,
    sheet: SheetOpt = None,
) -> None:
    """Option 3: fill the census PreProceedingsandFGDM blocks from FGC records.

    Existing blocks are checked, never overwritten; every disagreement goes to the report.
    """
    import os

    import polars as pl

    from fgc.formats import FormatError, write_csv
    from fgc.returns.cin.config import load_cin_config
    from fgc.returns.cin.enrich import enrich_census
    from fgc.returns.cin.rules import as_report_rows, check_census, errors_in_added

    if output.resolve() == census.resolve():
        raise _fail("--output must not be the census file itself: write a new file.")
    read = _read(file, sheet)
    tmp = output.with_name(output.name + ".part")
    try:
        cfg = load_cin_config(config)
        with open(tmp, "wb") as out:
            result = enrich_census(read.frame, census, out, config=cfg)
        # The enriched file against the DfE 2026-27 pre-proceedings rules, before it is kept.
        findings = check_census(tmp, cfg)
        caused = errors_in_added(findings, result.report)
        full_report = pl.concat([result.report, as_report_rows(findings)], how="vertical_relaxed")
        if report is not None:
            write_csv(full_report, report)
        if caused.height:
            tmp.unlink(missing_ok=True)
            listed = "; ".join(
                f"{r['code']} for child {r['la_child_id']} ({r['element']} {r['value']})"
                for r in caused.head(5).iter_rows(named=True)
            )
            raise _fail(
                f"Not written: the pre-proceedings items added from the FGC records would break "
                f"{caused.height} DfE rule(s) in {census.name}: {listed}. Correct the FGC "
                f"records or the census"
                + (f"; every finding is in {report}." if report is not None else "; add --report."),
                1,
            )
        os.replace(tmp, output)
    except FormatError as exc:
        tmp.unlink(missing_ok=True)
        raise _fail(str(exc), exc.exit_code) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _fail(f"cannot write the output ({exc.strerror or exc})") from None
    typer.echo(f"Wrote {output}.")
    typer.echo(result.summary())
    by_severity = dict(findings.group_by("severity").len().iter_rows()) if findings.height else {}
    typer.echo(
        f"DfE 2026-27 pre-proceedings rules on the enriched file: "
        f"{by_severity.get('error', 0)} errors, {by_severity.get('query', 0)} queries"
        + (" (in blocks the case system wrote; see the report)." if findings.height else ".")
    )
    if report is not None:
        typer.echo(f"Reconciliation report: {report}")


@export_app.command("dfe-quarterly")
def dfe_quarterly_cmd(
    file: FileArg,
    la: Annotated[str, typer.Option("--la", help="Your council's DfE 3-digit code.")],
    quarter: Annotated[str, typer.Option("--quarter", help="Quarter, e.g. 2025-26-Q2.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the figures (.csv).")
    ] = None,
    sheet: SheetOpt = None,
) -> None:
    """The DfE quarterly figures: FGDM offered at or before the letter, and meetings held."""
    from fgc.engine.periods import PeriodError
    from fgc.formats import FormatError, write_csv
    from fgc.returns.dfe_quarterly import as_quarter, counting_rules_text, dfe_quarterly_return

    la_code = _la(la)
    try:
        q = as_quarter(quarter)
    except PeriodError as exc:
        raise _fail(f"--quarter: {exc}") from None
    read = _read(file, sheet)
    try:
        result = dfe_quarterly_return(read.frame, la_code, q)
        if output is not None:
            write_csv(result, output)
    except FormatError as exc:
        raise _fail(f"{read.source}: {exc}", 1) from None
    except OSError as exc:
        raise _fail(f"{output}: cannot write the file ({exc.strerror or exc})") from None
    name = result.get_column("la_name")[0] or la_code
    typer.echo(f"{name} ({la_code}), {q.label}")
    for row in result.iter_rows(named=True):
        typer.echo(f"  {row['label']}: {row['value']}")
    typer.echo("")
    typer.echo(counting_rules_text(q))
    if output is not None:
        typer.echo(f"\nWrote {output} (the counting_rule column states each rule).")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")

    @app.command("template")
    def template_cmd(
        period: Annotated[str, typer.Option("--period", help="Financial year, e.g. 2025-26.")],
        la: Annotated[str, typer.Option("--la", help="Your council's DfE 3-digit code.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="The workbook (.xlsx).")],
    ) -> None:
        """Option 1: the aggregate return as an Excel workbook to fill in by hand."""
        from fgc.returns.template import write_template

        if output.suffix.lower() != ".xlsx":
            raise _fail(f"--output {output}: the template is an Excel workbook; use .xlsx")
        la_code, p = _la(la), _period(period)
        _write_bytes(output, write_template(la_code, p))
        typer.echo(
            f"Wrote {output}: the {p.label} aggregate return for {la_code}. Fill in the Input "
            "sheet (the Checks column turns red until the figures add up), then run "
            f"`fgc validate {output}` or upload it to the hub."
        )
