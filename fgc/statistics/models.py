"""A statistical release, its versions (each frozen at staging) and their tables.

A version's tables are the suppressed release files (data CSV and .meta.csv) exactly as
``fgc.engine.disclosure.Publication.files`` gave them; the suppression log is never stored.
A version is seen by the public only once the publish step has set ``published_at``, which
it does no earlier than ``publish_at``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Release(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    period = models.CharField(max_length=12)  # "2025-26"
    title = models.CharField(max_length=200)
    summary = models.TextField()
    methodology = models.TextField(blank=True)  # markdown
    data_guidance = models.TextField(blank=True)  # markdown
    pre_release_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="pre_release_access"
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "title"]

    def __str__(self) -> str:
        return self.title


class Footnote(models.Model):
    """A note shown under one table; copied into each version when it is staged."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="footnotes")
    table = models.CharField(max_length=100)
    text = models.TextField()

    class Meta:
        ordering = ["table", "pk"]


class ReleaseVersion(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    revision_note = models.TextField(blank=True)  # required from version 2 on
    publish_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    snapshot_key = models.CharField(max_length=64, blank=True)  # the accepted data it froze
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["release", "number"]
        constraints = [
            models.UniqueConstraint(fields=["release", "number"], name="unique_release_version")
        ]

    def __str__(self) -> str:
        return f"{self.release.slug} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ReleaseTable(models.Model):
    version = models.ForeignKey(ReleaseVersion, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    csv_text = models.TextField()
    meta_text = models.TextField()
    footnotes = models.JSONField(default=list)  # [text, ...] as they were when staged

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="unique_version_table")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.name}"
