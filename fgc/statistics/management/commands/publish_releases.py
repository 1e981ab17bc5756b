"""Publish every staged release version whose publication time has passed (run by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from fgc.statistics.services import publish_due


class Command(BaseCommand):
    help = "Publish the statistics release versions that are due"

    def handle(self, *args: Any, **options: Any) -> None:
        done = publish_due(timezone.now())
        for v in done:
            self.stdout.write(f"Published {v.release.slug} version {v.number}")
        if not done:
            self.stdout.write("No release is due")
