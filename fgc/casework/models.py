"""A family's FGC episode, its children, network and reviews; the council's own fields and
saved import mappings.

The standard's fields are columns derived from its declarations (``standard_fields``): the
family-level ones on ``Episode``, the child-level ones on ``Child``. Names and contact details
are casework-only, encrypted at rest, and are not fields of the standard, so nothing that
builds a return can see them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from fgc.casework.crypto import EncryptedTextField
from fgc.casework.managers import (
    ChildOutcomeManager,
    CouncilManager,
    EpisodeChildManager,
    EpisodeManager,
)
from fgc.casework.standard_fields import add_standard_columns


class Episode(models.Model):
    """One family group's FGC journey; covers one or more children."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("Episode reference", max_length=20)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"role": "coordinator"},
    )
    resources_requested = models.TextField(blank=True)  # casework-only: not in the standard
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EpisodeManager()

    if TYPE_CHECKING:  # columns added from the standard below; named here for the type checker
        stage: str | None
        lbp_date: date | None
        offer_date: date | None
        offer_in_lbp: str | None
        exception: str | None
        offer_response: str | None
        response_date: date | None
        referral_date: date | None
        allocation_date: date | None
        conference_date: date | None
        plan_agreed: str | None
        closure_date: date | None
        council_id: int
        coordinator_id: int | None

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="casework_episode_ref")
        ]
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.reference


add_standard_columns(Episode, "family")


class Child(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="children")
    child_id = models.CharField("Child identifier", max_length=20)
    name = EncryptedTextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = EpisodeChildManager()

    if TYPE_CHECKING:
        date_of_birth: date | None
        expected_due_date: date | None
        known_to_csc: str | None
        looked_after_6m: str | None
        looked_after_12m: str | None
        episode_id: int

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "child_id"], name="casework_child_id")
        ]
        ordering = ["episode_id", "pk"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.child_id

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_due_date is not None


add_standard_columns(Child, "child")


class Side(models.TextChoices):
    MATERNAL = "maternal", "Maternal"
    PATERNAL = "paternal", "Paternal"
    FRIEND = "friend", "Friend"
    COMMUNITY = "community", "Community"


class NetworkMember(models.Model):
    """A member of the family network. Name and contact details: casework only, encrypted."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="network")
    name = EncryptedTextField()
    contact = EncryptedTextField(blank=True)
    relationship = models.CharField(max_length=60)
    side = models.CharField(max_length=10, choices=Side.choices)
    invited = models.BooleanField(default=False)
    attended = models.BooleanField(default=False)

    objects = EpisodeChildManager()

    class Meta:
        ordering = ["episode_id", "pk"]


class Review(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="reviews")
    review_date = models.DateField("Review date")
    plan_progress = models.CharField("Plan progress at review", max_length=12)
    created = models.DateTimeField(auto_now_add=True)

    objects = EpisodeChildManager()

    class Meta:
        ordering = ["episode_id", "review_date", "pk"]

    @property
    def progress_label(self) -> str:
        from fgc.standard import load_standard

        std = load_standard()
        cl = std.codelist_for(std.field("plan_progress"))
        return (cl.label_for(self.plan_progress) if cl else None) or self.plan_progress


class LocalFieldType(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    YES_NO = "yes_no", "Yes or no"
    CHOICE = "choice", "Choice from a list"


class LocalFieldDefinition(models.Model):
    """A council's own field. Changing one makes a new version; a retired one keeps its values.

    Local fields appear in the council's forms, import mapping, exports and reports, and never
    in a national return (they are not fields of the standard).
    """

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    type = models.CharField(max_length=10, choices=LocalFieldType.choices)
    choices = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=20)  # a step of the journey (fgc.casework.states.STEPS)
    help = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    retired_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CouncilManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "key", "version"], name="casework_local_field_version"
            )
        ]
        ordering = ["council_id", "stage", "key", "-version"]

    def __str__(self) -> str:
        return f"{self.label} (v{self.version})"

    @property
    def column(self) -> str:
        """Its column name in the council's exports (never a standard field name)."""
        return f"local_{self.key}"


class LocalFieldValue(models.Model):
    definition = models.ForeignKey(
        LocalFieldDefinition, on_delete=models.PROTECT, related_name="values"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="local_values")
    value = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = EpisodeChildManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["definition", "episode"], name="casework_local_value")
        ]


class SavedMapping(models.Model):
    """A council's column and value mapping for its spreadsheet, remembered for next time."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100, default="default")
    mapping = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    objects = CouncilManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="casework_mapping_name")
        ]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.mapping)


class StatutoryUpload(models.Model):
    """A council's SSDA903 (and CIN census) files, read once; the files themselves are not
    kept. What was derived from them is each ``DerivedOutcome``, which names this upload."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    as_at = models.DateField()
    years = models.CharField(max_length=60)  # "SSDA903 2024-25 to 2025-26"
    files = models.JSONField(default=list)  # [{"name": ..., "kind": ...}]
    report = models.TextField(blank=True)  # the match report
    children_filled = models.PositiveIntegerField(default=0)

    objects = CouncilManager()

    class Meta:
        ordering = ["-created", "-pk"]

    @property
    def source(self) -> str:
        who = self.uploaded_by.get_username() if self.uploaded_by else "a removed user"
        return f"{self.years}, uploaded {self.created:%Y-%m-%d} by {who}"


class DerivedOutcome(models.Model):
    """One outcome of one child derived from a statutory upload, beside what was keyed.

    The child's own column (what returns carry) takes the derived value unless a keyed value
    differs and its author recorded why (``keyed_reason``); both values are kept here.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="derived_outcomes")
    field = models.CharField(max_length=40)
    value = models.CharField(max_length=40, blank=True)  # blank: not yet due
    upload = models.ForeignKey(StatutoryUpload, on_delete=models.CASCADE, related_name="outcomes")
    keyed = models.CharField(max_length=40, blank=True)  # a hand-keyed value that differs
    keyed_reason = models.CharField(max_length=300, blank=True)
    keyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ChildOutcomeManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "field"], name="casework_derived_outcome")
        ]
        ordering = ["child_id", "field"]

    @property
    def keyed_wins(self) -> bool:
        return bool(self.keyed and self.keyed_reason)
