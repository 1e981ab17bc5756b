"""Casework operations. Views call these; each change is one transaction and is audited.

Every function takes the acting user (or request, for the audit log's where-from) and works
only on records reached through ``for_user``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from fgc.casework.managers import is_coordinator, sees_casework
from fgc.casework.models import (
    Child,
    Episode,
    LocalFieldDefinition,
    LocalFieldValue,
    NetworkMember,
    Review,
)
from fgc.casework.states import CHILD_IDENTITY, Step
from fgc.casework.values import parse_date

MANAGER_ROLES = frozenset({"service_manager", "council_officer"})


def audit(
    actor: HttpRequest | Any, action: str, target: Any = None, council: Any = None, **detail: Any
) -> None:
    from fgc.audit.services import record

    record(actor, action, target=target, council=council, detail=detail or None)


def actor_user(actor: HttpRequest | Any) -> Any:
    return getattr(actor, "user", actor)


def councils_for(user: Any) -> list[Any]:
    if not sees_casework(user):
        return []
    return list(user.councils.filter(current=True).order_by("name"))


def is_manager(user: Any) -> bool:
    """Service managers and data officers see and run the whole service."""
    return sees_casework(user) and getattr(user, "role", None) in MANAGER_ROLES


def require_manager(user: Any) -> None:
    if not is_manager(user):
        raise PermissionDenied("Only the FGC service manager or a data officer can do this")


def next_reference(council: Any) -> str:
    """``FGC-<year>-<n>``: the next free reference in the council (letters, digits and -)."""
    year = date.today().year
    prefix = f"FGC-{year}-"
    taken = set(
        Episode.objects.filter(council=council, reference__startswith=prefix).values_list(
            "reference", flat=True
        )
    )
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


def _store(value: Any) -> Any:
    """A cleaned form value as the column holds it (lists of codes joined with ';')."""
    if isinstance(value, list | tuple):
        return ";".join(value) or None
    if value == "":
        return None
    return value


def get_episode(user: Any, pk: int) -> Episode:
    """An episode the user may see (``Episode.DoesNotExist`` otherwise, shown as 404)."""
    return Episode.objects.for_user(user).select_related("council", "coordinator").get(pk=pk)


@transaction.atomic
def create_episode(
    actor: HttpRequest | Any,
    *,
    council: Any,
    reference: str | None,
    family: Mapping[str, Any],
    child: Mapping[str, Any],
    child_name: str = "",
) -> Episode:
    user = actor_user(actor)
    if council.pk not in {c.pk for c in councils_for(user)}:
        raise PermissionDenied("You can only record episodes for your own council")
    episode = Episode(
        council=council, reference=reference or next_reference(council), created_by=user
    )
    if is_coordinator(user):
        episode.coordinator = user  # a coordinator's new family is on their caseload
    for name, value in family.items():
        setattr(episode, name, _store(value))
    episode.save()
    new_child = Child(episode=episode, name=child_name)
    for name in CHILD_IDENTITY:
        setattr(new_child, name, _store(child.get(name)))
    new_child.save()
    audit(actor, "casework.create_episode", episode, council, reference=episode.reference)
    audit(actor, "casework.create_child", new_child, council, episode=episode.reference)
    return episode


@transaction.atomic
def save_step(
    actor: HttpRequest | Any,
    episode: Episode,
    step: Step,
    cleaned: Mapping[str, Any],
    local_defs: Sequence[LocalFieldDefinition] = (),
) -> list[str]:
    """Store one step's values; returns the names of the fields that changed (for the audit)."""
    changed: list[str] = []
    for name in (*step.family, *step.extra):
        if name not in cleaned:
            continue
        value = _store(cleaned[name]) if name not in step.extra else (cleaned[name] or "")
        if getattr(episode, name) != value:
            setattr(episode, name, value)
            changed.append(name)
    if changed:
        episode.save()
    for child in episode.children.all():
        child_changed = []
        for name in step.child:
            key = f"c{child.pk}-{name}"
            if key not in cleaned:
                continue
            value = _store(cleaned[key])
            if getattr(child, name) != value:
                setattr(child, name, value)
                child_changed.append(name)
        if child_changed:
            child.save()
            audit(
                actor,
                "casework.update_child",
                child,
                episode.council,
                episode=episode.reference,
                step=step.key,
                fields=child_changed,
            )
            changed.extend(f"{child.child_id}.{n}" for n in child_changed)
    for d in local_defs:
        key = f"local-{d.key}"
        if key not in cleaned:
            continue
        text = _local_text(cleaned[key])
        current = LocalFieldValue.objects.filter(definition=d, episode=episode).first()
        if (current.value if current else "") != text:
            LocalFieldValue.objects.update_or_create(
                definition=d, episode=episode, defaults={"value": text}
            )
            changed.append(d.column)
    audit(actor, "casework.update_episode", episode, episode.council, step=step.key, fields=changed)
    return changed


def _local_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def save_child(
    actor: HttpRequest | Any,
    episode: Episode,
    child: Child | None,
    values: Mapping[str, Any],
    name: str,
) -> Child:
    created = child is None
    child = child or Child(episode=episode)
    for field in CHILD_IDENTITY:
        setattr(child, field, _store(values.get(field)))
    child.name = name
    child.save()
    action = "casework.create_child" if created else "casework.update_child"
    audit(actor, action, child, episode.council, episode=episode.reference, step="child")
    return child


@transaction.atomic
def save_network_member(actor: HttpRequest | Any, episode: Episode, form: Any) -> NetworkMember:
    member = form.save(commit=False)
    member.episode = episode
    member.save()
    audit(actor, "casework.save_network_member", member, episode.council, episode=episode.reference)
    return member


@transaction.atomic
def add_review(
    actor: HttpRequest | Any, episode: Episode, review_date: date, plan_progress: str
) -> Review:
    review = Review.objects.create(
        episode=episode, review_date=review_date, plan_progress=plan_progress
    )
    audit(actor, "casework.add_review", review, episode.council, episode=episode.reference)
    return review


def assign_coordinator(actor: HttpRequest | Any, episode: Episode, coordinator: Any) -> None:
    require_manager(actor_user(actor))
    episode.coordinator = coordinator
    episode.save(update_fields=["coordinator", "updated"])
    audit(
        actor,
        "casework.assign_coordinator",
        episode,
        episode.council,
        coordinator=coordinator.get_username() if coordinator else None,
    )


def coordinators_for(council: Any) -> list[Any]:
    from fgc.accounts.models import User

    return list(
        User.objects.filter(role="coordinator", councils=council, is_active=True).order_by(
            "username"
        )
    )


# --- local fields -------------------------------------------------------------------------------


def active_local_fields(council: Any) -> list[LocalFieldDefinition]:
    """The council's current local fields (the latest version of each key, not retired)."""
    latest: dict[str, LocalFieldDefinition] = {}
    for d in LocalFieldDefinition.objects.filter(council=council).order_by("key", "-version"):
        latest.setdefault(d.key, d)
    return [d for d in latest.values() if d.retired_at is None]


def local_key(label: str) -> str:
    import re

    key = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:40]
    return key or "field"


@transaction.atomic
def define_local_field(
    actor: HttpRequest | Any,
    council: Any,
    *,
    label: str,
    type: str,
    choices: list[str],
    stage: str,
    help: str,
    required: bool,
    key: str | None = None,
) -> LocalFieldDefinition:
    """Add a local field, or a new version of one (same key): the old version keeps its values."""
    user = actor_user(actor)
    require_manager(user)
    key = key or local_key(label)
    previous = (
        LocalFieldDefinition.objects.filter(council=council, key=key).order_by("-version").first()
    )
    version = previous.version + 1 if previous else 1
    if previous and previous.retired_at is None:
        from django.utils import timezone

        previous.retired_at = timezone.now()
        previous.save(update_fields=["retired_at"])
    d = LocalFieldDefinition.objects.create(
        council=council,
        key=key,
        label=label,
        type=type,
        choices=choices,
        stage=stage,
        help=help,
        required=required,
        version=version,
        created_by=user,
    )
    audit(actor, "casework.define_local_field", d, council, key=key, version=version)
    return d


def retire_local_field(actor: HttpRequest | Any, d: LocalFieldDefinition) -> None:
    from django.utils import timezone

    require_manager(actor_user(actor))
    d.retired_at = timezone.now()
    d.save(update_fields=["retired_at"])
    audit(actor, "casework.retire_local_field", d, d.council, key=d.key)


def parse_local_value(d: LocalFieldDefinition, text: str) -> str:
    """A value for a local field from text (imports); ValueError if it does not fit the type."""
    from decimal import Decimal, InvalidOperation

    from fgc.casework.values import parse_yn

    text = text.strip()
    if not text:
        return ""
    if d.type == "number":
        try:
            return str(Decimal(text))
        except InvalidOperation:
            raise ValueError(text) from None
    if d.type == "date":
        return parse_date(text).isoformat()
    if d.type == "yes_no":
        return parse_yn(text)
    if d.type == "choice":
        for c in d.choices:
            if c.casefold() == text.casefold():
                return str(c)
        raise ValueError(text)
    return text
