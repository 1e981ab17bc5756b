"""Attack a release the way an intruder would, from the published figures only.

Three attacks, over every equation of every table (``cells.equations_for``):

1. **Exact linear differencing.** Equations whose visible members are all exact (council
   figures) form a linear system in the hidden cells. Solved by exact rational Gaussian
   elimination per connected group of hidden cells; a hidden cell whose reduced row has no
   free variable is *solved* (this covers "a total with exactly one hidden part", chains of
   such, and combinations across tables that share cells).
2. **Intervals.** Every cell gets a range — exact cells a point, rounded regional and
   England totals ``[r − 5, r + 4]`` (half away from zero to 10), ``low`` ``[1, 4]``, hidden
   cells ``[1, ∞)`` (zeros are never suppressed) — and each equation narrows the ranges of
   its members until nothing changes. A hidden cell whose range is a single value is solved.

3. **Linear programme** (``lp``), once the first two find nothing: every figure and
   equation at once, for the least and greatest value of each hidden cell.

The publication fails if any hidden cell is solved.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import polars as pl

from fgc.engine.disclosure.cells import LA, CellKey, Equation, area_code, cell_key, equations_for
from fgc.engine.disclosure.lp import lp_attack

SYMBOLS_HIDDEN = {"c"}
SYMBOLS_SKIP = {"z", "x"}


@dataclass(frozen=True)
class Known:
    lo: float
    hi: float
    hidden: bool
    exact: bool  # published as an exact figure (not rounded, not hidden)


@dataclass(frozen=True)
class Disclosure:
    cell: CellKey
    value: float
    method: str  # "linear" | "interval"

    def describe(self) -> str:
        ind, area, fv = self.cell
        where = ", ".join(f"{f}={v}" for f, v in fv) or "Total"
        return (
            f"{ind} for {area} ({where}) can be recovered as {self.value:g} by {self.method} attack"
        )


@dataclass
class CheckResult:
    disclosures: list[Disclosure] = field(default_factory=list)
    cells: int = 0
    hidden: int = 0
    equations: int = 0

    @property
    def ok(self) -> bool:
        return not self.disclosures


def read_published(text: str, level: str, rounding_base: int) -> Known | None:
    """What an intruder learns from one published count."""
    t = str(text).strip()
    if t in SYMBOLS_SKIP or t == "":
        return None
    if t in SYMBOLS_HIDDEN:
        return Known(1, math.inf, True, False)
    if t == "low":
        return Known(1, rounding_base / 2 - 1, False, False)
    v = float(t)
    if level != LA and rounding_base > 1 and v != 0:
        half = rounding_base / 2
        return Known(v - half, v + half - 1, False, False)
    return Known(v, v, False, True)


def _linear(cells: Mapping[CellKey, Known], eqs: Sequence[Equation]) -> dict[CellKey, float]:
    hidden = [k for k, c in cells.items() if c.hidden]
    if not hidden:
        return {}
    rows: list[tuple[dict[CellKey, Fraction], Fraction]] = []
    for e in eqs:
        members = [(e.total, 1), *((p, -1) for p in e.parts)]
        if any(k not in cells for k, _ in members):
            continue
        if any(not cells[k].hidden and not cells[k].exact for k, _ in members):
            continue
        coeffs: dict[CellKey, Fraction] = {}
        const = Fraction(0)
        for k, s in members:
            if cells[k].hidden:
                coeffs[k] = coeffs.get(k, Fraction(0)) + s
            else:
                const -= s * Fraction(cells[k].lo)
        coeffs = {k: v for k, v in coeffs.items() if v != 0}
        if coeffs:
            rows.append((coeffs, const))
    # Connected groups of hidden cells, so each elimination stays small.
    parent: dict[CellKey, CellKey] = {k: k for k in hidden}

    def find(k: CellKey) -> CellKey:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for coeffs, _ in rows:
        ks = list(coeffs)
        for other in ks[1:]:
            parent[find(other)] = find(ks[0])
    groups: dict[CellKey, list[tuple[dict[CellKey, Fraction], Fraction]]] = {}
    for r in rows:
        groups.setdefault(find(next(iter(r[0]))), []).append(r)
    solved: dict[CellKey, float] = {}
    for group_rows in groups.values():
        solved.update(_solve_group([(dict(c), k) for c, k in group_rows]))
    return solved


def _solve_group(rows: list[tuple[dict[CellKey, Fraction], Fraction]]) -> dict[CellKey, float]:
    """Reduced row echelon form; a pivot whose row has no other variable is determined."""
    pivots: list[tuple[CellKey, dict[CellKey, Fraction], Fraction]] = []
    for coeffs, const in rows:
        for pk, prow, pconst in pivots:
            f = coeffs.get(pk)
            if f:
                for k, v in prow.items():
                    nv = coeffs.get(k, Fraction(0)) - f * v
                    if nv:
                        coeffs[k] = nv
                    else:
                        coeffs.pop(k, None)
                const -= f * pconst
        if not coeffs:
            continue
        pk = next(iter(coeffs))
        f = coeffs[pk]
        coeffs = {k: v / f for k, v in coeffs.items()}
        const = const / f
        # Back-substitute into earlier pivot rows to keep the form fully reduced.
        new_pivots = []
        for ok, orow, oconst in pivots:
            g = orow.get(pk)
            if g:
                for k, v in coeffs.items():
                    nv = orow.get(k, Fraction(0)) - g * v
                    if nv:
                        orow[k] = nv
                    else:
                        orow.pop(k, None)
                oconst -= g * const
            new_pivots.append((ok, orow, oconst))
        pivots = [*new_pivots, (pk, coeffs, const)]
    return {pk: float(c) for pk, row, c in pivots if len(row) == 1}


def _intervals(cells: Mapping[CellKey, Known], eqs: Sequence[Equation]) -> dict[CellKey, float]:
    lo = {k: c.lo for k, c in cells.items()}
    hi = {k: c.hi for k, c in cells.items()}
    usable = [e for e in eqs if e.total in cells and all(p in cells for p in e.parts)]
    for _ in range(50):
        changed = False
        for e in usable:
            s_lo = sum(lo[p] for p in e.parts)
            s_hi = sum(hi[p] for p in e.parts)
            if s_lo > lo[e.total]:
                lo[e.total], changed = s_lo, True
            if s_hi < hi[e.total]:
                hi[e.total], changed = s_hi, True
            for p in e.parts:
                new_hi = hi[e.total] - (s_lo - lo[p])
                new_lo = lo[e.total] - (s_hi - hi[p])
                if math.isfinite(new_hi) and new_hi < hi[p] - 1e-9:
                    hi[p], changed = float(math.floor(new_hi + 1e-9)), True
                if math.isfinite(new_lo) and new_lo > lo[p] + 1e-9:
                    lo[p], changed = float(math.ceil(new_lo - 1e-9)), True
        if not changed:
            break
    return {k: lo[k] for k, c in cells.items() if c.hidden and lo[k] == hi[k]}


def attack(cells: Mapping[CellKey, Known], eqs: Sequence[Equation]) -> list[Disclosure]:
    """Every hidden cell an intruder can solve exactly."""
    found = {k: Disclosure(k, v, "linear") for k, v in _linear(cells, eqs).items()}
    for k, v in _intervals(cells, eqs).items():
        found.setdefault(k, Disclosure(k, v, "interval"))
    if not found:
        # The linear programme finds all the cheap attacks find and more, at far greater
        # cost: run it once they have nothing left to say.
        found = {k: Disclosure(k, v, "linear programme") for k, v in lp_attack(cells, eqs).items()}
    return sorted(found.values(), key=lambda d: d.cell)


def cells_from_frame(
    frame: pl.DataFrame, filters: Sequence[str], counts: Sequence[str], rounding_base: int
) -> dict[CellKey, Known]:
    """Published table (text values) → what an intruder knows about each cell."""
    out: dict[CellKey, Known] = {}
    for r in frame.iter_rows(named=True):
        level = r["geographic_level"]
        area = area_code(level, r.get("la_code"), r.get("region_code"))
        fv = [(f, str(r[f])) for f in filters]
        for ind in counts:
            known = read_published(r[ind], level, rounding_base)
            if known is not None:
                out[cell_key(ind, area, fv)] = known
    return out


def check_tables(
    tables: Iterable[tuple[pl.DataFrame, Sequence[str], Sequence[str]]], rounding_base: int = 10
) -> CheckResult:
    """Attack published tables together (cells shared between tables are one cell).

    Each table: (frame with geographic_level, la_code, region_code, filters and text counts,
    filter columns, count columns).
    """
    cells: dict[CellKey, Known] = {}
    eqs: list[Equation] = []
    shown_elsewhere: list[Disclosure] = []
    for frame, filters, counts in tables:
        for k, kn in cells_from_frame(frame, filters, counts, rounding_base).items():
            prev = cells.get(k)
            if prev is not None and prev.hidden != kn.hidden:
                # Hidden in one table, printed in another of the same release.
                shown = kn if prev.hidden else prev
                shown_elsewhere.append(Disclosure(k, shown.lo, "shown in another table"))
                kn = shown
            cells[k] = kn
        eqs += equations_for(list(frame.iter_rows(named=True)), filters, counts)
    found = shown_elsewhere + attack(cells, eqs)
    return CheckResult(found, len(cells), sum(c.hidden for c in cells.values()), len(eqs))
