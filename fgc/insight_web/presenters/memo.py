"""Per-process memos shared by the pages, and published values as a lookup map."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import polars as pl

from fgc.engine.insight import InsightResult

T = TypeVar("T")
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


# Whole pages' presenter output (context and sections, or their HTML) per result and request
# options. A council page's sections HTML is about 100 KB, so this holds at most ~32 MB: every
# council's default page for its own staff and for national users, with room to spare.
_PAGE_MEMO_SIZE = 320
_pages: OrderedDict[tuple[Any, ...], tuple[InsightResult, Any]] = OrderedDict()


def remember_page(result: InsightResult, key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()`` once per ``result`` and ``key`` in this process, then the same value.

    The key must hold everything the value depends on besides the result, including who is
    looking (own staff see unsuppressed figures); a new set of accepted figures is a new
    result object, so nothing is carried over from the old figures.
    """
    full = (id(result), *key)
    with _memo_lock:
        hit = _pages.get(full)
        if hit is not None and hit[0] is result:
            _pages.move_to_end(full)
            return hit[1]  # type: ignore[no-any-return]
    value = build()  # outside the lock: two first requests may both build; both are right
    with _memo_lock:
        _pages[full] = (result, value)
        while len(_pages) > _PAGE_MEMO_SIZE:
            _pages.popitem(last=False)
    return value


def clear_pages() -> None:
    with _memo_lock:
        _pages.clear()
