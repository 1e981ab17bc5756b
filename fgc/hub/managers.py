"""Tenancy lives here: every hub query starts from ``for_user`` and sees only what it may.

Council users see their own councils' rows; national roles see every council (their views
show pseudonymised child data, see ``presenters``); anyone else sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed

# Where member_council_ids keeps its answer: on the user object, which Django loads afresh
# for every request (session or token), so a membership removed takes effect on the next one.
_CACHE = "_fgc_member_council_ids"


def member_council_ids(user: Any) -> tuple[int, ...]:
    """The pks of the councils ``user`` belongs to (sorted), asked of the database once per
    user object: tenancy scoping, member_of and the API rate limit share the one answer."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = tuple(sorted(user.councils.values_list("pk", flat=True)))
        setattr(user, _CACHE, cached)
    return cached


def _forget_councils(instance: Any, action: str, reverse: bool, **_: Any) -> None:
    # user.councils.add/remove/set/clear on this very object: drop what it knew.
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        instance.__dict__.pop(_CACHE, None)


m2m_changed.connect(_forget_councils, sender="accounts.Membership", weak=False)


def _council_ids(user: Any) -> list[int] | None:
    """None means "every council"; a list limits to those councils."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if getattr(user, "is_national", False):
        return None
    return list(member_council_ids(user))


class _ScopedQuerySet(models.QuerySet):
    council_path = "council"

    def for_user(self, user: Any) -> _ScopedQuerySet:
        ids = _council_ids(user)
        if ids is None:
            return self.all()
        return self.filter(**{f"{self.council_path}__in": ids})


class SubmissionQuerySet(_ScopedQuerySet):
    council_path = "council"


class VersionQuerySet(_ScopedQuerySet):
    council_path = "submission__council"


class VersionChildQuerySet(_ScopedQuerySet):
    council_path = "version__submission__council"


class SubmissionChildQuerySet(_ScopedQuerySet):
    council_path = "submission__council"
