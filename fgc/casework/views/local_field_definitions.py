"""A council's local fields: defining and retiring them (managers only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fgc.casework import services
from fgc.casework.forms import (
    LocalFieldForm,
)
from fgc.casework.models import LocalFieldDefinition
from fgc.casework.states import STEPS
from fgc.casework.views.access import _manager_council
from fgc.casework.views.page_context import _ctx


@login_required
@require_http_methods(["GET", "POST"])
def local_fields(request: HttpRequest) -> HttpResponse:
    council, _ = _manager_council(request)
    form = LocalFieldForm(request.POST or None)
    if request.method == "POST" and request.POST.get("retire"):
        d = (
            LocalFieldDefinition.objects.for_user(request.user)
            .filter(pk=request.POST["retire"], council=council)
            .first()
        )
        if d is None:
            raise Http404("No such field")
        services.retire_local_field(request, d)
        return redirect(reverse("casework:local-fields"))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        services.define_local_field(
            request,
            council,
            label=c["label"],
            type=c["type"],
            choices=c["choices"],
            stage=c["stage"],
            help=c["help"],
            required=c["required"],
        )
        return redirect(reverse("casework:local-fields"))
    definitions = LocalFieldDefinition.objects.for_user(request.user).filter(council=council)
    steps = {s.key: s.title for s in STEPS}
    return render(
        request,
        "casework/local_fields.html",
        _ctx(request, council=council, form=form, definitions=definitions, steps=steps),
    )
