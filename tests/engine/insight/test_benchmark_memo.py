"""benchmark() keeps each period's figures for the next council: never one council's view
in another's (a council's own unsuppressed figures, a national viewer's published ones)."""

from __future__ import annotations

import sys

import polars as pl
import pytest

from fgc.engine.coerce import type_frame
from fgc.engine.insight import InsightResult, benchmark, compute_measures
from fgc.engine.insight.benchmark import RATE_ROWS, forget_period_figures
from fgc.engine.insight.published import published_provider
from fgc.synth import generate

PERIOD = "2025-26"


@pytest.fixture(scope="module")
def result() -> InsightResult:
    return compute_measures(type_frame(generate("all", [PERIOD], seed=11, scale=0.3)))


def test_each_council_and_viewer_gets_what_a_fresh_call_gives(result: InsightResult) -> None:
    published = published_provider(result)
    codes = sorted(set(result.tables["funnel"]["la_code"].drop_nulls()) - {"E92000001"})[:40]
    pub = published(PERIOD)
    # The data must hold hidden and rounded councils, or the test could not fail.
    assert (pub["published"] == "c").any()
    for i, code in enumerate(codes):
        for own in (i % 2 == 0, i % 2 == 1):
            memo = benchmark(result, code, period=PERIOD, published=published, own=own)
            forget_period_figures()
            fresh = benchmark(result, code, period=PERIOD, published=published, own=own)
            assert memo.equals(fresh), (code, own)
            # Leave the figures kept for the next council, as a web process would.
            benchmark(result, codes[-1 - i], period=PERIOD, published=published, own=not own)


def test_a_new_result_or_published_frame_is_not_served_old_figures(
    result: InsightResult,
) -> None:
    published = published_provider(result)
    code = sorted(set(result.tables["funnel"]["la_code"].drop_nulls()) - {"E92000001"})[0]
    before = benchmark(result, code, period=PERIOD, published=published, own=False)
    # The same figures, each published value hidden: a new frame must be read afresh.
    frame = published(PERIOD).with_columns(
        pl.lit("c").alias("published"), pl.lit(None, dtype=pl.Float64).alias("pvalue")
    )
    after = benchmark(result, code, period=PERIOD, published=lambda _p: frame, own=False)
    assert not before.equals(after)
    # England from the new frame (the per-10k rows come from rounded area counts instead).
    counted = after.filter(~pl.col("measure").is_in(list(RATE_ROWS)))
    assert counted["england"].is_null().all()


def test_the_next_council_of_a_period_reuses_its_figures(
    result: InsightResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The package's name `benchmark` is the function; the module is in sys.modules.
    module = sys.modules["fgc.engine.insight.benchmark"]

    calls: list[str] = []
    compute = module._compute_period_figures

    def counted(*args: object) -> object:
        calls.append(str(args[1]))
        return compute(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "_compute_period_figures", counted)
    forget_period_figures()
    published = published_provider(result)
    codes = sorted(set(result.tables["funnel"]["la_code"].drop_nulls()) - {"E92000001"})[:3]
    for code in codes:
        # Each request parses its own period string: equal, not the same object.
        period = "".join(list(PERIOD))
        benchmark(result, code, period=period, published=published, own=False)
    assert calls == [PERIOD]
