"""Every figure as text, once: the same text goes into the HTML table and its CSV."""

from __future__ import annotations

import math
from typing import Any

from fgc.engine.disclosure import DisclosureConfig

THRESHOLD = DisclosureConfig().threshold


def is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt(v: Any, kind: str = "rate") -> str:
    """A figure as the pages and CSVs show it (DfE ``x`` when there is none)."""
    if is_missing(v):
        return "x"
    if kind == "count":
        return f"{float(v):.0f}"
    if kind == "mean":
        return f"{float(v):.2f}"
    return f"{float(v):.1f}"


def small(n: Any) -> bool:
    return not is_missing(n) and 1 <= float(n) <= THRESHOLD
