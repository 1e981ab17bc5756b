"""Submissions, their immutable versions, and the conversation around them.

Nothing is overwritten: a resubmission is a new ``SubmissionVersion``; the facts of an upload
never change after it is stored; a version with an accepted decision cannot change at all;
explanations, queries and decisions are only ever added.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from fgc.hub.managers import (
    SubmissionChildQuerySet,
    SubmissionQuerySet,
    VersionChildQuerySet,
    VersionQuerySet,
)


class ImmutableError(RuntimeError):
    """Raised when code tries to change a record the hub promises never to change."""


class Kind(models.TextChoices):
    CHILD_LEVEL = "child_level", "Child-level return"
    AGGREGATE = "aggregate", "Aggregate return"
    CIN_CENSUS = "cin_census", "CIN census (FGC items)"


class Status(models.TextChoices):
    """A submission's state on the national dashboard (``not_started`` has no row)."""

    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    ERRORS = "errors", "Errors"
    QUERIES_OPEN = "queries_open", "Queries open"
    TO_APPROVE = "to_approve", "Awaiting council approval"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    ACCEPTED = "accepted", "Accepted"


class Submission(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=12)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CHILD_LEVEL)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[SubmissionQuerySet] = SubmissionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "period", "kind"], name="hub_one_submission_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "kind", "status"])]
        ordering = ["-period", "council_id", "kind"]

    def __str__(self) -> str:
        return f"{self.council_id} {self.period} {self.kind}"

    def latest_version(self) -> SubmissionVersion | None:
        return self.versions.order_by("-number").first()


class ValidationStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be checked"
    RUNNING = "running", "Being checked"
    VALID = "valid", "No errors"
    ERRORS = "errors", "Has errors"
    FAILED = "failed", "Could not be checked"


class SubmissionVersion(models.Model):
    # The facts of an upload: fixed at creation.
    IMMUTABLE_FIELDS = (
        "submission_id",
        "number",
        "file_path",
        "sha256",
        "original_filename",
        "file_type",
        "size",
        "uploaded_by_id",
        "created",
    )

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file_path = models.CharField(max_length=300)  # relative to settings.FGC_DATA_DIR
    sha256 = models.CharField(max_length=64)
    original_filename = models.CharField(max_length=255)
    file_type = models.CharField(max_length=8)  # sniffed: csv | xlsx | xml
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    # The check: filled in once by the validation job (in one transaction).
    validation_status = models.CharField(
        max_length=10, choices=ValidationStatus.choices, default=ValidationStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=300, blank=True)
    job_id = models.BigIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error_count = models.PositiveIntegerField(null=True, blank=True)
    query_count = models.PositiveIntegerField(null=True, blank=True)
    standard_version = models.CharField(max_length=10, blank=True)
    summary = models.JSONField(null=True, blank=True)  # rules with counts; see validation.py
    findings_path = models.CharField(max_length=300, blank=True)  # parquet next to the upload
    failure_message = models.CharField(max_length=500, blank=True)

    # Sign-off: the council's declaration that this version is its return.
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Council approval: a second council person's sign-off, where the council requires it.
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[VersionQuerySet] = VersionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="hub_version_number")
        ]
        ordering = ["submission_id", "-number"]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded = {f: getattr(self, f) for f in self.IMMUTABLE_FIELDS} if self.pk else None

    @property
    def is_accepted(self) -> bool:
        return self.decisions.filter(outcome=Decision.Outcome.ACCEPTED).exists()

    @property
    def is_checked(self) -> bool:
        return self.validation_status in (ValidationStatus.VALID, ValidationStatus.ERRORS)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            if self.is_accepted:
                raise ImmutableError(f"Version {self.pk} is accepted and cannot change")
            loaded = self._loaded or {}
            changed = [f for f, v in loaded.items() if getattr(self, f) != v]
            if changed:
                raise ImmutableError(f"An uploaded version's {', '.join(changed)} cannot change")
        super().save(*args, **kwargs)
        self._loaded = {f: getattr(self, f) for f in self.IMMUTABLE_FIELDS}

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("Submission versions are never deleted")


class QueryExplanation(models.Model):
    """A council's answer to a query-severity rule: for the whole rule, or one finding."""

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.PROTECT, related_name="explanations"
    )
    rule_code = models.CharField(max_length=12)
    finding_key = models.CharField(max_length=60, blank=True)  # blank = the whole rule
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[VersionChildQuerySet] = VersionChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["version_id", "rule_code", "created"]


class Query(models.Model):
    """A question a national analyst raises with a council about a submission."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="queries")
    version = models.ForeignKey(
        SubmissionVersion, null=True, on_delete=models.PROTECT, related_name="queries"
    )
    text = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)

    objects: ClassVar[SubmissionChildQuerySet] = SubmissionChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "queries"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned to the council"

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[VersionChildQuerySet] = VersionChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created"]


class RateCounter(models.Model):
    """How many requests of one kind a council made in one fixed window (see ratelimit.py)."""

    council = models.ForeignKey("accounts.Council", on_delete=models.CASCADE, related_name="+")
    bucket = models.CharField(max_length=12)  # upload | api
    window_start = models.BigIntegerField()  # Unix seconds, a multiple of the window length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "bucket", "window_start"], name="hub_one_counter_per_window"
            )
        ]


class CouncilSettings(models.Model):
    """How a council runs its returns; edited by the council's approvers."""

    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="hub_settings"
    )
    # As DfE COLLECT: a return marked ready goes to the national team only once a council
    # approver (not the person who uploaded it) approves it.
    requires_council_approval = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "council settings"
