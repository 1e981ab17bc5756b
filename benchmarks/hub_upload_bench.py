"""A 50,000-row child-level return through the hub: upload to validated result (issue 13).

Run by hand (not in CI):

    uv run python benchmarks/hub_upload_bench.py              # 50,000 rows, 3 runs
    uv run python benchmarks/hub_upload_bench.py --rows 5000 --runs 1   # quick

Each run starts from a fresh SQLite database (migrated, councils loaded, one council officer)
and starts the service as `fgc serve` does: gunicorn (`server_command`) and the background
worker (`manage.py fgc_worker`, which runs each job in a forked, watched child). A council
officer signed in through a session then does what the browser does: GET the upload form
(for the CSRF token), POST the CSV as multipart form data, follow the redirect to the
version page, poll ``/versions/<id>/status.json`` until it says done, and load the report
page. An untimed small upload first makes sure the worker and the web processes are up.

Printed per run: upload (POST → redirect), queue wait (job created → a worker claimed it),
validation (claimed → finished, from the job row), result ready (POST sent → report page
loaded). The poll runs every 0.1 s so it adds little; the page's own script polls every
1.5 s (`hub/static/hub/progress.js`), which a person sees on top.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from load_hub import free_port, hub_env, quiet_process, wait_for

ROOT = Path(__file__).resolve().parents[1]
LA_CODE = "805"  # Hartlepool: the synthetic volume is scaled up to the row count
PERIOD = "2024-25"
WARM_PERIOD = "2023-24"

PREPARE = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from fgc.accounts.models import Council
from fgc.accounts.services import create_user, load_councils

call_command("migrate", interactive=False, verbosity=0)
load_councils()
code = sys.argv[1]
user = create_user(f"officer-{code}", role="council_officer", councils=[code])
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
council = Council.objects.get(old_la_code=code, current=True)
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": s.session_key,
                  "council": council.pk}))
"""


def generate_csv(path: Path, rows: int, years: list[str]) -> int:
    """A clean child-level return for one council with (about) ``rows`` rows."""
    from fgc.synth import generate

    base = generate([LA_CODE], years, seed=7).height
    frame = generate([LA_CODE], years, seed=7, scale=1.05 * max(1.0, rows / max(1, base)))
    frame = frame.head(rows)
    frame.write_csv(path)
    return frame.height


class Client:
    """A signed-in browser over one keep-alive connection: session and CSRF cookies."""

    def __init__(self, port: int, cookie_name: str, session: str) -> None:
        self.port = port
        self.cookies = {cookie_name: session}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> http.client.HTTPResponse:
        all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        all_headers.update(headers or {})
        try:
            self.conn.request(method, url, body=body, headers=all_headers)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            self.conn.request(method, url, body=body, headers=all_headers)
            response = self.conn.getresponse()
        response.read_body = response.read()  # type: ignore[attr-defined]
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, url: str) -> tuple[int, bytes]:
        response = self.request("GET", url)
        return response.status, response.read_body  # type: ignore[attr-defined]


def multipart(fields: dict[str, str], file_field: str, path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
    )
    parts.append(path.read_bytes())
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(client: Client, council: int, period: str, path: Path) -> tuple[int, float, float]:
    """GET the form, POST the file; returns (version id, seconds to POST's answer, POST start)."""
    status, html = client.get("/submissions/new/")
    if status != 200:
        raise SystemExit(f"The upload form answered {status}")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise SystemExit("No CSRF token on the upload form")
    fields = {
        "csrfmiddlewaretoken": match.group(1).decode(),
        "council": str(council),
        "period": period,
        "kind": "child_level",
    }
    body, content_type = multipart(fields, "file", path)
    started = time.perf_counter()
    response = client.request(
        "POST", "/submissions/new/", body=body, headers={"Content-Type": content_type}
    )
    elapsed = time.perf_counter() - started
    location = response.getheader("Location") or ""
    found = re.search(r"/versions/(\d+)/", location)
    if response.status != 302 or found is None:
        text = response.read_body.decode("utf-8", "replace")[:2000]  # type: ignore[attr-defined]
        raise SystemExit(f"Upload answered {response.status} {location!r}: {text}")
    return int(found.group(1)), elapsed, started


def wait_done(client: Client, version_id: int, timeout: float = 600, every: float = 0.1) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = client.get(f"/versions/{version_id}/status.json")
        if status == 200:
            state = json.loads(body)
            if state["done"]:
                return dict(state)
        time.sleep(every)
    raise SystemExit(f"Version {version_id} was not checked within {timeout:.0f} s")


def job_times(db: Path, version_id: int) -> tuple[float, float]:
    """(queue wait, validation) in seconds, from the job row the worker kept."""

    def parse(text: str) -> datetime:
        return datetime.fromisoformat(text)

    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT j.created, j.started, j.finished FROM jobs_job j "
            "JOIN hub_submissionversion v ON v.job_id = j.id WHERE v.id = ?",
            (version_id,),
        ).fetchone()
    created, started, finished = (parse(t) for t in row)
    return (started - created).total_seconds(), (finished - started).total_seconds()


def one_run(csv: Path, warm_csv: Path, rows: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="fgc-upload-"))
    env = hub_env(work)
    env["FGC_UPLOAD_RATE"] = "1000/hour"
    env.pop("FGC_JOBS_INLINE", None)
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE, LA_CODE],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    plan = json.loads(prepared.stdout.strip().splitlines()[-1])
    port = free_port()
    from fgc.cli.web_cmd import server_command

    procs = [
        quiet_process(server_command("127.0.0.1", port, os.cpu_count() or 2), env),
        quiet_process([sys.executable, str(ROOT / "manage.py"), "fgc_worker"], env),
    ]
    try:
        wait_for(port)
        client = Client(port, plan["cookie"], plan["session"])
        warm_id, _, _ = upload(client, plan["council"], WARM_PERIOD, warm_csv)  # untimed
        wait_done(client, warm_id)
        client.get(f"/versions/{warm_id}/")
        version_id, upload_s, started = upload(client, plan["council"], PERIOD, csv)
        state = wait_done(client, version_id)
        checked = time.perf_counter()
        status, _ = client.get(f"/versions/{version_id}/")
        ready = time.perf_counter()
        if status != 200 or state["status"] not in ("valid", "errors"):
            raise SystemExit(f"Version {version_id} ended {state['status']} (page {status})")
        if state["rows"] != rows:
            raise SystemExit(f"The hub counted {state['rows']} rows, not {rows}")
        queue_s, validate_s = job_times(work / "fgc.sqlite3", version_id)
        return {
            "upload_s": upload_s,
            "queue_s": queue_s,
            "validate_s": validate_s,
            "status_seen_s": checked - started,
            "report_page_s": ready - checked,
            "ready_s": ready - started,
            "errors": float(state["error_count"] or 0),
            "queries": float(state["query_count"] or 0),
        }
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows in the return")
    parser.add_argument("--runs", type=int, default=3, help="fresh-database runs (default 3)")
    args = parser.parse_args()
    files = Path(tempfile.mkdtemp(prefix="fgc-upload-files-"))
    try:
        csv, warm_csv = files / "return.csv", files / "warm.csv"
        rows = generate_csv(csv, args.rows, [PERIOD])
        generate_csv(warm_csv, 200, [WARM_PERIOD])
        size_mb = csv.stat().st_size / 2**20
        print(f"{rows:,} rows for {LA_CODE} in {PERIOD} ({size_mb:.1f} MB CSV)", flush=True)
        results = []
        for i in range(args.runs):
            r = one_run(csv, warm_csv, rows)
            results.append(r)
            print(
                f"run {i + 1}: upload {r['upload_s']:.2f} s  queue wait {r['queue_s']:.2f} s  "
                f"validation {r['validate_s']:.2f} s  status done {r['status_seen_s']:.2f} s  "
                f"report page {r['report_page_s']:.2f} s  result ready {r['ready_s']:.2f} s  "
                f"({r['errors']:.0f} errors, {r['queries']:.0f} query findings)",
                flush=True,
            )
        for key in ("upload_s", "queue_s", "validate_s", "ready_s"):
            values = [r[key] for r in results]
            print(
                f"{key:<12} min {min(values):.2f}  median {statistics.median(values):.2f}  "
                f"max {max(values):.2f} s"
            )
    finally:
        shutil.rmtree(files, ignore_errors=True)


if __name__ == "__main__":
    main()
