"""Reviews of the family's plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fgc.casework import services
from fgc.casework.forms import (
    ReviewForm,
)
from fgc.casework.views.access import _episode, _require
from fgc.casework.views.page_context import _ctx


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    episode = _episode(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_review(
            request, episode, form.cleaned_data["review_date"], form.cleaned_data["plan_progress"]
        )
        return redirect("casework:episode", pk=episode.pk)
    return render(request, "casework/review.html", _ctx(request, episode=episode, form=form))
