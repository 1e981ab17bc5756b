"""The task the queue runs: one FGC job, in its own watched child process.

The queue is django-tasks with its database backend (the ``django.tasks`` interface that
Django 6 adopts), so any number of ``db_worker`` processes can share the work and one
council's slow file never holds up another's. The job row (`fgc.jobs.models.Job`) stays the
record users see: kind, progress, message and heartbeat.
"""

from __future__ import annotations

from django_tasks import task

from fgc.jobs import isolation, runner

QUEUE = "fgc"


@task(queue_name=QUEUE)
def execute_job(job_id: int) -> str:
    """Claim the job and run it under the memory and time ceilings; return its final state."""
    job = runner.claim(job_id)
    if job is None:  # already run inline, taken by another worker, or gone
        return "skipped"
    return isolation.run_isolated(job).status
