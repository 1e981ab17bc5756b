"""The task queue with real worker processes: kill -9, memory ceiling, fairness, races.

Each test runs `manage.py fgc_worker` and the upload steps (tests/jobs/scenario.py) as their
own processes against a real database: a fresh SQLite file, or on PostgreSQL (DATABASE_URL
set, as in CI) a fresh database on the same server, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from fgc.synth import generate

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("scenario.py")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("files")
    small = out / "small.csv"
    generate(["806"], ["2025-26"], seed=3).write_csv(small)
    big = out / "big.csv"
    generate(["805"], ["2025-26"], seed=4, scale=400).write_csv(big)
    return {"small": small, "big": big}


def _postgres_database(url: str) -> Iterator[str]:
    import psycopg

    name = f"fgc_proc_{uuid.uuid4().hex[:10]}"
    admin = urlparse(url)
    with psycopg.connect(urlunparse(admin._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(admin._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(urlunparse(admin._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Site:
    """A database, a data directory and the processes that use them."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.workers: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str) -> Any:
        done = subprocess.run(
            [sys.executable, str(SCENARIO), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return json.loads(done.stdout.decode().strip().splitlines()[-1])

    def start_upload(self, la_code: str, path: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(SCENARIO), "upload", la_code, str(path)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def start_worker(self, processes: int = 2, **extra: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "fgc_worker",
                "--processes",
                str(processes),
                "--interval",
                "0.5",
            ],
            env={**self.env, **extra},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so the test can kill it all
        )
        self.workers.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        proc.wait(timeout=30)

    def state(self) -> dict[str, list[dict[str, Any]]]:
        """Jobs and versions read straight from the database (a Django process takes ~2 s)."""
        queries = {
            "jobs": "SELECT id, status, attempts, message, started, finished FROM jobs_job",
            "versions": "SELECT id, number, validation_status AS status, rows, error_count AS "
            "errors, summary, findings_path AS findings, job_id AS job FROM hub_submissionversion",
        }
        out: dict[str, list[dict[str, Any]]] = {}
        url = self.env.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            import psycopg
            from psycopg.rows import dict_row

            with psycopg.connect(url, row_factory=dict_row) as conn:
                for key, sql in queries.items():
                    out[key] = list(conn.execute(sql + " ORDER BY id").fetchall())
            return out
        conn = sqlite3.connect(Path(self.env["FGC_VAR_DIR"]) / "fgc.sqlite3", timeout=20)
        conn.row_factory = sqlite3.Row
        try:
            for key, sql in queries.items():
                out[key] = [dict(r) for r in conn.execute(sql + " ORDER BY id")]
        finally:
            conn.close()
        return out

    def wait_for(self, what: Callable[[Any], bool], timeout: float = 180) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if what(state):
                return state
            assert time.monotonic() < deadline, f"timed out; last state: {state}"
            time.sleep(0.05)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FGC_")}
    env.update(
        DJANGO_SETTINGS_MODULE="fgc.config.settings.test",
        FGC_VAR_DIR=str(tmp_path / "var"),
        FGC_DATA_DIR=str(tmp_path / "var" / "uploads"),
        FGC_JOB_STALE_SECONDS="3",
    )
    url = os.environ.get("DATABASE_URL", "")
    pg = _postgres_database(url) if url.startswith("postgres") else None
    if pg is not None:
        env["DATABASE_URL"] = next(pg)
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    s = Site(env)
    s.run("seed")
    try:
        yield s
    finally:
        for proc in s.workers:
            if proc.poll() is None:
                s.kill(proc, signal.SIGTERM)
        if pg is not None:
            next(pg, None)


def _job(state: Any, job_id: int) -> dict[str, Any]:
    return next(j for j in state["jobs"] if j["id"] == job_id)


def _version(state: Any, version_id: int) -> dict[str, Any]:
    return next(v for v in state["versions"] if v["id"] == version_id)


def test_kill_9_mid_validation_leaves_nothing_partial_and_the_job_is_retried(site, files):
    up = site.run("upload", "805", str(files["big"]))
    worker = site.start_worker()
    state = site.wait_for(lambda s: _job(s, up["job"])["status"] == "running", timeout=60)
    site.kill(worker)  # the supervisor, its task workers and the job's child, all at once

    state = site.state()
    version = _version(state, up["version"])
    assert version["status"] in ("queued", "running")  # not checked, not half-checked
    assert (version["rows"], version["errors"], version["summary"]) == (None, None, None)
    assert version["findings"] == ""

    site.start_worker()
    state = site.wait_for(lambda s: _job(s, up["job"])["status"] in ("done", "failed"))
    job, version = _job(state, up["job"]), _version(state, up["version"])
    assert (job["status"], job["attempts"]) == ("done", 2)
    assert version["status"] in ("valid", "errors") and version["rows"] > 0
    assert len(state["versions"]) == 1


def test_a_job_over_the_memory_ceiling_fails_plainly_and_the_worker_goes_on(site, files):
    big = site.run("upload", "805", str(files["big"]))
    site.start_worker(processes=1, FGC_JOB_MEMORY_MB="40")
    state = site.wait_for(lambda s: _job(s, big["job"])["status"] in ("done", "failed"))
    job, version = _job(state, big["job"]), _version(state, big["version"])
    assert job["status"] == "failed" and job["attempts"] == 1
    assert "more than 40 MB of memory" in job["message"]
    assert version["status"] == "failed" and version["rows"] is None


def test_one_councils_big_file_does_not_hold_up_another_council(site, files):
    big = site.run("upload", "805", str(files["big"]))
    small = site.run("upload", "806", str(files["small"]))
    site.start_worker(processes=2)
    state = site.wait_for(
        lambda s: all(_job(s, j)["status"] == "done" for j in (big["job"], small["job"]))
    )
    # Queued first, the big file is still being checked when the small one is done.
    assert _job(state, small["job"])["finished"] < _job(state, big["job"])["finished"]


def test_two_officers_resubmitting_at_once_get_two_complete_versions(site, files):
    site.start_worker(processes=2)
    first = site.start_upload("806", files["small"])
    second = site.start_upload("806", files["small"])
    outs = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], [e.decode() for _, e in outs]
    state = site.wait_for(
        lambda s: (
            len(s["versions"]) == 2
            and all(v["status"] != "queued" for v in s["versions"])
            and all(j["status"] in ("done", "failed") for j in s["jobs"])
        )
    )
    versions = state["versions"]
    assert sorted(v["number"] for v in versions) == [1, 2]
    assert {v["status"] for v in versions} <= {"valid", "errors"}
    assert len({v["rows"] for v in versions}) == 1
