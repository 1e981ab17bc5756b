"""CSV reading: encodings, shapes of bad files, row numbers and header matching."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from fgc.formats import ROW_COLUMN, FormatError, read_table, read_table_bytes


def read(data: bytes, name: str = "fgc.csv"):
    return read_table_bytes(data, name)


def test_utf8_with_and_without_bom_read_the_same():
    body = "episode_id,child_id,notes\nE1,C1,café £5\n".encode()
    plain, bom = read(body), read(b"\xef\xbb\xbf" + body)
    assert plain.frame.equals(bom.frame)
    assert bom.frame.columns == [ROW_COLUMN, "episode_id", "child_id", "notes"]
    assert bom.frame["notes"].to_list() == ["café £5"]
    assert bom.encoding == "utf-8"


def test_windows_1252_pound_and_smart_quotes_are_decoded():
    data = "episode_id,notes\nE1,“£100” – café\n".encode("cp1252")
    result = read(data)
    assert result.encoding == "cp1252"
    assert result.frame["notes"].to_list() == ["“£100” – café"]


def test_read_table_from_path(tmp_path: Path):
    path = tmp_path / "Hartlepool Q1.csv"
    path.write_bytes("episode_id\nE1\n".encode("cp1252"))
    result = read_table(path)
    assert result.source == "Hartlepool Q1.csv"
    assert result.frame["episode_id"].to_list() == ["E1"]


def test_missing_file_and_folder_are_format_errors(tmp_path: Path):
    with pytest.raises(FormatError, match="no such file"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(FormatError, match="folder"):
        read_table(tmp_path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("a,b\n1,Łódź Gdańsk\n".encode("iso8859_2"), "character set"),
        ("a,b\n1,Zażółć gęślą jaźń\n".encode("iso8859_2"), "character set"),
        ("a,b\n1,Příliš ťava\n".encode("cp1250"), "not UTF-8 or Windows-1252"),
        (bytes(range(256)) * 4, "binary"),
        (b"a,b\n1,\x07bell\n", "control characters"),
    ],
)
def test_text_in_other_encodings_is_refused(data: bytes, message: str):
    with pytest.raises(FormatError, match=message) as err:
        read(data)
    assert "fgc.csv" in str(err.value)
    assert err.value.exit_code == 2


def test_cp1252_names_that_are_not_gibberish_are_accepted():
    data = "a,b\n1,Zoë Brontë ¼ mile £5 ¿Qué? O’Neill\n".encode("cp1252")
    assert read(data).frame["b"].to_list() == ["Zoë Brontë ¼ mile £5 ¿Qué? O’Neill"]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"   \r\n", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes):
    with pytest.raises(FormatError, match="the file is empty"):
        read(data)


def test_header_only_is_valid_with_no_rows():
    result = read(b"episode_id,child_id\r\n")
    assert result.frame.height == 0
    assert result.frame.columns == [ROW_COLUMN, "episode_id", "child_id"]


def test_blank_rows_are_dropped_but_row_numbers_are_excel_rows():
    data = b'episode_id,notes\nE1,"two\nlines"\n\n,\n  ,  \nE2,x\n'
    frame = read(data).frame
    assert frame["episode_id"].to_list() == ["E1", "E2"]
    assert frame[ROW_COLUMN].to_list() == [2, 6]  # the quoted line break stays within row 2
    assert frame.schema[ROW_COLUMN] == pl.Int64
    assert frame["notes"].to_list() == ["two\nlines", "x"]


def test_leading_blank_lines_keep_file_row_numbers():
    frame = read(b"\n\nepisode_id\nE1\n").frame
    assert frame[ROW_COLUMN].to_list() == [4]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b,c\n1,2,3\n1,2,3,4\n", "row 3 has 4 values"),
        (b"a,b,c\n1,2\n", "row 2 has 2 values"),
        (b'a,b,c\n"x, y",2,3\n\n1,2,3,\n', "row 4 has 4 values"),
    ],
)
def test_ragged_rows_name_the_excel_row(data: bytes, expected: str):
    with pytest.raises(FormatError, match=expected) as err:
        read(data)
    assert "header (row 1) has 3 columns" in str(err.value)


def test_many_ragged_rows_are_summarised():
    data = b"a,b\n" + b"1,2,3\n" * 10
    with pytest.raises(FormatError, match=r"and 7 more rows"):
        read(data)


def test_commas_and_quotes_inside_quoted_values_are_not_ragged():
    frame = read(b'a,b\n"1,""2"",3",x\n').frame
    assert frame["a"].to_list() == ['1,"2",3']


def test_unclosed_quote_is_a_clear_error():
    with pytest.raises(FormatError, match="quote"):
        read(b'a,b\n"1,2\n3,4\n')


def test_semicolon_separated_file_is_explained():
    with pytest.raises(FormatError, match="semicolons or tabs"):
        read(b"episode_id;child_id\nE1;C1\n")


def test_duplicate_headers_are_named():
    with pytest.raises(FormatError, match="'Notes' appears twice") as err:
        read(b"Notes,episode_id,Notes\n1,2,3\n")
    assert "column C" in str(err.value)


def test_two_headers_meaning_the_same_field_are_an_error():
    with pytest.raises(FormatError, match=r"'Episode ID' and 'episode_id'.*episode_id"):
        read(b"Episode ID,episode_id\nE1,E2\n")


def test_blank_header_over_an_empty_column_is_dropped():
    frame = read(b"a,,c\n1,,3\n,,\n").frame
    assert frame.columns == [ROW_COLUMN, "a", "c"]


def test_blank_header_over_values_is_an_error():
    with pytest.raises(FormatError, match=r"column B has no header.*first in row 3"):
        read(b"a,,c\n1,,3\n1,x,3\n")


def test_reserved_row_column_name_is_refused():
    with pytest.raises(FormatError, match="reserved"):
        read(b"__row__,a\n1,2\n")


def test_headers_map_to_field_names_and_labels_and_unknowns_are_kept():
    data = b"Episode ID, child-id ,DATE OF BIRTH,Known to children's social care,Worker\n"
    data += b"E1,C1,2020-01-02,Y,Sam\n"
    result = read(data)
    assert result.frame.columns == [
        ROW_COLUMN,
        "episode_id",
        "child_id",
        "date_of_birth",
        "known_to_csc",
        "Worker",
    ]
    assert result.unknown_columns == ["Worker"]
    assert result.renamed["Episode ID"] == "episode_id"
    assert result.frame.row(0)[1:] == ("E1", "C1", "2020-01-02", "Y", "Sam")


def test_values_stay_text_exactly():
    frame = read(b"family_attendees,date_of_birth,child_id\n007,02/01/2020,0012\n").frame
    assert frame.row(0)[1:] == ("007", "02/01/2020", "0012")
    assert all(frame.schema[c] == pl.Utf8 for c in frame.columns if c != ROW_COLUMN)


def test_ten_thousand_columns():
    headers = ",".join(f"col{i}" for i in range(10_000))
    values = ",".join(str(i) for i in range(10_000))
    result = read(f"{headers}\n{values}\n".encode())
    assert result.frame.width == 10_001
    assert len(result.unknown_columns) == 10_000
    assert result.frame["col9999"].to_list() == ["9999"]


def test_csv_named_xlsx_is_read_as_csv():
    result = read_table_bytes(b"episode_id\nE1\n", "return.xlsx")
    assert result.kind == "csv"
    assert result.frame["episode_id"].to_list() == ["E1"]


@pytest.mark.slow
def test_fifty_megabyte_csv(tmp_path: Path):
    rows = 700_000
    frame = pl.DataFrame(
        {
            "episode_id": pl.int_range(rows, eager=True).cast(pl.Utf8),
            "child_id": pl.repeat("C123456789", rows, eager=True),
            "notes": pl.repeat('Mum said "fine", £ ok – padding text', rows, eager=True),
            "referral_date": pl.repeat("2025-04-01", rows, eager=True),
        }
    )
    path = tmp_path / "big.csv"
    frame.write_csv(path)
    assert path.stat().st_size > 45_000_000
    result = read_table(path)
    assert result.frame.height == rows
    assert result.frame[ROW_COLUMN][-1] == rows + 1
    assert result.frame["notes"][0] == 'Mum said "fine", £ ok – padding text'
