"""The cell model shared by suppression and the checker.

A release is a set of **cells** (indicator × area × filter values) linked by **equations**
``total = sum(parts)``: every filter's ``Total`` row is the sum of its other rows, every
region is the sum of its councils and England the sum of its regions. A cell that appears in
several tables of the release (the all-``Total`` row of the same indicator, say) is one cell,
so protecting it in one table protects it in all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from fgc.standard import ENGLAND_CODE

TOTAL = "Total"
LA, REGION, NATIONAL = "Local authority", "Regional", "National"

# (indicator, area code, ((filter, value), ...) without Total filters)
CellKey = tuple[str, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Equation:
    total: CellKey
    parts: tuple[CellKey, ...]
    why: str  # "filter sex", "region E12000001", ...


@dataclass(frozen=True)
class TableSpec:
    """One publication table at council level (regional/national rows are added).

    ``frame`` columns: ``la_code`` (DfE 3-digit), the ``filters`` (each with a ``Total``
    value on the rows that are the sum of the others) and the ``counts`` (integers).
    ``rates``: (name, numerator count, denominator count, label) published as percentages.
    ``medians``: (name, count it is published over, number of values column, label); the
    council values are ``frame`` columns, regional and England ones ``area_medians`` rows
    (``fgc.engine.disclosure.medians``).
    ``public``: columns of published statistics from elsewhere (children in need, population),
    shown as they are, summed to regions and England, never suppressed and not cells.
    ``per_10k``: (name, numerator count, public column, label), a rate per 10,000 of the public
    figure; ``c`` wherever the numerator is hidden, and at region and England taken from the
    rounded count, since an exact count could be read back from it (``suppress``).
    """

    name: str
    frame: pl.DataFrame
    filters: tuple[str, ...]
    counts: tuple[str, ...]
    rates: tuple[tuple[str, str, str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # (column, label) for the metadata
    medians: tuple[tuple[str, str, str, str], ...] = ()
    area_medians: pl.DataFrame | None = None
    public: tuple[str, ...] = ()
    per_10k: tuple[tuple[str, str, str, str], ...] = ()

    def label(self, column: str) -> str:
        return dict(self.labels).get(column, column.replace("_", " ").capitalize())


def cell_key(indicator: str, area: str, filters: Iterable[tuple[str, str]]) -> CellKey:
    return (indicator, area, tuple(sorted((f, v) for f, v in filters if v != TOTAL)))


def area_code(level: str, la_code: str | None, region_code: str | None) -> str:
    if level == NATIONAL:
        return ENGLAND_CODE
    if level == REGION:
        assert region_code
        return region_code
    assert la_code
    return la_code


def equations_for(
    rows: Sequence[dict[str, str | None]], filters: Sequence[str], counts: Sequence[str]
) -> list[Equation]:
    """Equations of one table from its rows (geographic_level, la_code, region_code, filters).

    Filter equations: with the other filters fixed, ``Total`` = sum of the other values.
    Geographic equations: region = sum of its councils; England = sum of regions.
    """
    eqs: list[Equation] = []
    index: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = {}
    region_las: dict[str, set[str]] = {}
    regions: set[str] = set()
    for r in rows:
        level = str(r["geographic_level"])
        area = area_code(level, r.get("la_code"), r.get("region_code"))
        fv = tuple((f, str(r[f])) for f in filters)
        index.setdefault((area, fv), set())
        if level == LA and r.get("region_code"):
            region_las.setdefault(str(r["region_code"]), set()).add(area)
        if level == REGION:
            regions.add(area)
    # Sorted, not set order: secondary suppression meets the equations in this order, and
    # Python's set order changes from process to process (string hashing is salted).
    areas = sorted({a for a, _ in index})
    combos = sorted({fv for _, fv in index})
    for ind in counts:
        for area in areas:
            for fi, f in enumerate(filters):
                groups: dict[tuple[tuple[str, str], ...], list[tuple[tuple[str, str], ...]]] = {}
                for fv in combos:
                    if (area, fv) in index:
                        rest = fv[:fi] + fv[fi + 1 :]
                        groups.setdefault(rest, []).append(fv)
                for members in groups.values():
                    tot = [fv for fv in members if fv[fi][1] == TOTAL]
                    parts = [fv for fv in members if fv[fi][1] != TOTAL]
                    if tot and parts:
                        eqs.append(
                            Equation(
                                cell_key(ind, area, tot[0]),
                                tuple(cell_key(ind, area, p) for p in parts),
                                f"filter {f} in {area}",
                            )
                        )
        for fv in combos:
            for reg, las in sorted(region_las.items()):
                if (reg, fv) in index:
                    parts_k = tuple(
                        cell_key(ind, la, fv) for la in sorted(las) if (la, fv) in index
                    )
                    eqs.append(Equation(cell_key(ind, reg, fv), parts_k, f"region {reg}"))
            if (ENGLAND_CODE, fv) in index and regions:
                parts_k = tuple(
                    cell_key(ind, reg, fv) for reg in sorted(regions) if (reg, fv) in index
                )
                eqs.append(Equation(cell_key(ind, ENGLAND_CODE, fv), parts_k, "England"))
    return eqs
