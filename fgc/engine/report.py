"""Render a validation report as text (rich), JSON, CSV or an Excel workbook.

The same findings table behind every format, so a council officer's spreadsheet and the
hub's web page always agree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, Protocol

import polars as pl

from fgc.engine.validate import FINDINGS_SCHEMA, ValidationReport

if TYPE_CHECKING:  # rich is imported where text is rendered: JSON and CSV reports never need it
    from rich.console import Console

ReportFormat = Literal["text", "json", "csv", "xlsx"]
FORMATS: tuple[ReportFormat, ...] = ("text", "json", "csv", "xlsx")
EXAMPLE_ROWS = 5


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def verdict(report: ValidationReport) -> str:
    """One line: how many errors and queries, and what that means for a return."""
    e, q = report.error_count, report.query_count
    if e:
        return (
            f"{_plural(e, 'error')} and {_plural(q, 'query')}: the errors must be fixed "
            "before this data can be returned."
        ).replace("querys", "queries")
    if q:
        return (f"No errors; {_plural(q, 'query')} to explain before sign-off.").replace(
            "querys", "queries"
        )
    return "No errors or queries."


def render_text(report: ValidationReport, console: Console, examples: int = EXAMPLE_ROWS) -> None:
    """Findings grouped by rule, with counts and the first few Excel rows of each."""
    from rich.table import Table

    source = report.source or "data"
    console.print(
        f"[bold]{source}[/bold]: {_plural(report.rows, 'row')} checked against "
        f"FGC standard {report.standard_version}"
        + (
            f" (dates compared with {report.reference_date.isoformat()})"
            if report.reference_date
            else ""
        )
    )
    summary = report.summary(examples=examples)
    if summary:
        table = Table(show_lines=False, header_style="bold")
        table.add_column("code", no_wrap=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("count", justify="right", no_wrap=True)
        table.add_column("rule")
        table.add_column("fields")
        table.add_column("first rows", no_wrap=False)
        for s in summary:
            style = "red" if s["severity"] == "error" else "yellow"
            more = "" if s["count"] <= len(s["rows"]) else ", …"
            table.add_row(
                s["code"],
                f"[{style}]{s['severity']}[/{style}]",
                f"{s['count']:,}",
                s["message"],
                ", ".join(s["fields"]),
                ", ".join(str(r) for r in s["rows"]) + more,
            )
        console.print(table)
    colour = "red" if report.has_errors else ("yellow" if report.query_count else "green")
    console.print(f"[{colour}]{verdict(report)}[/{colour}]")


def text(report: ValidationReport, examples: int = EXAMPLE_ROWS, width: int = 120) -> str:
    """The text rendering without colour codes (files, pipes, tests)."""
    from rich.console import Console

    buf = io.StringIO()
    render_text(report, Console(file=buf, width=width, color_system=None), examples)
    return buf.getvalue()


def to_json(report: ValidationReport) -> str:
    """``report.to_json_dict()`` as indented JSON.

    The findings of a plain report are encoded by polars, column by column, into exactly the
    text ``json.dumps(..., indent=2)`` writes: with an indent, ``json`` falls back to its
    pure-Python encoder and turns every finding into a dict first, which took about a second
    for 80,000 findings. Other reports (their own ``to_json_dict``) go through ``json``.
    """
    return b"".join(
        part if isinstance(part, bytes) else part.str.join(",\n").cast(pl.Binary).item()
        for part in _json_parts(report)
    ).decode("utf-8")


def write_json(report: ValidationReport, out: IO[bytes]) -> None:
    """``to_json`` and a final line break, as UTF-8, written a piece at a time: polars writes
    the findings to the file itself, never through one Python string of the whole report
    (27 MB for 78,000 findings, which had been copied four times on the way to the file)."""
    for part in _json_parts(report):
        if isinstance(part, bytes):
            out.write(part)
            continue
        # One record a line, ",\n" after each but the last (polars flushes `out` first).
        part.head(-1).to_frame().write_csv(
            out, include_header=False, quote_style="never", line_terminator=",\n"
        )
        out.write(part[-1].encode())
    out.write(b"\n")


def _json_parts(report: ValidationReport) -> Iterator[bytes | pl.Series]:
    """``to_json`` in order: UTF-8 text, and each severity's findings as their records
    (``_json_records``, never empty), to be joined with ",\n"."""
    plain = type(report).to_json_dict is ValidationReport.to_json_dict
    if not plain or any(t not in _JSON_TYPES for t in report.findings.schema.dtypes()):
        yield json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False).encode("utf-8")
        return
    head = _json_head(report)
    yield ("{\n" + ",\n".join(f"  {_dumps(k)}: {_dumps(v)}" for k, v in head.items())).encode()
    severity = pl.col("severity")
    for key, level in (("errors", "error"), ("queries", "query")):
        yield f",\n  {_dumps(key)}: ".encode()
        # Each severity's findings are encoded on their own: no filtered copy of the records.
        chosen = report.findings.filter(severity == level)
        if chosen.is_empty():
            yield b"[]"
            continue
        yield b"[\n"
        yield _json_records(chosen)
        yield b"\n  ]"
    yield b"\n}"


_JSON_TYPES = (pl.String(), pl.Int64())


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_records(findings: pl.DataFrame) -> pl.Series:
    """Each finding as the indented JSON object ``json.dumps`` writes inside the report."""
    fields = []
    for name, dtype in findings.schema.items():
        col = pl.col(name)
        if dtype == pl.Int64():
            value = col.cast(pl.String).fill_null("null")
        else:  # '{"v":<value>}' from polars' encoder, which escapes exactly as json does
            value = (
                pl.struct(col.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")
            )
        fields.append(pl.concat_str(pl.lit(f"      {_dumps(name)}: "), value))
    record = pl.concat_str(
        pl.lit("    {\n"), pl.concat_str(fields, separator=",\n"), pl.lit("\n    }")
    )
    return findings.select(record.alias("json")).to_series()


def write_csv(report: ValidationReport, out: Path | IO[str]) -> None:
    if isinstance(out, Path):
        report.findings.write_csv(out)
    else:
        out.write(report.findings.write_csv())


def summary_frame(report: ValidationReport) -> pl.DataFrame:
    rows = [
        {
            "code": s["code"],
            "severity": s["severity"],
            "count": s["count"],
            "rule": s["message"],
            "fields": ", ".join(s["fields"]),
            "first_rows": ", ".join(str(r) for r in s["rows"]),
        }
        for s in report.summary()
    ]
    schema = {
        "code": pl.Utf8,
        "severity": pl.Utf8,
        "count": pl.Int64,
        "rule": pl.Utf8,
        "fields": pl.Utf8,
        "first_rows": pl.Utf8,
    }
    return pl.DataFrame(rows, schema=schema)


def write_xlsx(report: ValidationReport, path: Path) -> None:
    """A workbook with a Summary sheet (one line per rule) and a Findings sheet."""
    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as wb:
        about = wb.add_worksheet("About")
        about.write_column(
            0,
            0,
            [
                "Source",
                "Standard version",
                "Rows checked",
                "Errors",
                "Queries",
                "Dates compared with",
            ],
        )
        about.write_column(
            0,
            1,
            [
                report.source or "",
                report.standard_version,
                report.rows,
                report.error_count,
                report.query_count,
                report.reference_date.isoformat() if report.reference_date else "",
            ],
        )
        about.set_column(0, 0, 22)
        about.set_column(1, 1, 40)
        summary_frame(report).write_excel(wb, worksheet="Summary", autofit=True)
        report.findings.write_excel(wb, worksheet="Findings", autofit=True)


def _json_head(report: ValidationReport | StreamedFindings) -> dict[str, object]:
    """The report's fields before its findings, in the JSON's order."""
    return {
        "standard_version": report.standard_version,
        "rows": report.rows,
        "source": report.source,
        "reference_date": report.reference_date.isoformat() if report.reference_date else None,
        "error_count": report.error_count,
        "query_count": report.query_count,
    }


class StreamedFindings(Protocol):
    """A report whose findings arrive in sorted batches (``fgc.engine.stream.StreamReport``)."""

    standard_version: str
    rows: int
    source: str | None
    reference_date: date | None
    error_count: int
    query_count: int

    def batches(self) -> Iterator[pl.DataFrame]: ...


def write_json_stream(report: StreamedFindings, out: IO[str]) -> None:
    """``to_json`` (plus its final line break) written a batch of findings at a time, so the
    findings are never all in memory: the same text, byte for byte."""
    head = _json_head(report)
    out.write("{\n" + ",\n".join(f"  {_dumps(k)}: {_dumps(v)}" for k, v in head.items()))
    for key, level in (("errors", "error"), ("queries", "query")):
        out.write(f",\n  {_dumps(key)}: ")
        opened = False
        for batch in report.batches():  # read twice (errors, then queries), as to_json splits
            chosen = batch.filter(pl.col("severity") == level)
            if chosen.is_empty():
                continue
            out.write(",\n" if opened else "[\n")
            out.write(_json_records(chosen).str.join(",\n").item())
            opened = True
        out.write("\n  ]" if opened else "[]")
    out.write("\n}\n")


def write_csv_stream(report: StreamedFindings, out: IO[str]) -> None:
    """The findings as ``write_csv`` writes them, a batch at a time (one header line)."""
    header = True
    for batch in report.batches():
        out.write(batch.write_csv(include_header=header))
        header = False
    if header:
        out.write(pl.DataFrame(schema=FINDINGS_SCHEMA).write_csv())
