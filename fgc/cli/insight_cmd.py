"""`fgc insight` (one-page council benchmarking report) and `fgc publish` (open data)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _fail(message: str, code: int) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _read_frames(files: list[Path]):  # -> pl.DataFrame
    import polars as pl

    from fgc.formats import FormatError, read_table

    frames = []
    for f in files:
        if not f.is_file():
            raise _fail(f"{f}: no such file", 2)
        try:
            frames.append(read_table(f).frame)
        except FormatError as exc:
            raise _fail(str(exc), 2) from None
    return pl.concat(frames, how="diagonal_relaxed")


def _period(text: str) -> str:
    from fgc.engine.periods import Period, PeriodError

    try:
        p = Period.parse(text)
    except PeriodError as exc:
        raise _fail(f"--period: {exc}", 2) from None
    if p.quarter is not None:
        raise _fail("--period: insight works on financial years (like 2025-26), not quarters", 2)
    return p.label


def _impact_sections(path: Path, la_code: str):  # -> tuple[ExtraSection, ...]
    """The comparison and impact sections from a linked-children file (exit 2 if unreadable)."""
    from fgc.engine.impact import ImpactError
    from fgc.engine.impact.linked_text import linked_from_text
    from fgc.engine.impact.report import report_sections

    text = _read_frames([path])
    try:
        linked = linked_from_text(text, path.name)
        if la_code not in set(linked.get_column("la_code").to_list()):
            raise _fail(f"--linked {path.name}: no children for council {la_code}", 1)
        return report_sections(linked, la_code)
    except ImpactError as exc:
        raise _fail(str(exc), 2) from None


def _linked_inline(frame, code, ssda903, header, cin, as_at):  # -> tuple[ExtraSection, ...]
    """Link the council's FGC rows to its statutory files (``fgc outcomes``'s linking)."""
    from datetime import date

    import polars as pl

    from fgc.engine.impact import ImpactError
    from fgc.engine.impact.report import report_sections
    from fgc.engine.linkage.outcomes import link
    from fgc.formats import FormatError
    from fgc.returns.cin.reader import read_census_children
    from fgc.statutory import read_episodes, read_header

    if not as_at:
        raise _fail("--as-at is needed with --ssda903 (the date the data is complete to)", 2)
    try:
        when = date.fromisoformat(as_at.strip())
    except ValueError:
        raise _fail(f"--as-at {as_at!r} is not a date: write it as YYYY-MM-DD.", 2) from None
    if when > date.today():
        raise _fail(f"--as-at {when.isoformat()} is in the future.", 2)
    own = frame.filter(pl.col("la_code").cast(pl.Utf8) == code)
    try:
        episodes = read_episodes(ssda903, as_at=when)
        head = read_header(header, as_at=when) if header else None
        children = list(read_census_children(cin)) if cin is not None else None
        result = link(own, episodes, as_at=when, cin=children, header=head)
        typer.echo(result.report.text(), err=True)
        return report_sections(result.linked, code)
    except FormatError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    except ImpactError as exc:
        raise _fail(str(exc), 2) from None


def register(app: typer.Typer) -> None:
    @app.command("insight")
    def insight_cmd(
        file: Annotated[list[Path], typer.Argument(help="Child-level CSV or XLSX file(s).")],
        la: Annotated[str, typer.Option("--la", help="Council (DfE 3-digit code).")],
        period: Annotated[str, typer.Option("--period", help="Financial year, e.g. 2025-26.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Report file to write.")],
        fmt: Annotated[str, typer.Option("--format", help="html (default) or pdf.")] = "html",
        population: Annotated[
            Path | None,
            typer.Option("--population", help="Council population counts CSV (see docs)."),
        ] = None,
        linked: Annotated[
            Path | None,
            typer.Option(
                "--linked",
                help="Linked children (CSV/XLSX in the linked-outcomes layout, see "
                "docs/insight.md): adds the comparison and impact sections.",
            ),
        ] = None,
        ssda903: Annotated[
            list[Path] | None,
            typer.Option(
                "--ssda903",
                help="The council's SSDA903 episodes (repeat for several years): link its FGC "
                "children inline and add the comparison and impact sections.",
            ),
        ] = None,
        ssda903_header: Annotated[
            list[Path] | None, typer.Option("--ssda903-header", help="SSDA903 header file(s).")
        ] = None,
        cin: Annotated[
            Path | None,
            typer.Option("--cin", help="CIN census XML (children in pre-proceedings not offered)."),
        ] = None,
        as_at: Annotated[
            str | None, typer.Option("--as-at", help="Date the statutory data is complete to.")
        ] = None,
    ) -> None:
        """Write a one-page benchmarking report for one council (HTML or PDF).

        Benchmarks need other councils' data in FILE(s) (e.g. the hub's accepted returns).
        Exit codes: 0 written, 1 no data for the council in the period, 2 bad input.
        """
        import polars as pl

        from fgc.engine.insight import compute_measures
        from fgc.engine.insight.population import PopulationError, read_population
        from fgc.engine.insight.report import render_html, write_pdf
        from fgc.standard import get_la

        per = _period(period)
        try:
            code = get_la(la).old_la_code
        except KeyError as exc:
            raise _fail(f"--la: {exc.args[0]}", 2) from None
        if fmt not in ("html", "pdf"):
            raise _fail(f"--format: expected html or pdf, got {fmt!r}", 2)
        pop = None
        if population is not None:
            try:
                pop = read_population(population)
            except PopulationError as exc:
                raise _fail(str(exc), 2) from None
        if linked is not None and ssda903:
            raise _fail("Give either --linked or --ssda903, not both", 2)
        frame = _read_frames(file)
        extra = _impact_sections(linked, code) if linked is not None else ()
        if ssda903:
            extra = _linked_inline(frame, code, ssda903, ssda903_header, cin, as_at)
        elif ssda903_header or cin or as_at:
            raise _fail("--ssda903-header, --cin and --as-at need --ssda903", 2)
        result = compute_measures(frame, None, population=pop)
        if per not in result.periods:
            raise _fail(
                f"No rows in the file(s) for {per}; the data cover "
                f"{', '.join(result.periods) or 'no period'}",
                1,
            )
        has = result.table("funnel").filter((pl.col("la_code") == code) & (pl.col("period") == per))
        if has.height == 0:
            raise _fail(f"No rows for council {code} in {per}", 1)
        try:
            if fmt == "pdf":
                write_pdf(result, code, per, output, extra=extra)
            else:
                output.write_text(render_html(result, code, per, extra=extra), "utf-8")
        except OSError as exc:
            raise _fail(f"--output {output}: cannot write ({exc.strerror})", 2) from None
        typer.echo(f"Wrote {output} ({fmt}) for {get_la(code).name}, {per}")

    @app.command("publish")
    def publish_cmd(
        files: Annotated[list[Path], typer.Argument(help="Accepted child-level file(s).")],
        period: Annotated[str, typer.Option("--period", help="Financial year, e.g. 2025-26.")],
        output_dir: Annotated[Path, typer.Option("--output-dir", help="Folder for the release.")],
        threshold: Annotated[int, typer.Option(help="Suppress counts 1..threshold.")] = 5,
        rounding: Annotated[int, typer.Option(help="Round England/regional figures to this.")] = 10,
        internal_log: Annotated[
            Path | None,
            typer.Option(
                "--internal-log",
                help="Write the suppression decisions here, for your own audit (outside the "
                "release folder: the log reveals suppressed values and is never published).",
            ),
        ] = None,
    ) -> None:
        """Write the national release (EES CSV + .meta.csv) and attack it.

        Exit codes: 0 published and safe, 1 the checker recovered a suppressed cell or a file
        breaks EES conventions, 2 bad input.
        """
        from fgc.engine.disclosure import DisclosureConfig, publish
        from fgc.engine.insight import compute_measures
        from fgc.engine.insight.release import publication_tables

        per = _period(period)
        if internal_log is not None and internal_log.resolve().is_relative_to(output_dir.resolve()):
            raise _fail(
                f"--internal-log {internal_log} is inside the release folder {output_dir}; the "
                "log reveals suppressed values, so keep it outside what you publish.",
                2,
            )
        frame = _read_frames(files)
        result = compute_measures(frame, per)
        pub = publish(
            publication_tables(result, per),
            per,
            DisclosureConfig(threshold=threshold, rounding_base=rounding),
        )
        try:
            written = pub.write(output_dir)
            if internal_log is not None:
                pub.write_internal_log(internal_log)
        except OSError as exc:
            raise _fail(f"--output-dir {output_dir}: cannot write ({exc.strerror})", 2) from None
        check = pub.check
        typer.echo(
            f"Wrote {len(written)} files to {output_dir}: {check.cells} cells, "
            f"{check.hidden} suppressed, {check.equations} totals attacked"
        )
        for problem in pub.problems:
            typer.secho(f"EES: {problem}", err=True, fg=typer.colors.RED)
        for d in check.disclosures:
            typer.secho(f"Disclosure: {d.describe()}", err=True, fg=typer.colors.RED)
        if not pub.ok:
            raise typer.Exit(1)
        typer.echo("Disclosure checker: no suppressed cell can be recovered")
