"""DfE children's services statistical neighbours (versioned reference data)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

NEIGHBOURS_VERSION = "2025-05"


@dataclass(frozen=True)
class Neighbour:
    la_code: str
    rank: int
    neighbour_code: str
    proximity: str  # DfE label: Very close, Close, Somewhat close, ...


@cache
def statistical_neighbours() -> dict[str, tuple[Neighbour, ...]]:
    """Council code → its 10 neighbours in DfE rank order (current councils only)."""
    path = resources.files("fgc.standard").joinpath("data", "statistical_neighbours_2025.csv")
    out: dict[str, list[Neighbour]] = {}
    for r in csv.DictReader(path.read_text("utf-8").splitlines()):
        if r["status"] != "current":
            continue
        out.setdefault(r["old_la_code"], []).append(
            Neighbour(r["old_la_code"], int(r["rank"]), r["neighbour_old_la_code"], r["proximity"])
        )
    return {k: tuple(sorted(v, key=lambda n: n.rank)) for k, v in out.items()}
