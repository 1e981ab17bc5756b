"""`fgc validate --stream` on a file too large for memory: wall time and peak RSS (issue 13).

Run by hand (not in CI):

    uv run python benchmarks/stream_bench.py [--rows 10000000] [--repeat 3] [--keep DIR]

Generates a child-level CSV with ``fgc.synth`` (one synthetic base of ``--base-rows`` rows,
written again and again with the episode and child ids made unique per copy, so the file
grows on disk while the generator stays small), then runs the whole command as a
subprocess, ``fgc validate --stream FILE -f json -o OUT``, and prints its wall time and peak
RSS (``ru_maxrss`` of the child, from ``wait4``). Beside it, at ``--compare-rows`` (1M),
the same file through the stream path and the in-memory path. Target: peak RSS < 2 GB at
10M rows, findings identical (the tests check that; here the two reports at 1M are compared).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

YEARS = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
FGC = Path(sys.executable).parent / "fgc"  # the installed script, not `uv run` (its own RSS)


def _generate(path: Path, rows: int, base_rows: int) -> None:
    """Write ``rows`` rows, a copy of the base at a time (ids suffixed by the copy number)."""
    from fgc.synth import generate

    size = generate("all", YEARS, seed=7).height
    base = generate("all", YEARS, seed=7, scale=1.02 * max(1.0, base_rows / size)).head(base_rows)
    written = 0
    with path.open("wb") as fh:
        copy = 0
        while written < rows:
            part = base.head(rows - written).with_columns(
                pl.col("episode_id") + f"-{copy}", pl.col("child_id") + f"-{copy}"
            )
            part.write_csv(fh, include_header=copy == 0)
            written += part.height
            copy += 1


def _cli(path: Path, out: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one `fgc validate` run."""
    cmd = [str(FGC), "validate", str(path), "-f", "json", "-o", str(out), *extra]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1 = the file has errors, still a report
        raise SystemExit(f"fgc validate exited {code}")
    return wall, usage.ru_maxrss / 1024


def _measure(label: str, path: Path, out: Path, repeat: int, *extra: str) -> None:
    runs = [_cli(path, out, *extra) for _ in range(repeat)]
    walls = [w for w, _ in runs]
    peak = max(m for _, m in runs)
    findings = json.loads(out.read_text(encoding="utf-8"))
    count = findings["error_count"] + findings["query_count"]
    print(
        f"{label:<44} {min(walls):>7.1f}–{max(walls):<7.1f} s {peak:>8,.0f} MB  "
        f"({count:,} findings, {out.stat().st_size / 1e6:,.0f} MB report, {repeat} runs)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--compare-rows", type=int, default=1_000_000)
    parser.add_argument("--base-rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="work in this folder and keep the files")
    parser.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate:  # in a child, so the generator's memory is not this process's
        _generate(Path(args.generate[0]), int(args.generate[1]), int(args.generate[2]))
        return
    work = Path(args.keep or tempfile.mkdtemp(prefix="fgc-stream-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sizes = [(args.compare_rows, "compare"), (args.rows, "big")]
        for rows, name in sizes:
            path = work / f"fgc_{rows}.csv"
            if not path.exists():
                t = time.perf_counter()
                gen = [str(path), str(rows), str(args.base_rows)]
                subprocess.run([sys.executable, __file__, "--generate", *gen], check=True)
                print(
                    f"generated {rows:,} rows ({path.stat().st_size / 1e6:,.0f} MB) in "
                    f"{time.perf_counter() - t:.0f} s",
                    flush=True,
                )
            out = work / f"report_{rows}.json"
            if name == "compare":
                mem = work / f"report_{rows}_memory.json"
                _measure(f"in memory, {rows:,} rows", path, mem, args.repeat)
                _measure(f"--stream, {rows:,} rows", path, out, args.repeat, "--stream")
                same = out.read_bytes() == mem.read_bytes()
                print(f"{'stream report == in-memory report':<44} {same}", flush=True)
            else:
                _measure(f"--stream, {rows:,} rows", path, out, args.repeat, "--stream")
    finally:
        if not args.keep:
            for p in work.iterdir():
                p.unlink()
            work.rmdir()


if __name__ == "__main__":
    main()
