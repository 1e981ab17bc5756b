"""Option 1: the Excel template, written, filled, keyed by hand and read back."""

from __future__ import annotations

import io
import os
import zipfile

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from fgc.engine.aggregate import AGGREGATE_MEASURES, aggregate
from fgc.formats import write_xlsx
from fgc.formats.errors import FormatError
from fgc.returns.template import (
    FIRST_ROW,
    INPUT_SHEET,
    KEY_ROW,
    META_SHEET,
    fill_template,
    is_template,
    read_template,
    validate_template,
    write_template,
)
from fgc.synth import generate


@pytest.fixture(scope="module")
def synth() -> pl.DataFrame:
    return generate(["805", "806"], ["2025-26"], seed=3)


@pytest.fixture(scope="module")
def agg(synth) -> pl.DataFrame:
    return aggregate(synth, "2025-26")


def _la_rows(agg: pl.DataFrame, la: str) -> pl.DataFrame:
    return agg.filter(
        (pl.col("geographic_level") == "Local authority") & (pl.col("old_la_code") == la)
    )


def _positions(book) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    ws = book[INPUT_SHEET]
    keys = [c.value for c in ws[KEY_ROW + 1]]
    cols = {k: j + 1 for j, k in enumerate(keys) if k}
    rows = {}
    for r in range(FIRST_ROW + 1, ws.max_row + 1):
        topic, label = ws.cell(r, 1).value, ws.cell(r, 2).value
        if topic and label and not str(label).startswith("Check"):
            rows[(topic, label)] = r
    return cols, rows


def _key_in(blank: bytes, values: pl.DataFrame) -> bytes:
    """Type the figures into a blank template cell by cell, as a person would."""
    book = openpyxl.load_workbook(io.BytesIO(blank))
    ws = book[INPUT_SHEET]
    cols, rows = _positions(book)
    for row in values.iter_rows(named=True):
        r = rows[(row["breakdown_topic"], row["breakdown"])]
        for m in AGGREGATE_MEASURES:
            if row[m.name] is not None:
                ws.cell(r, cols[m.name]).value = row[m.name]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_filled_from_child_level_reads_back_as_aggregate(agg):
    for la in ("805", "806"):
        frame, findings = read_template(fill_template(agg, la, "2025-26"), la=la)
        assert findings.is_empty(), findings
        assert_frame_equal(frame, _la_rows(agg, la))


def test_keyed_by_hand_equals_filled(agg):
    expected = _la_rows(agg, "805")
    keyed = _key_in(write_template("805", "2025-26"), expected)
    frame, findings = read_template(keyed)
    assert findings.filter(pl.col("severity") == "error").is_empty()
    assert_frame_equal(frame, expected)
    filled_frame, _ = read_template(fill_template(agg, "805", "2025-26"))
    assert_frame_equal(frame, filled_frame)


def test_workbook_structure():
    data = write_template("805", "2025-26")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Guidance", INPUT_SHEET, "Code lists", META_SHEET]
    assert book[META_SHEET].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in book[META_SHEET].iter_rows(values_only=True)}
    assert meta["la_code"] == "805" and meta["period"] == "2025-26"
    assert meta["standard_version"] == "0.1"
    ws = book[INPUT_SHEET]
    assert ws.protection.sheet
    cols, rows = _positions(book)
    total = rows[("Total", "Total")]
    assert not ws.cell(total, cols["families_offered"]).protection.locked  # input cell
    assert ws.cell(total, 2).protection.locked  # label
    assert ws.row_dimensions[KEY_ROW + 1].hidden
    checks = ws.cell(total, ws.max_column).value
    assert checks.startswith("=IF(") and "AGG001" in checks and "AGG002" in checks
    rules = list(ws.data_validations.dataValidation)
    assert any(dv.type == "whole" and dv.operator == "greaterThanOrEqual" for dv in rules)
    assert any(dv.type == "list" for dv in rules)  # drop-down: where the figures come from
    assert len(ws.conditional_formatting) >= 1
    guidance = " ".join(
        str(c) for row in book["Guidance"].iter_rows(values_only=True) for c in row if c
    )
    for m in AGGREGATE_MEASURES:
        assert m.description in guidance


def test_reconciliation_findings_for_figures_that_do_not_add_up(agg):
    values = _la_rows(agg, "805")
    book = openpyxl.load_workbook(io.BytesIO(fill_template(agg, "805", "2025-26")))
    ws = book[INPUT_SHEET]
    cols, rows = _positions(book)
    total = rows[("Total", "Total")]
    offered = values.filter(pl.col("breakdown_topic") == "Total")["families_offered"][0]
    ws.cell(total, cols["families_accepted"]).value = offered + 5  # AGG001 and AGG007
    ws.cell(total, cols["children_referred"]).value = 0  # AGG002 (children < families)
    ws.cell(
        rows[("Stage", "Pre-proceedings (Public Law Outline)")], cols["families_held"]
    ).value = "lots"  # AGG008
    ws.cell(rows[("Sex", "Male")], cols["children_offered"]).value = -1  # AGG008
    out = io.BytesIO()
    book.save(out)
    _, findings = read_template(out.getvalue())
    codes = set(findings["code"])
    assert {"AGG001", "AGG002", "AGG007", "AGG008"} <= codes
    agg001 = findings.filter(pl.col("code") == "AGG001").row(0, named=True)
    assert agg001["row"] == total and agg001["field"] == "families_offered"
    assert agg001["severity"] == "error"
    bad = findings.filter(pl.col("code") == "AGG008")
    assert set(bad["value"]) == {"lots", "-1"}


def test_blank_template_reads_as_zeros_with_a_query():
    frame, findings = read_template(write_template("805", "2025-26"))
    counts = [m.name for m in AGGREGATE_MEASURES if m.unit != "days"]
    values = frame.select(pl.concat_list(counts).explode().drop_nulls())
    assert values.height > 500 and set(values.to_series()) == {0}
    assert frame.select(pl.col("median_days_offer_to_referral")).null_count().item() == frame.height
    assert set(findings["code"]) == {"AGG009"}
    assert findings["severity"].to_list() == ["query"]


def test_wrong_council_or_period_is_reported(agg):
    _, findings = read_template(fill_template(agg, "805", "2025-26"), la="806", period="2024-25")
    assert findings.filter(pl.col("code") == "AGG010").height == 2


def test_is_template_and_validate_template(tmp_path, agg):
    path = tmp_path / "t.xlsx"
    path.write_bytes(fill_template(agg, "805", "2025-26"))
    other = tmp_path / "other.xlsx"
    write_xlsx({"Sheet": pl.DataFrame({"a": [1]})}, other)
    assert is_template(path)
    assert not is_template(other)
    assert not is_template(b"random bytes")
    report = validate_template(path)
    assert report.error_count == 0 and report.rows == _la_rows(agg, "805").height
    assert report.to_json_dict()["errors"] == []
    with pytest.raises(FormatError, match="not an FGC aggregate template"):
        read_template(other)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (os.urandom(4096), "not an Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048), "old-style Excel .xls"),
        (_zip({"xl/workbook.xml": b"\0" * (30 * 1024 * 1024)}), "zip bomb"),
        (_zip({"hello.txt": b"not a workbook"}), "cannot be read"),
        (b"PK\x03\x04" + os.urandom(512), "damaged"),
        (b"", "not an Excel"),
    ],
)
def test_hostile_workbooks_rejected_cleanly(payload, message):
    with pytest.raises(FormatError, match=message):
        read_template(payload)
    assert not is_template(payload)
