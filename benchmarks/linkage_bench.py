"""Linkage benchmark: a national year of FGC children against the SSDA903 episodes.

Run by hand (not in CI):

    uv run python benchmarks/linkage_bench.py [--children 1000000] [--episodes 3000000]

Builds typed frames in memory (synthetic: each child's episodes run back to back from a
random start, with realistic legal statuses and placements), then times ``link`` deriving
every outcome for every child. Target (issue 10): under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import polars as pl

from fgc.engine.linkage.outcomes import link
from fgc.standard import load_standard


def _pick(options: list[str], seed: int) -> pl.Expr:
    """A deterministic pseudo-random choice per row (hash of the row number)."""
    i = (pl.int_range(pl.len()).hash(seed) % len(options)).cast(pl.Int64)
    return pl.lit(pl.Series(options)).get(i)


def _days(seed: int, span: int) -> pl.Expr:
    return (pl.int_range(pl.len()).hash(seed) % span).cast(pl.Int64)


def fgc_frame(n: int) -> pl.DataFrame:
    start = pl.lit(date(2023, 4, 1)) + pl.duration(days=_days(1, 730))
    in_plo = (pl.int_range(pl.len()).hash(2) % 10) < 3
    frame = (
        pl.select(pl.int_range(n).alias("i"))
        .with_columns(
            _pick(["805", "806", "807", "808"], 3).alias("la_code"),
            ("E" + pl.col("i").cast(pl.Utf8)).alias("episode_id"),
            ("C" + pl.col("i").cast(pl.Utf8).str.zfill(7)).alias("child_id"),
            pl.when(in_plo).then(pl.lit("PLO")).otherwise(pl.lit("CIN")).alias("stage"),
            pl.when(in_plo).then(start).otherwise(None).cast(pl.Utf8).alias("lbp_date"),
            start.cast(pl.Utf8).alias("offer_date"),
            _pick(["ACCEPTED", "DECLINED"], 4).alias("offer_response"),
            (pl.lit(date(2010, 1, 1)) + pl.duration(days=_days(5, 4000)))
            .cast(pl.Utf8)
            .alias("date_of_birth"),
            _pick(["M", "F"], 6).alias("sex"),
            _pick(["WBRI", "BAFR", "MWBC"], 7).alias("ethnicity"),
            pl.lit("NONE").alias("disability"),
        )
        .drop("i")
    )
    names = load_standard().field_names
    return frame.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias(c) for c in names if c not in frame.columns
    )


def episodes_frame(n: int) -> pl.DataFrame:
    """n episodes, three per child for the first n / 3 children, back to back."""
    per = 3
    k = pl.col("i") % per
    first = pl.lit(date(2023, 1, 1)) + pl.duration(
        days=(pl.col("kid").hash(8) % 900).cast(pl.Int64)
    )
    decom = first + pl.duration(days=k * 200)
    length = (pl.int_range(pl.len()).hash(9) % 180 + 20).cast(pl.Int64)
    return (
        pl.select(pl.int_range(n).alias("i"))
        .with_columns((pl.col("i") // per).alias("kid"))
        .with_columns(
            ("C" + pl.col("kid").cast(pl.Utf8).str.zfill(7)).alias("CHILD"),
            decom.alias("DECOM"),
            pl.when(k == per - 1)
            .then(None)
            .otherwise(decom + pl.duration(days=length))
            .alias("DEC"),
            pl.when(k == 0).then(pl.lit("S")).otherwise(_pick(["P", "L", "B"], 10)).alias("RNE"),
            _pick(["V2", "C1", "C2", "E1", "L2"], 11).alias("LS"),
            _pick(["U1", "U3", "U4", "U6", "K2", "P1", "R1", "H5"], 12).alias("PLACE"),
        )
        .select("CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE")
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--children", type=int, default=1_000_000)
    ap.add_argument("--episodes", type=int, default=3_000_000)
    args = ap.parse_args()
    t = time.perf_counter()
    fgc = fgc_frame(args.children)
    ep = episodes_frame(args.episodes)
    built = time.perf_counter() - t
    print(f"built {fgc.height:,} FGC rows and {ep.height:,} episodes in {built:.1f} s")
    t = time.perf_counter()
    result = link(fgc, ep, as_at=date(2026, 6, 30))
    took = time.perf_counter() - t
    la12 = result.outcomes["looked_after_12m"].value_counts().sort("looked_after_12m")
    print(
        f"link + every outcome: {took:.2f} s for {result.outcomes.height:,} children "
        f"({result.report.found_in_ssda903:,} with episodes); target < 10 s"
    )
    print(la12)


if __name__ == "__main__":
    main()
