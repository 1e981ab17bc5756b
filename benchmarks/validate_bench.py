"""`fgc validate` against the parse floor: one run, every stage side by side (issue 13).

Run by hand (not in CI):

    uv run --group bench python benchmarks/validate_bench.py [--rows 1000000] [--keep]

Generates a child-level CSV with ``fgc.synth`` and prints, for N rows: the parse floor
(``polars.read_csv`` of the file, every column as text), the ``fgc.formats`` read, validate,
writing the JSON report, the whole CLI as a subprocess (``uv run fgc validate FILE --format
json --output OUT``, wall time) and its ratio to the floor; then, at 100,000 rows, the CLI
against frictionless checking the same types, code lists and required fields. Each
measurement runs in its own process so its peak RSS is its own. Targets: CLI ≤ 3× the
floor at 1M rows; ≥ 20× faster than frictionless at 100k rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from frictionless_schema import frictionless_schema, time_frictionless

YEARS = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
REPO = Path(__file__).resolve().parent.parent


def _generate(path: Path, rows: int) -> int:
    from fgc.synth import generate

    # Scale the volume (not duplicate rows, which would all be findings) to reach the size.
    base = generate("all", YEARS, seed=7).height
    frame = generate("all", YEARS, seed=7, scale=1.02 * max(1.0, rows / base)).head(rows)
    frame.write_csv(path)
    return frame.height


def _peak_mb() -> float:
    # VmHWM is this process's own high-water mark; ru_maxrss carries over a fat parent's.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _floor(path: Path) -> dict[str, float]:
    t = time.perf_counter()
    frame = pl.read_csv(path, infer_schema=False)
    return {"floor_s": time.perf_counter() - t, "rows": frame.height, "floor_mb": _peak_mb()}


def _stages(path: Path, out: Path) -> dict[str, float]:
    from fgc.engine import report as rpt
    from fgc.engine.validate import validate
    from fgc.formats import read_table

    m: dict[str, float] = {}
    t = time.perf_counter()
    result = read_table(path)
    m["read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    report = validate(result.frame, unknown_columns=result.unknown_columns, source=path.name)
    m["validate_s"] = time.perf_counter() - t
    m["findings"] = report.findings.height
    t = time.perf_counter()
    with out.open("wb") as fh:  # as the CLI writes a report to a file
        rpt.write_json(report, fh)
    m["json_s"] = time.perf_counter() - t
    m["stages_mb"] = _peak_mb()
    return m


def _installed_env() -> dict[str, str]:
    """The environment of an ordinary install: Python keeps its bytecode caches.

    With PYTHONDONTWRITEBYTECODE set (as on some CI and sandbox machines) every run compiles
    the ~500 modules it imports from source, which doubles the start-up (1.2 s instead of
    0.6 s for a one-row file) and is not what an officer's installed copy does."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _cli(path: Path, out: Path) -> dict[str, float]:
    """Wall time and peak RSS of the whole command, as a council officer would run it."""
    cmd = ["uv", "run", "--quiet", "fgc", "validate", str(path), "--format", "json"]
    t = time.perf_counter()
    proc = subprocess.Popen([*cmd, "--output", str(out)], cwd=REPO, env=_installed_env())
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1 = the file has errors, still a report
        raise SystemExit(f"fgc validate exited {code}")
    # ru_maxrss of wait4 is the largest process in the tree (uv or the fgc python).
    return {"cli_s": wall, "cli_mb": usage.ru_maxrss / 1024}


_FLOOR_SCRIPT = """
import sys
import polars as pl
pl.read_csv(sys.argv[1], infer_schema=False)
"""


def _floor_process(path: Path) -> float:
    """Wall time of a fresh python importing polars and parsing the file: the floor as a
    whole process, like for like with the CLI's whole process."""
    cmd = [sys.executable, "-c", _FLOOR_SCRIPT, str(path)]
    t = time.perf_counter()
    subprocess.run(cmd, env=_installed_env(), check=True)
    return time.perf_counter() - t


def _fgc_process(path: Path, out: Path) -> float:
    """Wall time of the venv's ``fgc validate`` script (no ``uv run`` in front of it)."""
    script = Path(sys.executable).with_name("fgc")
    cmd = [str(script), "validate", str(path), "--format", "json", "--output", str(out)]
    t = time.perf_counter()
    code = subprocess.run(cmd, cwd=REPO, env=_installed_env(), check=False).returncode
    wall = time.perf_counter() - t
    if code not in (0, 1):
        raise SystemExit(f"fgc validate exited {code}")
    return wall


# frictionless's whole process: its import, the schema and the validate call, nothing of fgc.
_FRICTIONLESS_SCRIPT = """
import json, sys
from pathlib import Path
import frictionless
sample, schema_path = Path(sys.argv[1]), sys.argv[2]
schema = frictionless.Schema.from_descriptor(json.loads(Path(schema_path).read_text()))
resource = frictionless.Resource(path=sample.name, basepath=str(sample.parent), schema=schema)
report = frictionless.validate(resource, limit_errors=10**9)
print(len(report.tasks[0].errors))
"""


def _frictionless_process(sample: Path, schema_path: Path) -> float:
    """Wall time of a fresh python importing frictionless and validating (nan without it)."""
    try:
        import frictionless  # noqa: F401
    except ImportError:
        return float("nan")
    cmd = [sys.executable, "-c", _FRICTIONLESS_SCRIPT, str(sample), str(schema_path)]
    t = time.perf_counter()
    subprocess.run(cmd, env=_installed_env(), check=True, capture_output=True)
    return time.perf_counter() - t


def _child(*args: str) -> dict[str, float]:
    """Run one measurement in a fresh process, so imports and peak memory are its own."""
    proc = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _span(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def _repeat(path: Path, sample: Path, out: Path, schema: Path, runs: int) -> None:
    """The whole-process figures ``runs`` times, interleaved so a busy spell hits each
    alike, as ranges; each ratio is taken within one round."""
    rows: dict[str, list[float]] = {}
    for _ in range(runs):
        r = {
            "floor in process": _child("--floor", str(path))["floor_s"],
            "floor whole process": _floor_process(path),
            "uv run fgc validate": _cli(path, out)["cli_s"],
            ".venv/bin/fgc validate": _fgc_process(path, out),
            "fgc, 100k, whole process": _fgc_process(sample, out),
            "frictionless, 100k, whole process": _frictionless_process(sample, schema),
        }
        r["uv run ÷ floor in process"] = r["uv run fgc validate"] / r["floor in process"]
        r[".venv/bin/fgc ÷ floor whole process"] = (
            r[".venv/bin/fgc validate"] / r["floor whole process"]
        )
        r["frictionless ÷ fgc, 100k, whole process"] = (
            r["frictionless, 100k, whole process"] / r["fgc, 100k, whole process"]
        )
        for k, v in r.items():
            rows.setdefault(k, []).append(v)
    print(f"{runs} rounds, min–max:")
    for k, v in rows.items():
        unit = "×" if "÷" in k else " s"
        print(f"  {k:<48} {_span(v, 1 if unit == '×' else 2)}{unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample-rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--dir", type=Path, help="reuse the files a --keep run left here")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of the whole-process ratios (ranges)"
    )
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    parser.add_argument("--stages", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--frictionless", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.frictionless:
        print(json.dumps({"fr_s": time_frictionless(Path(args.frictionless))}))
        return

    if args.floor:
        print(json.dumps(_floor(Path(args.floor))))
        return
    if args.generate:  # in a child, so this process stays small and its children's RSS is theirs
        big, small, n, ns = args.generate
        t = time.perf_counter()
        rows = _generate(Path(big), int(n))
        pl.read_csv(big, infer_schema=False, n_rows=int(ns)).write_csv(small)
        print(json.dumps({"rows": rows, "gen_s": time.perf_counter() - t}))
        return
    if args.stages:
        print(json.dumps(_stages(Path(args.stages[0]), Path(args.stages[1]))))
        return

    workdir = args.dir or Path(tempfile.mkdtemp(prefix="fgc-validate-bench-"))
    path, sample = workdir / "fgc_big.csv", workdir / "fgc_sample.csv"
    out = workdir / "report.json"
    if args.dir is None:
        g = _child("--generate", str(path), str(sample), str(args.rows), str(args.sample_rows))
        size = path.stat().st_size / 1e6
        print(f"generated {int(g['rows']):,} rows ({size:.0f} MB) in {g['gen_s']:.1f} s")

    one = workdir / "fgc_one.csv"
    pl.read_csv(sample, infer_schema=False, n_rows=1).write_csv(one)
    _cli(one, out)  # warm-up: writes the bytecode caches, as any first run does
    start = _cli(one, out)
    m = _child("--floor", str(path)) | _child("--stages", str(path), str(out))
    m |= _cli(path, out)
    m["report_mb"] = out.stat().st_size / 1e6
    small = _cli(sample, out)
    small_stages = _child("--stages", str(sample), str(out))
    small_s = small_stages["read_s"] + small_stages["validate_s"] + small_stages["json_s"]
    fr_s = _child("--frictionless", str(sample))["fr_s"]
    schema_path = workdir / "frictionless_schema.json"
    schema_path.write_text(json.dumps(frictionless_schema()), encoding="utf-8")
    fgc_proc_s = _fgc_process(sample, out)
    fr_proc_s = _frictionless_process(sample, schema_path)

    n = int(m["rows"])
    lines = [
        (f"parse floor: polars.read_csv, all text ({n:,} rows)", m["floor_s"], m["floor_mb"]),
        ("fgc.formats.read_table", m["read_s"], None),
        (f"validate ({int(m['findings']):,} findings)", m["validate_s"], None),
        (f"JSON report write ({m['report_mb']:.0f} MB)", m["json_s"], m["stages_mb"]),
        ("whole CLI: uv run fgc validate --format json", m["cli_s"], m["cli_mb"]),
    ]
    print(f"{'stage':<50} {'seconds':>8} {'peak RSS':>10}")
    for label, secs, mb in lines:
        print(f"{label:<50} {secs:>8.2f} {'' if mb is None else f'{mb:,.0f} MB':>10}")
    print(f"{'CLI / floor':<50} {m['cli_s'] / m['floor_s']:>7.1f}×  (target ≤ 3×)")
    print(f"{'whole CLI, one-row file (start-up)':<50} {start['cli_s']:>8.2f}")
    ns = args.sample_rows
    print(f"{f'whole CLI, {ns:,} rows':<50} {small['cli_s']:>8.2f} {small['cli_mb']:>7,.0f} MB")
    print(f"(a) in process, imports excluded, {ns:,} rows")
    print(f"{'  fgc read + validate + JSON':<50} {small_s:>8.2f}")
    print(f"{'  frictionless validate call':<50} {fr_s:>8.2f}")
    print(f"{'  frictionless / fgc':<50} {fr_s / small_s:>7.1f}×  (target ≥ 20×)")
    print(f"(b) whole process, imports included, {ns:,} rows")
    print(f"{'  .venv/bin/fgc validate --format json':<50} {fgc_proc_s:>8.2f}")
    print(f"{'  python -c: import frictionless + validate':<50} {fr_proc_s:>8.2f}")
    print(f"{'  frictionless / fgc':<50} {fr_proc_s / fgc_proc_s:>7.1f}×  (target ≥ 20×)")
    if args.repeat > 1:
        _repeat(path, sample, out, schema_path, args.repeat)
    if args.keep or args.dir:
        print(f"files kept in {workdir}")
    else:
        for p in (path, sample, one, out, schema_path):
            p.unlink(missing_ok=True)
        workdir.rmdir()


if __name__ == "__main__":
    main()
