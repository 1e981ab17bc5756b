"""Writers: formula escaping on every text cell, numbers untouched, readable workbooks."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from fgc.formats import (
    ROW_COLUMN,
    escape_formula,
    read_table_bytes,
    safe_sheet_name,
    write_csv,
    write_xlsx,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1429", "'+44 1429"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\rx", "'\rx"),
        ("E1", "E1"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_escape_formula(value: str, expected: str):
    assert escape_formula(value) == expected


def frame_with_formulas() -> pl.DataFrame:
    return pl.DataFrame(
        {
            ROW_COLUMN: [2, 3],
            "episode_id": ["E1", "=1+1"],
            "notes": ["@SUM(A1)", None],
            "family_attendees": [-3, 4],
            "referral_date": [dt.date(2025, 4, 1), None],
        }
    )


def test_write_csv_escapes_text_not_numbers(tmp_path: Path):
    path = tmp_path / "out.csv"
    write_csv(frame_with_formulas(), path)
    text = path.read_text("utf-8")
    assert text.splitlines() == [
        "episode_id,notes,family_attendees,referral_date",
        "E1,'@SUM(A1),-3,2025-04-01",
        "'=1+1,,4,",
    ]


def test_write_csv_bom_for_excel():
    buffer = io.BytesIO()
    write_csv(pl.DataFrame({"a": ["£"]}), buffer, bom=True)
    assert buffer.getvalue().startswith(b"\xef\xbb\xbf")
    assert read_table_bytes(buffer.getvalue(), "x.csv").frame["a"].to_list() == ["£"]


def test_formula_cells_read_from_xlsx_are_escaped_when_written_back(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active.append(["episode_id", "a", "b"])
    wb.active.append(["E1", "=1+1", "@SUM(A1)"])
    source = tmp_path / "in.xlsx"
    wb.save(source)
    read = read_table_bytes(source.read_bytes(), "in.xlsx")
    out = tmp_path / "out.xlsx"
    write_xlsx({"Data": read.frame}, out)
    ws = openpyxl.load_workbook(out)["Data"]
    assert [c.value for c in ws[2]] == ["E1", None, "'@SUM(A1)"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_write_xlsx_types_styles_and_escaping(tmp_path: Path):
    out = tmp_path / "out.xlsx"
    write_xlsx({"Episodes": frame_with_formulas()}, out, formats={"family_attendees": "0"})
    wb = openpyxl.load_workbook(out)
    ws = wb["Episodes"]
    assert [c.value for c in ws[1]] == ["episode_id", "notes", "family_attendees", "referral_date"]
    assert ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert ws["A3"].value == "'=1+1"
    assert ws["A3"].data_type == "s"
    assert ws["B2"].value == "'@SUM(A1)"
    assert ws["C2"].value == -3  # a real number is written as a number, unescaped
    assert ws["D2"].value == dt.datetime(2025, 4, 1)
    assert ws["D2"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["A"].width >= len("episode_id")


def test_write_xlsx_to_a_buffer_and_several_sheets():
    buffer = io.BytesIO()
    write_xlsx({"One": pl.DataFrame({"a": ["x"]}), "Two": pl.DataFrame({"b": [1.5]})}, buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames == ["One", "Two"]
    assert wb["Two"]["A2"].value == 1.5


@pytest.mark.parametrize("name", ["", "a" * 32, "a/b", "x[1]", "History"])
def test_write_xlsx_rejects_bad_sheet_names(tmp_path: Path, name: str):
    with pytest.raises(ValueError, match="worksheet name"):
        write_xlsx({name: pl.DataFrame({"a": [1]})}, tmp_path / "x.xlsx")


def test_safe_sheet_name():
    assert safe_sheet_name("Reason no meeting was held after an offer was accepted") == (
        "Reason no meeting was held afte"
    )
    assert safe_sheet_name("a/b: c?") == "a b  c"
    assert safe_sheet_name("Fields", {"fields"}) == "Fields (2)"
    long = "x" * 40
    assert safe_sheet_name(long, {"x" * 31}) == "x" * 27 + " (2)"
