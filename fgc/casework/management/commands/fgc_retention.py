"""``manage.py fgc_retention [--dry-run] [--mode anonymise|delete]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fgc.casework import retention


class Command(BaseCommand):
    help = (
        "Delete or anonymise closed casework episodes older than FGC_RETENTION_YEARS. "
        "Run with --dry-run first to see what would change."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report only; change nothing.")
        parser.add_argument("--mode", choices=retention.MODES, default="anonymise")
        parser.add_argument("--years", type=int, default=None, help="Override the setting.")

    def handle(
        self, *args: Any, dry_run: bool, mode: str, years: int | None, **options: Any
    ) -> None:
        try:
            report = retention.run(mode=mode, dry_run=dry_run, years=years)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        verb = "would be" if dry_run else "were"
        done = "anonymised" if mode == "anonymise" else "deleted"
        self.stdout.write(
            f"Closed before {report.cutoff.isoformat()}: {report.episodes} episodes "
            f"({report.children} children) {verb} {done}."
        )
        for code, count in sorted(report.by_council.items()):
            self.stdout.write(f"  council {code}: {count} episodes")
        if dry_run and report.episodes:
            self.stdout.write("Run again without --dry-run to apply.")
