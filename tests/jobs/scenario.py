"""Steps of the worker-process tests, run as their own processes against a real database.

``python tests/jobs/scenario.py seed|upload …`` with DATABASE_URL and FGC_VAR_DIR set
by tests/jobs/test_worker_processes.py. Prints JSON for the test to read.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")

import django

django.setup()


def seed() -> None:
    from fgc.accounts.services import create_user, load_councils

    load_councils()
    for code in ("805", "806"):
        create_user(
            f"officer-{code}",
            role="council_officer",
            councils=[code],
            password="a-long-test-password-123",
            email=f"officer-{code}@example.org",
        )
    print(json.dumps({"ok": True}))


def upload(la_code: str, path: str) -> None:
    from django.contrib.auth import get_user_model

    from fgc.accounts.models import Council
    from fgc.hub import services

    data = Path(path).read_bytes()
    user = get_user_model().objects.get(username=f"officer-{la_code}")
    council = Council.objects.get(old_la_code=la_code)
    version = services.upload(
        user,
        council=council,
        period="2025-26",
        kind="child_level",
        file=services.UploadedFile(Path(path).name, len(data), [data]),
    )
    print(json.dumps({"version": version.pk, "job": version.job_id}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"seed": seed, "upload": upload}[command](*args)
