"""The audit log page: administrators only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from fgc.audit.models import AuditEvent

PAGE_SIZE = 100


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_administrator", False):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("user")
    filters = {}
    for param, lookup in (("action", "action"), ("user", "username"), ("council", "council_code")):
        value = request.GET.get(param, "").strip()
        if value:
            events = events.filter(**{lookup: value})
            filters[param] = value
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(filters)  # keeps the filters on the page links
    return render(request, "audit/log.html", {"page": page, "filters": filters, "query": query})
