"""Load benchmark for the hub's busiest pages: submission status, validation reports, insight.

Starts its own loopback server (gunicorn, as `fgc serve` runs it) on a fresh SQLite database
seeded with the demo's 153 councils × 2 years, signs in 50 users (council officers on their own
status, report and insight council dashboard pages; national analysts on the status grid, any
report and the national insight dashboard) and drives them concurrently with plain
`http.client` connections in threads, for a bounded number of requests or seconds.
API clients (every user's own token) read the submissions list and versions through the JSON
API. Prints p50 / p95 / p99 latency and errors, overall and per page kind; ``--serial`` sends
one request at a time as the same users, to separate a page's own cost from queueing.
Each user is a Python thread by default; ``--client async`` drives them all from one asyncio
loop instead, to check that the client's own CPU (on the 2 cores the server also uses) and
its threads' wait for the GIL do not make the figures: both print the client's CPU per
request.
The insight cache is built before timing (the seed ends by running the "insight.refresh" job)
and every web process loads it once in an untimed warm-up, as after any acceptance.

    uv run python benchmarks/load_hub.py                    # 50 users, 3000 requests
    uv run python benchmarks/load_hub.py --users 10 --requests 300 --councils 20   # quick
    uv run python benchmarks/load_hub.py --workdir /tmp/hub   # seed once; later runs reuse it
    uv run python benchmarks/load_hub.py --workdir /tmp/hub --serial --requests 500

Target (issue 3): p95 < 300 ms, 0 errors. Record results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PREPARE = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from fgc.accounts.models import ApiToken
from fgc.accounts.services import create_user, load_councils
from fgc.hub.models import Submission, SubmissionVersion
from fgc.hub.seed import seed_demo

limit = int(sys.argv[1]) or None
n_analysts = int(sys.argv[2])
call_command("migrate", interactive=False, verbosity=0)
load_councils()
users = [create_user("analyst", role="national_analyst")]
for i in range(1, n_analysts):
    users.append(create_user(f"analyst-{i}", role="national_analyst"))
from fgc.accounts.models import Council
councils = list(Council.objects.filter(current=True).order_by("old_la_code")[:limit])
for c in councils:
    code = c.old_la_code
    users.append(create_user(f"officer-{code}", role="council_officer", councils=[code]))
seed_demo(sys.stderr, limit=limit)  # ends by running the insight refresh (a warm cache)
import time
from fgc.insight_web import services as insight
t0 = time.monotonic()
insight.build_cache()  # a no-op when the seed's refresh already built the current key
print(f"Insight cache complete ({time.monotonic() - t0:.1f} s)", file=sys.stderr)

def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

checked = SubmissionVersion.objects.filter(validation_status__in=["valid", "errors"])
all_versions = list(checked.values_list("pk", flat=True))
out = []
for u in users:
    if u.is_national:
        urls = [("status", "/national/?period=2025-26")]
        urls += [("status", "/national/?period=2024-25&region=E12000007")]
        sample = random.Random(u.pk).sample(all_versions, min(5, len(all_versions)))
        urls += [("report", f"/versions/{v}/") for v in sample]
        urls += [("insight-national", "/insight/national/?period=2025-26")]
        urls += [("api", "/api/v1/submissions?period=2025-26")]
        urls += [("api", f"/api/v1/versions/{v}") for v in sample[:2]]
    else:
        mine = list(SubmissionVersion.objects.for_user(u).values_list("pk", flat=True))
        urls = [("status", "/submissions/?period=2025-26")]
        urls += [("report", f"/versions/{v}/") for v in mine]
        urls += [("report", f"/versions/{v}/?severity=query&sort=-row") for v in mine]
        urls += [
            ("insight-council", f"/insight/council/{c.old_la_code}/?period=2025-26")
            for c in u.councils.all()
        ]
        urls += [("api", "/api/v1/submissions")]
        urls += [("api", f"/api/v1/versions/{v}") for v in mine]
    _, token = ApiToken.issue(u, "load test")
    out.append({"user": u.username, "session": session_for(u), "token": token, "urls": urls})
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "users": out}))
""".replace("import json, sys", "import json, random, sys")

# A reused database: let the insight refresh finish whatever the code being measured keeps in
# the cache (the drawn council pages, for one), as it would after the next acceptance.
REFRESH = r"""
import time, django
django.setup()
from fgc.insight_web import services
t0 = time.monotonic()
services.build_cache()
print(f"Insight cache complete ({time.monotonic() - t0:.1f} s)")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hub_env(work: Path) -> dict[str, str]:
    """This process's environment with a hub whose database and files live in ``work``."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="fgc.config.settings.dev",
        DATABASE_URL=f"sqlite:///{work / 'fgc.sqlite3'}",
        FGC_DATA_DIR=str(work / "data"),
        FGC_VAR_DIR=str(work),
        PYTHONPATH=str(ROOT),
    )
    return env


def quiet_process(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A server or worker started from the project root, its output discarded."""
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The server did not start")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> int:
    temporary = not args.workdir
    work = Path(args.workdir or tempfile.mkdtemp(prefix="fgc-load-"))
    env = hub_env(work)
    # API tokens are rate limited per council (300/hour by default): lift it for the load.
    env.setdefault("FGC_API_RATE", "10000000/hour")
    n_analysts = max(1, args.users // 5)
    saved = work / "plan.json"
    if args.workdir and saved.exists():  # reuse a database seeded by an earlier run
        plan = json.loads(saved.read_text("utf-8"))
        print(f"Reusing the database and sign-ins in {work}", flush=True)
        refreshed = subprocess.run(
            [sys.executable, "-c", REFRESH], env=env, cwd=ROOT, capture_output=True, text=True
        )
        print(refreshed.stdout.strip() or refreshed.stderr.strip()[-500:], flush=True)
    else:
        print(f"Preparing {work} (seeding {args.councils or 153} councils × 2 years)…", flush=True)
        started = time.monotonic()
        prepared = subprocess.run(
            [sys.executable, "-c", PREPARE, str(args.councils), str(n_analysts)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        plan = json.loads(prepared.stdout.strip().splitlines()[-1])
        saved.write_text(json.dumps(plan), "utf-8")
        print(f"Prepared in {time.monotonic() - started:.0f} s", flush=True)

    port = free_port()
    from fgc.cli import web_cmd

    threads = args.threads or web_cmd.WEB_THREADS
    command = web_cmd.server_command("127.0.0.1", port, args.workers, threads)
    print(f"Serving with {args.workers} processes × {threads} threads", flush=True)
    server = quiet_process(command, env)
    try:
        wait_for(port)
        return drive(args, port, plan)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if temporary:
            shutil.rmtree(work, ignore_errors=True)


KINDS = ("status", "report", "insight-council", "insight-national", "api")


def next_request(
    think: float, cookie: str, users: list[dict], rnd: random.Random
) -> tuple[float, str, str, dict[str, str]]:
    """A user's next request, the same for either client: the pause before it (a person
    reads the page before the next click, uniform 0.5–1.5× ``think``), its kind, URL and
    headers."""
    pause = think * rnd.uniform(0.5, 1.5) if think else 0.0
    user = users[0] if len(users) == 1 else rnd.choice(users)
    kind, url = rnd.choice(user["urls"])
    headers = {"Cookie": f"{cookie}={user['session']}", "Connection": "keep-alive"}
    if kind == "api":  # a script or case-management system: its token, no session
        headers = {"Authorization": f"Token {user['token']}", "Connection": "keep-alive"}
    return pause, kind, url, headers


def warm_up(args: argparse.Namespace, port: int, cookie: str, users: list[dict]) -> None:
    """Untimed: let every web process read the insight cache from disk into memory once."""
    urls = []
    for kind in ("insight-council", "insight-national"):
        user = next((u for u in users if any(k == kind for k, _ in u["urls"])), None)
        if user is not None:
            url = next(url for k, url in user["urls"] if k == kind)
            urls.append((user["session"], url))
    if not urls:
        return
    started = time.monotonic()

    def hit() -> None:
        for session, url in urls * 2:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                conn.request("GET", url, headers={"Cookie": f"{cookie}={session}"})
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()

    threads = [threading.Thread(target=hit) for _ in range(max(2, args.workers * 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"Warmed the insight pages in {time.monotonic() - started:.1f} s", flush=True)


def drive(args: argparse.Namespace, port: int, plan: dict) -> int:
    cookie = plan["cookie"]
    national = [u for u in plan["users"] if u["user"].startswith("analyst")]
    council = [u for u in plan["users"] if not u["user"].startswith("analyst")]
    n_nat = max(1, args.users // 5)
    chosen = national[:n_nat] + random.Random(1).sample(
        council, min(len(council), args.users - n_nat)
    )
    lock = threading.Lock()
    results: list[tuple[str, float, int]] = []
    budget = [args.requests]
    deadline = time.monotonic() + args.seconds

    def take() -> bool:
        with lock:
            if budget[0] <= 0 or time.monotonic() > deadline:
                return False
            budget[0] -= 1
            return True

    def user_loop(users: list[dict], seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while take():
            pause, kind, url, headers = next_request(args.think, cookie, users, rnd)
            if pause:
                time.sleep(pause)
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                results.append((kind, elapsed, status))
        conn.close()

    warm_up(args, port, cookie, chosen)
    if args.serial:  # one request at a time, each as one of the users: cost without queueing
        print(
            f"Driving one request at a time as {len(chosen)} users ({n_nat} national) for up "
            f"to {args.requests} requests / {args.seconds} s…",
            flush=True,
        )
        groups = [chosen]
    else:
        print(
            f"Driving {len(chosen)} concurrent users ({n_nat} national) for up to "
            f"{args.requests} requests / {args.seconds} s…",
            flush=True,
        )
        groups = [[u] for u in chosen]
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    if args.client == "async":
        asyncio.run(_drive_async(args, port, cookie, groups, take, results))
    else:
        threads = [threading.Thread(target=user_loop, args=(g, i)) for i, g in enumerate(groups)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    wall = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)

    def line(label: str, rows: list[tuple[str, float, int]]) -> str:
        times = [r[1] for r in rows]
        errors = sum(1 for r in rows if r[2] != 200)
        return (
            f"{label:<16} n={len(rows):>5}  p50={percentile(times, 0.5):7.1f} ms  "
            f"p95={percentile(times, 0.95):7.1f} ms  p99={percentile(times, 0.99):7.1f} ms  "
            f"mean={statistics.fmean(times) if times else float('nan'):7.1f} ms  errors={errors}"
        )

    print(line("all", results))
    for kind in KINDS:
        print(line(kind, [r for r in results if r[0] == kind]))
    print(f"throughput {len(results) / wall:.1f} requests/s over {wall:.1f} s")
    per = client_cpu / len(results) * 1000 if results else float("nan")
    print(f"client ({args.client}): {client_cpu:.2f} s CPU, {per:.2f} ms per request")
    errors = sum(1 for r in results if r[2] != 200)
    if errors:  # which answers: 0 is a connection error or a 30 s client timeout
        counts: dict[int, int] = {}
        for r in results:
            if r[2] != 200:
                counts[r[2]] = counts.get(r[2], 0) + 1
        print("errors by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    return 1 if errors else 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response whole (Content-Length or chunked): its status, and whether
    the connection stays open for the next request."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for h in lines[1:]:
        if ":" in h:
            k, v = h.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:  # no length: the body ends when the server closes
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


async def _drive_async(
    args: argparse.Namespace,
    port: int,
    cookie: str,
    groups: list[list[dict]],
    take: Callable[[], bool],
    results: list[tuple[str, float, int]],
) -> None:
    """The same users and choices of URL as the threads, each a keep-alive connection, all
    on one asyncio loop."""

    async def user(users: list[dict], seed: int) -> None:
        rnd = random.Random(seed)
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while take():
            pause, kind, url, headers = next_request(args.think, cookie, users, rnd)
            if pause:
                await asyncio.sleep(pause)
            lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            request = f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{lines}\r\n"
            request_bytes = request.encode("latin-1")
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.open_connection("127.0.0.1", port)
                conn[1].write(request_bytes)
                status, keep = await asyncio.wait_for(_read_response(conn[0]), 30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                status, keep = 0, False  # 0: a connection error or a 30 s client timeout
            elapsed = (time.perf_counter() - t0) * 1000
            if not keep and conn is not None:
                conn[1].close()
                conn = None
            results.append((kind, elapsed, status))
        if conn is not None:
            conn[1].close()

    await asyncio.gather(*(user(g, i) for i, g in enumerate(groups)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--requests", type=int, default=3000, help="total requests (default 3000)")
    parser.add_argument("--seconds", type=float, default=120, help="time limit (default 120)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="web processes (default: cores)"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per web process (default: fgc serve's)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean think time in seconds between a user's requests (0 = back to back)",
    )
    parser.add_argument(
        "--serial",
        action="store_true",
        help="one request at a time (as the same users, chosen at random): per-request cost",
    )
    parser.add_argument(
        "--client",
        choices=("async", "threads"),
        default="threads",
        help="a Python thread per user (default) or one asyncio loop for all",
    )
    parser.add_argument("--councils", type=int, default=0, help="seed only N councils (0 = all)")
    parser.add_argument(
        "--workdir",
        help="directory for the database and files, kept and reused by later runs "
        "(default: a temporary one)",
    )
    raise SystemExit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
