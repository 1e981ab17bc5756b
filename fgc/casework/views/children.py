"""A child in an episode: adding one, or changing their identity and characteristics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fgc.casework import services
from fgc.casework.forms import (
    ChildForm,
)
from fgc.casework.models import Child, Episode
from fgc.casework.views.access import _episode, _require, audit
from fgc.casework.views.page_context import _ctx


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
