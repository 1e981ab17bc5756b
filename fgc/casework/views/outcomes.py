"""Outcomes from statutory data: the council's SSDA903 and CIN census files, uploaded here.

For council data officers and service managers of that council only; every upload (or
rejected upload) and every recorded reason is audited. A bad file is shown with the
reader's file / row / column message and nothing changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fgc.casework import statutory_upload
from fgc.casework.models import DerivedOutcome, StatutoryUpload
from fgc.casework.views.access import _manager_council, audit
from fgc.casework.views.page_context import _ctx
from fgc.formats.errors import FormatError

FILE_INPUTS = {"ssda903": "ssda903", "ssda903_header": "header", "cin": "cin"}


def _files(request: HttpRequest, name: str) -> list[statutory_upload.UploadedFile]:
    out = []
    for f in request.FILES.getlist(name):
        if (f.size or 0) > settings.FGC_MAX_UPLOAD_BYTES:
            limit = settings.FGC_MAX_UPLOAD_MB
            raise FormatError(f"{f.name} must be smaller than {limit} MB; nothing was changed.")
        out.append(statutory_upload.UploadedFile(f.name or name, f.read()))
    return out


def _as_at(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else date.today()
    except ValueError:
        raise FormatError(
            f"The as-at date {text!r} is not a date: write it as YYYY-MM-DD."
        ) from None


def _page(request: HttpRequest, council: Any, councils: list[Any], **extra: Any) -> HttpResponse:
    disagreements = list(
        DerivedOutcome.objects.for_user(request.user)
        .filter(child__episode__council=council)
        .exclude(keyed="")
        .exclude(value="")
        .select_related("child", "child__episode", "upload", "upload__uploaded_by")
        .order_by("child__episode__reference", "child__child_id", "field")[:200]
    )
    return render(
        request,
        "casework/outcomes.html",
        _ctx(
            request,
            council=council,
            councils=councils,
            uploads=list(StatutoryUpload.objects.filter(council=council)[:10]),
            disagreements=disagreements,
            labels=statutory_upload.FIELD_LABELS,
            max_upload_mb=settings.FGC_MAX_UPLOAD_MB,
            **extra,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcomes(request: HttpRequest) -> HttpResponseBase:
    council, councils = _manager_council(request)
    if request.method == "GET":
        # The page lists children's ids and outcomes: a read of child records.
        audit(request, "casework.view_outcomes", council=council)
        return _page(
            request, council, councils, banner=request.session.pop("outcomes_banner", None)
        )
    if request.POST.get("action") == "keep":
        return _keep(request, council, councils)
    try:
        result = statutory_upload.upload_statutory(
            request,
            council,
            ssda903=_files(request, "ssda903"),
            header=_files(request, "ssda903_header"),
            cin=_files(request, "cin"),
            as_at=_as_at(request.POST.get("as_at", "")),
        )
    except FormatError as exc:
        audit(request, "casework.statutory_upload_rejected", council=council, reason=str(exc)[:300])
        return _page(request, council, councils, upload_error=str(exc))
    request.session["outcomes_banner"] = (
        f"Outcomes derived for {result.derived:,} children from {result.upload.source}. "
        f"{result.disagreements:,} keyed values differ from the derived ones."
    )
    return redirect(f"{reverse('casework:outcomes')}?council={council.pk}")


def _keep(request: HttpRequest, council: Any, councils: list[Any]) -> HttpResponseBase:
    try:
        outcome = (
            DerivedOutcome.objects.for_user(request.user)
            .select_related("child")
            .get(pk=int(request.POST.get("outcome", "0")), child__episode__council=council)
        )
    except (DerivedOutcome.DoesNotExist, ValueError):
        raise Http404("No such outcome") from None
    try:
        statutory_upload.keep_keyed(request, outcome, request.POST.get("reason", ""))
    except ValueError as exc:
        return _page(request, council, councils, keep_error=(outcome.pk, str(exc)))
    request.session["outcomes_banner"] = "The keyed value is kept, with your reason."
    return redirect(f"{reverse('casework:outcomes')}?council={council.pk}")
