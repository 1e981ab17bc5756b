"""The strongest attack the checker makes: a linear programme over the whole release.

Differencing one equation at a time (``checker._linear``, ``checker._intervals``) misses what
several equations give together. In a two-way table, say, each row and column with a hidden
cell may hold two, yet a row total less the shown cells, set against a column total, pins a
hidden 11 because the cells beside it are each at least 1. An intruder with a linear
programme solver finds that, so the checker asks the same question: for each hidden cell,
its least and greatest value given every published figure (exact council counts, regional
and England ranges from rounding, hidden cells at least 1) and every equation at once. A
cell whose range holds a single whole number is recovered.

Cost: one programme per cell would be thousands at a national release, so the hidden cells
of each connected group of unknown cells are first pushed up and down together (random
weights), round after round; a cell seen at values two or more whole numbers apart is
certainly not recovered, and only the rest get their own least and greatest value. Every
solution found on the way also counts towards the others' spread.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from fgc.engine.disclosure.cells import CellKey, Equation

_EPS = 1e-6
_SOLVED: dict[object, dict[CellKey, float]] = {}
_SOLVED_MAX = 20_000
_SCREENS = 8  # rounds of pushing the open cells up and down together, per group


class _Cell(Protocol):
    @property
    def lo(self) -> float: ...
    @property
    def hi(self) -> float: ...
    @property
    def hidden(self) -> bool: ...
    @property
    def exact(self) -> bool: ...


def _groups(unknown: list[CellKey], rows: list[dict[CellKey, float]]) -> list[list[int]]:
    """Indices of ``rows`` by connected group of the unknown cells they join."""
    parent = {k: k for k in unknown}

    def find(k: CellKey) -> CellKey:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for row in rows:
        ks = list(row)
        for other in ks[1:]:
            a, b = find(ks[0]), find(other)
            if a != b:
                parent[b] = a
    out: dict[CellKey, list[int]] = {}
    for i, row in enumerate(rows):
        out.setdefault(find(next(iter(row))), []).append(i)
    return list(out.values())


def _whole_numbers(lo: float, hi: float) -> int:
    return math.floor(hi + _EPS) - math.ceil(lo - _EPS) + 1


def _attack_group(
    rows: list[dict[CellKey, float]],
    consts: list[float],
    cells: Mapping[CellKey, _Cell],
    rng: np.random.Generator,
) -> dict[CellKey, float]:
    """``lp_attack`` on one connected group of equations (``sum(row) = const`` each)."""
    found: dict[CellKey, float] = {}
    keys = sorted({k for row in rows for k in row})
    if not any(cells[k].hidden for k in keys):
        return found
    index = {k: j for j, k in enumerate(keys)}
    r_i, c_i, vals = [], [], []
    for n, row in enumerate(rows):
        for k, v in row.items():
            r_i.append(n)
            c_i.append(index[k])
            vals.append(v)
    a_eq = csr_matrix((vals, (r_i, c_i)), shape=(len(rows), len(keys)))
    b_eq = np.array(consts)
    bounds = [(cells[k].lo, None if math.isinf(cells[k].hi) else cells[k].hi) for k in keys]

    def solve(c: np.ndarray) -> np.ndarray | None:
        res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        return res.x if res.status == 0 else None

    hidden = np.array([cells[k].hidden for k in keys])
    seen_lo = np.full(len(keys), np.inf)
    seen_hi = np.full(len(keys), -np.inf)

    def open_cells() -> np.ndarray:
        # hidden cells not yet seen at values two whole numbers apart
        spread = np.floor(seen_hi + _EPS) - np.ceil(seen_lo - _EPS)
        return hidden & ~(np.isfinite(seen_lo) & (spread >= 1))

    # Push the cells still open up together, then down, with random weights (so the
    # solver does not stop at one degenerate vertex), until a round clears none.
    todo = open_cells()
    for _ in range(_SCREENS):
        before = int(todo.sum())
        if not before:
            break
        w = np.where(todo, rng.uniform(0.5, 1.5, len(keys)), 0.0)
        for c in (w, -w):
            x = solve(c)
            if x is not None:  # None: unbounded that way; the next round tries others
                seen_lo, seen_hi = np.minimum(seen_lo, x), np.maximum(seen_hi, x)
        todo = open_cells()
        if int(todo.sum()) == before:
            break
    for j in np.flatnonzero(todo):
        c = np.zeros(len(keys))
        c[j] = 1.0
        least = solve(c)
        if least is None:
            continue
        seen_lo, seen_hi = np.minimum(seen_lo, least), np.maximum(seen_hi, least)
        if not open_cells()[j]:
            continue
        most = solve(-c)
        if most is None:
            continue
        seen_lo, seen_hi = np.minimum(seen_lo, most), np.maximum(seen_hi, most)
        if _whole_numbers(least[j], most[j]) == 1:
            found[keys[j]] = float(math.ceil(least[j] - _EPS))
    return found


def lp_attack(cells: Mapping[CellKey, _Cell], eqs: Sequence[Equation]) -> dict[CellKey, float]:
    """Hidden cells whose range, given every figure and equation together, is one number."""
    rows: list[dict[CellKey, float]] = []
    consts: list[float] = []
    for e in eqs:
        members = [(e.total, 1.0), *((p, -1.0) for p in e.parts)]
        if any(k not in cells for k, _ in members):
            continue
        row: dict[CellKey, float] = {}
        const = 0.0
        for k, sign in members:
            c = cells[k]
            if c.exact:
                const -= sign * c.lo
            else:
                row[k] = row.get(k, 0.0) + sign
        row = {k: v for k, v in row.items() if v != 0.0}
        if row:
            rows.append(row)
            consts.append(const)
    unknown = sorted({k for row in rows for k in row})
    rng = np.random.default_rng(0)  # fixed: the same release gives the same verdict
    found: dict[CellKey, float] = {}
    for group in _groups(unknown, rows):
        group_rows = [rows[i] for i in group]
        group_consts = [consts[i] for i in group]
        keys = sorted({k for row in group_rows for k in row})
        # The verdict on a group is a function of its equations and ranges alone (screening
        # only rules cells out; each one left is solved exactly), so the rounds of secondary
        # suppression, which change a few groups each, re-solve only those.
        memo = (
            tuple(tuple(sorted(row.items())) for row in group_rows),
            tuple(group_consts),
            tuple((cells[k].lo, cells[k].hi, cells[k].hidden) for k in keys),
        )
        if memo not in _SOLVED:
            if len(_SOLVED) > _SOLVED_MAX:
                _SOLVED.clear()
            _SOLVED[memo] = _attack_group(group_rows, group_consts, cells, rng)
        found.update(_SOLVED[memo])
    return found
