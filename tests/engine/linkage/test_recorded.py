"""Linked rows from the outcomes a child-level return carries (the hub's route)."""

from __future__ import annotations

from datetime import date

import polars as pl

from fgc.engine.linkage.recorded import linked_from_returns
from fgc.engine.linkage.schema import LINKED_SCHEMA
from tests.engine.linkage.test_outcomes import fgc


def test_groups_outcomes_and_living_from_a_return():
    frame = fgc(
        {"conference_date": "2025-02-20", "meeting_type": "FGC", "referral_date": "2025-02-01",
         "looked_after_12m": "N", "looked_after_6m": "N",
         "living_arrangement_12m": "MATERNAL_FAMILY"},
        {"offer_response": "DECLINED", "looked_after_12m": "Y", "proceedings_issued_12m": "Y",
         "living_arrangement_12m": "FOSTER_CARE"},
        {"looked_after_12m": None, "stage": "CIN", "lbp_date": None, "offer_date": "2025-04-02"},
    )  # fmt: skip
    out = linked_from_returns(frame)
    assert out.schema == pl.Schema(LINKED_SCHEMA)
    rows = {r["child_key"]: r for r in out.to_dicts()}
    assert rows["C0"]["group"] == "held" and rows["C0"]["looked_after_12m"] is False
    assert rows["C0"]["living_arrangement_12m"] == "KINSHIP"
    assert rows["C1"]["group"] == "declined" and rows["C1"]["proceedings_issued_12m"] is True
    assert rows["C1"]["living_arrangement_12m"] == "FOSTER_CARE"
    assert rows["C2"]["group"] == "offered_no_meeting" and rows["C2"]["plo"] is False
    assert rows["C2"]["looked_after_12m"] is None  # not recorded stays unknown
    assert rows["C2"]["index_date"] == date(2025, 4, 2)
    assert rows["C0"]["days_looked_after_12m"] is None  # only the SSDA903 file holds days


def test_empty_return():
    assert linked_from_returns(pl.DataFrame()).schema == pl.Schema(LINKED_SCHEMA)
