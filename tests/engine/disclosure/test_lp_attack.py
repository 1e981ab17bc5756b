"""Issue 12's acceptance: an independent differencing attack on a whole release (every table,
rates included) recovers no hidden count, no council count of 1–5 is shown, and the
internal checker agrees."""

import polars as pl
import pytest

from fgc.engine.coerce import type_frame
from fgc.engine.disclosure import TableSpec, publish
from fgc.engine.insight import compute_measures
from fgc.engine.insight.published import release_for
from fgc.standard import local_authorities
from fgc.synth import generate
from tests.engine.disclosure.lp_attack import attack

PERIOD = "2025-26"


@pytest.fixture(scope="module")
def release():
    councils = [la.old_la_code for la in local_authorities()][:16]
    result = compute_measures(type_frame(generate(councils, [PERIOD], seed=7)), None)
    return release_for(result, PERIOD)


def test_the_attack_finds_what_an_unprotected_table_gives_away():
    # Without secondary suppression, 805's hidden A (3) is the Total less B: the attack
    # must see it, or its silence below would prove nothing.
    frame = pl.DataFrame(
        [
            ("805", "A", 3),
            ("805", "B", 7),
            ("805", "Total", 10),
            ("806", "A", 0),
            ("806", "B", 9),
            ("806", "Total", 9),
        ],
        schema=["la_code", "g", "n"],
        orient="row",
    )
    pub = publish([TableSpec("t", frame, ("g",), ("n",))], PERIOD)
    data, meta = pub.files["t"]
    leaky = data.replace("Hartlepool,B,c", "Hartlepool,B,7")
    assert leaky != data, "suppression should have hidden B"
    pub.files["t"] = (leaky, meta)
    found = attack(pub)
    assert [(c[0], c[1], v) for c, v in found.recovered] == [("n", "805", 3)]


def test_the_attack_uses_rates():
    # 805's hidden A is bounded by the shown rate over it: with A/B·100 = 50.0% and B = 6
    # shown, A is 3 exactly, though no equation gives it.
    frame = pl.DataFrame(
        [("805", 3, 6), ("806", 20, 40)], schema=["la_code", "a", "b"], orient="row"
    )
    spec = TableSpec("t", frame, (), ("a", "b"), (("r", "a", "b", "A over B (%)"),))
    pub = publish([spec], PERIOD)
    data, meta = pub.files["t"]
    assert ",c,6,c" in data  # a hidden, b shown, rate hidden
    pub.files["t"] = (data.replace(",c,6,c", ",c,6,50.0"), meta)
    assert [(c[1], v) for c, v in attack(pub).recovered] == [("805", 3)]


def test_a_whole_release_gives_nothing_away(release):
    assert release.check.ok, [d.describe() for d in release.check.disclosures]
    found = attack(release)
    assert not found.infeasible, "the published figures contradict each other"
    assert found.hidden > 100, found.hidden
    assert found.small_counts == []
    assert found.recovered == [], found.recovered[:10]
