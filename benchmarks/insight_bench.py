"""Insight benchmark: all measures for 153 councils x 5 years (about 1M child rows).

    uv run python benchmarks/insight_bench.py [--scale 4.0]

Target (issue 6): compute_measures over the accepted data in <= 5 s on a 2-core machine.
Prints timings and the figures for one synthetic council (805) and England.
"""

from __future__ import annotations

import argparse
import time

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.insight import benchmark, compute_measures
from fgc.synth import generate

YEARS = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]


def main() -> None:
    ap = argparse.ArgumentParser()
    # ≈4× today's national volume gives the issue's ≈1M rows (153 councils × 5 years)
    ap.add_argument("--scale", type=float, default=4.0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    text = generate("all", YEARS, seed=7, scale=args.scale)
    t1 = time.perf_counter()
    typed = type_frame(text)  # accepted data are stored typed; typing is not part of the target
    t2 = time.perf_counter()
    result = compute_measures(typed)
    t3 = time.perf_counter()
    bench = benchmark(result, "805", period=YEARS[-1])
    t4 = time.perf_counter()
    print(f"rows: {text.height:,}  councils: {text['la_code'].n_unique()}  years: {len(YEARS)}")
    print(
        f"generate {t1 - t0:.2f}s  type {t2 - t1:.2f}s  compute_measures {t3 - t2:.2f}s  "
        f"benchmark(805) {t4 - t3:.3f}s"
    )
    print(f"result rows: {sum(t.height for t in result.tables.values()):,}")
    show = [
        "offered_families",
        "acceptance_rate_families",
        "offer_to_fgc_rate_families",
        "days_referral_conference",
        "within_12_weeks",
        "offer_in_lbp_rate",
        "looked_after_12m_held",
        "looked_after_12m_declined",
    ]
    with pl.Config(tbl_rows=20, tbl_width_chars=140, fmt_str_lengths=50):
        print(
            bench.filter(pl.col("measure").is_in(show)).select(
                "measure", "la_value", "neighbour_avg", "region", "england", "rank", "of_n", "band"
            )
        )
    print("PASS" if t3 - t2 <= 5.0 else "SLOWER THAN 5 s TARGET")


if __name__ == "__main__":
    main()
