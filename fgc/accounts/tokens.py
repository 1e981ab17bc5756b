"""Issuing and revoking API tokens, each audited; shared by the page, admin and command.

The raw token is returned to the caller once and never stored or written to the audit log:
only its SHA-256 (on the model) and its short hint are kept.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from fgc.accounts.models import ApiToken, User
from fgc.accounts.roles import Role
from fgc.audit.services import record

# Case-management systems and scripts upload returns for a council: the roles that submit.
TOKEN_ROLES = frozenset({Role.COUNCIL_OFFICER, Role.COUNCIL_APPROVER, Role.SERVICE_MANAGER})


def can_hold_tokens(user: Any) -> bool:
    """Whether `user` may issue and revoke their own tokens on the API tokens page."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "role", None) in TOKEN_ROLES
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (the only ones the page can see or revoke)."""
    return ApiToken.objects.filter(user=user).order_by("-created", "-pk")


def issue_token(
    actor: Any, user: User, name: str, *, audit_username: str | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns (record, raw token). `actor`: a request, a user or None."""
    with transaction.atomic():
        token, raw = ApiToken.issue(user, name)
        record(
            actor,
            "api_token.issue",
            target=token,
            detail={"name": token.name, "hint": token.hint, "for_user": user.get_username()},
            username=audit_username,
        )
    return token, raw


def revoke_token(actor: Any, token: ApiToken) -> bool:
    """Revoke `token` (audited); False if it was already revoked."""
    if not token.is_active:
        return False
    with transaction.atomic():
        token.revoke()
        record(
            actor,
            "api_token.revoke",
            target=token,
            detail={
                "name": token.name,
                "hint": token.hint,
                "for_user": token.user.get_username(),
            },
        )
    return True
