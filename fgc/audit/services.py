"""`record()`: the one way every app writes to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from fgc.audit.models import AuditEvent

# Set on a request once a view has recorded its own event for it (see AuditMiddleware).
RECORDED_ATTR = "_fgc_audit_recorded"


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def record(
    request: HttpRequest | Any,
    action: str,
    *,
    target: models.Model | tuple[str, object] | None = None,
    council: Any = None,
    detail: dict[str, Any] | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append an event. `request` is an HttpRequest, or a User (background work), or None.

    `target` is a model instance or a ("type", id) pair; `council` is a Council or a DfE code.
    """
    user = None
    ip = None
    agent = ""
    path = ""
    if isinstance(request, HttpRequest):
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
        ip = client_ip(request)
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        path = request.get_full_path()[:500]
        setattr(request, RECORDED_ATTR, True)
    elif request is not None and getattr(request, "is_authenticated", False):
        user = request

    target_type = target_id = ""
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    elif target is not None:
        target_type, raw_id = target
        target_id = str(raw_id)

    council_code = getattr(council, "old_la_code", council) or ""

    return AuditEvent.objects.create(
        user=user,
        username=username if username is not None else (user.get_username() if user else ""),
        action=action,
        target_type=target_type,
        target_id=target_id,
        council_code=str(council_code)[:3],
        detail=detail or {},
        ip=ip,
        user_agent=agent,
        path=path,
    )
