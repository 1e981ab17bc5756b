"""XLSX reading: sheets, cell types as text, formulas never evaluated, bad workbooks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from fgc.formats import ROW_COLUMN, FormatError, read_table, read_table_bytes

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def workbook_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_cells_come_out_as_text_dates_iso_and_integers_plain():
    data = workbook_bytes(
        {
            "Data": [
                ["Episode ID", "Date of birth", "Family attendees", "score", "when"],
                ["E1", dt.date(2020, 1, 5), 3, 2.5, dt.datetime(2024, 3, 1, 13, 4)],
                ["E2", "2021-02-03", 0, -2, None],
            ]
        }
    )
    result = read_table_bytes(data, "fgc.xlsx")
    assert result.kind == "xlsx"
    assert result.sheet == "Data"
    frame = result.frame
    assert frame.columns == [
        ROW_COLUMN,
        "episode_id",
        "date_of_birth",
        "family_attendees",
        "score",
        "when",
    ]
    assert frame.row(0)[1:5] == ("E1", "2020-01-05", "3", "2.5")
    assert frame["when"][0].startswith("2024-03-01 13:04")  # a real time of day is kept
    assert frame.row(1)[1:5] == ("E2", "2021-02-03", "0", "-2")
    assert result.unknown_columns == ["score", "when"]


def test_first_sheet_by_default_and_named_sheet_on_request(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(
        workbook_bytes({"Notes": [["read me"], ["x"]], "FGC": [["episode_id"], ["E9"]]})
    )
    assert read_table(path).frame.columns == [ROW_COLUMN, "read me"]
    result = read_table(path, sheet="fgc")  # sheet names match regardless of case
    assert result.sheet == "FGC"
    assert result.frame["episode_id"].to_list() == ["E9"]


def test_missing_sheet_lists_the_sheets():
    data = workbook_bytes({"Notes": [["a"]], "FGC": [["b"]]})
    with pytest.raises(FormatError, match="no sheet named 'Data'; its sheets are 'Notes', 'FGC'"):
        read_table_bytes(data, "book.xlsx", sheet="Data")


def test_empty_sheet():
    data = workbook_bytes({"Data": [], "Other": [["a"], ["1"]]})
    with pytest.raises(FormatError, match=r"book.xlsx \(sheet 'Data'\) is empty"):
        read_table_bytes(data, "book.xlsx")


def test_header_only_sheet_has_no_rows():
    frame = read_table_bytes(workbook_bytes({"Data": [["episode_id", "child_id"]]}), "b.xlsx").frame
    assert frame.height == 0
    assert frame.columns == [ROW_COLUMN, "episode_id", "child_id"]


def test_row_numbers_are_sheet_rows_with_blank_rows_dropped():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "episode_id", "child_id"  # table starts at B3
    ws["B4"], ws["C4"] = "E1", "C1"
    ws["B7"], ws["C7"] = "E2", "C2"
    ws["D5"] = None
    out = io.BytesIO()
    wb.save(out)
    frame = read_table_bytes(out.getvalue(), "b.xlsx").frame
    assert frame[ROW_COLUMN].to_list() == [4, 7]
    assert frame["episode_id"].to_list() == ["E1", "E2"]


def test_blank_header_error_uses_the_sheet_column_letter():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"], ws["D1"] = "episode_id", "child_id"
    ws["B2"], ws["C2"], ws["D2"] = "E1", "stray", "C1"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(FormatError, match=r"column C has no header in row 1.*first in row 2"):
        read_table_bytes(out.getvalue(), "b.xlsx")


def test_formula_cells_are_never_evaluated():
    data = workbook_bytes({"Data": [["episode_id", "a", "b"], ["E1", "=1+1", "@SUM(A1)"]]})
    frame = read_table_bytes(data, "f.xlsx").frame
    # openpyxl stores no cached value, so the formula reads as blank (never "2", never code)
    assert frame["a"].to_list() == [None]
    assert frame["b"].to_list() == ["@SUM(A1)"]


def test_old_xls_is_refused_with_save_as_advice(tmp_path: Path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE + bytes(2000))
    with pytest.raises(FormatError, match=r"Excel 97-2003 workbook \(.xls\).*save it as"):
        read_table(path)


def test_encrypted_workbook_is_refused():
    data = OLE + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    with pytest.raises(FormatError, match="password-protected"):
        read_table_bytes(data, "secret.xlsx")


def test_random_bytes_named_xlsx():
    data = bytes((i * 37 + 11) % 256 for i in range(5000))
    with pytest.raises(FormatError, match=r"neither an \.xlsx workbook nor a CSV"):
        read_table_bytes(data, "return.xlsx")


def test_corrupt_zip_named_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(FormatError, match="could not be opened as an Excel workbook"):
        read_table_bytes(buffer.getvalue(), "return.xlsx")
    with pytest.raises(FormatError, match="could not be opened as an Excel workbook"):
        read_table_bytes(b"PK\x03\x04" + bytes(100), "return.xlsx")


def test_xlsx_named_csv_is_read_as_xlsx():
    data = workbook_bytes({"Data": [["episode_id"], ["E1"]]})
    result = read_table_bytes(data, "actually.csv")
    assert result.kind == "xlsx"
    assert result.frame["episode_id"].to_list() == ["E1"]


def test_duplicate_headers_in_a_sheet():
    data = workbook_bytes({"Data": [["Child ID", "child_id"], ["C1", "C2"]]})
    with pytest.raises(FormatError, match=r"'Child ID' and 'child_id'.*child_id"):
        read_table_bytes(data, "d.xlsx")
