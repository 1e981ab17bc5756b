"""The data quality page: what is missing or queried across the caseload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fgc.casework import presenters
from fgc.casework.models import Episode
from fgc.casework.views.access import _require, audit
from fgc.casework.views.page_context import _ctx


@login_required
def data_quality(request: HttpRequest) -> HttpResponse:
    user = _require(request)
    report = presenters.data_quality(Episode.objects.for_user(user))
    audit(request, "casework.view_data_quality")
    return render(request, "casework/data_quality.html", _ctx(request, report=report))
