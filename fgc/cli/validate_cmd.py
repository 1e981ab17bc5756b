"""`fgc validate`: check a child-level file against the standard; `fgc rules`: list the rules."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from fgc.engine.stream import StreamReport
    from fgc.engine.validate import ValidationReport
    from fgc.formats import ReadResult

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def _fail(message: str, code: int = EXIT_UNREADABLE) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _console() -> Console:
    """A console for the terminal, made where one is used: rich is imported only when text
    is shown (writing a JSON or CSV report to a file never needs it)."""
    from rich.console import Console

    return Console(stderr=False)


def _reference_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _fail(
            f"--reference-date {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31"
        ) from None


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate_cmd(
        file: Annotated[Path, typer.Argument(help="Child-level CSV or XLSX file.")],
        format: Annotated[
            str,
            typer.Option("--format", "-f", help="Report format: text, json, csv or xlsx."),
        ] = "text",
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Write the report here (needed for xlsx)."),
        ] = None,
        sheet: Annotated[
            str | None, typer.Option("--sheet", help="Worksheet to read from an XLSX file.")
        ] = None,
        reference_date: Annotated[
            str | None,
            typer.Option(
                "--reference-date",
                help="Date to check 'in the future' and 6/12-month outcomes against "
                "(YYYY-MM-DD; default today).",
            ),
        ] = None,
        stream: Annotated[
            bool,
            typer.Option(
                "--stream",
                help="Read a CSV in chunks, for files too large for memory (same findings; "
                "json, csv or text reports). Used automatically for a CSV over the "
                "in-memory limits (FGC_MAX_UPLOAD_MB, FGC_MAX_ROWS).",
            ),
        ] = False,
    ) -> None:
        """Check a file against the FGC standard and report errors and queries.

        Exit codes: 0 no errors (queries allowed), 1 the file has errors, 2 the file cannot be
        read (or bad arguments).
        """
        from fgc.engine import report as rpt
        from fgc.engine.validate import validate
        from fgc.formats import FormatError, read_table

        fmt = format.strip().lower()
        if fmt not in rpt.FORMATS:
            raise _fail(f"--format {format!r} is not one of: {', '.join(rpt.FORMATS)}")
        if fmt == "xlsx" and output is None:
            raise _fail("--format xlsx writes a workbook: give --output PATH.xlsx")
        ref = _reference_date(reference_date)

        if stream or _over_memory_limits(file, count_lines=False):
            _stream(file, fmt, output, ref, sheet, notice=not stream)
        # Progress only for a person at a terminal; pipes and CI get the report alone.
        show_status = sys.stdout.isatty() and fmt == "text" and output is None
        try:
            # A filled Option 1 template is an aggregate return: check its totals instead.
            if file.is_file() and file.suffix.lower() == ".xlsx" and _is_template(file):
                from fgc.returns.template import validate_template

                template_report = validate_template(file)
                _write(template_report, fmt, output)
                raise typer.Exit(EXIT_ERRORS if template_report.has_errors else EXIT_OK)
            if show_status:
                with _console().status(f"Reading {file.name} …"):
                    result = read_table(file, sheet=sheet)
                if _aggregate(result, fmt, output):
                    return
                rows = f"{result.frame.height:,} rows"
                with _console().status(f"Checking {rows} …") as status:
                    report = validate(
                        result.frame,
                        reference_date=ref,
                        unknown_columns=result.unknown_columns,
                        source=_source(result.source, result.sheet),
                        progress=lambda pct, msg: status.update(f"{msg} ({rows}) …"),
                    )
            else:
                result = read_table(file, sheet=sheet)
                if _aggregate(result, fmt, output):
                    return
                report = validate(
                    result.frame,
                    reference_date=ref,
                    unknown_columns=result.unknown_columns,
                    source=_source(result.source, result.sheet),
                )
        except FormatError as exc:
            # Refused for its row count: only then count its lines (the in-memory path pays
            # nothing), and stream it.
            if _over_memory_limits(file, count_lines=True):
                _stream(file, fmt, output, ref, sheet, notice=True)
            raise _fail(str(exc), getattr(exc, "exit_code", EXIT_UNREADABLE)) from None

        try:
            _write(report, fmt, output)
        except OSError as exc:
            raise _fail(f"Cannot write the report to {output}: {exc.strerror or exc}") from None
        # The report file is closed (stdout is flushed by main): the process may end at once.
        from fgc.cli import output_complete

        output_complete()
        raise typer.Exit(EXIT_ERRORS if report.has_errors else EXIT_OK)

    @app.command("rules")
    def rules_cmd(
        write: Annotated[
            Path | None,
            typer.Option("--write", help="Write the Markdown list of rules here (docs/rules.md)."),
        ] = None,
    ) -> None:
        """List every validation rule (code, severity, message, fields) as Markdown."""
        from fgc.engine.rules import rules_markdown

        text = rules_markdown()
        if write is None:
            typer.echo(text, nl=False)
        else:
            write.write_text(text, encoding="utf-8")
            typer.echo(f"Wrote {write}")


def _is_template(file: Path) -> bool:
    from fgc.returns.template import is_template

    return is_template(file)


def _aggregate(result: ReadResult, fmt: str, output: Path | None) -> bool:
    """A tidy Option 1 aggregate (what ``fgc aggregate`` writes) is checked as one, by the
    hub's AGG checks, instead of as child-level data. Returns False for child-level files."""
    # A tidy aggregate has every ID column: without the first (time_period), neither the
    # aggregate engine (~3 ms to import) nor the hub's checks (and the template and
    # xlsxwriter modules they import, ~20 ms) are needed to know it is child-level.
    if "time_period" not in result.frame.columns:
        return False
    from fgc.engine.aggregate import ID_COLUMNS

    if not all(c in result.frame.columns for c in ID_COLUMNS):
        return False
    from fgc.hub.aggregate_checks import check_tidy_file, is_tidy_aggregate

    if not is_tidy_aggregate(result.frame):
        return False
    typer.secho(
        f"{_source(result.source, result.sheet)} is an Option 1 aggregate return (the layout "
        f"`fgc aggregate` writes): checking its totals (AGG rules) for each council and period.",
        err=True,
    )
    report = check_tidy_file(result.frame, source=_source(result.source, result.sheet))
    try:
        _write(report, fmt, output)
    except OSError as exc:
        raise _fail(f"Cannot write the report to {output}: {exc.strerror or exc}") from None
    raise typer.Exit(EXIT_ERRORS if report.has_errors else EXIT_OK)


def _stream(
    file: Path,
    fmt: str,
    output: Path | None,
    ref: date | None,
    sheet: str | None,
    notice: bool,
) -> None:
    """Validate in stream mode and exit (with a one-line notice when chosen automatically)."""
    if sheet is not None:
        raise _fail("--sheet is for XLSX files; --stream reads CSV files only.")
    if fmt == "xlsx":
        raise _fail(
            f"{file.name}: --format xlsx is not available in stream mode (a workbook is built "
            f"in memory); use --format json, csv or text."
        )
    if notice:
        typer.secho(
            f"{file.name} is over the in-memory limits (FGC_MAX_UPLOAD_MB, FGC_MAX_ROWS): "
            f"checking it in stream mode (--stream).",
            err=True,
        )
    raise typer.Exit(_validate_streaming(file, fmt, output, ref))


def _over_memory_limits(file: Path, *, count_lines: bool) -> bool:
    """A CSV the in-memory reader would refuse for its size (or, counting its lines, its row
    count); never a workbook."""
    from fgc.formats.limits import default_limits
    from fgc.formats.sniff import sniff

    try:
        if not file.is_file():
            return False
        size = file.stat().st_size
        with file.open("rb") as fh:
            if sniff(fh.read(8)) != "text":
                return False
            lim = default_limits()
            if size > lim.max_bytes:
                return True
            # Every line holds a byte at least, so a smaller file cannot be over.
            if not count_lines or size <= lim.max_rows:
                return False
            fh.seek(0)
            lines = 0
            while block := fh.read(16 << 20):
                lines += block.count(b"\n")
                if lines > lim.max_rows + 1:
                    return True
    except OSError:
        return False  # the reader says what is wrong with it
    return False


def _validate_streaming(file: Path, fmt: str, output: Path | None, ref: date | None) -> int:
    from fgc.engine.stream import validate_stream
    from fgc.engine.stream.progress import terminal_progress
    from fgc.formats import FormatError

    # A one-line progress display for a person at a terminal only (never in a pipe or CI).
    show = terminal_progress(sys.stderr, file.name)
    try:
        report = validate_stream(file, reference_date=ref, progress=show)
    except FormatError as exc:
        raise _fail(str(exc), getattr(exc, "exit_code", EXIT_UNREADABLE)) from None
    finally:
        if show is not None:
            show.clear()
    with report:
        try:
            _write_stream(report, fmt, output)
        except OSError as exc:
            raise _fail(f"Cannot write the report to {output}: {exc.strerror or exc}") from None
        return EXIT_ERRORS if report.has_errors else EXIT_OK


def _write_stream(report: StreamReport, fmt: str, output: Path | None) -> None:
    """Write a streamed report a batch at a time; a file report appears only when complete."""
    import os

    from fgc.engine import report as rpt

    if fmt == "text":
        _write(report.totals(), fmt, output)
        return
    writer = rpt.write_json_stream if fmt == "json" else rpt.write_csv_stream
    if output is None:
        writer(report, sys.stdout)
        return
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as fh:
            writer(report, fh)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    if sys.stdout.isatty():
        _console().print(f"Report written to {output}. {rpt.verdict(report.totals())}")


def _source(name: str, sheet: str | None) -> str:
    return f"{name} (sheet {sheet})" if sheet else name


def _write(report: ValidationReport, fmt: str, output: Path | None) -> None:
    from fgc.engine import report as rpt

    if fmt == "xlsx":
        assert output is not None
        rpt.write_xlsx(report, output)
    elif fmt == "json":
        if output is None:
            sys.stdout.write(rpt.to_json(report) + "\n")
        else:
            with output.open("wb") as fh:
                rpt.write_json(report, fh)
    elif fmt == "csv":
        if output is None:
            sys.stdout.write(report.findings.write_csv())
        else:
            rpt.write_csv(report, output)
    elif output is not None:
        _emit(rpt.text(report), output)
    else:
        from rich.console import Console

        console = _console()
        plain = Console(color_system=None, width=max(console.width, 120))
        rpt.render_text(report, console if sys.stdout.isatty() else plain)
    if output is not None and sys.stdout.isatty():
        _console().print(f"Report written to {output}. {rpt.verdict(report)}")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
