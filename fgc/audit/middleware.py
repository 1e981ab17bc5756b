"""Record every view by a signed-in user (method, path, status).

A successful GET or HEAD whose view recorded its own event (which submission, version or
report was read, with its target and council) gets only that event: the generic "view" row
would repeat it, at one more write transaction per request. Errors, refusals, redirects,
every other method and pages with no event of their own still get the "view" row.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from fgc.audit.services import RECORDED_ATTR, record

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
            and not self._view_recorded_it(request, response)
        ):
            record(
                request,
                "view",
                detail={"method": request.method, "status": response.status_code},
            )
        return response

    @staticmethod
    def _view_recorded_it(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            getattr(request, RECORDED_ATTR, False)
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
        )
