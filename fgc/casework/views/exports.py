"""The council's own CSV export of its casework."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from fgc.casework import council_returns
from fgc.casework.models import Episode
from fgc.casework.views.access import _manager_council, audit


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The council's own export: standard fields plus its local fields; never names."""
    council, _ = _manager_council(request)
    from fgc.casework.frame import episodes_to_frame

    frame = episodes_to_frame(
        Episode.objects.for_user(request.user).filter(council=council), local_fields=True
    )
    audit(request, "casework.export", council=council, rows=frame.height)
    response = HttpResponse(council_returns._csv(frame), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="fgc-casework-{council.old_la_code}.csv"'
    )
    return response
