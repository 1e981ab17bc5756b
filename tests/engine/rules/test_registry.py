"""The rule declarations: codes, look-ups, single-record validation, generated docs."""

from __future__ import annotations

import re
from pathlib import Path

from fgc.engine.rules import RULES, rule, rules_for_field, rules_markdown, validate_record
from fgc.standard import load_standard

from .builders import REF, row, unborn

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def test_codes_are_unique_sequential_and_sorted() -> None:
    codes = [r.code for r in RULES]
    assert codes == [f"FGC{i:03d}" for i in range(1, len(codes) + 1)]


def test_every_rule_has_plain_message_and_severity() -> None:
    for r in RULES:
        assert r.severity in ("error", "query")
        assert r.message.endswith(".") and len(r.message) > 20
        assert not re.search(r"\{\w+\}", r.message)


def test_generic_rules_derive_fields_from_standard() -> None:
    std = load_standard()
    assert set(rule("FGC001").fields_for(std)) == {f.name for f in std.fields if f.required}
    assert set(rule("FGC004").fields_for(std)) == {f.name for f in std.fields_of_type("date")}
    assert set(rule("FGC013").fields_for(std)) == {
        f.name for f in std.fields if f.level == "family"
    } - {"episode_id"}


def test_rules_for_field() -> None:
    codes = {r.code for r in rules_for_field("sex")}
    assert {"FGC001", "FGC002", "FGC022"} <= codes
    assert "FGC004" not in codes
    assert rules_for_field("no_such_field") == ()


def test_validate_record_single_episode() -> None:
    assert validate_record(row(), reference_date=REF) == []
    found = validate_record([row(), {**unborn(sex="F"), "child_id": "C2"}], reference_date=REF)
    assert [(f["code"], f["field"], f["child_index"]) for f in found] == [("FGC022", "sex", 1)]


def test_validate_record_accepts_python_values_and_ignores_other_keys() -> None:
    from datetime import date

    record = {
        **row(),
        "offer_date": date(2024, 1, 10),
        "family_attendees": 6,
        "disability": ["MOB", "HAND"],
        "first_name": "kept out of the return",
    }
    assert validate_record(record, reference_date=REF) == []


def test_docs_rules_md_is_generated() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `uv run fgc rules --write docs/rules.md`"
    )
    for r in RULES:
        assert f"| {r.code} |" in DOCS.read_text(encoding="utf-8")
