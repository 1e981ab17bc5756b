"""The cross-row rules (FGC012, FGC013) in stream mode: what each keeps for every row of
the file and how its screen is written over those columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from fgc.engine.rules.episodes import (
    CHILD,
    DUPLICATE,
    EPISODE,
    FAMILY_AGREES,
    duplicate_key,
    family_fields,
    family_hash,
)
from fgc.engine.rules.model import RuleContext
from fgc.standard import Standard


@dataclass(frozen=True)
class StreamKey:
    """How a screened rule is screened over the whole file: ``keys`` are small per-row
    columns kept for every row, ``suspect`` is the rule's screen written over those columns
    (the same expression as the rule's own screen), ``columns`` the text its exact checks read.
    """

    keys: Callable[[RuleContext], list[pl.Expr]]
    suspect: pl.Expr
    columns: Callable[[Standard], tuple[str, ...]]


def _dup_keys(ctx: RuleContext) -> list[pl.Expr]:
    key = duplicate_key(ctx)  # the rule's own screen key
    both = ctx.present(EPISODE) & ctx.present(CHILD)
    return [key.alias("__k_dup"), both.alias("__k_dup_present")]


def _family_keys(ctx: RuleContext) -> list[pl.Expr]:
    h = family_hash(ctx)  # the rule's own screen hash
    return [h.alias("__k_fam"), ctx.present(EPISODE).alias("__k_ep_present")]


# Kept for every row whatever the rules: the episode's hash, by which suspect rows are split
# into buckets (and partitioned, as in episodes._family_screen).
_EP_KEY = "__k_ep"
_fam, _ep = pl.col("__k_fam"), pl.col(_EP_KEY)

STREAM_KEYS: dict[str, StreamKey] = {
    DUPLICATE.code: StreamKey(
        keys=_dup_keys,
        suspect=pl.col("__k_dup_present") & pl.col("__k_dup").is_duplicated(),
        columns=lambda std: (EPISODE, CHILD),
    ),
    FAMILY_AGREES.code: StreamKey(
        keys=_family_keys,
        suspect=pl.col("__k_ep_present") & (_fam.min().over(_ep) != _fam.max().over(_ep)),
        columns=lambda std: (EPISODE, CHILD, *family_fields(std)),
    ),
}
