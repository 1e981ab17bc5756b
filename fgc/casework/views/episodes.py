"""An episode: starting one, its summary page, each step of the journey, its coordinator."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fgc.casework import presenters, services
from fgc.casework.forms import (
    NewEpisodeForm,
    StepForm,
)
from fgc.casework.models import Episode
from fgc.casework.states import STEP_BY_KEY, state_of, steps_available
from fgc.casework.views.access import _episode, _require, audit
from fgc.casework.views.page_context import _ctx


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
    from fgc.casework import outcome_status
    from fgc.casework.models import DerivedOutcome
    from fgc.casework.statutory_upload import DERIVED_FIELDS, FIELD_LABELS

    order = {f: i for i, f in enumerate(DERIVED_FIELDS)}
    derived = sorted(
        DerivedOutcome.objects.filter(child__episode=episode).select_related(
            "child", "upload", "upload__uploaded_by"
        ),
        key=lambda o: (o.child_id, order.get(o.field, 99)),
    )
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
            outcome_text=outcome_status.as_html(
                outcome_status.outcome_lines([episode]).get(episode.pk, [])
            ),
            derived=derived,
            outcome_labels=FIELD_LABELS,
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
