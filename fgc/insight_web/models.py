"""Population denominators a council uploads for the "offered vs population" equity step.

The file itself is stored under ``FGC_DATA_DIR/population/``; a new upload for the same council
and period supersedes the previous one (the latest is used; older rows are kept as history).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class PopulationQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> PopulationQuerySet:
        """Council users see their councils' uploads; national roles see all; others none."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if getattr(user, "is_national", False):
            return self.all()
        return self.filter(council__in=user.councils.all())


class PopulationUpload(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=12)
    file_path = models.CharField(max_length=300)  # relative to settings.FGC_DATA_DIR
    original_filename = models.CharField(max_length=255)
    source = models.CharField(max_length=300, blank=True)
    rows = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[PopulationQuerySet] = PopulationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["council_id", "period", "-created"]
        indexes = [models.Index(fields=["council", "period"])]

    def __str__(self) -> str:
        return f"Population {self.council_id} {self.period} ({self.original_filename})"
