"""Per-request work of the insight pages against a cached result (target: p95 < 300 ms).

    uv run python benchmarks/insight_pages.py [--years 5] [--runs 30]

Computes all measures for every council over the years once (the cold path the cache
absorbs), saves/loads the parquet cache, then times what a dashboard request does with the
cached result: the council dashboard's sections, the national tables and a measure page.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fgc.config.settings.test")
    django.setup()
    from fgc.engine.insight import InsightResult, compute_measures
    from fgc.insight_web import presenters
    from fgc.insight_web.published import published_values, release_for
    from fgc.synth import generate

    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2025 - args.years + 1, 2026)]
    frame = generate("all", years, seed=1)
    t = time.perf_counter()
    result = compute_measures(frame, None)
    print(f"rows {frame.height:,}; compute_measures {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    published = {p: published_values(result, p, release_for(result, p)) for p in result.periods}
    print(f"publication + published values, {len(years)} years: {time.perf_counter() - t:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        result.save(tmp)
        t = time.perf_counter()
        result = InsightResult.load(tmp)
        print(f"load cached result from parquet: {(time.perf_counter() - t) * 1000:.0f} ms")
    period = result.periods[-1]

    def timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{label}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms")

    def council() -> None:
        ctx = presenters.Context(result, published, "805", period, own=True)
        presenters.council_sections(ctx)

    timed("council dashboard (sections)", council)
    timed(
        "national tables",
        lambda: (
            presenters.regions_table(published[period]),
            presenters.councils_table(
                published[period], result, "acceptance_rate_families", period
            ),
        ),
    )


if __name__ == "__main__":
    main()
