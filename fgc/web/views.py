"""Error pages (GOV.UK pattern pages) and a health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

ERRORS: dict[int, tuple[str, list[str]]] = {
    400: ("Sorry, there is a problem with your request", ["Check what you entered and try again."]),
    403: (
        "You do not have permission to see this page",
        ["If you think you should have access, contact your administrator."],
    ),
    404: (
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
    ),
    413: (
        "The file is too large",
        ["Upload a smaller file, or split the return into parts."],
    ),
    500: (
        "Sorry, there is a problem with the service",
        ["Try again later. Nothing you saved has been lost."],
    ),
}


def render_error(request: HttpRequest, status: int, extra: str | None = None) -> HttpResponse:
    title, paragraphs = ERRORS[status]
    paragraphs = [*paragraphs, extra] if extra else paragraphs
    context = {"title": title, "paragraphs": paragraphs}
    html: str
    try:
        html = render_to_string(f"web/{status}.html", context, request=request)
    except Exception:  # the error page must never fail: fall back to plain HTML
        html = f"<!DOCTYPE html><html lang='en'><title>{title}</title><h1>{title}</h1></html>"
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render_error(request, 500)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
