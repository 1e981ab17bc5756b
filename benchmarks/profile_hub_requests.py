"""Where one hub request's time goes: each page kind of load_hub.py, in process, warm.

Reuses a database seeded by ``load_hub.py --workdir DIR`` (its plan.json holds the users'
sessions, tokens and URLs) and calls the WSGI application directly, as gunicorn does, one
request at a time. For each page kind prints the wall and CPU time per request, the queries
and write statements per request, and (with ``--profile``) the cumulative time of the
middleware, session, authentication, audit, token, rate-limit and template functions.

    uv run python benchmarks/load_hub.py --workdir /tmp/hub --requests 50   # seeds once
    uv run python benchmarks/profile_hub_requests.py --workdir /tmp/hub
    uv run python benchmarks/profile_hub_requests.py --workdir /tmp/hub --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

KINDS = ("status", "report", "insight-council", "insight-national", "api")

# (label, substring of "file:line(function)" in pstats) for the breakdown
WATCH = (
    ("WSGI handler (whole request)", "handlers/wsgi.py", "__call__"),
    ("view, with its template (_get_response)", "handlers/base.py", "_get_response"),
    ("session load", "sessions/backends/db.py", "load"),
    ("session save", "sessions/backends/db.py", "save"),
    ("auth: get_user", "contrib/auth/__init__.py", "get_user"),
    ("CSRF middleware", "middleware/csrf.py", "process_view"),
    ("CSP middleware (response)", "csp/middleware.py", "process_response"),
    ("security middleware (response)", "middleware/security.py", "process_response"),
    ("axes middleware", "axes/middleware.py", "__call__"),
    ("audit middleware", "audit/middleware.py", "__call__"),
    ("audit record()", "audit/services.py", "record"),
    ("token authentication", "accounts/services.py", "authenticate_token"),
    ("rate limit take()", "hub/ratelimit.py", "take"),
    ("template render (Jinja2)", "backends/jinja2.py", "render"),
    ("navigation items_for", "web/navigation.py", "items_for"),
    ("SQL execute", "backends/utils.py", "_execute"),
    ("commit", "backends/base/base.py", "commit"),
)


def wsgi_call(app: Callable[..., Any], url: str, headers: dict[str, str]) -> int:
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    status: list[str] = []
    body = app(environ, lambda s, h, exc_info=None: status.append(s))
    try:
        for _ in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close:
            close()
    return int(status[0].split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", required=True, help="a load_hub.py --workdir directory")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per kind")
    parser.add_argument("--profile", action="store_true", help="print the cProfile breakdown")
    parser.add_argument(
        "--warm-all",
        action="store_true",
        help="send every timed request once untimed first: the steady state under load, with "
        "the per-process page memos filled (by default only 3 per kind are, so the council "
        "insight pages are measured cold)",
    )
    parser.add_argument(
        "--top", type=int, default=0, help="with --profile: also the N functions of most own time"
    )
    args = parser.parse_args()

    from load_hub import hub_env

    work = Path(args.workdir)
    plan = json.loads((work / "plan.json").read_text("utf-8"))
    os.environ.update(hub_env(work))
    os.environ.setdefault("FGC_API_RATE", "10000000/hour")
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = get_wsgi_application()
    cookie = plan["cookie"]
    by_kind: dict[str, list[tuple[str, dict[str, str]]]] = {k: [] for k in KINDS}
    for user in plan["users"]:
        for kind, url in user["urls"]:
            headers = {"Cookie": f"{cookie}={user['session']}"}
            if kind == "api":
                headers = {"Authorization": f"Token {user['token']}"}
            by_kind[kind].append((url, headers))

    print(f"{'kind':<17} {'wall ms':>8} {'cpu ms':>7} {'queries':>8} {'writes':>7}  status")
    for kind in KINDS:
        calls = by_kind[kind][: args.requests]
        if not calls:
            continue
        for url, headers in calls if args.warm_all else calls[:3]:  # templates compiled
            wsgi_call(app, url, headers)
        with CaptureQueriesContext(connection) as queries:
            wall0, cpu0 = time.perf_counter(), time.process_time()
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            statuses = [wsgi_call(app, url, headers) for url, headers in calls]
            if profiler:
                profiler.disable()
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        n = len(calls)
        sql = [q["sql"].lstrip().split(" ", 1)[0].upper() for q in queries.captured_queries]
        writes = sum(1 for s in sql if s in {"INSERT", "UPDATE", "DELETE"})
        codes = sorted(set(statuses))
        print(
            f"{kind:<17} {wall / n * 1000:8.2f} {cpu / n * 1000:7.2f} "
            f"{len(sql) / n:8.1f} {writes / n:7.1f}  {codes}"
        )
        if profiler:
            stats = pstats.Stats(profiler)
            for label, file_part, func in WATCH:
                total = sum(
                    row[3]
                    for (file, _line, name), row in stats.stats.items()  # type: ignore[attr-defined]
                    if name == func and file.replace("\\", "/").endswith(file_part)
                )
                if total:
                    print(f"    {label:<40} {total / n * 1000:7.2f} ms/request (profiled)")
            if args.top:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
                print(out.getvalue().split("\n", 6)[-1])


if __name__ == "__main__":
    main()
