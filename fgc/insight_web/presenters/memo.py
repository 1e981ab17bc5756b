"""Per-process memos shared by the pages, and published values as a lookup map."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import polars as pl

from fgc.engine.insight import InsightResult

PublishedMap = dict[tuple[str, str], tuple[str, float | None]]

# Per-process memos of what every page rebuilds from the same cached frames. Keyed by the
# frame or result object (the services cache hands out the same object for the same data)
# and holding a reference to it, so an id is never reused while its entry lives.
_MEMO_SIZE = 64
_memo_lock = threading.Lock()
_pub_maps: OrderedDict[int, tuple[pl.DataFrame, PublishedMap]] = OrderedDict()
_benches: OrderedDict[tuple[Any, ...], tuple[InsightResult, dict[str, dict[str, Any]]]] = (
    OrderedDict()
)


def _memo_get(memo: OrderedDict[Any, Any], key: Any) -> Any:
    with _memo_lock:
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    return None


def _memo_put(memo: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    with _memo_lock:
        memo[key] = value
        while len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)


def _published_map(pub: pl.DataFrame) -> PublishedMap:
    hit = _memo_get(_pub_maps, id(pub))
    if hit is not None and hit[0] is pub:
        return hit[1]  # type: ignore[no-any-return]
    built = {
        (code, m): (text, val)
        for code, m, text, val in pub.select(
            "la_code", "measure", "published", "pvalue"
        ).iter_rows()
    }
    _memo_put(_pub_maps, id(pub), (pub, built))
    return built
