"""Importing a spreadsheet of episodes: upload, map the columns and values, preview, import.

The upload waits in the data directory between pages; the session says which file it is."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fgc.casework import implicit, importer, services
from fgc.casework.findings import group_problems
from fgc.casework.models import SavedMapping
from fgc.casework.suggestion import suggest_mapping
from fgc.casework.views.access import _manager_council, audit
from fgc.casework.views.import_mapping import (
    _samples,
    _suggested_value_rows,
    _targets,
    _unmapped_values,
)
from fgc.casework.views.page_context import _ctx
from fgc.formats.errors import FormatError

IMPORT_SESSION = "casework_import"


def _import_dir() -> Path:
    path = Path(settings.FGC_DATA_DIR) / "casework-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending(request: HttpRequest) -> tuple[dict[str, Any], bytes, Any]:
    pending = request.session.get(IMPORT_SESSION)
    if not pending:
        raise Http404("No import in progress")
    council, _ = _manager_council(request)
    if str(council.pk) != str(pending["council"]):
        council = next(
            c for c in services.councils_for(request.user) if str(c.pk) == str(pending["council"])
        )
    path = _import_dir() / pending["file"]
    if not path.exists():
        raise Http404("The uploaded file has expired; upload it again")
    return pending, path.read_bytes(), council


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    council, councils = _manager_council(request)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        f = request.FILES.get("file")
        filename = (f.name if f is not None else None) or "upload"
        if f is None or not f.size:
            errors.append({"text": "Select a CSV or Excel file", "href": "#file"})
        elif f.size > settings.FGC_MAX_UPLOAD_MB * 1024 * 1024:
            errors.append(
                {
                    "text": "The selected file must be smaller than "
                    f"{settings.FGC_MAX_UPLOAD_MB} MB",
                    "href": "#file",
                }
            )
        else:
            data = b"".join(f.chunks())
            try:
                importer.read_upload(data, filename)
            except FormatError as exc:
                errors.append({"text": str(exc), "href": "#file"})
            else:
                name = f"{uuid.uuid4().hex}.bin"
                (_import_dir() / name).write_bytes(data)
                request.session[IMPORT_SESSION] = {
                    "file": name,
                    "name": filename[:200],
                    "council": council.pk,
                }
                audit(request, "casework.import_upload", council=council, filename=filename[:200])
                return redirect("casework:import-map")
    return render(
        request,
        "casework/import_upload.html",
        _ctx(request, council=council, councils=councils, errors=errors),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest) -> HttpResponse:
    pending, data, council = _pending(request)
    read = importer.read_upload(data, pending["name"])
    local_defs = services.active_local_fields(council)
    saved = SavedMapping.objects.filter(council=council, name="default").first()
    suggested = suggest_mapping(
        read, saved.as_dict() if saved else None, [d.key for d in local_defs]
    )
    suggestion = suggested["columns"]
    headers = importer.headers(read)
    errors: list[dict[str, str]] = []
    # The suggested value maps, shown for the officer to change (saved ones come first).
    value_rows: list[dict[str, Any]] = _suggested_value_rows(suggested)
    values_shown = False
    saved_values = suggested["values"]
    if request.method == "POST":
        columns = {h: request.POST.get(f"col-{i}", "") for i, h in enumerate(headers)}
        values: dict[str, dict[str, str]] = {}
        for key in request.POST:
            if key.startswith("val-"):
                _, field, index = key.split("-", 2)
                raw = request.POST.get(f"raw-{field}-{index}", "")
                if request.POST[key]:
                    values.setdefault(field, {})[raw] = request.POST[key]
        # Merged per field: choosing one new value keeps the field's other (saved) values.
        merged = {
            f: {**saved_values.get(f, {}), **values.get(f, {})} for f in {*saved_values, *values}
        }
        mapping = {"columns": columns, "values": merged}
        try:
            mapped = importer.apply_mapping(
                read, mapping, la_code=council.old_la_code, local_defs=local_defs
            )
        except importer.ImportError_ as exc:
            errors.append({"text": str(exc), "href": "#col-0"})
        else:
            unmapped = _unmapped_values(mapped)
            if unmapped and not request.POST.get("values_shown"):
                value_rows, values_shown = unmapped, True
            else:
                SavedMapping.objects.update_or_create(
                    council=council, name="default", defaults={"mapping": mapping}
                )
                pending["mapping"] = mapping
                request.session[IMPORT_SESSION] = pending
                return redirect("casework:import-preview")
        suggestion = columns
    samples = _samples(read)
    rows = [
        {"index": i, "header": h, "target": suggestion.get(h, ""), "sample": samples[i]}
        for i, h in enumerate(headers)
    ]
    return render(
        request,
        "casework/import_map.html",
        _ctx(
            request,
            council=council,
            rows=rows,
            targets=_targets(local_defs),
            errors=errors,
            value_rows=value_rows,
            values_shown=values_shown,
            filename=pending["name"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    pending, data, council = _pending(request)
    mapping = pending.get("mapping")
    if mapping is None:
        return redirect("casework:import-map")
    local_defs = services.active_local_fields(council)
    read = importer.read_upload(data, pending["name"])
    mapped = importer.apply_mapping(
        read, mapping, la_code=council.old_la_code, local_defs=local_defs
    )
    errors: list[dict[str, str]] = []
    meeting_type, meeting_note = _default_meeting_type(request, mapped, errors)
    mapped = importer.preview(mapped)
    if request.method == "POST" and not errors:
        try:
            result = importer.import_frame(request, council, mapped, local_defs)
        except importer.ImportError_ as exc:
            errors.append({"text": str(exc), "href": "#problems"})
        else:
            (_import_dir() / pending["file"]).unlink(missing_ok=True)
            request.session.pop(IMPORT_SESSION, None)
            request.session["casework_banner"] = (
                f"Imported {result.episodes_created} new and {result.episodes_updated} updated "
                f"episodes ({result.children} children)."
            )
            return redirect("casework:home")
    report = mapped.report
    summary = report.summary() if report else []
    episodes = mapped.frame.get_column("episode_id").n_unique() if mapped.frame.height else 0
    return render(
        request,
        "casework/import_preview.html",
        _ctx(
            request,
            council=council,
            mapped=mapped,
            summary=summary,
            report=report,
            episodes=episodes,
            errors=errors,
            filename=pending["name"],
            problem_groups=group_problems(mapped.problems),
            meeting_type=meeting_type,
            meeting_note=meeting_note,
            meeting_types=implicit.meeting_type_choices(),
        ),
    )


def _default_meeting_type(
    request: HttpRequest, mapped: importer.Mapped, errors: list[dict[str, str]]
) -> tuple[str, str]:
    """The service's default meeting type, if chosen, given to meetings held with none."""
    chosen = (request.POST if request.method == "POST" else request.GET).get(
        "default_meeting_type", ""
    )
    if not chosen:
        return "", ""
    try:
        code = implicit.check_meeting_type(chosen)
    except implicit.DefaultError as exc:
        errors.append({"text": str(exc), "href": "#default_meeting_type"})
        return "", ""
    mapped.frame, rows = implicit.default_meeting_type(mapped.frame, code)
    return code, implicit.meeting_type_note(code, rows) if rows else ""
