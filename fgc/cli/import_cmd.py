"""`fgc import FILE --la 805 --mapping mapping.json`: a council spreadsheet into casework.

Runs the same importer as the web page (``fgc.casework.importer``): maps columns and values,
checks every value, and stores everything in one transaction, or nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_FAILED = 2


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
    if isinstance(mapping, dict) and not isinstance(mapping.get("defaults", {}), dict):
        raise _fail(f'{path}: "defaults" is an object like {{"meeting_type": "FGC"}}')
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns", {}), dict):
        raise _fail(
            f'{path}: a mapping is an object like {{"columns": {{"Their header": "episode_id"}}, '
            '"values": {"ethnicity": {"White British": "WBRI"}}}'
        )
    return mapping


def _check_default_meeting_type(code: str | None) -> str | None:
    from fgc.casework import implicit

    if code is None:
        return None
    try:
        return implicit.check_meeting_type(code)
    except implicit.DefaultError as exc:
        raise _fail(str(exc)) from None


def _implicit_facts(
    read: Any, mapping: dict[str, Any], mapped: Any, meeting_type: str | None, confirm: bool
) -> list[str]:
    """Fill what the tracker keeps implicitly; the lines that say what was done or suggested."""
    from fgc.casework import implicit

    lines = [
        f"row {row}: an unborn child with no identifier is given {child_id} "
        "(the same on every import of this file)"
        for row, child_id in mapped.generated_ids.items()
    ]
    if meeting_type:
        mapped.frame, rows = implicit.default_meeting_type(mapped.frame, meeting_type)
        if rows:
            lines.append(implicit.meeting_type_note(meeting_type, rows))
    found = implicit.suggestions(read, mapping, mapped.frame)
    if found:
        state = "applied (--confirm-suggestions)" if confirm else "NOT applied"
        lines.append(f"Suggestions, {state}:")
        lines.extend(f"  {s}" for s in found)
        if confirm:
            mapped.frame = implicit.apply_suggestions(mapped.frame, found)
        else:
            lines.append("  Check them, then import again with --confirm-suggestions to apply all.")
    return lines


def _echo_findings(name: str, mapped: Any) -> None:
    """Every value that cannot be stored, then every rule's finding, grouped with their rows."""
    from fgc.casework.findings import group_problems, group_report

    for g in group_problems(mapped.problems):
        typer.secho(f"{name}: {g}", err=True, fg=typer.colors.RED)
    if mapped.report is not None:
        for g in group_report(mapped.report.findings):
            typer.echo(f"{name}: {g}")


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
        default_meeting_type: Annotated[
            str | None,
            typer.Option(
                "--default-meeting-type",
                help="Meeting type (e.g. FGC) for meetings held with none recorded.",
            ),
        ] = None,
        confirm_suggestions: Annotated[
            bool,
            typer.Option(
                "--confirm-suggestions",
                help="Apply every flagged suggestion (see them first with --dry-run).",
            ),
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
        from fgc.cli.database import announce, ready_database

        announce(ready_database())
        from fgc.accounts.models import Council
        from fgc.casework import importer, services
        from fgc.formats.errors import FormatError

        mapping_dict = _load_mapping(mapping)
        # The option wins; else the mapping's saved service default (asked once).
        saved_default = dict(mapping_dict.get("defaults") or {}).get("meeting_type")
        meeting_type = _check_default_meeting_type(default_meeting_type or saved_default)
        council = Council.objects.filter(old_la_code=la.strip()).first()
        if council is None:
            raise _fail(
                f"--la {la}: no council with that DfE code in the database "
                "(a council's DfE code has three digits, e.g. 805 for Hartlepool)."
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
            mapped = importer.apply_mapping(
                read, mapping_dict, la_code=council.old_la_code, local_defs=local_defs
            )
        except (FormatError, importer.ImportError_) as exc:
            raise _fail(f"{file.name}: {exc}") from None
        facts = _implicit_facts(read, mapping_dict, mapped, meeting_type, confirm_suggestions)
        mapped = importer.preview(mapped)
        for line in facts:
            typer.echo(line)
        if mapped.problems:
            _echo_findings(file.name, mapped)
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
            _echo_findings(file.name, mapped)
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
    default_type = suggestion["defaults"].get("meeting_type")
    if default_type:
        typer.echo(
            f"No column holds the meeting type: meetings held are taken as {default_type} "
            '(change "defaults": {"meeting_type": …} to FNM if your service holds family '
            "network meetings)."
        )
    typer.echo(
        f"Wrote {out}: check it, then import with --mapping {out}"
        + (f" ({unmatched} values have no code yet)." if unmatched else ".")
    )
