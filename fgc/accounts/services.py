"""Account services other apps call: council loading, token authentication, user creation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from fgc.accounts.models import ApiToken, Council, User, hash_token
from fgc.standard import local_authorities

TOKEN_SCHEMES = ("bearer", "token")
# last_used is written at most this often: a script polling the API would otherwise add a
# write transaction (serialised by SQLite) to every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def load_councils() -> int:
    """Insert or update every council (current and legacy) from the standard's LA table."""
    existing = {c.old_la_code: c for c in Council.objects.all()}
    changed = 0
    for la in local_authorities():
        values = {
            "new_la_code": la.new_la_code,
            "name": la.name,
            "region_code": la.region_code,
            "region_name": la.region_name,
            "current": la.current,
        }
        council = existing.get(la.old_la_code)
        if council is None:
            Council.objects.create(old_la_code=la.old_la_code, **values)
            changed += 1
        elif any(getattr(council, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(council, key, value)
            council.save()
            changed += 1
    return changed


def load_councils_after_migrate(using: str = "default", **kwargs: Any) -> None:
    if Council.objects.using(using).count() < len(local_authorities()):
        load_councils()


def authenticate_token(request: HttpRequest) -> User | None:
    """The user of a valid `Authorization: Bearer <token>` header, or None.

    Also sets `request.user`, so the audit log records who used the API. The token's
    `last_used` is kept to the minute (LAST_USED_RESOLUTION).
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() not in TOKEN_SCHEMES or not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    request.user = token.user
    return token.user


def create_user(
    username: str,
    *,
    role: str,
    councils: Iterable[str] = (),
    password: str | None = None,
    **fields: Any,
) -> User:
    """Create or update a user with a role and council memberships (by DfE code)."""
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, **fields})
    user.role = role
    for key, value in fields.items():
        setattr(user, key, value)
    if password is not None:
        user.set_password(password)
    user.save()
    user.councils.set(Council.objects.filter(old_la_code__in=list(councils)))
    return user
