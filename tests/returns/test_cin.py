"""Option 3: the CIN census pre-proceedings block, filled from FGC records."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from lxml import etree

from fgc.formats.errors import FormatError
from fgc.formats.xml_safe import UnsafeXMLError
from fgc.returns.cin import enrich as enrich_mod
from fgc.returns.cin import reader as reader_mod
from fgc.returns.cin.config import load_cin_config
from fgc.returns.cin.denominators import read_cin_denominators
from fgc.returns.cin.enrich import (
    ADDED_BLOCK,
    CENSUS_PP_WITHOUT_FGC,
    DISAGREEMENT,
    FACT_LEFT_OUT,
    FGC_CHILD_NOT_IN_CENSUS,
    PP_ELEMENTS,
    enrich_census,
)

from .cin_factory import make_census

SAMPLE = Path(__file__).parents[1] / "reference_samples" / "CIN_Census_2026_sample.xml"
PP = "PreProceedingsandFGDM"
CHILD_ORDER = ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"]


def _enrich(census: bytes, frame: pl.DataFrame, **kw):
    out = io.BytesIO()
    result = enrich_census(frame, census, out, **kw)
    return out.getvalue(), result


def _without_blocks(data: bytes) -> bytes:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    for block in root.iter(PP):
        parent = block.getparent()
        prev = block.getprevious()
        # Drop the block and the indentation that went with it, so trees compare equal.
        if prev is not None:
            prev.tail = block.tail if block.tail is not None else prev.tail
        else:
            parent.text = block.tail
        parent.remove(block)
    for el in root.iter():  # whitespace-only text is layout, not content
        if el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    return etree.tostring(root, method="c14n")


@pytest.fixture(scope="module")
def big():
    census, frame, exp = make_census(3000, seed=7)
    output, result = _enrich(census, frame)
    return census, frame, exp, output, result


def test_blocks_added_and_counts_match(big):
    _, _, exp, _, result = big
    assert result.children == exp.children == 3000
    assert result.blocks_added == exp.blocks_added > 50
    assert result.disagreements == exp.disagreements > 10
    kinds = result.report["kind"].value_counts()
    counts = dict(kinds.iter_rows())
    assert counts[ADDED_BLOCK] == exp.blocks_added
    assert counts[DISAGREEMENT] == exp.disagreements


def test_everything_outside_blocks_unchanged(big):
    census, _, _, output, _ = big
    assert _without_blocks(output) == _without_blocks(census)
    # The file's own bytes are copied through: the prolog, comment and header are identical.
    head = census[: census.index(b"<Children>")]
    assert output.startswith(head)
    assert len(output) > len(census)


def test_existing_blocks_never_overwritten(big):
    census, _, exp, output, result = big
    before = {
        b.getparent().getparent().findtext("ChildIdentifiers/LAchildID"): etree.tostring(b)
        for b in etree.fromstring(census).iter(PP)
    }
    after_root = etree.fromstring(output)
    after = {
        b.getparent().getparent().findtext("ChildIdentifiers/LAchildID"): b
        for b in after_root.iter(PP)
    }
    for cid in exp.disagreeing:
        # The disagreeing block is as the census had it, and the report names the element.
        assert etree.tostring(after[cid]) == before[cid]
        rows = result.report.filter(
            (pl.col("la_child_id") == cid) & (pl.col("kind") == DISAGREEMENT)
        )
        assert rows["element"].to_list() == ["FGDMMeetingOffer"]
        assert rows["census_value"][0] != rows["fgc_value"][0]


def test_structure_matches_dfe_shape(big):
    _, _, _, output, _ = big
    root = etree.fromstring(output)
    assert root.tag == "Message"
    assert [c.tag for c in root] == ["Header", "Children"]
    for child in root.find("Children"):
        assert child.tag == "Child"
        tags = [c.tag for c in child]
        assert tags == sorted(tags, key=CHILD_ORDER.index)
        for episode in child.findall("CINdetails"):
            block = episode.find(PP)
            if block is None:
                continue
            assert episode[-1] is block  # the block closes the episode
            names = [e.tag for e in block]
            assert names == sorted(names, key=PP_ELEMENTS.index)


def test_added_block_values_follow_fgc_records(big):
    _, frame, _, output, result = big
    added = result.report.filter(pl.col("kind") == ADDED_BLOCK)["la_child_id"].to_list()
    root = etree.fromstring(output)
    by_id = {c.findtext("ChildIdentifiers/LAchildID"): c for c in root.iter("Child")}
    for cid in added[:50]:
        rec = frame.filter(pl.col("child_id") == cid).row(0, named=True)
        block = by_id[cid].find(f"CINdetails/{PP}")
        assert block.findtext("LBPSentDate") == rec["lbp_date"]
        assert block.findtext("FGDMMeetingOffer") == ("1" if rec["offer_in_lbp"] == "Y" else "0")
        assert block.findtext("FGDMMeetingFac") == ("1" if rec["conference_date"] else "0")
        assert block.findtext("PPStartDate") is None  # never invented


def test_reconciliation_lists_missing_children_and_unmatched_episodes(big):
    _, _, exp, _, result = big
    report = result.report
    missing = set(report.filter(pl.col("kind") == FGC_CHILD_NOT_IN_CENSUS)["la_child_id"])
    assert missing == exp.fgc_missing
    unmatched = set(report.filter(pl.col("kind") == CENSUS_PP_WITHOUT_FGC)["la_child_id"])
    assert unmatched == exp.census_pp_without_fgc


def test_tiny_chunks_give_identical_output(monkeypatch):
    census, frame, _ = make_census(40, seed=3)
    whole, _ = _enrich(census, frame)
    monkeypatch.setattr(enrich_mod, "CHUNK_SIZE", 7)
    chunked, _ = _enrich(census, frame)
    assert chunked == whole


def test_crlf_line_endings_kept():
    census, frame, exp = make_census(200, seed=5, newline="\r\n")
    output, result = _enrich(census, frame)
    assert result.blocks_added == exp.blocks_added > 0
    assert b"\n" not in output.replace(b"\r\n", b"")


def _sample(reference_date: str = "2025-03-31", lea: str = "201") -> bytes:
    """The DfE-shaped sample, its header set to a census year (its own header is fake)."""
    data = SAMPLE.read_bytes()
    data = data.replace(
        b"<ReferenceDate>2024-03-31</ReferenceDate>",
        f"<ReferenceDate>{reference_date}</ReferenceDate>".encode(),
    )
    return data.replace(b"<LEA>201</LEA>", f"<LEA>{lea}</LEA>".encode())  # fmt: skip


def test_sample_census_added_block_and_letter_outside_the_year():
    frame = pl.DataFrame(
        {
            "child_id": ["DfEX0000001", "child_fails_assessments"],
            "episode_id": ["E1", "E2"],
            "stage": ["PLO", "PLO"],
            "known_to_csc": ["Y", "Y"],
            "lbp_date": ["2026-09-20", "2024-10-25"],
            "offer_in_lbp": ["N", "Y"],
            "offer_date": [None, "2024-10-25"],
            "conference_date": [None, "2024-10-27"],
            "meeting_type": [None, "FNM"],
        }
    )
    output, result = _enrich(_sample("2025-03-31"), frame)
    # The 2026 letter is outside the 2024-25 census: not matched, not compared, reported.
    (left,) = result.report.filter(pl.col("kind") == FACT_LEFT_OUT).to_dicts()
    assert left["la_child_id"] == "DfEX0000001" and left["element"] == "LBPSentDate"
    assert "outside the census year 2024-25 (1 April 2024 to 31 March 2025)" in left["message"]
    assert result.disagreements == 0
    assert b"<FGDMMeetingOffer>1</FGDMMeetingOffer>" in output
    assert result.blocks_added == 1
    assert (
        b"        <ReferralNFA>false</ReferralNFA>\n        <PreProceedingsandFGDM>\n"
        b"            <LBPSentDate>2024-10-25</LBPSentDate>\n"
        b"            <FGDMMeetingOffer>1</FGDMMeetingOffer>\n"
        b"            <FGDMMeetingFac>1</FGDMMeetingFac>" in output
    )


def test_sample_census_disagreement_in_its_own_year():
    frame = pl.DataFrame(
        {
            "child_id": ["DfEX0000001"],
            "episode_id": ["E1"],
            "stage": ["PLO"],
            "known_to_csc": ["Y"],
            "lbp_date": ["2026-09-20"],
            "offer_in_lbp": ["N"],
            "offer_date": ["2026-10-01"],
        }
    )
    _, result = _enrich(_sample("2027-03-31"), frame)
    disagreements = result.report.filter(pl.col("kind") == DISAGREEMENT)
    # The sample says 1/1; the FGC records say no offer at the letter and no meeting.
    assert sorted(disagreements["element"]) == ["FGDMMeetingFac", "FGDMMeetingOffer"]


def test_config_true_false_encoding(tmp_path):
    cfg_file = tmp_path / "cin.toml"
    cfg_file.write_text(
        '[booleans]\ntrue = "true"\nfalse = "false"\n[pp_outcome]\ncodes = ["A", "B", "C"]\n'
        'court_application = ["A"]\n'
    )
    cfg = load_cin_config(cfg_file)
    census, frame, _ = make_census(300, seed=2)
    output, result = _enrich(census, frame, config=cfg)
    added = etree.fromstring(output).xpath(f"//{PP}[not(PPStartDate)]/FGDMMeetingOffer/text()")
    assert added and set(added) <= {"true", "false"}
    # Existing blocks use 1/0 and true/false: the same meaning is not a disagreement.
    elements = set(result.report.filter(pl.col("kind") == DISAGREEMENT)["element"])
    assert elements == {"FGDMMeetingOffer"}
    assert cfg.decode("1") is True and cfg.decode("FALSE") is False and cfg.decode("x") is None


def test_bad_config_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[booleans]\ntrue = "1"\nfalse = "1"\n[pp_outcome]\ncodes = ["A"]\n')
    with pytest.raises(FormatError, match="overlap"):
        load_cin_config(bad)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&lol3;</LAchildID></ChildIdentifiers></Child></Children></Message>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child></Children></Message>"""
DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE Message SYSTEM "http://example.invalid/cin.dtd">
<Message><Children/></Message>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL, DTD_ONLY])
def test_hostile_xml_rejected(payload):
    out = io.BytesIO()
    with pytest.raises(UnsafeXMLError, match="rejected") as info:
        enrich_census(pl.DataFrame({"child_id": ["A1"]}), payload, out)
    assert "DTD" in str(info.value) or "entity" in str(info.value)
    with pytest.raises(UnsafeXMLError):
        read_cin_denominators(payload)


def test_undeclared_entity_and_malformed_xml_rejected():
    with pytest.raises(FormatError, match="not well-formed"):
        list(reader_mod.iter_census(b"<Message><Children>&xxe;</Children></Message>"))
    with pytest.raises(FormatError, match="line 1"):
        list(reader_mod.iter_census(b"<Message><Children></Message>"))
    with pytest.raises(FormatError, match="not a CIN census"):
        list(reader_mod.iter_census(b"<html></html>"))
    with pytest.raises(FormatError, match="empty"):
        list(reader_mod.iter_census(b""))


def test_denominators_count_children_by_characteristic():
    census, _, exp = make_census(500, seed=11)
    den = read_cin_denominators(census)
    total = den.filter(pl.col("breakdown_topic") == "Total").row(0, named=True)
    assert total["children_in_need"] == 500
    assert total["children_cp_plan"] == exp.cp_children
    assert total["children_pre_proceedings"] == exp.pp_children
    assert total["la_code"] == "805"
    for topic in ("Ethnicity group", "Age band", "Sex", "Disability"):
        part = den.filter(pl.col("breakdown_topic") == topic)
        assert part["children_in_need"].sum() == 500, topic
        assert part["children_cp_plan"].sum() == exp.cp_children, topic
    # After enrichment every added block counts as a child in pre-proceedings.
    output, result = _enrich(census, make_census(500, seed=11)[1])
    after = read_cin_denominators(output).filter(pl.col("breakdown_topic") == "Total")
    assert after["children_pre_proceedings"][0] == exp.pp_children + result.blocks_added
