"""`manage.py fgc_worker`: run background jobs (validation of uploads) in their own process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fgc.jobs import runner


class Command(BaseCommand):
    help = "Run queued background jobs (for example, validating uploaded returns)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to sleep when idle."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"fgc worker {runner.worker_name()} started")
        try:
            runner.work_forever(interval=options["interval"], once=options["once"])
        except KeyboardInterrupt:
            self.stdout.write("fgc worker stopped")
