"""CPU of typing a file's date columns with and without polars' distinct-string cache.

    uv run python benchmarks/date_parse_bench.py FILE.csv [RUNS]

Alternates the two parses and prints each run's CPU seconds (``time.process_time``), and
whether they agree.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import polars as pl

from fgc.engine.coerce import DATE_FORMAT, date_expr
from fgc.formats import read_table
from fgc.standard import load_standard


def main() -> None:
    frame = read_table(Path(sys.argv[1])).frame
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    names = [f.name for f in load_standard().fields if f.type == "date" and f.name in frame.columns]

    def cached(name: str) -> pl.Expr:
        return pl.col(name).str.strptime(pl.Date, DATE_FORMAT, strict=False, exact=True)

    times: dict[str, list[float]] = {"cached": [], "date_expr": []}
    out: dict[str, pl.DataFrame] = {}
    for _ in range(runs):
        for label, expr in (("cached", cached), ("date_expr", date_expr)):
            start = time.process_time()
            out[label] = frame.select([expr(n).alias(n) for n in names])
            times[label].append(time.process_time() - start)
    for label, ts in times.items():
        print(f"{label:>9}: {' '.join(f'{t:.3f}' for t in ts)} s CPU ({len(names)} columns)")
    print("agree:", out["cached"].equals(out["date_expr"]))


if __name__ == "__main__":
    main()
