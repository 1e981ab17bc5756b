"""Insight: measures, equity, outcomes and benchmarking from accepted child-level returns.

Frames in, frames out; never imports Django. Public API::

    from fgc.engine.insight import compute_measures, benchmark
    result = compute_measures(frame, "2025-26")        # InsightResult (tables per group)
    table = benchmark(result, "805", period="2025-26")  # one row per measure
"""

from fgc.engine.insight.benchmark import benchmark
from fgc.engine.insight.compute import (
    COLUMNS,
    EQUITY_TOPICS,
    TOTAL,
    InsightResult,
    compute_measures,
)
from fgc.engine.insight.measures import Measure, all_measures, get_measure, measures_in

__all__ = [
    "COLUMNS",
    "EQUITY_TOPICS",
    "TOTAL",
    "InsightResult",
    "Measure",
    "all_measures",
    "benchmark",
    "compute_measures",
    "get_measure",
    "measures_in",
]
