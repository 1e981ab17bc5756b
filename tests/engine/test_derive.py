"""Derived columns: age band edges, unborn children, ethnic groups, disability, journey flags."""

from __future__ import annotations

import polars as pl
import pytest

from fgc.engine import derive
from fgc.engine.coerce import type_frame
from fgc.standard import load_standard


def typed(rows: list[dict[str, str]]) -> pl.DataFrame:
    return type_frame(pl.DataFrame(rows).with_columns(pl.all().cast(pl.Utf8)))


def derived(rows: list[dict[str, str]]) -> pl.DataFrame:
    return derive.add_derived(typed(rows))


@pytest.mark.parametrize(
    ("dob", "due", "offer", "referral", "band", "age"),
    [
        ("2025-01-01", "", "2025-12-31", "", "Under 1", 0),
        ("2024-12-31", "", "2025-12-31", "", "1 to 4", 1),  # birthday on the offer date
        ("2024-12-31", "", "2025-12-30", "", "Under 1", 0),  # the day before
        ("2020-12-31", "", "2025-12-30", "", "1 to 4", 4),
        ("2020-12-31", "", "2025-12-31", "", "5 to 9", 5),
        ("2010-06-15", "", "2020-06-15", "", "10 to 15", 10),
        ("2004-03-01", "", "2020-02-29", "", "10 to 15", 15),
        ("2004-02-29", "", "2020-02-29", "", "16 to 17", 16),
        ("2002-06-01", "", "2020-05-31", "", "16 to 17", 17),
        ("2002-06-01", "", "2020-06-01", "", "Not known", 18),  # 18: not a child
        ("2015-01-01", "", "", "2025-01-01", "10 to 15", 10),  # referral date if no offer
        ("2015-01-01", "", "", "", "Not known", None),
        ("", "2026-02-01", "2025-12-01", "", "Unborn", None),
        ("2026-01-10", "", "2025-12-01", "", "Unborn", -1),  # born after the offer
        ("", "", "2025-12-01", "", "Not known", None),
    ],
)
def test_age_band(dob: str, due: str, offer: str, referral: str, band: str, age) -> None:
    out = derived(
        [
            {
                "date_of_birth": dob,
                "expected_due_date": due,
                "offer_date": offer,
                "referral_date": referral,
            }
        ]
    )
    assert out["age_band"].item() == band
    assert out["age_years"].item() == age


def test_age_band_labels_are_the_spec_bands() -> None:
    assert derive.AGE_BAND_LABELS == (
        "Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17", "Not known",
    )  # fmt: skip


def test_ethnicity_groups_come_from_the_code_list() -> None:
    std = load_standard()
    assert derive.ethnicity_groups(std) == (
        "White",
        "Mixed",
        "Asian",
        "Black",
        "Other",
        "Not known",
    )
    codes = list(std.codelists["ethnicity"].values)
    out = derived([{"ethnicity": c} for c in [*codes, "", "XXXX"]])
    groups = dict(zip(codes, out["ethnicity_group"].head(len(codes)), strict=True))
    assert groups["WBRI"] == "White" and groups["WROM"] == "White"
    assert groups["MWBA"] == "Mixed" and groups["ABAN"] == "Asian" and groups["BCRB"] == "Black"
    assert groups["CHNE"] == "Other" and groups["REFU"] == "Not known"
    assert out["ethnicity_group"].tail(2).to_list() == ["Not known", "Not known"]


def test_disability_group() -> None:
    out = derived([{"disability": d} for d in ["NONE", "LD", "MOB;HAND", ""]])
    assert out["disability_group"].to_list() == [
        "No disability",
        "Any disability",
        "Any disability",
        "Not recorded",
    ]


def test_journey_flags() -> None:
    rows = [
        # in the letter
        {"offer_date": "2025-05-01", "lbp_date": "2025-05-01", "offer_in_lbp": "Y"},
        # before the letter, not in it
        {"offer_date": "2025-04-01", "lbp_date": "2025-05-01", "offer_in_lbp": "N"},
        # after the letter
        {"offer_date": "2025-06-01", "lbp_date": "2025-05-01", "offer_in_lbp": "N"},
        # no letter at all
        {"offer_date": "2025-06-01", "lbp_date": "", "offer_in_lbp": ""},
        # no offer
        {"offer_date": "", "lbp_date": "2025-05-01", "offer_in_lbp": "Y"},
    ]
    out = derived(rows)
    assert out["offered_at_or_before_lbp"].to_list() == [True, True, False, False, False]
    assert out["offered"].to_list() == [True, True, True, True, False]


def test_meeting_flags() -> None:
    base = {"offer_response": "ACCEPTED", "closure_date": "", "plan_agreed": ""}
    rows = [
        {**base, "conference_date": "2025-06-01", "meeting_type": "FGC", "plan_agreed": "FULL"},
        {**base, "conference_date": "2025-06-01", "meeting_type": "FNM", "plan_agreed": "NONE"},
        {**base, "conference_date": "", "meeting_type": "", "closure_date": "2025-07-01"},
        {**base, "conference_date": "", "meeting_type": "", "plan_agreed": "PARTIAL"},
    ]
    out = derived(rows)
    assert out["held"].to_list() == [True, True, False, False]
    assert out["fgc_held"].to_list() == [True, False, False, False]
    assert out["fnm_held"].to_list() == [False, True, False, False]
    assert out["plan_agreed_flag"].to_list() == [True, False, False, False]
    assert out["accepted_not_held"].to_list() == [False, False, True, False]


def test_distinct_children_keeps_one_row_per_child_per_episode() -> None:
    frame = pl.DataFrame(
        {
            "la_code": ["805", "805", "805", "806"],
            "episode_id": ["E1", "E1", "E1", "E1"],
            "child_id": ["C1", "C1", "C2", "C1"],
        }
    )
    assert derive.distinct_children(frame).height == 3
    assert derive.distinct_children(frame.lazy()).collect().height == 3


def test_add_derived_adds_every_declared_column_lazily_too() -> None:
    frame = typed([{"offer_date": "2025-05-01"}])
    assert set(derive.DERIVED_COLUMNS) <= set(derive.add_derived(frame).columns)
    lazy = derive.add_derived(frame.lazy()).collect()
    assert set(derive.DERIVED_COLUMNS) <= set(lazy.columns)
