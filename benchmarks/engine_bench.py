"""Engine benchmark: read, validate and aggregate a 1,000,000-row child-level file.

Run by hand (not in CI):

    uv run --group bench python benchmarks/engine_bench.py [--rows 1000000] [--keep]

Prints, from one run: the plain ``polars.read_csv`` time of the file (the floor), the
``fgc.formats`` read time, validate time, aggregate time, peak memory, and frictionless
checking the same types, code lists and required fields on a 100,000-row sample, scaled
per row. Targets (issue 2): validate ≤ 3× the plain read and ≤ 10 s; aggregate ≤ 2 s;
peak memory ≤ 2 GB; ≥ 20× faster per row than frictionless.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from frictionless_schema import time_frictionless

YEARS = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]


def _generate(path: Path, rows: int) -> int:
    from fgc.synth import generate

    # Five years of all 153 councils at the standard volume is ~270,000 rows; scale the
    # volume (not duplicate rows, which would all be findings) to reach the size asked for.
    base = generate("all", YEARS, seed=7).height
    frame = generate("all", YEARS, seed=7, scale=1.02 * max(1.0, rows / base)).head(rows)
    frame.write_csv(path)
    return frame.height


def _measure(path: Path, sample: Path) -> dict[str, float]:
    from fgc.engine.aggregate import aggregate
    from fgc.engine.validate import validate
    from fgc.formats import read_table

    out: dict[str, float] = {}

    t = time.perf_counter()
    result = read_table(path)
    out["fgc_read_s"] = time.perf_counter() - t

    t = time.perf_counter()
    report = validate(result.frame, unknown_columns=result.unknown_columns)
    out["validate_s"] = time.perf_counter() - t
    out["findings"] = report.findings.height

    t = time.perf_counter()
    agg = aggregate(result.frame, "2025-26")
    out["aggregate_s"] = time.perf_counter() - t
    out["aggregate_rows"] = agg.height

    # ru_maxrss is in KiB on Linux
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    sample_frame = pl.read_csv(sample, infer_schema=False)
    t = time.perf_counter()
    validate(sample_frame)
    out["fgc_sample_s"] = time.perf_counter() - t
    out["sample_rows"] = sample_frame.height
    return out


def _plain_read(path: Path) -> tuple[float, int]:
    t = time.perf_counter()
    plain = pl.read_csv(path, infer_schema=False)
    return time.perf_counter() - t, plain.height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample-rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--plain", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # child process: measure only, so peak memory excludes generation
        print(json.dumps(_measure(Path(args.measure[0]), Path(args.measure[1]))))
        return
    if args.plain:  # child process: the floor, kept out of the pipeline's peak memory
        print(json.dumps(_plain_read(Path(args.plain))))
        return

    workdir = Path(tempfile.mkdtemp(prefix="fgc-bench-"))
    path, sample = workdir / "fgc_1m.csv", workdir / "fgc_sample.csv"
    t = time.perf_counter()
    rows = _generate(path, args.rows)
    gen_s = time.perf_counter() - t
    pl.read_csv(path, infer_schema=False, n_rows=args.sample_rows).write_csv(sample)
    size_mb = path.stat().st_size / 1e6
    print(f"generated {rows:,} rows ({size_mb:.0f} MB) in {gen_s:.1f} s at {path}")

    proc = subprocess.run(
        [sys.executable, __file__, "--measure", str(path), str(sample)],
        capture_output=True,
        text=True,
        check=True,
    )
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    plain = subprocess.run(
        [sys.executable, __file__, "--plain", str(path)], capture_output=True, text=True, check=True
    )
    m["plain_read_s"], m["rows"] = json.loads(plain.stdout.strip().splitlines()[-1])
    fr_s = time_frictionless(sample)

    fgc_per_row = m["fgc_sample_s"] / m["sample_rows"]
    fr_per_row = fr_s / m["sample_rows"]
    lines = [
        ("rows", f"{int(m['rows']):,}"),
        ("plain polars.read_csv (floor)", f"{m['plain_read_s']:.2f} s"),
        ("fgc.formats.read_table", f"{m['fgc_read_s']:.2f} s"),
        ("validate", f"{m['validate_s']:.2f} s ({int(m['findings']):,} findings)"),
        ("validate / plain read", f"{m['validate_s'] / m['plain_read_s']:.1f}×  (target ≤ 3×)"),
        ("aggregate (2025-26)", f"{m['aggregate_s']:.2f} s  (target ≤ 2 s)"),
        ("peak memory (read + validate + aggregate)", f"{m['peak_mb']:.0f} MB  (target ≤ 2048 MB)"),
        (
            f"fgc validate, {int(m['sample_rows']):,}-row sample",
            f"{m['fgc_sample_s']:.3f} s = {fgc_per_row * 1e6:.2f} µs/row",
        ),
        (
            f"frictionless, {int(m['sample_rows']):,}-row sample",
            f"{fr_s:.1f} s = {fr_per_row * 1e6:.1f} µs/row",
        ),
        ("per-row speed-up vs frictionless", f"{fr_per_row / fgc_per_row:.0f}×  (target ≥ 20×)"),
    ]
    width = max(len(k) for k, _ in lines)
    for k, v in lines:
        print(f"{k:<{width}}  {v}")
    if not args.keep:
        path.unlink()
        sample.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
