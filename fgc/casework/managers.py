"""Tenancy lives here: every casework query starts from ``for_user``.

Council staff see their own councils' episodes: service managers and data officers the whole
service, coordinators their own caseload. National roles see no casework at all (it holds
personal data that never leaves the council); nor does anyone else.
"""

from __future__ import annotations

from typing import Any

from django.db import models

COORDINATOR = "coordinator"


def sees_casework(user: Any) -> bool:
    return (
        user is not None
        and bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "is_active", False))
        and bool(getattr(user, "is_council_staff", False))
    )


def is_coordinator(user: Any) -> bool:
    return getattr(user, "role", None) == COORDINATOR


class _ScopedQuerySet(models.QuerySet):
    council_path = "council"
    coordinator_path: str | None = "coordinator"

    def for_user(self, user: Any) -> Any:
        if not sees_casework(user):
            return self.none()
        qs = self.filter(**{f"{self.council_path}__in": user.councils.values("pk")})
        if is_coordinator(user) and self.coordinator_path:
            qs = qs.filter(**{self.coordinator_path: user})
        return qs


class EpisodeQuerySet(_ScopedQuerySet):
    pass


class EpisodeChildQuerySet(_ScopedQuerySet):
    """Children, network members and reviews: scoped through their episode."""

    council_path = "episode__council"
    coordinator_path = "episode__coordinator"


class CouncilQuerySet(_ScopedQuerySet):
    """Council-wide settings (local fields, saved mappings): every council user of it."""

    coordinator_path = None


class ChildOutcomeQuerySet(_ScopedQuerySet):
    """A child's derived outcomes: scoped through the child's episode."""

    council_path = "child__episode__council"
    coordinator_path = "child__episode__coordinator"


# Managers built from the querysets, so ``Model.objects.for_user(...)`` type-checks.
EpisodeManager = models.Manager.from_queryset(EpisodeQuerySet)
EpisodeChildManager = models.Manager.from_queryset(EpisodeChildQuerySet)
CouncilManager = models.Manager.from_queryset(CouncilQuerySet)
ChildOutcomeManager = models.Manager.from_queryset(ChildOutcomeQuerySet)
