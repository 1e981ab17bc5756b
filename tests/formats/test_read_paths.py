"""The fast ways of reading a CSV give exactly what the exact way gives, on every shape of file.

``csv_reader._read_even`` (files without quote marks whose rows all have the header's width),
``encoding._is_utf8`` (checking UTF-8 without decoding the whole file) and, for a large file
on disk, ``reader._read_csv_on_disk`` (counted in pieces, parsed from its path) are shortcuts:
each test reads a file both with and without them and compares results or messages.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from fgc.formats import (
    FormatError,
    byte_counts,
    csv_reader,
    encoding,
    read_table,
    read_table_bytes,
    reader,
)
from fgc.formats.limits import Limits
from fgc.formats.result import ReadResult

SHAPES = [
    b"a,b,c\n1,2,3\n4,5,6\n",
    b"a,b,c\n1,2,3\n4,5,6",  # no final line break
    b"a,b,c\r\n1,,\r\n,2,3\r\n",  # CRLF and empty cells
    b"a,b,c\n1,2,\n,,\n",  # trailing commas; a blank row of commas
    b"a,b,c\n1,2,3\n\n4,5,6\n",  # an empty line between rows
    b"a,b,c\n1,2,3\n\n",  # an empty line at the end
    b"a,b,c\n1,2,3\n   \n",  # a line of spaces
    b"\n\n a , b ,c\n1,2,3\n",  # blank lines before the header
    b",,\na,b,c\n1,2,3\n",  # a blank row of commas before the header
    b"a,b,c\n1,2\n",  # short row
    b"a,b,c\n1,2,3,4\n",  # long row
    b"a,b,c\n1,2\n1,2,3,4\n",  # a short and a long row: the commas add up
    b"a,b,c\n" + b"1,2,3\n" * 3000 + b"1,2,3,4\n" + b"1,2,3\n" * 3000,
    b"a,b,c\n" + b"1,2,3\n" * 3000 + b"1,2\n",
    b"a,b,c\n1,2,3\r4,5,6\n",  # a lone carriage return
    b"a\n1\n\n2\n",  # one column with an empty line
    b"a\n1\n2",
    b"a;b\n1;2\n",  # semicolons
    b"a\tb\n1\t2\n",  # tabs
    b"a,b\n",  # header only
    b"a,,c\n1,,3\n1,x,3\n",  # a value under a blank header
    "a,b\n\u00a0,\u2003\né,ü\n".encode(),  # non-ASCII spaces make a blank row
    "\u00a0\na,b\n1,2\n".encode(),  # a non-ASCII space before the header
    "a,b\n1,£\n1,£,x\n".encode("cp1252"),
    "a,b\n1,£\n".encode("utf-16"),
    b'a,b\n"1,2",3\n',  # quotes: the exact path
    b"a,b\n1,2\n" * 2 + b",\n,,,\n",
]


def _outcome(data: bytes, limits: Limits | None = None) -> tuple[str, object]:
    try:
        result: ReadResult = read_table_bytes(data, "f.csv", limits=limits)
    except FormatError as err:
        return "error", str(err)
    return "read", (result.frame.rows(), result.frame.schema, result.unknown_columns)


@pytest.mark.parametrize("data", SHAPES)
def test_even_rows_shortcut_changes_nothing(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _outcome(data)
    monkeypatch.setattr(csv_reader, "_read_even", lambda *args: None)
    assert fast == _outcome(data)


def test_shortcut_is_taken_for_an_even_file_and_not_for_a_ragged_one() -> None:
    even = b"a,b,c\n1,2,3\n4,5,6\n"
    grid, first = csv_reader._read_even(even, even.decode(), "f.csv") or (None, None)
    assert grid is not None and grid.rows() == [("a", "b", "c"), ("1", "2", "3"), ("4", "5", "6")]
    assert first == 0
    ragged = b"a,b,c\n1,2\n1,2,3,4\n"
    assert csv_reader._read_even(ragged, ragged.decode(), "f.csv") is None


@pytest.mark.parametrize("data", [b",,,\n", b", ,\n\n,\n", b"\t,\r\n"])
def test_a_file_of_only_commas_and_spaces_is_empty(data: bytes) -> None:
    with pytest.raises(FormatError, match=r"f\.csv: the file is empty"):
        read_table_bytes(data, "f.csv")


@pytest.mark.parametrize(
    "data",
    [
        "a,b\n1,café £5 – “x” 😀\n".encode(),
        "a,b\n1,café\n".encode()[:-2],  # a character cut at the end
        b"a,b\n1,\xe9\n",  # Windows-1252, not UTF-8
        b"a,b\n1,\xed\xa0\x80\n",  # an encoded surrogate is not UTF-8
        b"a,b\n1,\xf0\x9f\x98\n2,3\n",  # a character cut in the middle
    ],
)
@pytest.mark.parametrize("piece", [1, 2, 3, 1 << 20])
def test_utf8_checked_in_pieces_as_decode_would(
    data: bytes, piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoding, "_UTF8_PIECE", piece)
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert encoding._is_utf8(data) is valid


def test_head_text_keeps_whole_characters() -> None:
    body = ("😀" * (csv_reader._HEAD_CHARS + 5)).encode()
    assert csv_reader._head_text(body) == "😀" * csv_reader._HEAD_CHARS
    assert csv_reader._head_text("a,é\n".encode()) == "a,é\n"


@pytest.mark.parametrize("data", SHAPES)
def test_byte_counts_without_numpy_equal_numpy_counts(
    data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small files count with bytes.count (numpy's import costs more than it saves there).
    body = data + b'"x,\n' * 70_000
    for start in (0, 1, 7):
        monkeypatch.setattr(byte_counts, "_NUMPY_FROM", 1 << 40)
        plain = byte_counts.count_bytes(body, b',\n"', start)
        monkeypatch.setattr(byte_counts, "_NUMPY_FROM", 0)
        assert byte_counts.count_bytes(body, b',\n"', start) == plain
        assert plain == [body[start:].count(b) for b in (b",", b"\n", b'"')]


# Shapes for the one-pass byte counts (line breaks, commas, control bytes) that the size
# check, the encoding check and the even-rows shortcut share: every control byte, and the
# bytes next to them that are not controls (tab, CR, LF, space, DEL's neighbours).
COUNT_SHAPES = [
    *SHAPES,
    *(b"a,b\n1,x" + bytes((c,)) + b"y\n" for c in (*range(0x20), 0x7E, 0x7F, 0x80, 0xFF)),
    b"\xef\xbb\xbfa,b\r\n1,2\r\n",  # a BOM and CRLF
    b"\xef\xbb\xbf\n\n,\na,b\n1,2\n",  # a BOM, then blank lines before the header
    b"a,b\t\n1,\t2\r\n3,4\r",  # tabs and carriage returns, no control
    b"a,b\r\n1,2\r\n3,\x07\r\n",  # CRLF with a control
    b"a,b\r\n1,2\r\n3,\x7f\r\n",
    b"a,b\r\n1,2\r3,4\r\r\n",  # more CRs than LFs
    b"a,b\r\n1,2\x0b\r\n",  # a vertical tab (a control) beside CRLF
    b"a,b\n1,\x00\n",  # a zero byte: binary, not text
    b"\xef\xbb\xbf\x00a,b\n",
    b"\xef\xbb\xbf \r\n<?xml version='1.0'?>\n",  # XML after a BOM and blank space
    b"\xef\xbb\xbf\xef\xbb\xbf <Message>\n",
    b"\t\n<Mess,b\n1,2\n",
    b" <?xm,b\n1,2\n",  # not quite XML
]


def _big(data: bytes) -> bytes:
    """``data`` with enough even rows after it to span several numpy pieces."""
    width = data.split(b"\n", 1)[0].count(b",") + 1
    row = b",".join([b"v"] * width) + b"\n"
    return (data if data.endswith(b"\n") else data + b"\n") + row * 100_000


@pytest.mark.parametrize("data", COUNT_SHAPES)
@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("numpy_from", [0, 1 << 40])
def test_one_pass_counts_equal_separate_counts(
    data: bytes, big: bool, numpy_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(byte_counts, "_NUMPY_FROM", numpy_from)
    body = _big(data) if big else data
    counts = byte_counts.count_csv_bytes(body)
    assert counts.breaks == body.count(b"\n")
    assert counts.commas == body.count(b",")
    assert counts.controls == bool(body.translate(None, encoding.NOT_CONTROL))


@pytest.mark.parametrize("data", COUNT_SHAPES)
@pytest.mark.parametrize("big", [False, True])
def test_numpy_counts_change_no_result_or_message(
    data: bytes, big: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shared counts (numpy above a size, bytes.count below) against each check counting
    # for itself, as before: the same frame or the same message.
    body = _big(data) if big else data
    monkeypatch.setattr(byte_counts, "_NUMPY_FROM", 0)
    shared = _outcome(body)
    monkeypatch.setattr(byte_counts, "_NUMPY_FROM", 1 << 40)
    assert shared == _outcome(body)
    monkeypatch.setattr(csv_reader, "_read_even", lambda *args: None)
    assert shared == _outcome(body)


@pytest.mark.parametrize("numpy_from", [0, 1 << 40])
def test_a_control_byte_deep_in_a_large_file_is_found(
    numpy_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(byte_counts, "_NUMPY_FROM", numpy_from)
    body = _big(b"a,b\n1,2\n")
    at = len(body) - 1000
    bad = body[:at] + b"\x07" + body[at:]
    with pytest.raises(FormatError, match="control characters"):
        read_table_bytes(bad, "f.csv")


# Cell lengths: a CSV without quote marks whose every line is shorter than the cell limit
# cannot hold a cell over it, so the grid's check is skipped; these shapes sit on each side.
LIMIT = 50  # Limits.max_cell_chars in these tests
CELL_SHAPES = [
    b"a,b\n1," + b"x" * LIMIT + b"\n",  # at the limit
    b"a,b\n1," + b"x" * (LIMIT + 1) + b"\n",  # one over
    b"a,b\n1," + b"x" * (LIMIT - 1) + b"\r\n",  # CRLF: the CR is not a character of the cell
    b"a,b\n1," + b"x" * (LIMIT + 1),  # over, on a last line without a line break
    b"a,b\n" + b"x" * (LIMIT + 1) + b",1\n",  # over, in the first column
    b"a," + b"h" * (LIMIT + 1) + b"\n1,2\n",  # a header over the limit
    b"a,b\n" + b",".join([b"x" * 20] * 2) + b"\n",  # a line over the limit, no cell over
    b"a,b\n" + (b"1," + b"x" * (LIMIT - 3) + b"\n") * 40,  # lines just under, many windows
    ("a,b\n1," + "é" * LIMIT + "\n").encode(),  # bytes over the limit, characters at it
    ("a,b\n1," + "é" * (LIMIT + 1) + "\n").encode(),
    ("a,b\n1," + "é" * (LIMIT + 1) + "\n").encode("cp1252"),
    ("a,b\n1," + "é" * (LIMIT + 1) + "\n").encode("utf-16"),
    b'a,b\n1,"' + b"x\n" * LIMIT + b'"\n',  # a quoted value over several lines
    b'a,b\n1,"' + b"x" * (LIMIT + 1) + b'"\n',
    b"a,b\n1,\xe9" + b"x" * LIMIT + b"\n",  # Windows-1252, over
]


@pytest.mark.parametrize("data", CELL_SHAPES)
@pytest.mark.parametrize("limit", [LIMIT, 2 * LIMIT, 1])
def test_cell_length_shortcut_changes_nothing(
    data: bytes, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = Limits(max_cell_chars=limit)
    fast = _outcome(data, limits)
    monkeypatch.setattr(reader, "cells_fit", lambda *args: False)
    assert fast == _outcome(data, limits)


def test_cell_length_shortcut_is_taken_only_when_no_cell_can_be_over() -> None:
    limits = Limits(max_cell_chars=LIMIT)
    assert csv_reader.cells_fit(b"a,b\n" + (b"1,2\n" * 1000), limits)
    # Lines under half the limit always fit; up to the limit, depending where they fall.
    assert csv_reader.cells_fit(b"a,b\n1," + b"x" * (LIMIT // 2 - 4) + b"\n", limits)
    assert not csv_reader.cells_fit(b"a,b\n1," + b"x" * (LIMIT + 1) + b"\n", limits)
    assert not csv_reader.cells_fit(b'a,b\n1,"2"\n', limits)  # quoted: the exact check


@pytest.mark.parametrize(
    "data",
    [b"", b"a", b" ", b"\xef\xbb\xbf", b"\xbb\xef \t\r\n<?xml", b"\n\n\xef\xbb\xbfa\n", b"\x0b a"],
)
def test_leading_blank_is_what_lstrip_strips(data: bytes) -> None:
    assert reader._leading_blank(data) == len(data) - len(data.lstrip(reader._BLANK_BYTES))


# A CSV on disk (read_table): from a size (64 MB), counted a piece at a time and parsed by
# polars from its path (reader._read_csv_on_disk); every other file, or any sign of trouble,
# is read as bytes. Each shape is read both ways, with the size threshold at 0 and pieces
# small enough for lines and windows to cross them.
DISK_SHAPES = [
    *COUNT_SHAPES,
    *CELL_SHAPES,
    b"\xef\xbb\xbfa,b,c\n1,2,3\n4,5,6\n",  # a BOM (polars skips it reading a path too)
    b"\xef\xbb\xbf\n\n,,\na,b,c\n1,2,3\n",  # a BOM, then blank lines before the header
    "a,b\n1,café £5 – “x” 😀\n2,ü\n".encode(),  # UTF-8 beyond ASCII
    "a,b\n1,café\n".encode()[:-2],  # a character cut at the end
    b"a,b\n1,\xf0\x9f\x98\n2,3\n",  # a character cut in the middle
    "a,b\n1,é\x7f\n".encode(),  # DEL (a control) beside a non-ASCII letter
    b"a,a\n1,2\n",  # a header twice: build_table's message
    b"PK\x03\x04not really a workbook",
    b"",
    b"a,b\n" + b"1,2\n" * 5000,  # many windows of the cell check
]


def _disk_outcome(path: Path, limits: Limits | None = None) -> tuple[str, object]:
    try:
        result: ReadResult = read_table(path, limits=limits)
    except FormatError as err:
        return "error", str(err)
    frame = result.frame
    return "read", (frame.rows(), frame.schema, result.unknown_columns, result.encoding)


def _bytes_outcome(data: bytes, limits: Limits | None = None) -> tuple[str, object]:
    try:
        result: ReadResult = read_table_bytes(data, "f.csv", limits=limits)
    except FormatError as err:
        return "error", str(err)
    frame = result.frame
    return "read", (frame.rows(), frame.schema, result.unknown_columns, result.encoding)


@pytest.fixture
def on_disk(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every CSV goes the on-disk way; the paths it read without the bytes are listed."""
    monkeypatch.setattr(reader, "_ON_DISK_FROM", 0)
    taken: list[Path] = []
    inner = reader._read_csv_on_disk

    def spy(path: Path, *args: object) -> ReadResult | None:
        result = inner(path, *args)  # type: ignore[arg-type]
        if result is not None:
            taken.append(path)
        return result

    monkeypatch.setattr(reader, "_read_csv_on_disk", spy)
    return taken


@pytest.mark.parametrize("data", DISK_SHAPES)
@pytest.mark.parametrize("piece", [5, 64, 1 << 18])
@pytest.mark.parametrize("limits", [None, Limits(max_cell_chars=LIMIT, max_line_bytes=64)])
def test_a_file_read_from_disk_reads_as_its_bytes(
    data: bytes,
    piece: int,
    limits: Limits | None,
    on_disk: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(byte_counts, "_PIECE", piece)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert _disk_outcome(path, limits) == _bytes_outcome(data, limits)


def test_an_even_utf8_file_is_parsed_from_its_path(
    on_disk: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "[x]*.csv"  # a name polars would take for a pattern, were glob on
    path.write_bytes("\xef\xbb\xbfa,b\n1,é\n".encode() + b"2,3\n" * 1000)
    monkeypatch.setattr(reader, "read_table_bytes", None)  # the bytes are never read
    result = read_table(path)
    assert on_disk == [path]
    assert result.frame.height == 1001 and result.encoding == "utf-8"
    assert result.frame.row(0) == (2, "1", "é")


@pytest.mark.parametrize(
    "data",
    [
        b'a,b\n1,"2"\n',  # quotes
        b"a,b\n1,2\n3\n",  # a short row
        b"a,b\n1,\x07\n",  # a control byte
        b"a,b\n1,\xe9\n",  # Windows-1252
        "a,b\n1,2\n".encode("utf-16"),
    ],
)
def test_files_the_even_path_cannot_read_are_read_as_bytes(
    data: bytes, on_disk: list[Path], tmp_path: Path
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert _disk_outcome(path) == _bytes_outcome(data)
    assert on_disk == []


@pytest.mark.parametrize(
    "limits",
    [
        Limits(max_rows=2),
        Limits(max_columns=1),
        Limits(max_cells=5),
        Limits(max_line_bytes=8),
        Limits(max_bytes=10),
    ],
)
def test_every_ceiling_is_checked_before_the_parse_with_the_same_message(
    limits: Limits, on_disk: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"a,b\n1,2\n3,4\n5,6\n7,8\n" + b"x" * 20 + b",y\n"
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    parsed: list[object] = []
    inner = csv_reader._polars_grid

    def spy(source: bytes | str, *args: object, **kwargs: object) -> object:
        parsed.append(source)
        return inner(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_reader, "_polars_grid", spy)
    outcome = _disk_outcome(path, limits)
    assert outcome[0] == "error"
    assert outcome == _bytes_outcome(data, limits)
    assert on_disk == [] and not [s for s in parsed if isinstance(s, str)]


@pytest.mark.parametrize(
    "change",
    [
        b"a,b\n1,2\n3,4\n5,6\n",  # more rows
        b"a,b,c\n1,2,3\n",  # another width
        b'a,b\n1,"2\n',  # an unclosed quote
        b"a,b\n1,\x00\n",  # binary
        b"",  # emptied
        None,  # deleted
    ],
)
def test_a_file_changed_between_the_checks_and_the_parse_is_read_again(
    change: bytes | None, on_disk: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n1,2\n")
    inner = csv_reader._polars_grid

    def changed(source: bytes | str, *args: object, **kwargs: object) -> object:
        if isinstance(source, str):  # the file, after its checks: change it under the reader
            if change is None:
                path.unlink()
            else:
                path.write_bytes(change)
                os.utime(path, ns=(0, 0))  # its time changes anyway; its size may not
        return inner(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_reader, "_polars_grid", changed)
    outcome = _disk_outcome(path)
    if change is None:
        assert outcome == ("error", f"{path}: no such file.")
    else:
        assert outcome == _bytes_outcome(change)
    assert on_disk == []


@pytest.mark.parametrize("data", DISK_SHAPES)
@pytest.mark.parametrize("piece", [3, 64, 1 << 18])
def test_file_scan_counts_as_the_bytes_are_counted(
    data: bytes, piece: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(byte_counts, "_PIECE", piece)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    limits = Limits(max_cell_chars=LIMIT, max_line_bytes=64)
    with path.open("rb") as file:
        scan = byte_counts.scan_csv_file(file, limits.max_line_bytes, (LIMIT + 2) // 2)
    counts = byte_counts.count_csv_bytes(data)
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    try:
        csv_reader._check_line_lengths(data, "f.csv", limits)
        long_line = False
    except FormatError:
        long_line = True
    if b'"' in data or counts.controls or not utf8 or long_line:
        assert scan is None
        return
    assert scan is not None
    assert (scan.size, scan.breaks, scan.commas) == (len(data), counts.breaks, counts.commas)
    assert scan.ends_with_break == data.endswith(b"\n")
    assert scan.cells_fit == csv_reader.cells_fit(data, limits)


def test_a_pipe_is_read_once_as_bytes(on_disk: list[Path], tmp_path: Path) -> None:
    # A named pipe must be opened once: a reader opening it to look, then again to read,
    # would leave the writer with no reader (EPIPE) and itself waiting for another writer.
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    data = b"a,b\n1,2\n"
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with fifo.open("wb") as out:
                out.write(data)
        except OSError as exc:
            errors.append(exc)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    results: list[tuple[str, object]] = []
    reading = threading.Thread(target=lambda: results.append(_disk_outcome(fifo)), daemon=True)
    reading.start()
    reading.join(timeout=10)
    if reading.is_alive():  # let the stuck reader go before failing
        with fifo.open("wb"):
            pass
        reading.join(timeout=10)
    writer.join(timeout=10)
    assert results == [_bytes_outcome(data)] and not errors
