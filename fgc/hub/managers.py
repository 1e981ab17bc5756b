"""Tenancy lives here: every hub query starts from ``for_user`` and sees only what it may.

Council users see their own councils' rows; national roles see every council (their views
show pseudonymised child data, see ``presenters``); anyone else sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def _council_ids(user: Any) -> list[int] | None:
    """None means "every council"; a list limits to those councils."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if getattr(user, "is_national", False):
        return None
    return list(user.councils.values_list("pk", flat=True))


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
