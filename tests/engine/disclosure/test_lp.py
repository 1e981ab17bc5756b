"""The checker's linear programme (``fgc.engine.disclosure.lp``)."""

import math

import pytest

from fgc.engine.coerce import type_frame
from fgc.engine.disclosure import checker
from fgc.engine.disclosure.cells import Equation, area_code, cell_key
from fgc.engine.disclosure.checker import Known, check_tables
from fgc.engine.disclosure.lp import lp_attack
from fgc.engine.disclosure.suppress import with_geography
from fgc.engine.insight import compute_measures
from fgc.engine.insight.published import release_for
from fgc.standard import local_authorities
from fgc.synth import generate

HIDDEN = Known(1, math.inf, True, False)
PERIOD = "2025-26"


def _k(name: str):
    return ("n", "805", (("g", name),))


def _exact(v: int) -> Known:
    return Known(v, v, False, True)


def test_two_hidden_cells_summing_to_two_are_both_one():
    cells = {_k("T"): _exact(12), _k("A"): HIDDEN, _k("B"): HIDDEN, _k("C"): _exact(10)}
    eqs = [Equation(_k("T"), (_k("A"), _k("B"), _k("C")), "filter g")]
    assert lp_attack(cells, eqs) == {_k("A"): 1.0, _k("B"): 1.0}


def test_two_hidden_cells_summing_to_three_are_not_recovered():
    cells = {_k("T"): _exact(13), _k("A"): HIDDEN, _k("B"): HIDDEN, _k("C"): _exact(10)}
    eqs = [Equation(_k("T"), (_k("A"), _k("B"), _k("C")), "filter g")]
    assert lp_attack(cells, eqs) == {}


def test_a_rounded_total_bounds_hidden_cells():
    # region rounded to 10 ([5, 14]) = 805 (hidden) + 806 (13): 805 is 1 exactly
    reg, a, b = ("n", "E12000001", ()), ("n", "805", ()), ("n", "806", ())
    cells = {reg: Known(5, 14, False, False), a: HIDDEN, b: _exact(13)}
    assert lp_attack(cells, [Equation(reg, (a, b), "region")]) == {a: 1.0}
    cells[b] = _exact(12)  # 805 is 1 or 2
    assert lp_attack(cells, [Equation(reg, (a, b), "region")]) == {}


@pytest.fixture(scope="module")
def result():
    councils = [la.old_la_code for la in local_authorities()][:16]
    return compute_measures(type_frame(generate(councils, [PERIOD], seed=7)), None)


def test_a_release_protected_against_differencing_alone_gives_counts_away(result):
    # Secondary suppression against the first two attacks only leaves counts that every
    # equation together pins: the linear programme finds them, each its true value.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checker, "lp_attack", lambda cells, eqs: {})
        weak = release_for(result, PERIOD)
    assert weak.check.ok
    sup = weak.suppression
    found = check_tables(
        [(sup.tables[n], s.filters, s.counts) for n, s in sup.specs.items()]
    ).disclosures
    assert found and {d.method for d in found} == {"linear programme"}
    true = {}
    for spec in sup.specs.values():
        for r in with_geography(spec).iter_rows(named=True):
            area = area_code(r["geographic_level"], r["la_code"], r["region_code"])
            for c in spec.counts:
                true[cell_key(c, area, [(f, str(r[f])) for f in spec.filters])] = r[c]
    assert all(d.value == true[d.cell] for d in found)
    # With it, suppression hides more and the release survives.
    strong = release_for(result, PERIOD)
    assert strong.check.ok
    assert strong.check.hidden > weak.check.hidden
