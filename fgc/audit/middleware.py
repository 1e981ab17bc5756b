"""Record every view by a signed-in user (method, path, status)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from fgc.audit.services import record

SKIP_PREFIXES = ("/favicon.ico",)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read the user after the view: API views authenticate by token inside the view.
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith((settings.STATIC_URL, *SKIP_PREFIXES))
        ):
            record(
                request,
                "view",
                detail={"method": request.method, "status": response.status_code},
            )
        return response
