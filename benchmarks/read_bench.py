"""`fgc.formats.read_table` on a CSV against the parse floor (issue 13), each in a fresh process.

Run by hand (not in CI):

    uv run --group bench python benchmarks/read_bench.py [--rows 1000000] [--runs 3]
        [--file PATH] [--repo OTHER_CHECKOUT] [--profile]

Generates the child-level CSV of ``validate_bench`` (or reuses ``--file``, kept between runs
at ``$TMPDIR/fgc-read-bench-<rows>.csv``) and prints, for each run, the parse floor
(``polars.read_csv(path, infer_schema=False)``) and ``read_table(path)``, each in its own
process so neither warms the other's caches or memory. ``--repo`` times the read of another
checkout (for example the base commit in a temporary worktree) against the same file.
``--profile`` prints the time of each stage of the read, in one process; ``--quoted`` reads a
copy with quoted values, which takes the exact row-width count instead of the even-rows one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _floor(path: Path) -> dict[str, float]:
    import polars as pl

    t = time.perf_counter()
    frame = pl.read_csv(path, infer_schema=False)
    return {"s": time.perf_counter() - t, "rows": frame.height, "rss": _peak_rss_mb()}


def _read(path: Path) -> dict[str, float]:
    from fgc.formats import read_table

    t = time.perf_counter()
    result = read_table(path)
    return {"s": time.perf_counter() - t, "rows": result.frame.height, "rss": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    """The process's peak resident memory (file pages polars maps count too)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _profile(path: Path) -> None:
    """Time each stage of read_table as it runs today, to see where the read goes."""
    import fgc.formats.csv_reader as cr
    import fgc.formats.encoding as enc
    import fgc.formats.reader as rd
    import fgc.formats.table as tb

    stages: dict[str, float] = {}

    def timed(module: object, name: str, label: str) -> None:
        inner = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            t = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                stages[label] = stages.get(label, 0.0) + time.perf_counter() - t

        setattr(module, name, wrapper)

    for module, name, label in (
        (rd, "_read_csv_on_disk", "on disk (>= 64 MB): all"),
        (cr, "scan_csv_file", "  of which counts in pieces"),
        (cr, "_polars_grid", "polars parse (any path)"),
        (rd, "_read_bytes", "read the bytes"),
        (rd, "check_csv_size", "size + line-length check"),
        (cr, "count_csv_bytes", "  of which one-pass byte counts"),
        (cr, "decode_text", "decode / encoding check"),
        (cr, "check_text", "encoding check"),
        (cr, "_read_even", "even rows: counts + parse"),
        (cr, "_count_bytes", "  comma/line counts (not shared)"),
        (cr, "_record_widths_chunked", "row widths (numpy, exact)"),
        (cr, "_check_widths", "width messages"),
        (cr, "parse_records", "polars parse (exact path)"),
        (rd, "check_grid", "check_grid (cell length)"),
        (tb, "drop_blank_rows", "blank-row drop"),
        (rd, "build_table", "build_table (all)"),
    ):
        if hasattr(module, name):
            timed(module, name, label)
    del enc
    t = time.perf_counter()
    import numpy  # imported by the read of a large file: timed apart from the stage needing it

    stages["numpy import (files > 4 MB)"] = time.perf_counter() - t
    del numpy
    rd.read_table(path)
    total = time.perf_counter() - t
    for label, secs in stages.items():
        print(f"  {label:<30} {secs:6.2f} s")
    print(f"  {'read_table total':<30} {total:6.2f} s")


def _child(repo: Path, *args: str) -> dict[str, float]:
    """One measurement in a fresh process of ``repo``'s environment."""
    proc = subprocess.run(
        ["uv", "run", "--quiet", "python", str(Path(__file__).resolve()), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, help="the CSV to read (generated if missing)")
    parser.add_argument("--repo", type=Path, action="append", help="another checkout to time")
    parser.add_argument("--profile", action="store_true", help="time each stage of the read")
    parser.add_argument(
        "--quoted", action="store_true", help='read a copy where stage CIN is "CIN, note"'
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, file = args.child
        print(json.dumps((_floor if kind == "floor" else _read)(Path(file))))
        return

    path = args.file or Path(tempfile.gettempdir()) / f"fgc-read-bench-{args.rows}.csv"
    if not path.exists():
        sys.path.insert(0, str(REPO / "benchmarks"))
        from validate_bench import _generate

        t = time.perf_counter()
        _generate(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - t:.0f} s")
    if args.quoted:  # a quoted value with a comma in about a third of the rows: the exact path
        quoted = path.with_name(f"{path.stem}-quoted.csv")
        if not quoted.exists():
            quoted.write_bytes(path.read_bytes().replace(b",CIN,", b',"CIN, note",'))
        path = quoted
    print(f"{path}: {path.stat().st_size / 1e6:.0f} MB")
    if args.profile:
        _profile(path)
        return

    repos = [REPO, *(args.repo or [])]
    times: dict[str, list[float]] = {"floor": []} | {f"read_table {r}": [] for r in repos}
    rss: dict[str, float] = dict.fromkeys(times, 0.0)

    def measure(label: str, repo: Path, kind: str) -> None:
        result = _child(repo, "--child", kind, str(path))
        times[label].append(result["s"])
        rss[label] = max(rss[label], result.get("rss", 0.0))

    for _ in range(args.runs):  # interleaved, so machine load falls on every measurement alike
        measure("floor", REPO, "floor")
        for r in repos:
            measure(f"read_table {r}", r, "read")
    floor = min(times["floor"])
    for label, secs in times.items():
        runs = " ".join(f"{s:.2f}" for s in secs)
        ratio = min(secs) / floor
        print(
            f"{label:<60} {min(secs):5.2f}–{max(secs):5.2f} s  ({runs})  ×{ratio:.2f}"
            f"  peak RSS {rss[label]:,.0f} MB"
        )


if __name__ == "__main__":
    main()
