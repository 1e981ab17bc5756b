"""The row-width check counts fields per record over the bytes, with and without quotes."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fgc.formats import FormatError, csv_reader, read_table_bytes


def widths(data: bytes) -> list[int]:
    return csv_reader._record_widths_chunked(data).to_list()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b,c\n1,2,3\n1,2\n", [3, 3, 2]),  # no quotes: the fast path
        (b"a,b,c\n1,2,3", [3, 3]),  # no final line break
        (b"a,b\n\n,\n  ,\t\r\n1,2\r\n", [2, 0, 0, 0, 2]),  # blank records are 0
        (b'a,b\n"x,y",2\n"p\nq,r",3\n', [2, 2, 2]),  # separators and breaks inside quotes
        (b'a,b\n"1,""2"",3",x\n', [2, 2]),  # doubled quotes inside a quoted value
        (b'a,b\n"x,y",2,3\n1\n', [2, 3, 1]),  # ragged rows around a quoted value
        (b'a,b\n"",\n', [2, 2]),  # an empty quoted value is a value, not a blank record
        (b'a,b\n1,2\n"3,4\n5\n', [2, 2, 2, 1]),  # an unpaired quote is an ordinary character
        ("a,b\n\u00a0,\u2003\né,ü\n".encode(), [2, 0, 2]),  # non-ASCII space is blank
        ('a,b\n"\u00a0",x\n'.encode(), [2, 2]),
    ],
)
def test_record_widths(data: bytes, expected: list[int]) -> None:
    assert widths(data) == expected


def test_chunks_never_split_a_quoted_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_reader, "_CHUNK_BYTES", 8)
    data = b'a,b\n"1,\n2\n3,4",x\n5,6\n7,8,9\n'
    assert widths(data) == [2, 2, 2, 3]


def test_ragged_row_after_quoted_line_breaks_names_its_excel_row() -> None:
    data = b'a,b,c\n"two\nlines",2,3\n1,"x,y",3,4\n'
    with pytest.raises(FormatError, match=r"row 3 has 4 values") as err:
        read_table_bytes(data, "f.csv")
    assert "header (row 1) has 3 columns" in str(err.value)


def test_ragged_rows_without_quotes_are_all_counted() -> None:
    data = b"a,b\n" + b"1,2\n" * 5 + b"1\n" + b"1,2,3\n" * 4
    with pytest.raises(FormatError, match=r"row 7 has 1 value; row 8 has 3 values") as err:
        read_table_bytes(data, "f.csv")
    assert "(and 2 more rows)" in str(err.value)


def _reference_widths(chunk: bytes) -> list[int]:
    """The width count before issue 13 (binary searches over byte positions), kept as the
    reference the faster count must match on every input."""
    a = np.frombuffer(chunk, dtype=np.uint8)
    space = np.zeros(256, dtype=bool)
    space[[9, 11, 12, 13, 32]] = True
    commas = np.flatnonzero(a == ord(","))
    breaks = np.flatnonzero(a == ord("\n"))
    spaces = np.flatnonzero(space[a])
    high = np.flatnonzero(a >= 0x80)
    quotes = np.flatnonzero(a == ord('"'))
    openings = quotes[:0]
    if len(quotes):
        pairs = quotes[: 2 * (len(quotes) // 2)]
        openings = pairs[::2]
        commas, breaks, spaces, high = (
            p[np.searchsorted(pairs, p) % 2 == 0] for p in (commas, breaks, spaces, high)
        )
    ends = breaks
    if len(a) and (not len(breaks) or breaks[-1] != len(a) - 1):
        ends = np.append(ends, len(a))
    starts = np.concatenate(([0], breaks + 1))[: len(ends)]

    def per_line(pos: np.ndarray) -> np.ndarray:
        return np.searchsorted(pos, ends) - np.searchsorted(pos, starts)

    n_commas, n_high = per_line(commas), per_line(high)
    blank = (per_line(openings) == 0) & (ends - starts == n_commas + per_line(spaces) + n_high)
    for i in np.flatnonzero(blank & (n_high > 0)):
        blank[i] = re.fullmatch(r"[,\s]*", chunk[starts[i] : ends[i]].decode()) is not None
    return np.where(blank, 0, n_commas + 1).tolist()


_PIECES = [b"a", b",", b'"', b"\n", b"\r", b" ", b"\t", *(c.encode() for c in "é\u00a0\u2003")]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(1, 64))
def test_widths_match_the_reference_on_any_bytes(pieces: list[bytes], chunk: int) -> None:
    data = b"".join(pieces)
    assert csv_reader.record_widths(data).to_list() == _reference_widths(data)
    csv_reader._CHUNK_BYTES, saved = chunk, csv_reader._CHUNK_BYTES
    try:
        assert widths(data) == _reference_widths(data)
    finally:
        csv_reader._CHUNK_BYTES = saved
