"""The job row: what to run, how far it got, and whether its worker is still alive."""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    # How many times a worker has started it (a job whose worker died is retried once).
    attempts = models.PositiveSmallIntegerField(default=0)
    # The task-queue entry that will run it (django-tasks); blank when run inline.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["status", "created"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
