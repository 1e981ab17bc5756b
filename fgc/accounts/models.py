"""Council (from the standard's LA table), User with a role and councils, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from fgc.accounts.roles import COUNCIL_ROLES, NATIONAL_ROLES, Role


class Council(models.Model):
    """A local authority, loaded from fgc.standard's LA table (never edited by hand)."""

    old_la_code = models.CharField("DfE code", max_length=3, unique=True)
    new_la_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=60, blank=True)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.old_la_code})"

    @property
    def code(self) -> str:
        return self.old_la_code


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COUNCIL_OFFICER)
    councils = models.ManyToManyField(
        Council, through="Membership", related_name="users", blank=True
    )

    def save(self, *args, **kwargs) -> None:
        # Administrators manage users in Django admin; superusers are administrators.
        if self.is_superuser:
            self.role = Role.ADMIN
        if self.role == Role.ADMIN:
            self.is_staff = True
            self.is_superuser = True
        super().save(*args, **kwargs)

    @property
    def is_national(self) -> bool:
        """National roles see every council (through pseudonymised views only)."""
        return self.role in NATIONAL_ROLES

    @property
    def is_council_staff(self) -> bool:
        return self.role in COUNCIL_ROLES

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    def council_codes(self) -> list[str]:
        """DfE codes of the councils this user is a member of (sorted)."""
        return sorted(self.councils.values_list("old_la_code", flat=True))


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.council}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """An API token: only its SHA-256 is stored; the token itself is shown once, when issued."""

    PREFIX = "fgc_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)  # first characters, to tell apart
    created = models.DateTimeField(default=timezone.now, editable=False)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Create a token for `user`; returns (record, raw token). The raw token is not kept."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, token_hash=hash_token(raw), hint=raw[:10])
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked is None

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])
