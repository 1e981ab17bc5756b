"""Who may reach a casework page and the records it is about, and the audit log.

Every record is fetched through ``for_user`` (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from fgc.casework import services
from fgc.casework.managers import sees_casework
from fgc.casework.models import Episode

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


def _manager_council(request: HttpRequest) -> Any:
    user = _require(request)
    services.require_manager(user)
    councils = services.councils_for(user)
    wanted = request.POST.get("council") or request.GET.get("council")
    for c in councils:
        if wanted in (None, "") or str(c.pk) == wanted:
            return c, councils
    raise Http404("No such council")
