"""Keep N task-queue workers running, and look after jobs whose worker died.

`manage.py fgc_worker` runs this: it starts ``--processes`` django-tasks ``db_worker``
processes on the FGC queue (each job then runs in its own watched child, see
`fgc.jobs.isolation`), restarts any that exit, and every few seconds requeues jobs whose
worker stopped beating (`runner.reap_stale`) and queues jobs that never reached the queue.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import close_old_connections

from fgc.jobs import runner, services
from fgc.jobs.tasks import QUEUE

log = logging.getLogger(__name__)

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"


def worker_command(index: int) -> list[str]:
    return [
        sys.executable,
        str(MANAGE_PY),
        "db_worker",
        "--queue-name",
        QUEUE,
        "--interval",
        "0.5",
        "--worker-id",
        f"{socket.gethostname()[:40]}-{index}",
    ]


def supervise(
    processes: int,
    *,
    interval: float = 5.0,
    say: Callable[[str], None] = print,
    rounds: int | None = None,
) -> None:
    """Run until interrupted (or for ``rounds`` rounds, for tests)."""
    workers: dict[int, subprocess.Popen[bytes]] = {}
    done = 0
    try:
        while rounds is None or done < rounds:
            for i in range(processes):
                proc = workers.get(i)
                if proc is None or proc.poll() is not None:
                    if proc is not None:
                        say(f"Task worker {i} exited ({proc.returncode}); restarting it.")
                    workers[i] = subprocess.Popen(worker_command(i), cwd=MANAGE_PY.parent)
                    say(f"Task worker {i} started (pid {workers[i].pid}).")
            close_old_connections()
            try:
                runner.reap_stale()
                services.dispatch_orphans()
            except Exception:  # a locked or restarting database: try again next round
                log.exception("Job housekeeping failed; retrying")
            done += 1
            time.sleep(interval)
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in workers.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
