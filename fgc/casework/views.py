"""Casework pages. Every record is fetched through ``for_user`` (404 otherwise); every view
and change of a child's record is written to the audit log."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fgc.casework import council_returns, importer, presenters, services
from fgc.casework.forms import (
    ChildForm,
    LocalFieldForm,
    NetworkMemberForm,
    NewEpisodeForm,
    ReviewForm,
    StepForm,
)
from fgc.casework.managers import sees_casework
from fgc.casework.models import Child, Episode, LocalFieldDefinition, NetworkMember, SavedMapping
from fgc.casework.states import STATE_LABELS, STEP_BY_KEY, STEPS, state_of, steps_available
from fgc.casework.wording import long_date
from fgc.engine.periods import Period, PeriodError
from fgc.formats.errors import FormatError
from fgc.hub.services import HubError
from fgc.standard import load_standard

audit = services.audit


def _require(request: HttpRequest) -> Any:
    if not sees_casework(request.user):
        raise PermissionDenied("Casework is for council FGC services")
    return request.user


def _episode(request: HttpRequest, pk: int) -> Episode:
    try:
        return services.get_episode(request.user, pk)
    except Episode.DoesNotExist:
        raise Http404("No such episode") from None


def _ctx(request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("is_manager", services.is_manager(request.user))
    kwargs.setdefault("state_labels", STATE_LABELS)
    kwargs.setdefault("state_tag", presenters.state_tag)
    kwargs.setdefault("long_date", long_date)
    kwargs.setdefault("current_path", request.path)
    return kwargs


# --- caseload ---------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _require(request)
    episodes = Episode.objects.for_user(user)
    state = request.GET.get("state", "")
    load = presenters.caseload(episodes)
    lines = [line for line in load.lines if not state or line.state == state]
    audit(request, "casework.view_caseload", detail_state=state or "all")
    return render(
        request,
        "casework/home.html",
        _ctx(
            request,
            load=load,
            lines=lines[:300],
            state=state,
            total=len(lines),
            banner=request.session.pop("casework_banner", None),
        ),
    )


# --- episodes ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def episode_new(request: HttpRequest) -> HttpResponse:
    user = _require(request)
    councils = services.councils_for(user)
    if not councils:
        raise PermissionDenied("You are not a member of a council")
    form = NewEpisodeForm(request.POST or None, councils=councils, step=STEP_BY_KEY["family"])
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        council = form.council()
        reference = c.get("reference") or None
        if reference and Episode.objects.filter(council=council, reference=reference).exists():
            form.add_error("reference", "An episode with this reference already exists")
        else:
            episode = services.create_episode(
                request,
                council=council,
                reference=reference,
                family={n: c.get(n) for n in form.family_names},
                child=c,
                child_name=c.get("name") or "",
            )
            return redirect("casework:episode", pk=episode.pk)
    return render(request, "casework/episode_new.html", _ctx(request, form=form))


@login_required
def episode_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    episode = _episode(request, pk)
    children = list(episode.children.all())
    reviews = list(episode.reviews.all())
    state = state_of(episode, children, bool(reviews))
    audit(request, "casework.view_episode", episode, episode.council, reference=episode.reference)
    from fgc.casework.frame import episode_rows
    from fgc.engine.rules import validate_record

    findings = validate_record(episode_rows(episode)) if children else []
    return render(
        request,
        "casework/episode.html",
        _ctx(
            request,
            episode=episode,
            children=children,
            reviews=reviews,
            network=list(episode.network.all()),
            state=state,
            line=presenters.line_for(episode, date.today()),
            next_step=presenters.next_step_for(episode),
            steps=steps_available(state),
            summary=presenters.summary_rows(episode, children),
            findings=findings,
            local_values=_local_values(episode),
            coordinators=services.coordinators_for(episode.council),
            queries=request.session.pop("casework_queries", []),
        ),
    )


def _local_values(episode: Episode) -> list[tuple[str, str]]:
    values = sorted(
        episode.local_values.select_related("definition"), key=lambda v: v.definition.version
    )
    latest = {v.definition.key: (v.definition.label, v.value) for v in values}
    return list(latest.values())


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    _require(request)
    episode = _episode(request, pk)
    the_step = STEP_BY_KEY.get(key)
    if the_step is None or key == "review":
        raise Http404("No such step")
    local_defs = services.active_local_fields(episode.council)
    form = StepForm(request.POST or None, episode=episode, step=the_step, local_defs=local_defs)
    if request.method == "POST" and form.is_valid():
        services.save_step(request, episode, the_step, form.cleaned_data, form.local_defs)
        request.session["casework_queries"] = [q["text"] for q in form.queries]
        return redirect("casework:episode", pk=episode.pk)
    audit(request, "casework.view_episode", episode, episode.council, step=key)
    return render(
        request, "casework/step.html", _ctx(request, episode=episode, step=the_step, form=form)
    )


@login_required
@require_http_methods(["POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    episode = _episode(request, pk)
    coordinators = {str(u.pk): u for u in services.coordinators_for(episode.council)}
    chosen = coordinators.get(request.POST.get("coordinator", ""))
    services.assign_coordinator(request, episode, chosen)
    return redirect("casework:episode", pk=episode.pk)


# --- children, network, reviews -----------------------------------------------------------------


def _child(episode: Episode, child_pk: int) -> Child:
    try:
        return episode.children.get(pk=child_pk)
    except Child.DoesNotExist:
        raise Http404("No such child") from None


@login_required
@require_http_methods(["GET", "POST"])
def child(request: HttpRequest, pk: int, child_pk: int | None = None) -> HttpResponse:
    _require(request)
    episode = _episode(request, pk)
    the_child = _child(episode, child_pk) if child_pk is not None else None
    form = ChildForm(request.POST or None, episode=episode, child=the_child)
    if request.method == "POST" and form.is_valid():
        new_id = form.cleaned_data.get("child_id")
        clash = episode.children.filter(child_id=new_id)
        if the_child:
            clash = clash.exclude(pk=the_child.pk)
        if clash.exists():
            form.add_error("child_id", "Another child in this episode has this identifier")
        else:
            services.save_child(
                request,
                episode,
                the_child,
                form.child_values(),
                form.cleaned_data.get("name") or "",
            )
            return redirect("casework:episode", pk=episode.pk)
    if the_child is not None:
        audit(request, "casework.view_child", the_child, episode.council, episode=episode.reference)
    return render(
        request, "casework/child.html", _ctx(request, episode=episode, child=the_child, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_member(request: HttpRequest, pk: int, member_pk: int | None = None) -> HttpResponse:
    _require(request)
    episode = _episode(request, pk)
    member = None
    if member_pk is not None:
        try:
            member = episode.network.get(pk=member_pk)
        except NetworkMember.DoesNotExist:
            raise Http404("No such person") from None
    form = NetworkMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.save_network_member(request, episode, form)
        return redirect("casework:episode", pk=episode.pk)
    if member is not None:
        audit(request, "casework.view_network_member", member, episode.council)
    return render(
        request, "casework/network.html", _ctx(request, episode=episode, member=member, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    episode = _episode(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_review(
            request, episode, form.cleaned_data["review_date"], form.cleaned_data["plan_progress"]
        )
        return redirect("casework:episode", pk=episode.pk)
    return render(request, "casework/review.html", _ctx(request, episode=episode, form=form))


# --- data quality -------------------------------------------------------------------------------


@login_required
def data_quality(request: HttpRequest) -> HttpResponse:
    user = _require(request)
    report = presenters.data_quality(Episode.objects.for_user(user))
    audit(request, "casework.view_data_quality")
    return render(request, "casework/data_quality.html", _ctx(request, report=report))


# --- returns ------------------------------------------------------------------------------------


def _manager_council(request: HttpRequest) -> Any:
    user = _require(request)
    services.require_manager(user)
    councils = services.councils_for(user)
    wanted = request.POST.get("council") or request.GET.get("council")
    for c in councils:
        if wanted in (None, "") or str(c.pk) == wanted:
            return c, councils
    raise Http404("No such council")


@login_required
@require_http_methods(["GET", "POST"])
def returns(request: HttpRequest) -> HttpResponse:
    council, councils = _manager_council(request)
    period_text = (
        request.POST.get("period") or request.GET.get("period") or _default_quarter()
    ).strip()
    errors: list[dict[str, str]] = []
    submitted = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            period = Period.parse(period_text)
            if action == "submit":
                submitted = council_returns.submit_to_hub(request.user, council, period)
                audit(request, "casework.submit_returns", council=council, period=period.label)
            elif action.startswith("download_"):
                kind = action.removeprefix("download_")
                f = council_returns.build(council, period, kind)
                audit(
                    request,
                    "casework.download_return",
                    council=council,
                    period=period.label,
                    kind=kind,
                )
                response = HttpResponse(f.data, content_type=f.content_type)
                response["Content-Disposition"] = f'attachment; filename="{f.filename}"'
                return response
        except (PeriodError, FormatError, ValueError, HubError, PermissionDenied) as exc:
            # ValueError covers the hub's HubError too: the message is for the person.
            errors.append({"text": str(exc), "href": "#period"})
    return _returns_page(
        request, council, councils, period=period_text, errors=errors, submitted=submitted
    )


def _returns_page(request: HttpRequest, council: Any, councils: Any, **extra: Any) -> HttpResponse:
    extra.setdefault("period", _default_quarter())
    extra.setdefault("errors", [])
    extra.setdefault("cin_errors", [])
    return render(
        request,
        "casework/returns.html",
        _ctx(
            request,
            council=council,
            councils=councils,
            kinds=council_returns.KINDS,
            max_upload_mb=settings.FGC_MAX_UPLOAD_MB,
            **extra,
        ),
    )


CIN_ACTIONS = ("summary", "download_xml", "download_report")


def _census_upload_error(f: Any) -> str | None:
    """Why the uploaded census cannot be used (size, not XML), or None."""
    from fgc.hub.storage import SNIFF_BYTES, UploadRejected, sniff_upload

    if f is None or not f.size:
        return "Select your CIN census XML file"
    if f.size > settings.FGC_MAX_UPLOAD_BYTES:
        return f"The selected file must be smaller than {settings.FGC_MAX_UPLOAD_MB} MB"
    head = f.read(SNIFF_BYTES)
    f.seek(0)
    try:
        sniff_upload(head, "cin_census")
    except UploadRejected as exc:
        return str(exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def returns_cin(request: HttpRequest) -> HttpResponseBase:
    """Option 3: the uploaded CIN census back with the FGC items from the recorded episodes.

    The census lives only for this request (Django's upload spool); the enriched copy is an
    anonymous temporary file handed to the response. Nothing is stored.
    """
    council, councils = _manager_council(request)
    if request.method == "GET":
        return redirect(f"{reverse('casework:returns')}?council={council.pk}")
    action = request.POST.get("action", "summary")
    if action not in CIN_ACTIONS:
        action = "summary"
    f = request.FILES.get("census")
    problem = _census_upload_error(f)
    built = None
    if problem is None:
        try:
            # An UploadedFile reads like a binary stream (in memory, or Django's temp spool).
            built = council_returns.enrich_council_census(council, cast("IO[bytes]", f))
        except FormatError as exc:
            problem = str(exc)
    if built is None:
        audit(request, "casework.cin_census_rejected", council=council, reason=str(problem)[:300])
        return _returns_page(
            request, council, councils, cin_errors=[{"text": problem, "href": "#census"}]
        )
    res = built.result
    audit(
        request,
        "casework.cin_census",
        council=council,
        output=action,
        children=res.children,
        blocks_added=res.blocks_added,
        elements_added=res.elements_added,
        disagreements=res.disagreements,
        report_rows=built.report.height,
    )
    xml_name, report_name = council_returns.cin_filenames(council, built.header)
    if action == "download_xml":
        return FileResponse(
            built.enriched, as_attachment=True, filename=xml_name, content_type="application/xml"
        )
    built.enriched.close()
    if action == "download_report":
        response = HttpResponse(council_returns.report_csv(built.report), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{report_name}"'
        return response
    return _returns_page(request, council, councils, cin=built)


def _default_quarter() -> str:
    """The last complete quarter."""
    today = date.today()
    start = today.year if today.month >= 4 else today.year - 1
    q = (today.month - 4) % 12 // 3 + 1
    if q == 1:
        return f"{start - 1}-{start % 100:02d}-Q4"
    return f"{start}-{(start + 1) % 100:02d}-Q{q - 1}"


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The council's own export: standard fields plus its local fields; never names."""
    council, _ = _manager_council(request)
    from fgc.casework.frame import episodes_to_frame

    frame = episodes_to_frame(
        Episode.objects.for_user(request.user).filter(council=council), local_fields=True
    )
    audit(request, "casework.export", council=council, rows=frame.height)
    response = HttpResponse(council_returns._csv(frame), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="fgc-casework-{council.old_la_code}.csv"'
    )
    return response


# --- import -------------------------------------------------------------------------------------

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


def _targets(local_defs: list[LocalFieldDefinition]) -> list[tuple[str, str]]:
    std = load_standard()
    items = [("", "Ignore this column")]
    items += [(f.name, f"{f.label} ({f.name})") for f in std.fields]
    items += [(d.column, f"{d.label} (local field)") for d in local_defs]
    return items


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest) -> HttpResponse:
    pending, data, council = _pending(request)
    read = importer.read_upload(data, pending["name"])
    local_defs = services.active_local_fields(council)
    saved = SavedMapping.objects.filter(council=council, name="default").first()
    suggestion = importer.suggest(
        read, saved.as_dict() if saved else None, [d.key for d in local_defs]
    )
    headers = importer.headers(read)
    errors: list[dict[str, str]] = []
    value_rows: list[dict[str, Any]] = []
    saved_values = dict((saved.as_dict() if saved else {}).get("values", {}))
    if request.method == "POST":
        columns = {h: request.POST.get(f"col-{i}", "") for i, h in enumerate(headers)}
        values: dict[str, dict[str, str]] = {}
        for key in request.POST:
            if key.startswith("val-"):
                _, field, index = key.split("-", 2)
                raw = request.POST.get(f"raw-{field}-{index}", "")
                if request.POST[key]:
                    values.setdefault(field, {})[raw] = request.POST[key]
        mapping = {"columns": columns, "values": {**saved_values, **values}}
        try:
            mapped = importer.apply_mapping(
                read, mapping, la_code=council.old_la_code, local_defs=local_defs
            )
        except importer.ImportError_ as exc:
            errors.append({"text": str(exc), "href": "#col-0"})
        else:
            unmapped = _unmapped_values(mapped)
            if unmapped and not request.POST.get("values_shown"):
                value_rows = unmapped
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
            filename=pending["name"],
        ),
    )


def _samples(read: Any) -> list[str]:
    """A few distinct values of each column, so a person can tell what it holds."""
    out = []
    for c in read.data_columns:
        values = read.frame.get_column(c).drop_nulls().unique(maintain_order=True).head(3)
        out.append(", ".join(str(v)[:30] for v in values.to_list()))
    return out


def _unmapped_values(mapped: importer.Mapped) -> list[dict[str, Any]]:
    """Values of code fields that did not convert: offer the code list for each."""
    std = load_standard()
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for p in mapped.problems:
        field = _field_for_problem(mapped, p)
        if field is None or (field, p.value) in seen:
            continue
        f = std.field(field)
        cl = std.codelist_for(f)
        if cl is None or f.codelist == "la":
            continue
        seen.add((field, p.value))
        out.append(
            {
                "field": field,
                "label": f.label,
                "raw": p.value,
                "index": len(out),
                "choices": [(c.code, c.label) for c in cl.codes],
            }
        )
    return out


def _field_for_problem(mapped: importer.Mapped, p: importer.Problem) -> str | None:
    target = mapped.columns.get(p.column)
    return target if target and not target.startswith(importer.LOCAL_PREFIX) else None


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    pending, data, council = _pending(request)
    mapping = pending.get("mapping")
    if mapping is None:
        return redirect("casework:import-map")
    local_defs = services.active_local_fields(council)
    read = importer.read_upload(data, pending["name"])
    mapped = importer.preview(
        importer.apply_mapping(read, mapping, la_code=council.old_la_code, local_defs=local_defs)
    )
    errors: list[dict[str, str]] = []
    if request.method == "POST":
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
        ),
    )


# --- local fields -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def local_fields(request: HttpRequest) -> HttpResponse:
    council, _ = _manager_council(request)
    form = LocalFieldForm(request.POST or None)
    if request.method == "POST" and request.POST.get("retire"):
        d = (
            LocalFieldDefinition.objects.for_user(request.user)
            .filter(pk=request.POST["retire"], council=council)
            .first()
        )
        if d is None:
            raise Http404("No such field")
        services.retire_local_field(request, d)
        return redirect(reverse("casework:local-fields"))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        services.define_local_field(
            request,
            council,
            label=c["label"],
            type=c["type"],
            choices=c["choices"],
            stage=c["stage"],
            help=c["help"],
            required=c["required"],
        )
        return redirect(reverse("casework:local-fields"))
    definitions = LocalFieldDefinition.objects.for_user(request.user).filter(council=council)
    steps = {s.key: s.title for s in STEPS}
    return render(
        request,
        "casework/local_fields.html",
        _ctx(request, council=council, form=form, definitions=definitions, steps=steps),
    )
