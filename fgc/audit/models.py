"""AuditEvent: append-only. Saving an existing event, deleting or bulk-updating raises."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """The audit log is append-only."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    when = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: a user with audit history is switched off, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    username = models.CharField(max_length=150, blank=True)  # as typed, also for failed logins
    action = models.CharField(max_length=50, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    council_code = models.CharField(max_length=3, blank=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-when", "-id"]
        indexes = [models.Index(fields=["user", "when"])]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted.")
