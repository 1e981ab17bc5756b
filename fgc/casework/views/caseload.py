"""The caseload: the council's episodes, filtered by state."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fgc.casework import outcome_status, presenters
from fgc.casework.models import Episode
from fgc.casework.views.access import _require, audit
from fgc.casework.views.page_context import _ctx


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
            outcomes={
                pk: outcome_status.as_html(text)
                for pk, text in outcome_status.outcome_lines(
                    [line.episode for line in lines[:300]]
                ).items()
            },
            state=state,
            total=len(lines),
            banner=request.session.pop("casework_banner", None),
        ),
    )
