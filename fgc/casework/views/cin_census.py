"""Returns option 3: the council's CIN census back with the FGC items added."""

from __future__ import annotations

from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fgc.casework import council_returns
from fgc.casework.views.access import _manager_council, audit
from fgc.casework.views.return_pages import _returns_page
from fgc.formats.errors import FormatError

CIN_ACTIONS = ("summary", "download_xml", "download_report")


def _census_upload_error(f: Any) -> str | None:
    """Why the uploaded census cannot be used (size, not XML), or None."""
    from fgc.hub.storage import SNIFF_BYTES, UploadRejected, sniff_upload

    if f is None or not f.size:
        return "Select your CIN census XML file"
    if f.size > settings.FGC_MAX_UPLOAD_BYTES:
        return f"The selected file must be smaller than {settings.FGC_MAX_UPLOAD_MB} MB"
    head = f.read(SNIFF_BYTES)
    f.seek(0)
    try:
        sniff_upload(head, "cin_census")
    except UploadRejected as exc:
        return str(exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def returns_cin(request: HttpRequest) -> HttpResponseBase:
    """Option 3: the uploaded CIN census back with the FGC items from the recorded episodes.

    The census lives only for this request (Django's upload spool); the enriched copy is an
    anonymous temporary file handed to the response. Nothing is stored.
    """
    council, councils = _manager_council(request)
    if request.method == "GET":
        return redirect(f"{reverse('casework:returns')}?council={council.pk}")
    action = request.POST.get("action", "summary")
    if action not in CIN_ACTIONS:
        action = "summary"
    f = request.FILES.get("census")
    problem = _census_upload_error(f)
    built = None
    if problem is None:
        try:
            # An UploadedFile reads like a binary stream (in memory, or Django's temp spool).
            built = council_returns.enrich_council_census(council, cast("IO[bytes]", f))
        except FormatError as exc:
            problem = str(exc)
    if built is None:
        audit(request, "casework.cin_census_rejected", council=council, reason=str(problem)[:300])
        return _returns_page(
            request, council, councils, cin_errors=[{"text": problem, "href": "#census"}]
        )
    res = built.result
    audit(
        request,
        "casework.cin_census",
        council=council,
        output=action,
        children=res.children,
        blocks_added=res.blocks_added,
        elements_added=res.elements_added,
        disagreements=res.disagreements,
        report_rows=built.report.height,
    )
    xml_name, report_name = council_returns.cin_filenames(council, built.header)
    if action == "download_xml":
        return FileResponse(
            built.enriched, as_attachment=True, filename=xml_name, content_type="application/xml"
        )
    built.enriched.close()
    if action == "download_report":
        response = HttpResponse(council_returns.report_csv(built.report), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{report_name}"'
        return response
    return _returns_page(request, council, councils, cin=built)
