"""`manage.py fgc_worker`: run background jobs (validation of uploads) in their own processes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from fgc.jobs import runner, supervisor


class Command(BaseCommand):
    help = (
        "Run the task-queue workers for background jobs (for example, validating uploaded "
        "returns), each job under the memory and time limits in settings."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run what is queued in this process, then exit (no child processes).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=getattr(settings, "FGC_WORKERS", 2),
            help="How many jobs may run at once (default FGC_WORKERS, 2).",
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between housekeeping rounds."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            runner.work_forever(once=True)
            return
        processes = max(1, options["processes"])
        self.stdout.write(f"fgc worker {runner.worker_name()}: {processes} task workers")
        try:
            supervisor.supervise(processes, interval=options["interval"], say=self.stdout.write)
        except KeyboardInterrupt:
            self.stdout.write("fgc worker stopped")
