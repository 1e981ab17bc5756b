"""The `fgc validate` process outside the reader and validate: start-up, report, exit (issue 13).

Run by hand (not in CI):

    uv run python benchmarks/cli_process_bench.py FILE [--runs 7] [--old DIR]

Runs ``fgc validate FILE --format json --output OUT`` in fresh processes, alternating with
``python -c "import polars"`` (the floor no CLI can go under) and, with ``--old DIR`` (a copy
of an older ``fgc`` package, e.g. ``git archive HEAD~1 fgc | tar -x -C DIR``), the same
command with that copy first on ``PYTHONPATH``; prints wall and CPU (user + system) seconds
of each, as min-max over the runs, and the seconds from the report written (its mtime) to the
process gone. Byte-code caching is switched on for the children (an
installed package has its ``.pyc`` files; ``PYTHONDONTWRITEBYTECODE=1`` would have every run
compile every module from source, ~0.6 s) and one warm-up run of each writes them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FGC = Path(sys.executable).with_name("fgc")


def _run(argv: list[str], env: dict[str, str], out: Path) -> tuple[float, float, float, int]:
    """Wall and CPU seconds of one child process, seconds from its report last written
    (the file's mtime) to the process gone, and its exit code."""
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    gone, wall = time.time(), time.perf_counter() - start
    exit_s = gone - out.stat().st_mtime if out.exists() else 0.0
    return wall, usage.ru_utime + usage.ru_stime, exit_s, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--old", type=Path, help="directory holding an older fgc package")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = Path(tempfile.mkdtemp()) / "report.json"
    command = [str(FGC), "validate", str(args.file), "--format", "json", "--output", str(out)]
    variants: dict[str, tuple[list[str], dict[str, str]]] = {
        "import polars": ([sys.executable, "-c", "import polars"], env),
        "fgc validate": (command, env),
    }
    if args.old is not None:
        old_env = {**env, "PYTHONPATH": str(args.old.resolve())}
        variants["fgc validate (old)"] = (command, old_env)

    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    for argv, child_env in variants.values():
        _run(argv, child_env, out)  # warm-up: writes the .pyc files
    for _ in range(args.runs):
        for name, (argv, child_env) in variants.items():
            wall, cpu, exit_s, code = _run(argv, child_env, out)
            times[name].append((wall, cpu, exit_s))
    print(f"{args.file.name}: {args.runs} runs each, alternating (exit code of the last: {code})")
    for name, runs in times.items():
        walls, cpus, exits = (sorted(r[i] for r in runs) for i in range(3))
        mid = len(runs) // 2
        print(
            f"  {name:<20} wall {walls[0]:.3f}-{walls[-1]:.3f} s (median {walls[mid]:.3f})"
            f"  cpu {cpus[0]:.3f}-{cpus[-1]:.3f} s (median {cpus[mid]:.3f})"
            + (f"  report to exit {exits[0]:.3f}-{exits[-1]:.3f} s" if exits[-1] else "")
        )


if __name__ == "__main__":
    main()
