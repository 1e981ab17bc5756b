"""Sign in and sign out (GOV.UK styled), the lockout page django-axes shows, and the page
where council users issue and revoke their own API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from fgc.accounts import tokens
from fgc.accounts.forms import ApiTokenForm, SignInForm
from fgc.accounts.models import ApiToken


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignInForm(request, data=request.POST)
        if form.is_valid():
            login(request, form.get_user())
            return HttpResponseRedirect(_next_url(request))
    else:
        form = SignInForm(request)
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this after too many failed sign-ins."""
    hours = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "accounts/locked_out.html",
        {"limit": settings.AXES_FAILURE_LIMIT, "hours": hours},
        status=429,
    )


def _token_holder(request: HttpRequest) -> Any:
    if not tokens.can_hold_tokens(request.user):
        raise PermissionDenied("API tokens are for council data officers and service managers")
    return request.user


@login_required
@sensitive_post_parameters()
@never_cache  # Cache-Control: no-store, so the one showing of a new token is never kept
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; a POST issues one and shows it in this response only.

    Rendering the POST (no redirect) keeps the raw token out of URLs, sessions and the
    database: refreshing or coming back shows only its hint.
    """
    user = _token_holder(request)
    form = ApiTokenForm(request.POST or None)
    issued: tuple[ApiToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        issued = tokens.issue_token(request, user, form.cleaned_data["name"])
        form = ApiTokenForm()
    errors = [{"text": e, "href": "#name"} for e in form.errors.get("name", [])]
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "errors": errors,
            "issued": issued,
            "tokens": list(tokens.tokens_of(user)),
            "notices": [str(m) for m in messages.get_messages(request)],
        },
    )


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _token_holder(request)
    try:
        # Only the user's own tokens: another user's token id is "not found".
        token = tokens.tokens_of(user).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token") from None
    if tokens.revoke_token(request, token):
        messages.success(request, f"Token “{token.name}” ({token.hint}…) has been revoked")
    return redirect("accounts:tokens")
