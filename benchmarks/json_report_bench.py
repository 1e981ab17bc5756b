"""Writing `fgc validate`'s JSON report to a file, and the process's exit after it (issue 13).

Run by hand (not in CI):

    uv run python benchmarks/json_report_bench.py FILE [--runs 5] [--old DIR]

Each run is a fresh process that reads and validates FILE as ``fgc validate`` does, then
writes the report once with the CLI's own ``_write`` (cold, as in the CLI) and prints that
stage's wall and CPU seconds, and the seconds from the report written to the process gone
(the interpreter freeing the frames at exit, seen from the parent). With ``--old DIR`` (a
copy of an older ``fgc`` package, e.g. ``git archive HEAD~1 fgc | tar -x -C DIR``) the runs
alternate between that copy (first on ``PYTHONPATH``) and this checkout.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import sys, time
from pathlib import Path
from fgc.cli.validate_cmd import _write
from fgc.engine.validate import validate
from fgc.formats import read_table

result = read_table(Path(sys.argv[1]))
report = validate(result.frame, unknown_columns=result.unknown_columns, source=result.source)
wall, cpu = time.perf_counter(), time.process_time()
_write(report, "json", Path(sys.argv[2]))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(f"{wall:.4f} {cpu:.4f} {report.findings.height} {time.time():.6f}", flush=True)
"""


def _once(file: Path, out: Path, env: dict[str, str]) -> tuple[float, float, int, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(file), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=out.parent,  # not the checkout: `-c` puts the working directory first on sys.path
    )
    gone = time.time()
    wall, cpu, findings, written = proc.stdout.split()
    return float(wall), float(cpu), int(findings), gone - float(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--old", type=Path, help="directory holding an older fgc package")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    variants = {"new": env}
    if args.old is not None:
        variants = {"old": {**env, "PYTHONPATH": str(args.old.resolve())}, **variants}
    out = Path(tempfile.mkdtemp()) / "report.json"
    results: dict[str, list[tuple[float, float, int, float]]] = {k: [] for k in variants}
    for _ in range(args.runs):
        for name, child_env in variants.items():
            results[name].append(_once(args.file, out, child_env))
    for name, runs in results.items():
        walls, cpus, exits = (sorted(r[i] for r in runs) for i in (0, 1, 3))
        print(
            f"{name}: {runs[0][2]:,} findings, {out.stat().st_size / 1e6:.1f} MB; write wall "
            f"{walls[0]:.3f}-{walls[-1]:.3f} s, cpu {cpus[0]:.3f}-{cpus[-1]:.3f} s; "
            f"report written to process gone {exits[0]:.3f}-{exits[-1]:.3f} s"
        )


if __name__ == "__main__":
    main()
