"""Ceilings checked before a file is read: zip bombs, huge CSVs, absurd widths, UTF-16."""

from __future__ import annotations

import io
import re
import resource
import zipfile
from pathlib import Path

import openpyxl
import pytest

from fgc.formats import FormatError, read_table, read_table_bytes
from fgc.formats.limits import MIB, Limits

SMALL = Limits(max_rows=100, max_columns=20, max_cells=1000)


def workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bomb(rows: int, *, declare: bool = True) -> bytes:
    """A real-looking .xlsx whose one sheet holds ``rows`` identical rows, built as a stream
    so the test itself never holds the unzipped sheet in memory."""
    base = workbook([["child_id", "la_code"], ["C1", "805"]])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                if declare:
                    sheet.write(f'<dimension ref="A1:B{rows}"/>'.encode())
                sheet.write(b"<sheetData>")
                row = b'<row><c t="inlineStr"><is><t>C1</t></is></c></row>'
                block = row * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_limits_come_from_the_environment():
    limits = Limits.from_env(
        {"FGC_MAX_ROWS": "5", "FGC_MAX_UPLOAD_MB": "3", "FGC_MAX_COLUMNS": "x"}
    )
    assert limits.max_rows == 5
    assert limits.max_bytes == 3 * MIB
    assert limits.max_columns == Limits().max_columns  # not a number: the default stands


def test_defaults_allow_a_ten_year_national_file():
    limits = Limits()
    assert limits.max_rows >= 1_000_000
    assert limits.max_columns >= 200
    assert limits.max_cells >= 1_000_000 * 60


def test_zip_bomb_declared_rows_refused_before_reading():
    data = bomb(200_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FormatError, match=r"bomb\.xlsx.*(rows|compressed)") as err:
        read_table_bytes(data, "bomb.xlsx", limits=Limits(max_rows=1000))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200
    assert "ShapeError" not in str(err.value)


def test_sheet_rows_counted_when_dimension_missing_or_lying():
    data = bomb(20_000, declare=False)
    with pytest.raises(FormatError, match=r"more than 1,000 rows|20,000 rows"):
        read_table_bytes(data, "bomb.xlsx", limits=Limits(max_rows=1000))


def test_rows_at_the_limit_pass_and_one_more_is_refused():
    rows = [["child_id", "la_code"], *[[f"C{i}", "805"] for i in range(100)]]
    assert read_table_bytes(workbook(rows), "ok.xlsx", limits=SMALL).frame.height == 100
    with pytest.raises(FormatError, match="rows"):
        read_table_bytes(workbook([*rows, ["C101", "805"]]), "big.xlsx", limits=SMALL)


def test_compression_ratio_per_member():
    data = bomb(100_000)
    with pytest.raises(FormatError, match=r"compressed .* to 1"):
        read_table_bytes(data, "bomb.xlsx", limits=Limits(max_compression_ratio=10))


def test_total_uncompressed_size():
    data = bomb(100_000)
    with pytest.raises(FormatError, match="expands to"):
        read_table_bytes(data, "bomb.xlsx", limits=Limits(max_uncompressed_bytes=MIB))


def test_too_many_columns_in_a_workbook():
    with pytest.raises(FormatError, match="columns"):
        read_table_bytes(
            workbook([[f"c{i}" for i in range(21)], list(range(21))]), "w.xlsx", limits=SMALL
        )


def test_csv_rows_columns_and_bytes():
    header = "child_id,la_code\n"
    ok = header + "C1,805\n" * 100
    assert read_table_bytes(ok.encode(), "ok.csv", limits=SMALL).frame.height == 100
    with pytest.raises(FormatError, match=r"big\.csv has more than 100 rows"):
        read_table_bytes((ok + "C1,805\n").encode(), "big.csv", limits=SMALL)
    wide = ",".join(f"c{i}" for i in range(21)) + "\n"
    with pytest.raises(FormatError, match="21 columns, over the limit of 20"):
        read_table_bytes(wide.encode(), "wide.csv", limits=SMALL)
    with pytest.raises(FormatError, match=r"heavy\.csv is .* MB, over the limit of 1 MB"):
        read_table_bytes(b"a\n" + b"1\n" * MIB, "heavy.csv", limits=Limits(max_bytes=MIB))


def test_file_size_checked_from_the_disk_before_reading(tmp_path: Path):
    path = tmp_path / "heavy.csv"
    path.write_bytes(b"a\n" + b"1\n" * MIB)
    with pytest.raises(FormatError, match="over the limit of 1 MB"):
        read_table(path, limits=Limits(max_bytes=MIB))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_read(codec: str):
    text = "child_id,la_code,ethnicity\nC1,805,WBRI\nC2,805,Zoë\n"
    result = read_table_bytes(text.encode(codec), "unicode.csv")
    assert result.frame["child_id"].to_list() == ["C1", "C2"]
    assert result.frame["ethnicity"].to_list() == ["WBRI", "Zoë"]
    assert result.encoding == "utf-16"


def test_a_huge_value_in_one_cell_is_refused_naming_its_row_and_column():
    # One 20 MB cell once made validation use 3.6 GB (every rule copied it).
    limits = Limits(max_cell_chars=50)
    ok = "child_id,reason\nC1," + "x" * 50 + "\n"
    assert read_table_bytes(ok.encode(), "ok.csv", limits=limits).frame.height == 1
    bad = "child_id,reason\nC1,short\nC2," + "x" * 51 + "\n"
    with pytest.raises(FormatError) as err:
        read_table_bytes(bad.encode(), "long.csv", limits=limits)
    assert str(err.value).startswith("long.csv, row 3, column reason: a value of 51 characters")
    assert "over the limit of 50" in str(err.value)
    sheet = workbook([["child_id", "reason"], ["C1", "x" * 51]])
    with pytest.raises(FormatError, match=r"row 2, column reason: a value of 51 characters"):
        read_table_bytes(sheet, "long.xlsx", limits=limits)


def test_default_cell_ceiling_is_excels_own():
    assert Limits().max_cell_chars == 32_767
    assert Limits.from_env({"FGC_MAX_CELL_CHARS": "1000"}).max_cell_chars == 1000


def test_an_absurdly_long_csv_line_is_refused_before_decoding():
    limits = Limits(max_line_bytes=1024)
    fine = b"child_id,reason\n" + b"C1," + b"x" * 1000 + b"\n"
    assert read_table_bytes(fine, "fine.csv", limits=limits).frame.height == 1
    long = b"child_id,reason\nC1,ok\nC2," + b"x" * 5000 + b"\n"
    with pytest.raises(FormatError, match=r"long\.csv: line 3 is longer than 1 KB"):
        read_table_bytes(long, "long.csv", limits=limits)


@pytest.mark.parametrize("start", [b'<?xml version="1.0"?><Message>', b"\xef\xbb\xbf\n<Message>"])
def test_an_xml_file_is_named_as_xml_not_as_a_bad_csv(start: bytes):
    with pytest.raises(FormatError, match=r"cin\.xml is an XML file, not a table"):
        read_table_bytes(start + b"<Header/></Message>", "cin.xml")


def test_a_sheet_with_entities_is_refused_without_the_readers_own_words():
    # An XML entity bomb (or an external entity) in a sheet is never expanded, and the
    # user is told what to do, not "calamine error: Xlsx error: Xml error: …".
    source = workbook([["child_id", "la_code"], ["C1", 805]])
    zin = zipfile.ZipFile(io.BytesIO(source))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                cut = text.index("?>") + 2 if "?>" in text else 0
                doctype = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                text = text[:cut] + doctype + text[cut:]
                text = re.sub(
                    r'<c r="A2"[^>]*>.*?</c>',
                    '<c r="A2" t="inlineStr"><is><t>&e;</t></is></c>',
                    text,
                    count=1,
                )
                assert "&e;" in text
                data = text.encode()
            z.writestr(item.filename, data)
    with pytest.raises(FormatError) as err:
        read_table_bytes(out.getvalue(), "xxe.xlsx")
    message = str(err.value)
    assert "could not be read" in message and "save it again" in message
    assert "calamine" not in message and "passwd" not in message and "root:" not in message
