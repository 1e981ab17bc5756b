"""Secondary suppression: choose the fewest, least informative extra cells to hide.

Two passes over the release's equations (``cells.equations_for``):

1. **Complements** (the standard practice). An equation whose members are all published
   exactly (council figures; regional/England ones only when not rounded) with exactly one
   hidden member gives that cell away by subtraction. For each such group one more cell is
   hidden, chosen to lose the least information: a body cell before a total, a council cell
   before a regional one, then the cell whose hiding does the most good elsewhere (it is the
   lone hidden cell's partner in another group too) and the least harm (it would become the
   lone hidden cell of a group that had none), then the smallest non-zero count. Zeros are
   never hidden (an intruder knows a hidden cell is at least 1). Repeated to a fixed point.
2. **Attack fallback.** What the group rule cannot see — ranges narrowed by rounded regional
   and England totals, chains across groups — is found by attacking the release
   (``checker.attack``) and patched with the smallest helpful cell until nothing is solved.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence

from fgc.engine.disclosure.cells import LA, CellKey, Equation
from fgc.engine.disclosure.checker import Known, attack

Hidden = dict[CellKey, tuple[str, str]]  # cell → (primary | secondary, why)


def describe(key: CellKey) -> str:
    ind, area, fv = key
    return f"{ind} / {area} / " + (", ".join(f"{f}={v}" for f, v in fv) or "Total")


def _members(e: Equation) -> tuple[CellKey, ...]:
    return (e.total, *e.parts)


class Groups:
    """The equations an intruder can difference exactly, with how many hidden cells each has.

    An equation is exact when every member is published as an exact figure: council cells,
    zeros, and regional/England cells only when they are not rounded.
    """

    def __init__(
        self,
        values: Mapping[CellKey, int],
        level_of: Mapping[CellKey, str],
        eqs: Sequence[Equation],
        hidden: Hidden,
        rounding_base: int,
    ) -> None:
        def exact(k: CellKey) -> bool:
            return level_of[k] == LA or rounding_base <= 1 or values[k] == 0

        # The same equation can come from several tables (the all-Total column): count it once.
        unique: dict[tuple[CellKey, tuple[CellKey, ...]], Equation] = {}
        for e in eqs:
            if all(k in values and exact(k) for k in _members(e)):
                unique.setdefault((e.total, e.parts), e)
        self.groups = list(unique.values())
        self.of: dict[CellKey, list[int]] = {}
        for gi, e in enumerate(self.groups):
            for k in _members(e):
                self.of.setdefault(k, []).append(gi)
        self.count = [sum(k in hidden for k in _members(e)) for e in self.groups]

    def balance(self, k: CellKey, skip: int = -1) -> int:
        """Groups hiding ``k`` would leave with a lone hidden cell, minus those it would fix."""
        others = [self.count[g] for g in self.of.get(k, []) if g != skip]
        return sum(c == 0 for c in others) - sum(c == 1 for c in others)

    def hide(self, k: CellKey) -> list[int]:
        """Count ``k`` as hidden; return the groups that now have a lone hidden cell."""
        lone = []
        for g in self.of.get(k, []):
            self.count[g] += 1
            if self.count[g] == 1:
                lone.append(g)
        return lone


def complement(
    values: Mapping[CellKey, int],
    level_of: Mapping[CellKey, str],
    eqs: Sequence[Equation],
    hidden: Hidden,
    groups: Groups,
) -> None:
    """Pass 1: give every exact group with one hidden cell a partner, to a fixed point."""
    totals = {e.total for e in eqs}
    todo = deque(gi for gi, c in enumerate(groups.count) if c == 1)
    while todo:
        gi = todo.popleft()
        if groups.count[gi] != 1:
            continue
        e = groups.groups[gi]
        lone = next(k for k in _members(e) if k in hidden)
        best: tuple[tuple[int, int, int, int, int, CellKey], CellKey] | None = None
        for k in _members(e):
            if k in hidden or values[k] == 0:
                continue
            # Two hidden parts of 1 under a visible total would both be pinned at 1.
            pins = int(
                e.total not in hidden
                and k != e.total
                and values[k] == 1
                and all(values[p] == 1 for p in e.parts if p in hidden)
            )
            rank = (
                int(k in totals),
                int(level_of[k] != LA),
                pins,
                groups.balance(k, gi),
                values[k],
                k,
            )
            if best is None or rank < best[0]:
                best = (rank, k)
        if best is None:  # every other member is zero: the attack pass decides
            continue
        k = best[1]
        hidden[k] = ("secondary", f"protects {describe(lone)} ({e.why})")
        todo.extend(groups.hide(k))


def patch_attacks(
    values: Mapping[CellKey, int],
    level_of: Mapping[CellKey, str],
    eqs: Sequence[Equation],
    hidden: Hidden,
    known: Callable[[], dict[CellKey, Known]],
    groups: Groups,
) -> None:
    """Pass 2: attack the release; give each recovered cell a partner until none is."""
    eqs_of: dict[CellKey, list[Equation]] = {}
    for e in eqs:
        for k in _members(e):
            eqs_of.setdefault(k, []).append(e)
    for _ in range(1_000):
        found = attack(known(), eqs)
        if not found:
            return
        progressed = False
        touched: set[int] = set()  # equations changed this round: re-attack before reusing
        for d in found:
            if any(id(e) in touched for e in eqs_of.get(d.cell, [])):
                continue
            best: tuple[tuple[int, int, int, int, int, CellKey], CellKey, Equation] | None = None
            for e in _rings(d.cell, eqs_of, hidden):
                if e is _RING_END:
                    if best is not None:
                        break
                    continue
                # Prefer parts over totals (never a total when a body cell will do), then
                # equations of exact council figures (where differencing works), then cells
                # that leave no exact group with a lone hidden cell (each would cost one
                # more), then the smallest figure.
                inexact = int(any(level_of[m] != LA for m in _members(e)))
                for is_total, k in [(1, e.total), *((0, p) for p in e.parts)]:
                    if k == d.cell or k in hidden or values[k] == 0:
                        continue
                    # A rounded regional/England cell is hidden only when no council cell can
                    # help (e.g. a "low" region whose councils are all already hidden).
                    rank = (
                        int(level_of[k] != LA),
                        is_total,
                        inexact,
                        groups.balance(k),
                        values[k],
                        k,
                    )
                    if best is None or rank < best[0]:
                        best = (rank, k, e)
            if best is None:
                continue
            _, k, e = best
            hidden[k] = ("secondary", f"protects {describe(d.cell)} ({e.why})")
            groups.hide(k)
            progressed = True
            touched.update(id(e) for e in eqs_of.get(k, []))
        # cells hidden here may leave exact groups with a lone hidden cell: pair them first
        complement(values, level_of, eqs, hidden, groups)
        if not progressed:
            return


_RING_END = Equation(("", "", ()), (), "end of ring")


def _rings(
    cell: CellKey, eqs_of: Mapping[CellKey, list[Equation]], hidden: Hidden
) -> Iterator[Equation]:
    """The equations exposing ``cell``, then (ring by ring, up to 4) those of the hidden cells
    they contain — for a cell pinned by several totals at once. ``_RING_END`` closes a ring."""
    ring = list(eqs_of.get(cell, []))
    seen = {cell}
    for _ in range(5):
        yield from ring
        yield _RING_END
        nxt: list[Equation] = []
        for e in ring:
            for m in _members(e):
                if m in hidden and m not in seen:
                    seen.add(m)
                    nxt += eqs_of.get(m, [])
        ring = nxt
