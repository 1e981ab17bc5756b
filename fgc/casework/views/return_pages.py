"""The returns page: choosing a period, downloading a return or submitting it to the hub."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from fgc.casework import council_returns
from fgc.casework.views.access import _manager_council, audit
from fgc.casework.views.page_context import _ctx
from fgc.engine.periods import Period, PeriodError
from fgc.formats.errors import FormatError
from fgc.hub.services import HubError


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


def _default_quarter() -> str:
    """The last complete quarter."""
    today = date.today()
    start = today.year if today.month >= 4 else today.year - 1
    q = (today.month - 4) % 12 // 3 + 1
    if q == 1:
        return f"{start - 1}-{start % 100:02d}-Q4"
    return f"{start}-{(start + 1) % 100:02d}-Q{q - 1}"
