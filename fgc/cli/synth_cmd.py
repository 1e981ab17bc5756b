"""`fgc synth`: write realistic synthetic child-level FGC data to CSV or XLSX."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import polars as pl

OUTPUT_KINDS = (".csv", ".xlsx")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    @app.command("synth")
    def synth_cmd(
        output: Annotated[
            Path, typer.Option("--output", "-o", help="File to write: .csv or .xlsx.")
        ],
        las: Annotated[
            str, typer.Option("--las", help="'all' or DfE council codes, e.g. 805,806.")
        ] = "all",
        years: Annotated[
            str | None,
            typer.Option(
                "--years", help="Financial years, e.g. 2024-25,2025-26 (default: five to 2025-26)."
            ),
        ] = None,
        seed: Annotated[
            int, typer.Option("--seed", help="Random seed (same seed, same data).")
        ] = 7,
        messy: Annotated[
            float,
            typer.Option("--messy", help="Share of rows given a realistic mistake, 0 to 1."),
        ] = 0.0,
        reference_date: Annotated[
            str | None,
            typer.Option(
                "--reference-date",
                help="YYYY-MM-DD: outcomes are filled when 6/12 months have passed by then "
                "(default 2026-11-01).",
            ),
        ] = None,
        scale: Annotated[
            float, typer.Option("--scale", help="Multiply every council's volume (load tests).")
        ] = 1.0,
        statutory_dir: Annotated[
            Path | None,
            typer.Option(
                "--statutory-dir",
                help="Also write SSDA903 episodes and header files and a CIN census per council "
                "for the same children here (for `fgc outcomes`).",
            ),
        ] = None,
    ) -> None:
        """Generate synthetic child-level FGC data (one row per child per episode).

        Exit codes: 0 written, 2 bad arguments or the file cannot be written.
        """
        from fgc.synth import DEFAULT_REFERENCE_DATE, DEFAULT_YEARS, SynthError, generate

        suffix = output.suffix.lower()
        if suffix not in OUTPUT_KINDS:
            raise _fail(
                f"{output}: the output must end in .csv or .xlsx, not {suffix or '(none)'}."
            )
        ref = DEFAULT_REFERENCE_DATE
        if reference_date is not None:
            try:
                ref = date.fromisoformat(reference_date.strip())
            except ValueError:
                raise _fail(
                    f"--reference-date {reference_date!r} is not a date; use YYYY-MM-DD."
                ) from None

        def run(progress: Callable[[int, int], None] | None = None) -> pl.DataFrame:
            return generate(
                las,
                years if years is not None else DEFAULT_YEARS,
                seed,
                messy,
                reference_date=ref,
                scale=scale,
                progress=progress,
            )

        try:
            if sys.stderr.isatty():
                from rich.progress import Progress

                with Progress(transient=True) as bar:
                    task = bar.add_task("Generating", total=None)
                    frame = run(lambda done, total: bar.update(task, completed=done, total=total))
            else:
                frame = run()
        except SynthError as exc:
            raise _fail(str(exc)) from None

        try:
            if suffix == ".csv":
                # Synthetic values never start with = + - @, so no formula escaping is needed
                # and polars can write a million rows directly.
                frame.write_csv(output)
            else:
                if frame.height > XLSX_MAX_ROWS:
                    raise _fail(
                        f"{frame.height:,} rows do not fit in one Excel sheet "
                        f"({XLSX_MAX_ROWS:,} at most); write a .csv instead."
                    )
                from fgc.formats import write_xlsx

                write_xlsx({"FGC child level": frame}, output)
        except OSError as exc:
            raise _fail(f"{output}: cannot write the file ({exc.strerror or exc}).") from None
        if statutory_dir is not None:
            from fgc.synth.statutory import statutory_files

            files = statutory_files(frame, seed=seed, as_at=ref)
            try:
                statutory_dir.mkdir(parents=True, exist_ok=True)
                files.episodes.write_csv(statutory_dir / "ssda903_episodes.csv")
                files.header.write_csv(statutory_dir / "ssda903_header.csv")
                for la, xml in files.census.items():
                    (statutory_dir / f"cin_census_{la}.xml").write_bytes(xml)
            except OSError as exc:
                raise _fail(f"{statutory_dir}: cannot write ({exc.strerror or exc}).") from None
            typer.echo(
                f"Wrote {files.episodes.height:,} SSDA903 episodes, {files.header.height:,} "
                f"header rows and {len(files.census)} CIN census file(s) to {statutory_dir}"
            )
        episodes = frame["episode_id"].n_unique()
        councils = frame["la_code"].n_unique()
        typer.echo(
            f"Wrote {frame.height:,} rows ({episodes:,} episodes, {councils} "
            f"{'council' if councils == 1 else 'councils'}) to {output}"
        )
