"""The family network: the people invited to (and attending) the meeting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fgc.casework import services
from fgc.casework.forms import (
    NetworkMemberForm,
)
from fgc.casework.models import NetworkMember
from fgc.casework.views.access import _episode, _require, audit
from fgc.casework.views.page_context import _ctx


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
