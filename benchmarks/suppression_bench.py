"""Disclosure-control benchmark: how much the national release suppresses.

    uv run python benchmarks/suppression_bench.py [--period 2025-26] [--seed 7]

Builds the national release for every synthetic council through the same path as
``fgc publish`` (compute_measures → publication_tables → publish) and prints the number of
published cells, primary and secondary suppressions (per table) and the checker's verdict.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from fgc.engine.disclosure import DisclosureConfig, publish
from fgc.engine.insight import compute_measures
from fgc.engine.insight.release import publication_tables
from fgc.synth import generate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--period", default="2025-26")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    t0 = time.perf_counter()
    frame = generate("all", [args.period], seed=args.seed)
    result = compute_measures(frame, args.period)
    specs = publication_tables(result, args.period)
    t1 = time.perf_counter()
    pub = publish(specs, args.period, DisclosureConfig())
    t2 = time.perf_counter()
    res, check = pub.suppression, pub.check
    # one decision per (table, cell); a cell shared by several tables counts once
    kinds = {(d.indicator, d.area, d.filters): d.kind for d in res.decisions}
    per_table = Counter((d.table, d.kind) for d in res.decisions)
    total = Counter(kinds.values())
    print(f"councils: {frame['la_code'].n_unique()}  child rows: {frame.height:,}")
    print(
        f"cells: {check.cells:,}  primary: {total['primary']:,}  "
        f"secondary: {total['secondary']:,}  hidden: {check.hidden:,}"
    )
    for name in (s.name for s in specs):
        print(
            f"  {name:34} primary {per_table[(name, 'primary')]:5}  "
            f"secondary {per_table[(name, 'secondary')]:5}"
        )
    print(f"data {t1 - t0:.1f}s  suppress+check {t2 - t1:.1f}s")
    print("checker: PASS" if check.ok else f"checker: FAIL ({len(check.disclosures)} recovered)")
    for d in check.disclosures[:10]:
        print("  ", d.describe())


if __name__ == "__main__":
    main()
