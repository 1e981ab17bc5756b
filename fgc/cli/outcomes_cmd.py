"""`fgc outcomes`: each FGC child's outcomes derived from the council's SSDA903 and CIN files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    @app.command("outcomes")
    def outcomes_cmd(
        file: Annotated[Path, typer.Argument(help="FGC child-level CSV or XLSX file.")],
        ssda903: Annotated[
            list[Path],
            typer.Option("--ssda903", help="SSDA903 episodes file (repeat for several years)."),
        ],
        as_at: Annotated[
            str, typer.Option("--as-at", help="The date the statutory data is complete to.")
        ],
        output: Annotated[Path, typer.Option("--output", "-o", help="Outcomes CSV to write.")],
        ssda903_header: Annotated[
            list[Path] | None,
            typer.Option("--ssda903-header", help="SSDA903 header file (optional)."),
        ] = None,
        cin: Annotated[
            Path | None, typer.Option("--cin", help="CIN census XML (for the groups not offered).")
        ] = None,
        filled: Annotated[
            Path | None,
            typer.Option(
                "--filled",
                help="Also write the FGC file with its blank outcome fields filled, ready for "
                "the Option 2 return (keyed values are kept; disagreements are listed).",
            ),
        ] = None,
    ) -> None:
        """Derive looked after at 6 and 12 months, care entry, days in care, proceedings and
        living arrangement for every FGC child from SSDA903 (and CIN census) files.

        One row per FGC child; children only in the SSDA903 file are not listed. The match
        report goes to stderr. Exit codes: 0 written, 2 a file cannot be used (nothing written).
        """
        import os

        from fgc.engine.linkage.outcomes import link
        from fgc.formats import FormatError, read_table, write_csv
        from fgc.returns.cin.reader import read_census_children
        from fgc.statutory import read_episodes, read_header

        try:
            when = date.fromisoformat(as_at.strip())
        except ValueError:
            raise _fail(f"--as-at {as_at!r} is not a date: write it as YYYY-MM-DD.") from None
        if when > date.today():
            raise _fail(f"--as-at {when.isoformat()} is in the future.")
        try:
            fgc = read_table(file).frame
            episodes = read_episodes(ssda903, as_at=when)
            header = read_header(ssda903_header, as_at=when) if ssda903_header else None
            children = list(read_census_children(cin)) if cin is not None else None
            result = link(fgc, episodes, as_at=when, cin=children, header=header)
            tmp = output.with_name(output.name + ".part")
            write_csv(result.outcomes, tmp)
            if filled is not None:
                from fgc.engine.linkage.fill import fill_outcomes
                from fgc.formats import ROW_COLUMN

                fgc_out, disagreements = fill_outcomes(
                    fgc.drop([c for c in (ROW_COLUMN,) if c in fgc.columns]), result.outcomes
                )
                part = filled.with_name(filled.name + ".part")
                write_csv(fgc_out, part)
                os.replace(part, filled)
            os.replace(tmp, output)
        except FormatError as exc:
            raise _fail(str(exc), exc.exit_code) from None
        except OSError as exc:
            raise _fail(f"cannot write {output} ({exc.strerror or exc})") from None
        typer.echo(result.report.text(), err=True)
        if filled is not None:
            typer.echo(f"Wrote {filled}: blank outcome fields filled from the SSDA903 file.")
            for r in disagreements.head(20).iter_rows(named=True):
                typer.echo(
                    f"Kept as keyed: child {r['child_id']} {r['field']} = {r['keyed']} "
                    f"(the SSDA903 file says {r['derived']}); check which is right.",
                    err=True,
                )
        n = result.outcomes.height
        typer.echo(f"Wrote outcomes for {n:,} FGC children to {output} (as at {when}).")
