"""An intruder's attack on a release, written apart from ``fgc.engine.disclosure``.

It reads only what a member of the public gets, the EES data files, and the published
definitions a methodology page gives (which count each percentage is over). Every count in
the release is a variable; the files give its range (a council figure exactly, a regional or
England figure rounded to 10 as ``[r − 5, r + 4]``, ``low`` as ``[1, 4]``, ``c`` as at least 1,
since zeros are never hidden) and the linear facts binding them: each filter's ``Total`` is
the sum of its other values, a region the sum of its councils, England the sum of its
regions; a council's percentage shown to 1 decimal place puts its numerator within ±0.05% of
its denominator, and its rate per 10,000 of a published figure does the same (a region's or
England's rates are over their rounded counts, so add nothing). Then, for every hidden
council count, a linear programme asks for its least and greatest value under all of them
together (the internal checker propagates equations one at a time and ignores rates). A
count whose range holds one whole number is recovered.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from fgc.engine.disclosure import Publication

ENGLAND = "E92000001"
Cell = tuple[str, str, tuple[tuple[str, str], ...]]
BIG = 10_000_000.0


@dataclass
class Attack:
    recovered: list[tuple[Cell, float]]
    small_counts: list[tuple[str, str, str, str]]  # (table, column, area, text) shown 1–5
    hidden: int
    variables: int
    constraints: int
    infeasible: bool


def _area(row: dict[str, str]) -> str:
    level = row["geographic_level"]
    if level == "National":
        return ENGLAND
    return row["region_code"] if level == "Regional" else row["old_la_code"]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def attack(pub: Publication) -> Attack:
    lo: dict[Cell, float] = {}
    hi: dict[Cell, float] = {}
    council_hidden: set[Cell] = set()
    small: list[tuple[str, str, str, str]] = []
    eq_rows: list[tuple[Cell, list[Cell]]] = []
    ineq: list[tuple[dict[Cell, float], float]] = []  # sum(coef * cell) <= bound

    def bound(cell: Cell, a: float, b: float) -> None:
        lo[cell] = max(lo.get(cell, 0.0), a)
        hi[cell] = min(hi.get(cell, BIG), b)

    for name, (data, _meta) in pub.files.items():
        spec = pub.suppression.specs[name]
        rows = list(csv.DictReader(io.StringIO(data)))
        if not rows:
            continue
        filters = [c for c in rows[0] if c in spec.filters]
        counts = list(spec.counts)

        def key(ind: str, row: dict[str, str]) -> Cell:
            fv = tuple(sorted((f, row[f]) for f in filters if row[f] != "Total"))
            return (ind, _area(row), fv)

        for row in rows:
            level = row["geographic_level"]
            for ind in counts:
                cell, text = key(ind, row), row[ind]
                value = _number(text)
                if text == "c":
                    bound(cell, 1.0, BIG)
                    if level == "Local authority":
                        council_hidden.add(cell)
                elif text == "low":
                    bound(cell, 1.0, 4.0)
                elif value is not None and level == "Local authority":
                    bound(cell, value, value)
                    if 1 <= value <= 5:
                        small.append((name, ind, _area(row), text))
                elif value is not None:
                    # rounded to 10, half away from zero; 0 only for a true 0
                    bound(cell, value, value) if value == 0 else bound(cell, value - 5, value + 4)
                else:
                    raise AssertionError(f"{name}.{ind}: unexpected text {text!r}")
            for rate, num, den, _label in spec.rates:
                q = _number(row[rate])
                # Regional and England rates are over the rounded counts (methodology): they
                # add nothing to the counts beside them.
                if q is None or level != "Local authority":
                    continue
                n, d = key(num, row), key(den, row)
                # (q − 0.05)/100 · d ≤ n ≤ (q + 0.05)/100 · d
                ineq.append(({d: (q - 0.05) / 100, n: -1.0}, 0.0))
                ineq.append(({n: 1.0, d: -(q + 0.05) / 100}, 0.0))
            for rate, num, public, _label in spec.per_10k:
                q, d = _number(row[rate]), _number(row[public])
                # A region's or England's rate is over its rounded count (the methodology
                # says so): it tells no more than the count shown beside it.
                if q is None or d is None or level != "Local authority":
                    continue
                n = key(num, row)
                bound(n, (q - 0.05) * d / 10_000, (q + 0.05) * d / 10_000)
        # Totals of each filter, with the other filters fixed.
        by_area: dict[tuple[str, str, tuple[tuple[str, str], ...]], dict[str, dict[str, str]]] = {}
        for row in rows:
            for f in filters:
                others = tuple((g, row[g]) for g in filters if g != f)
                by_area.setdefault((_area(row), f, others), {})[row[f]] = row
        for ind in counts:
            for (_a, f, _o), members in by_area.items():
                if "Total" in members and len(members) > 1:
                    total = key(ind, members["Total"])
                    parts = [key(ind, r) for v, r in members.items() if v != "Total"]
                    eq_rows.append((total, parts))
            # Region = its councils; England = its regions.
            combos: dict[tuple[tuple[str, str], ...], dict[str, list[dict[str, str]]]] = {}
            for row in rows:
                fv = tuple((f, row[f]) for f in filters)
                combos.setdefault(fv, {}).setdefault(row["geographic_level"], []).append(row)
            for levels in combos.values():
                for reg in levels.get("Regional", []):
                    las = [
                        key(ind, r)
                        for r in levels.get("Local authority", [])
                        if r["region_code"] == reg["region_code"]
                    ]
                    eq_rows.append((key(ind, reg), las))
                for nat in levels.get("National", []):
                    eq_rows.append(
                        (key(ind, nat), [key(ind, r) for r in levels.get("Regional", [])])
                    )

    cells = sorted(set(lo) | set(hi) | {c for t, ps in eq_rows for c in (t, *ps)})
    index = {c: i for i, c in enumerate(cells)}
    rows_i, cols_i, vals = [], [], []
    for r, (total, parts) in enumerate(eq_rows):
        rows_i.append(r)
        cols_i.append(index[total])
        vals.append(1.0)
        for p in parts:
            rows_i.append(r)
            cols_i.append(index[p])
            vals.append(-1.0)
    a_eq = coo_matrix((vals, (rows_i, cols_i)), shape=(len(eq_rows), len(cells))).tocsr()
    ub_r, ub_c, ub_v = [], [], []
    for r, (coefs, _b) in enumerate(ineq):
        for c, v in coefs.items():
            ub_r.append(r)
            ub_c.append(index[c])
            ub_v.append(v)
    a_ub = coo_matrix((ub_v, (ub_r, ub_c)), shape=(len(ineq), len(cells))).tocsr()
    b_ub = np.array([b for _c, b in ineq])
    bounds = [(lo.get(c, 0.0), hi.get(c, BIG)) for c in cells]
    b_eq = np.zeros(len(eq_rows))

    def solve(cell: Cell, sign: float) -> float | None:
        c = np.zeros(len(cells))
        c[index[cell]] = sign
        res = linprog(
            c,
            A_ub=a_ub if ineq else None,
            b_ub=b_ub if ineq else None,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=bounds,
            method="highs",
        )
        return sign * res.fun if res.status == 0 else None

    recovered: list[tuple[Cell, float]] = []
    infeasible = solve(cells[0], 1.0) is None if cells else False
    for cell in sorted(council_hidden):
        if infeasible:
            break
        least, most = solve(cell, 1.0), solve(cell, -1.0)
        if least is None or most is None:
            infeasible = True
            break
        if math.ceil(least - 1e-6) == math.floor(most + 1e-6):
            recovered.append((cell, math.ceil(least - 1e-6)))
    return Attack(
        recovered, small, len(council_hidden), len(cells), len(eq_rows) + len(ineq), infeasible
    )
