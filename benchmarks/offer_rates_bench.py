"""Offers per 10,000 children in need in ``benchmark()``: what the rate rows cost.

    uv run python benchmarks/offer_rates_bench.py [--scale 1.0] [--repeat 3]

Synthetic data for every council (``fgc.synth``), one year. Prints the range over
``--repeat`` runs of ``offer_rates`` + ``area_offer_rates`` alone and of the whole
``benchmark()`` (raw, and with published values as the pages call it), and how far the
council's place moves when offers are ranked per child in need rather than by count.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.insight import benchmark, compute_measures
from fgc.engine.insight.benchmark import rank_values
from fgc.engine.insight.published import published_provider
from fgc.engine.insight.rates import area_offer_rates, offer_rates
from fgc.synth import generate

YEAR = "2025-26"


def _timed(label: str, repeat: int, fn: Callable[[], object]) -> None:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    print(f"{label:<48} {min(runs) * 1000:8.1f} – {max(runs) * 1000:8.1f} ms  ({repeat} runs)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    result = compute_measures(type_frame(generate("all", [YEAR], seed=7, scale=args.scale)))
    published = published_provider(result)
    published(YEAR)  # the release is built once and cached, as on the pages
    rates = offer_rates(result, YEAR)
    print(f"councils with offers: {rates.height}")
    _timed(
        "offer_rates + area_offer_rates",
        args.repeat,
        lambda: area_offer_rates(result, YEAR, councils=offer_rates(result, YEAR)),
    )
    _timed("benchmark(805), raw", args.repeat, lambda: benchmark(result, "805", period=YEAR))
    _timed(
        "benchmark(805), published (as the pages)",
        args.repeat,
        lambda: benchmark(result, "805", period=YEAR, published=published),
    )
    by_count = rank_values(
        dict(zip(rates["la_code"], rates["families_offered"].cast(pl.Float64), strict=True)),
        "high_good",
    )
    by_rate = rank_values(
        {
            c: v
            for c, v in zip(rates["la_code"], rates["families_offered_per_10k_cin"], strict=True)
            if v is not None
        },
        "high_good",
    )
    moves = sorted(abs(by_count[c] - by_rate[c]) for c in by_rate)
    print(
        f"place by count vs by rate: median move {moves[len(moves) // 2]}, "
        f"largest {moves[-1]} of {len(moves)} councils"
    )


if __name__ == "__main__":
    main()
