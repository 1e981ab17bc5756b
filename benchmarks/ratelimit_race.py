"""Race benchmark for the per-council rate limit (fgc.hub.ratelimit) across processes.

Starts N worker processes on one fresh database (SQLite in WAL mode, or DATABASE_URL), all
released at once, each asking for T places in the same council's "upload" window whose
limit is L. Prints how many were let in (must be exactly L when N*T > L: no process slips
past), how many refused, and the time per request.

    uv run python benchmarks/ratelimit_race.py                 # 8 processes x 25, limit 60
    uv run python benchmarks/ratelimit_race.py --procs 4 --tries 10 --limit 17
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PREPARE = r"""
import django
django.setup()
from django.core.management import call_command
from fgc.accounts.services import load_councils
call_command("migrate", interactive=False, verbosity=0)
load_councils()
"""

WORKER = r"""
import sys, time
import django
django.setup()
from fgc.accounts.models import Council
from fgc.hub import ratelimit
tries, start_at = int(sys.argv[1]), float(sys.argv[2])
council = Council.objects.get(old_la_code="805")
while time.time() < start_at:
    time.sleep(0.001)
ok = refused = 0
t0 = time.perf_counter()
for _ in range(tries):
    try:
        ratelimit.take("upload", [council.pk])
        ok += 1
    except ratelimit.RateLimited:
        refused += 1
print(ok, refused, time.perf_counter() - t0)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procs", type=int, default=8)
    parser.add_argument("--tries", type=int, default=25)
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fgc-ratelimit-") as var:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fgc.config.settings.dev",
            "FGC_VAR_DIR": var,
            "FGC_UPLOAD_RATE": f"{args.limit}/hour",
        }
        subprocess.run([sys.executable, "-c", PREPARE], env=env, cwd=ROOT, check=True)
        start_at = time.time() + 3.0  # every process has started and connected by then
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(args.tries), str(start_at)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(args.procs)
        ]
        results = [p.communicate()[0].split() for p in procs]
    ok = sum(int(r[0]) for r in results)
    refused = sum(int(r[1]) for r in results)
    seconds = sum(float(r[2]) for r in results)
    expected = min(args.limit, args.procs * args.tries)
    print(f"{args.procs} processes x {args.tries} requests, limit {args.limit}/hour")
    print(f"let in: {ok} (expected {expected}); refused: {refused}")
    print(f"mean time per request: {1000 * seconds / (ok + refused):.1f} ms")
    print("PASS" if ok == expected else "FAIL: the limit was crossed or under-filled")


if __name__ == "__main__":
    main()
