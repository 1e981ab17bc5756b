"""The CIN export reads the census header: its year and council bound what it writes."""

from __future__ import annotations

import io

import polars as pl
import pytest
from lxml import etree

from fgc.formats.errors import FormatError
from fgc.returns.cin.enrich import ADDED_BLOCK, FACT_LEFT_OUT, enrich_census
from fgc.returns.dfe_quarterly import dfe_quarterly_return
from fgc.standard import load_standard

PP = "PreProceedingsandFGDM"


def census(
    *, reference: str = "2027-03-31", lea: str = "805", referral: str = "2026-05-01",
    closure: str | None = None, child: str = "C1",
) -> bytes:  # fmt: skip
    close = f"<CINclosureDate>{closure}</CINclosureDate>" if closure else ""
    return (
        "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2027</Year>"
        f"<ReferenceDate>{reference}</ReferenceDate></CollectionDetails>"
        f"<Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA></Source></Header>"
        f"<Children><Child><ChildIdentifiers><LAchildID>{child}</LAchildID></ChildIdentifiers>"
        f"<CINdetails><CINreferralDate>{referral}</CINreferralDate>{close}"
        "<ReferralNFA>0</ReferralNFA></CINdetails></Child></Children></Message>"
    ).encode()


def fgc(**values: str | None) -> pl.DataFrame:
    row: dict[str, str | None] = dict.fromkeys(load_standard().field_names)
    row.update(
        la_code="805", episode_id="E1", child_id="C1", known_to_csc="Y", stage="PLO",
        lbp_date="2026-06-01", offer_in_lbp="Y", offer_date="2026-06-01", exception="N",
        offer_response="ACCEPTED",
    )  # fmt: skip
    row.update(values)
    return pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))


def enrich(data: bytes, frame: pl.DataFrame, **kw):
    out = io.BytesIO()
    result = enrich_census(frame, data, out, **kw)
    return out.getvalue(), result


def block(output: bytes) -> dict[str, str]:
    node = etree.fromstring(output).find(f".//{PP}")
    return {} if node is None else {c.tag: c.text for c in node}


def left_out(result) -> list[dict]:
    return result.report.filter(pl.col("kind") == FACT_LEFT_OUT).to_dicts()


def test_another_councils_census_is_refused_and_nothing_written():
    out = io.BytesIO()
    with pytest.raises(FormatError, match=r"census of council 806 .* for council 805"):
        enrich_census(fgc(), census(lea="806"), out)
    assert out.getvalue() == b""


def test_the_council_can_be_named_explicitly():
    with pytest.raises(FormatError, match="council 806"):
        enrich(census(lea="806"), fgc(la_code=None), la="805")


def test_last_years_census_is_refused_when_no_letter_falls_in_it():
    out = io.BytesIO()
    with pytest.raises(
        FormatError, match=r"census for 2025-26 \(1 April 2025 to 31 March 2026\).*none of"
    ):
        enrich_census(fgc(), census(reference="2026-03-31", referral="2025-05-01"), out)
    assert out.getvalue() == b""


def test_a_census_with_no_header_is_refused():
    data = census()
    start, end = data.index(b"<Header>"), data.index(b"</Header>") + len(b"</Header>")
    with pytest.raises(FormatError, match="no <Header>"):
        enrich(data[:start] + data[end:], fgc())


def test_letter_on_the_last_day_of_the_year_is_written_the_day_after_is_not():
    output, result = enrich(census(), fgc(lbp_date="2027-03-31", offer_date="2027-03-31"))
    assert block(output)["LBPSentDate"] == "2027-03-31" and result.blocks_added == 1
    output, result = enrich(
        census(),
        pl.concat([fgc(), fgc(episode_id="E2", lbp_date="2027-04-01", offer_date="2027-04-01")]),
    )
    assert result.blocks_added == 1 and block(output)["LBPSentDate"] == "2026-06-01"
    (row,) = left_out(result)
    assert row["element"] == "LBPSentDate" and row["fgc_value"] == "2027-04-01"
    assert "outside the census year 2026-27" in row["message"]


def test_letter_before_the_year_is_left_out_and_reported():
    _, result = enrich(
        census(),
        pl.concat([fgc(), fgc(episode_id="E0", lbp_date="2026-03-31", offer_date="2026-03-31")]),
    )
    (row,) = left_out(result)
    assert row["fgc_value"] == "2026-03-31" and row["fgc_episode_id"] == "E0"


def test_meeting_after_the_episode_closed_is_not_marked_held():
    frame = fgc(conference_date="2026-08-02", meeting_type="FGC")
    output, result = enrich(census(closure="2026-08-01"), frame)
    assert block(output)["FGDMMeetingFac"] == "0"
    (row,) = left_out(result)
    assert row["element"] == "FGDMMeetingFac" and row["fgc_value"] == "2026-08-02"
    assert "after 2026-08-01" in row["message"]
    # Held on the closure day itself: inside the episode.
    output, result = enrich(census(closure="2026-08-02"), frame)
    assert block(output)["FGDMMeetingFac"] == "1" and left_out(result) == []


def test_meeting_after_the_census_year_is_not_marked_held():
    frame = fgc(lbp_date="2027-03-20", offer_date="2027-03-20",
                conference_date="2027-04-01", meeting_type="FNM")  # fmt: skip
    output, result = enrich(census(), frame)
    assert block(output)["FGDMMeetingFac"] == "0"
    assert [r["element"] for r in left_out(result)] == ["FGDMMeetingFac"]


def test_court_application_outside_the_year_is_left_out():
    output, result = enrich(census(), fgc(care_application_date="2027-04-01"))
    assert "CourtAppDate" not in block(output)
    (row,) = left_out(result)
    assert row["element"] == "CourtAppDate" and "outside 2026-05-01 to 2027-03-31" in row["message"]
    output, _ = enrich(census(), fgc(care_application_date="2027-03-31"))
    assert block(output)["CourtAppDate"] == "2027-03-31"


def test_court_application_before_the_episode_is_left_out():
    _, result = enrich(
        census(referral="2026-05-01"),
        fgc(lbp_date="2026-05-02", offer_date="2026-05-02", care_application_date="2026-04-30"),
    )
    assert [r["element"] for r in left_out(result)] == ["CourtAppDate"]


@pytest.mark.parametrize(
    ("offer_in_lbp", "offer_date", "expected"),
    [
        ("N", "2026-05-20", "1"),  # offered before the letter: the quarterly counts it too
        ("N", "2026-06-01", "1"),  # on the letter's date
        ("N", "2026-06-02", "0"),  # after the letter
        ("Y", "2026-06-10", "1"),  # in the letter, dated later
    ],
)
def test_offer_follows_the_dfe_quarterly_definition(offer_in_lbp, offer_date, expected):
    frame = fgc(offer_in_lbp=offer_in_lbp, offer_date=offer_date)
    output, _ = enrich(census(), frame)
    assert block(output)["FGDMMeetingOffer"] == expected
    quarterly = dfe_quarterly_return(frame, "805", "2026-27-Q1")
    offered = quarterly.filter(pl.col("measure") == "families_offered_at_or_before_lbp")[
        "value"
    ].to_list()
    assert offered == [int(expected)]


@pytest.mark.parametrize("child", ["AB-123", "AB_123", "A-B_1"])
def test_child_ids_with_hyphens_and_underscores(child):
    from fgc.engine.validate import validate

    frame = fgc(child_id=child)
    _, result = enrich(census(child=child), frame)
    assert result.report.filter(pl.col("kind") == ADDED_BLOCK)["la_child_id"].to_list() == [child]
    codes = validate(frame).findings.filter(pl.col("field") == "child_id")["code"].to_list()
    assert "FGC006" not in codes
