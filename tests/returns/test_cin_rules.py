"""The DfE 2026-27 pre-proceedings rules: each fails and passes, at its boundaries."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fgc.returns.cin.config import load_cin_config
from fgc.returns.cin.header import CensusHeader
from fgc.returns.cin.rules import BLOCK_ELEMENTS, check_census, cin_rules, evaluate

HEADER = CensusHeader(reference_date=date(2027, 3, 31), lea="805")
CONFIG = load_cin_config()
GOOD = {
    "PPStartDate": "2026-05-01",
    "LBPSentDate": "2026-05-10",
    "FGDMMeetingOffer": "1",
    "FGDMMeetingFac": "1",
    "InitialPPMeetingDate": "2026-05-20",
    "ReviewMeetingsCount": "2",
    "StepDecisionDate": "2026-08-01",
    "PPOutcome": "A",
    "CourtAppDate": "2026-08-01",
    "LetterInitCPDate": "2026-08-01",
}


def blocks(*rows: dict[str, str | None]) -> pl.DataFrame:
    data = []
    for i, row in enumerate(rows):
        values = {**GOOD, **row}
        data.append(
            {"la_child_id": f"C{i}", "cin_referral_date": "2026-04-20", "line": i + 1,
             **{e: values.get(e) for e in BLOCK_ELEMENTS}}
        )  # fmt: skip
    schema = {"la_child_id": pl.Utf8, "cin_referral_date": pl.Utf8, "line": pl.Int64}
    schema.update(dict.fromkeys(BLOCK_ELEMENTS, pl.Utf8))
    return pl.DataFrame(data, schema=schema)


def codes(*rows: dict[str, str | None]) -> list[str]:
    return evaluate(blocks(*rows), HEADER, CONFIG)["code"].to_list()


# (code, a block that passes, a block that fails) — boundaries on each side.
CASES: dict[str, tuple[dict[str, str | None], dict[str, str | None]]] = {
    "9000Q": ({"PPStartDate": "2026-04-01"}, {"PPStartDate": None}),
    "9005": ({"PPStartDate": "2026-04-01"}, {"PPStartDate": "2026-03-31"}),
    "9006": ({"LBPSentDate": "2026-05-01"}, {"LBPSentDate": "2026-04-30"}),
    "9007": ({"LBPSentDate": "2026-05-10", "FGDMMeetingOffer": "0"},
             {"LBPSentDate": "2026-05-10", "FGDMMeetingOffer": None}),
    "9008": ({"InitialPPMeetingDate": "2027-03-31"}, {"InitialPPMeetingDate": "2027-04-01"}),
    "9009": ({"StepDecisionDate": "2026-05-01"}, {"StepDecisionDate": "2026-04-30"}),
    "9010Q": ({"FGDMMeetingOffer": "0", "FGDMMeetingFac": None},
              {"FGDMMeetingOffer": "1", "FGDMMeetingFac": None}),
    "9011": ({"PPOutcome": "C"}, {"PPOutcome": "D"}),
    "9012": ({"CourtAppDate": "2026-08-01"}, {"CourtAppDate": "2026-07-31"}),
    "9013": ({"LetterInitCPDate": "2026-08-01"}, {"LetterInitCPDate": "2026-07-31"}),
    "9015Q": ({"InitialPPMeetingDate": None, "ReviewMeetingsCount": None},
              {"ReviewMeetingsCount": None}),
}  # fmt: skip


def test_every_rule_has_a_case():
    assert set(CASES) | {"8995Q"} == {r.code for r in cin_rules()}


def test_a_complete_block_passes_every_rule():
    assert codes({}) == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fails(code):
    assert code in codes(CASES[code][1])


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passes(code):
    assert code not in codes(CASES[code][0])


def test_8995q_no_blocks_at_all():
    assert codes() == ["8995Q"]


def test_in_year_rules_also_fail_after_the_year():
    assert "9005" in codes({"PPStartDate": "2027-04-01"})
    assert "9006" in codes({"LBPSentDate": "2027-04-01"})
    assert "9012" in codes({"CourtAppDate": "2027-04-01"})


def test_corrections_of_the_draft_peer_rules():
    # 9011 accepts a missing PPOutcome (pre-proceedings still open).
    assert "9011" not in codes({"PPOutcome": None})
    # 9007 is the right way round: an offer answer without a letter date does not fail it.
    assert "9007" not in codes({"LBPSentDate": None, "FGDMMeetingOffer": "1"})
    # 9000Q fires per block, so it can fire in a file that has blocks.
    assert codes({"PPStartDate": None}, {}) == ["9000Q"]
    corrected = {r.code for r in cin_rules() if r.correction}
    assert corrected == {"9000Q", "9007", "9011"}


def test_9010q_reads_true_as_the_config_accepts_it():
    assert "9010Q" in codes({"FGDMMeetingOffer": "true", "FGDMMeetingFac": None})


def test_check_census_streams_a_file():
    from pathlib import Path

    sample = Path(__file__).parents[1] / "reference_samples" / "CIN_Census_2026_sample.xml"
    data = sample.read_bytes().replace(b"2024-03-31", b"2027-03-31")
    assert check_census(data).is_empty()  # the sample's block is valid in 2026-27
    bad = data.replace(b"<PPOutcome>A</PPOutcome>", b"<PPOutcome>Z</PPOutcome>")
    (f,) = check_census(bad).to_dicts()
    assert (f["code"], f["la_child_id"], f["element"], f["value"]) == (
        "9011",
        "DfEX0000001",
        "PPOutcome",
        "Z",
    )
    assert f["line"] > 1


def test_docs_list_the_catalogue():
    from pathlib import Path

    from fgc.returns.cin.rules import rules_markdown

    docs = (Path(__file__).parents[2] / "docs" / "returns.md").read_text("utf-8")
    assert rules_markdown() in docs
