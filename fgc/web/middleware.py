"""Refuse over-large request bodies before Django reads them, with a GOV.UK page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class UploadSizeLimitMiddleware:
    """Any body above FGC_MAX_UPLOAD_MB gets a 413 page naming the limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.FGC_MAX_UPLOAD_BYTES:
            if request.path.startswith("/api/"):
                # API clients get the hub API's JSON error shape (added by the hub).
                from django.http import JsonResponse

                message = f"The largest file you can upload is {settings.FGC_MAX_UPLOAD_MB} MB."
                return JsonResponse({"error": {"status": 413, "message": message}}, status=413)
            from fgc.web.views import render_error

            return render_error(
                request,
                413,
                f"The largest file you can upload is {settings.FGC_MAX_UPLOAD_MB} MB.",
            )
        return self.get_response(request)
