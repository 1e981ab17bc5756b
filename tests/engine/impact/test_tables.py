"""The text the pages, CSVs and report print."""

from __future__ import annotations

import pytest

from fgc.engine.impact import compare, estimate, suppress_comparison
from fgc.engine.impact.compare import LA
from fgc.engine.impact.definitions import OUTCOMES
from fgc.engine.impact.tables import (
    children,
    contrast_table,
    group_table,
    impact_row,
    interval,
    money,
    signed,
)
from tests.engine.impact.linked import cell, frame
from tests.engine.impact.test_estimate import _inputs


@pytest.mark.parametrize(
    ("v", "text"),
    [(76_800, "£77,000"), (9_994, "£9,990"), (10_000, "£10,000"), (-1_234, "-£1,230"), (0, "£0")],
)
def test_money(v, text):
    assert money(v) == text


def test_numbers():
    assert children(6.65) == "6.7" and children(99.96) == "100.0" and children(1234.4) == "1,234"
    assert signed(-8.6) == "-8.6" and signed(12.5) == "+12.5" and signed(None) == "x"
    assert interval(1.0, 2.25) == "1.0 to 2.3" and interval(None, 1) == "x"


def test_group_and_contrast_tables():
    linked = frame(
        [
            *cell(10, 4, group="held"),
            *cell(3, 1, group="declined"),
            *cell(20, 9, group="not_offered"),
        ]
    )
    c = suppress_comparison(compare(linked, levels=(LA,)))
    la12 = OUTCOMES[0]
    rows = {r[0]: r[1:] for r in group_table(c, "805", "Hartlepool", la12).rows}
    # 4 looked after is a small count: the whole group goes (its size would give the
    # pooled group's count away)
    assert rows["Meeting held"] == ["c", "c", "c", "c"]
    assert rows["Offered and declined"] == ["c", "c", "c", "c"]
    assert rows["In pre-proceedings, not offered"] == ["20", "9", "45.0", "25.8 to 65.8"]
    assert rows["Offered, no meeting (not declined)"] == ["0", "0", "z", "z"]
    assert rows["Trial: usual care (randomised)"] == ["z", "z", "44.8", "z"]
    contrasts = {r[0]: r[1:] for r in contrast_table(c, "805", "Hartlepool", la12).rows}
    assert contrasts["Trial: referred against usual care (randomised)"][:3] == ["-8.6", "z", "0.81"]
    assert contrasts["Meeting held, against children not offered"][:8] == ["c"] * 8


def test_impact_row_hidden_and_shown():
    est = {e.area_code: e for e in estimate(_inputs(("805", 5, 40, 20), ("806", 80, 80, 35)))}
    assert impact_row(est["805"], "Hartlepool") == ["Hartlepool", *["c"] * 8]
    row = impact_row(est["806"], "Middlesbrough")
    assert row[:5] == ["Middlesbrough", "80", "43.8", "35.0", "6.7"]
    assert row[6] == "£77,000"
