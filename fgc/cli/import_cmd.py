"""`fgc import FILE --la 805 --mapping mapping.json`: a council spreadsheet into casework.

Runs the same importer as the web page (``fgc.casework.importer``): maps columns and values,
checks every value, and stores everything in one transaction, or nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_FAILED = 2
DEV_SETTINGS = "fgc.config.settings.dev"


def _fail(message: str) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(EXIT_FAILED)


def _load_mapping(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        mapping = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise _fail(f"{path}: no such mapping file.") from None
    except json.JSONDecodeError as exc:
        raise _fail(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns", {}), dict):
        raise _fail(
            f'{path}: a mapping is an object like {{"columns": {{"Their header": "episode_id"}}, '
            '"values": {"ethnicity": {"White British": "WBRI"}}}'
        )
    return mapping


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_cmd(
        file: Annotated[Path, typer.Argument(help="The council's spreadsheet (CSV or XLSX).")],
        la: Annotated[str, typer.Option("--la", help="The council's DfE code, e.g. 805.")],
        mapping: Annotated[
            Path | None,
            typer.Option("--mapping", help="JSON column and value mapping (see docs/casework.md)."),
        ] = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Check and report; store nothing.")
        ] = False,
        suggest_out: Annotated[
            Path | None,
            typer.Option(
                "--suggest-mapping",
                help="Write a suggested mapping (with scores) to this JSON file; store nothing.",
            ),
        ] = None,
    ) -> None:
        """Import a council spreadsheet into casework (one transaction: all rows or none)."""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEV_SETTINGS)
        import django

        django.setup()
        from fgc.accounts.models import Council
        from fgc.casework import importer, services
        from fgc.formats.errors import FormatError

        mapping_dict = _load_mapping(mapping)
        council = Council.objects.filter(old_la_code=la.strip()).first()
        if council is None:
            raise _fail(
                f"--la {la}: no council with that DfE code in the database "
                "(run `fgc demo` or load the councils first)."
            )
        try:
            data = file.read_bytes()
        except OSError:
            raise _fail(f"{file}: no such file, or it cannot be read.") from None
        local_defs = services.active_local_fields(council)
        if suggest_out is not None:
            _write_suggestion(data, file, suggest_out, mapping_dict, [d.key for d in local_defs])
            return
        try:
            read = importer.read_upload(data, file.name)
            mapped = importer.preview(
                importer.apply_mapping(
                    read, mapping_dict, la_code=council.old_la_code, local_defs=local_defs
                )
            )
        except (FormatError, importer.ImportError_) as exc:
            raise _fail(f"{file.name}: {exc}") from None
        for p in mapped.problems[:20]:
            typer.secho(f"{file.name}: {p}", err=True, fg=typer.colors.RED)
        if mapped.problems:
            more = len(mapped.problems) - 20
            if more > 0:
                typer.secho(f"… and {more} more", err=True)
            raise _fail(
                f"{file.name}: nothing imported ({len(mapped.problems)} values cannot be stored)."
            )
        report = mapped.report
        assert report is not None
        episodes = mapped.frame.get_column("episode_id").n_unique()
        typer.echo(
            f"{file.name}: {mapped.frame.height} children in {episodes} episodes; "
            f"{report.error_count} errors and {report.query_count} queries to fix after import."
        )
        if mapped.ignored:
            typer.echo(f"Ignored columns: {', '.join(mapped.ignored)}")
        if dry_run:
            typer.echo("Dry run: nothing stored.")
            return
        try:
            result = importer.import_frame(None, council, mapped, local_defs)
        except importer.ImportError_ as exc:
            raise _fail(f"{file.name}: {exc}") from None
        typer.echo(
            f"Imported {result.episodes_created} new and {result.episodes_updated} updated "
            f"episodes ({result.children} children) for {council.name}."
        )


def _write_suggestion(
    data: bytes, file: Path, out: Path, saved: dict[str, Any], local_keys: list[str]
) -> None:
    """Write the suggested mapping and print header -> target (score); stores nothing."""
    from fgc.casework import importer
    from fgc.casework.suggestion import suggest_mapping
    from fgc.formats.errors import FormatError

    try:
        suggestion = suggest_mapping(importer.read_upload(data, file.name), saved, local_keys)
    except FormatError as exc:
        raise _fail(f"{file.name}: {exc}") from None
    try:
        out.write_text(json.dumps(suggestion, indent=2, ensure_ascii=False) + "\n", "utf-8")
    except OSError as exc:
        raise _fail(f"{out}: cannot be written ({exc.strerror}).") from None
    width = max((len(h) for h in suggestion["confidence"]), default=0)
    for header, c in suggestion["confidence"].items():
        target = c["target"] or "(ignored)"
        typer.echo(f"{header:<{width}}  {target:<24} {c['score']:.2f}  {c['why']}")
    unmatched = sum(
        1 for v in suggestion["value_confidence"].values() for c in v.values() if not c["code"]
    )
    typer.echo(
        f"Wrote {out}: check it, then import with --mapping {out}"
        + (f" ({unmatched} values have no code yet)." if unmatched else ".")
    )
