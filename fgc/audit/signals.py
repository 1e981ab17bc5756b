"""Sign-in, sign-out and failed sign-in go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from fgc.audit.services import record


@receiver(user_logged_in, dispatch_uid="fgc.audit.login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        record(user, "login")
        return
    request.user = user  # the session is new: make sure the event names the user
    record(request, "login")


@receiver(user_logged_out, dispatch_uid="fgc.audit.logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    if request is None:
        record(user, "logout")
        return
    # Django sends this before it clears request.user, so the event names the user.
    record(request, "logout", username=user.get_username())


@receiver(user_login_failed, dispatch_uid="fgc.audit.login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record(request, "login-failed", username=username)
