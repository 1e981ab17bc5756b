"""Outcome definitions, each at its boundary days, on hand-made FGC and SSDA903 data."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fgc.engine.linkage.outcomes import OUTPUT_COLUMNS, link
from fgc.engine.linkage.schema import LINKED_SCHEMA
from fgc.returns.cin.reader import CensusChild, CensusEpisode
from fgc.standard import load_standard

AS_AT = date(2027, 6, 30)


def fgc(*rows: dict[str, str | None]) -> pl.DataFrame:
    names = load_standard().field_names
    out = []
    for i, r in enumerate(rows):
        row: dict[str, str | None] = dict.fromkeys(names)
        row.update(la_code="805", episode_id=f"E{i}", child_id=f"C{i}", stage="PLO",
                   lbp_date="2025-01-31", offer_date="2025-01-31", offer_in_lbp="Y",
                   offer_response="ACCEPTED", date_of_birth="2015-06-01", sex="F",
                   ethnicity="WBRI", disability="NONE")  # fmt: skip
        row.update(r)
        out.append(row)
    return pl.DataFrame(out, schema=dict.fromkeys(names, pl.Utf8))


def episodes(*rows: tuple[str, str, str | None, str, str, str]) -> pl.DataFrame:
    """(CHILD, DECOM, DEC, RNE, LS, PLACE) rows, ISO dates."""
    return pl.DataFrame(
        [
            {
                "CHILD": c,
                "DECOM": date.fromisoformat(s),
                "DEC": date.fromisoformat(e) if e else None,
                "RNE": rne,
                "LS": ls,
                "PLACE": place,
            }
            for c, s, e, rne, ls, place in rows
        ]
    )  # fmt: skip


def one(result, child: str = "C0") -> dict:
    return result.outcomes.filter(pl.col("child_id") == child).row(0, named=True)


# Index 31 January 2025: + 6 months is 31 July 2025; + 12 months is 31 January 2026.


@pytest.mark.parametrize(
    ("decom", "dec", "expected"),
    [
        ("2025-07-31", None, "Y"),  # began on the day: looked after
        ("2025-08-01", None, "N"),  # began the day after
        ("2025-03-01", "2025-07-31", "N"),  # ended on the day: not looked after that day
        ("2025-03-01", "2025-08-01", "Y"),  # ended the day after
    ],
)
def test_looked_after_6m_boundaries(decom, dec, expected):
    r = link(fgc({}), episodes(("C0", decom, dec, "S", "V2", "U4")), as_at=AS_AT)
    assert one(r)["looked_after_6m"] == expected


def test_month_end_index_dates_clamp_to_the_month_end():
    # Index 31 August 2025 + 6 months is 28 February 2026 (no 31 February).
    r = link(
        fgc({"lbp_date": "2025-08-31", "offer_date": "2025-08-31"}),
        episodes(("C0", "2026-02-28", None, "S", "V2", "U4")),
        as_at=AS_AT,
    )
    assert one(r)["looked_after_6m"] == "Y"
    r = link(
        fgc({"lbp_date": "2025-08-31", "offer_date": "2025-08-31"}),
        episodes(("C0", "2026-03-01", None, "S", "V2", "U4")),
        as_at=AS_AT,
    )
    assert one(r)["looked_after_6m"] == "N"


def test_leap_year_index():
    # 29 February 2024 + 12 months is 28 February 2025.
    frame = fgc({"lbp_date": "2024-02-29", "offer_date": "2024-02-29"})
    r = link(frame, episodes(("C0", "2025-02-28", None, "S", "C1", "U4")), as_at=AS_AT)
    assert one(r)["looked_after_12m"] == "Y"
    r = link(frame, episodes(("C0", "2025-03-01", None, "S", "C1", "U4")), as_at=AS_AT)
    assert one(r)["looked_after_12m"] == "N"


def test_not_yet_due_is_blank():
    ep = episodes(("C0", "2025-02-01", None, "S", "V2", "U4"))
    due_day = link(fgc({}), ep, as_at=date(2026, 1, 31))
    assert one(due_day)["looked_after_12m"] == "Y"
    day_before = link(fgc({}), ep, as_at=date(2026, 1, 30))
    row = one(day_before)
    assert row["looked_after_6m"] == "Y"
    assert row["looked_after_12m"] is None and row["entered_care_12m"] is None
    assert row["days_looked_after_12m"] is None and row["living_arrangement_12m"] is None
    six_not_due = one(link(fgc({}), ep, as_at=date(2025, 7, 30)))
    assert six_not_due["looked_after_6m"] is None


@pytest.mark.parametrize(
    ("decom", "rne", "expected"),
    [
        ("2025-01-31", "S", "N"),  # on the index date: not after it
        ("2025-02-01", "S", "Y"),
        ("2026-01-31", "S", "Y"),  # the last day of the window
        ("2026-02-01", "S", "N"),
        ("2025-06-01", "P", "N"),  # a placement change is not entering care
    ],
)
def test_entered_care_12m(decom, rne, expected):
    r = link(fgc({}), episodes(("C0", decom, None, rne, "V2", "U4")), as_at=AS_AT)
    assert one(r)["entered_care_12m"] == expected


def test_days_looked_after_12m_counts_only_the_window():
    ep = episodes(
        ("C0", "2024-12-01", "2025-02-10", "S", "V2", "U4"),  # 10 days inside (31 Jan - 10 Feb)
        ("C1", "2026-01-21", None, "S", "V2", "U4"),  # 10 days to 31 Jan 2026
        ("C2", "2025-03-01", "2025-03-11", "S", "V2", "U4"),  # two episodes, 10 + 5
        ("C2", "2025-03-11", "2025-03-16", "P", "V2", "U6"),
    )
    r = link(fgc({}, {}, {}, {}), ep, as_at=AS_AT)
    assert [one(r, f"C{i}")["days_looked_after_12m"] for i in range(4)] == [10, 10, 15, 0]


@pytest.mark.parametrize(
    ("rows", "app", "expected"),
    [
        ([("C0", "2025-03-01", None, "S", "C1", "U4")], None, "Y"),
        ([("C0", "2026-02-01", None, "S", "C1", "U4")], None, "N"),  # after the window
        ([("C0", "2026-01-31", None, "S", "C2", "U4")], None, "Y"),  # on its last day
        ([("C0", "2025-03-01", None, "S", "V2", "U4")], None, "N"),  # s20 is not an order
        # Already on an interim order before the index date: a placement move is not a start.
        ([("C0", "2024-06-01", "2025-03-01", "S", "C1", "U4"),
          ("C0", "2025-03-01", None, "P", "C1", "U6")], None, "N"),
        ([], "2025-06-01", "Y"),  # the FGC record's care application date
        ([], "2025-01-30", "N"),  # before the index date
    ],
)  # fmt: skip
def test_proceedings_issued_12m(rows, app, expected):
    r = link(
        fgc({"care_application_date": app}), episodes(*rows) if rows else _empty(), as_at=AS_AT
    )
    assert one(r)["proceedings_issued_12m"] == expected


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"CHILD": pl.Utf8, "DECOM": pl.Date, "DEC": pl.Date, "RNE": pl.Utf8,
                "LS": pl.Utf8, "PLACE": pl.Utf8}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("place", "expected"),
    [("P1", "WITH_PARENTS"), ("U2", "KINSHIP"), ("U5", "FOSTER_CARE"), ("K2", "RESIDENTIAL"),
     ("H5", "OTHER")],
)  # fmt: skip
def test_living_arrangement_from_the_placement_open_at_12_months(place, expected):
    r = link(fgc({}), episodes(("C0", "2025-05-01", None, "S", "C2", place)), as_at=AS_AT)
    assert one(r)["living_arrangement_12m"] == expected
    gone = episodes(("C0", "2025-05-01", "2026-01-31", "S", "C2", place))
    assert one(link(fgc({}), gone, as_at=AS_AT))["living_arrangement_12m"] == "NOT_LOOKED_AFTER"


def test_index_date_is_the_letter_else_the_offer():
    r = link(
        fgc({"lbp_date": None, "stage": "CP", "offer_date": "2025-03-01"}, {}),
        _empty(),
        as_at=AS_AT,
    )
    assert one(r, "C0")["index_date"] == date(2025, 3, 1)
    assert one(r, "C1")["index_date"] == date(2025, 1, 31)


def test_the_hand_made_case_every_outcome():
    # Letter 31 Jan 2025; s20 from 1 Mar 2025, interim care order from 1 May 2025 in kinship
    # foster care, still there at 12 months.
    ep = episodes(
        ("C0", "2025-03-01", "2025-05-01", "S", "V2", "U6"),
        ("C0", "2025-05-01", None, "B", "C1", "U3"),
        ("OTHER", "2025-01-01", None, "S", "V2", "U4"),  # only in the 903: not listed
    )
    r = link(fgc({}), ep, as_at=AS_AT)
    assert r.outcomes.columns == list(OUTPUT_COLUMNS)
    assert r.outcomes.height == 1
    assert one(r) == {
        "la_code": "805",
        "child_id": "C0",
        "index_date": date(2025, 1, 31),
        "looked_after_6m": "Y",
        "looked_after_12m": "Y",
        "entered_care_12m": "Y",
        "days_looked_after_12m": 336,  # 1 Mar 2025 to 31 Jan 2026
        "proceedings_issued_12m": "Y",
        "living_arrangement_12m": "KINSHIP",
    }


def test_one_row_per_child_from_the_first_offer():
    frame = fgc({"child_id": "C0"}, {"child_id": "C0", "lbp_date": "2025-09-01",
                                     "offer_date": "2025-09-01"})  # fmt: skip
    r = link(frame, _empty(), as_at=AS_AT)
    assert r.outcomes.height == 1 and one(r)["index_date"] == date(2025, 1, 31)


def test_match_report_counts_and_lists():
    ep = episodes(("C0", "2025-03-01", None, "S", "V2", "U4"))
    r = link(fgc({}, {}, {}), ep, as_at=AS_AT)
    assert (r.report.fgc_children, r.report.found_in_ssda903) == (3, 1)
    assert r.report.not_found == ["C1", "C2"]
    assert "C1, C2" in r.report.text()


def test_groups_and_not_offered_children_from_the_cin_census():
    frame = fgc(
        {"conference_date": "2025-02-20", "meeting_type": "FGC", "referral_date": "2025-02-01"},
        {"offer_response": "DECLINED"},
        {},
    )
    pp = CensusEpisode(date(2024, 10, 1), None, True, {"LBPSentDate": "2025-02-01"})
    no_pp = CensusEpisode(date(2024, 10, 1), None, False, None)
    cin = [
        CensusChild("C9", date(2019, 1, 1), None, "2", "WBRI", ("NONE",), (pp,)),
        CensusChild("C8", date(2019, 1, 1), None, "1", "WBRI", (), (no_pp,)),  # not in PLO
        CensusChild("C0", date(2015, 6, 1), None, "2", "WBRI", (), (pp,)),  # has an FGC
    ]
    ep = episodes(("C9", "2025-03-01", None, "S", "C1", "U4"))
    r = link(frame, ep, as_at=AS_AT, cin=cin)
    assert r.linked.schema == pl.Schema(LINKED_SCHEMA)
    groups = dict(zip(r.linked["child_key"], r.linked["group"], strict=True))
    assert groups == {"C0": "held", "C1": "declined", "C2": "offered_no_meeting",
                      "C9": "not_offered"}  # fmt: skip
    c9 = r.linked.filter(pl.col("child_key") == "C9").row(0, named=True)
    assert c9["looked_after_12m"] is True and c9["prior_cp_plan"] is True and c9["sex"] == "F"
    assert c9["index_date"] == date(2025, 2, 1) and c9["age_band"] == "5 to 9"
    assert r.report.found_in_cin == 1
