"""Stream mode reads UTF-16 CSVs (Excel's "Unicode Text") as read_table does: transcoded to
UTF-8 a block at a time, with a character split across blocks (mid code unit or between the
two halves of a surrogate pair) and the BOM handled."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from fgc.engine.stream import validate_stream
from fgc.engine.stream.chunks import _CsvChunks
from fgc.engine.stream.scan import _scan
from fgc.engine.stream.transcode import Utf16AsUtf8
from fgc.formats import FormatError, read_table
from fgc.formats.limits import Limits
from fgc.standard import load_standard
from tests.engine.rules.builders import REF, frame, row
from tests.engine.test_stream import _same

ODD = "É😁£"  # two bytes, a surrogate pair (four bytes) and two bytes in UTF-16
# (codec used to write the file, BOM written before it)
CODECS = {
    "le with BOM": ("utf-16-le", b"\xff\xfe"),
    "be with BOM": ("utf-16-be", b"\xfe\xff"),
    "le without BOM": ("utf-16-le", b""),
    "be without BOM": ("utf-16-be", b""),
}


def _text() -> str:
    rows = [row(child_id=f"C{i}") for i in range(12)]
    rows[4] = row(child_id="C4", ethnicity=f"W{ODD}")  # an invalid code holding the odd chars
    rows[9] = row(child_id=f"C{ODD}", ethnicity="WBRI")
    rows.append(row(child_id=f"C{ODD}"))  # a duplicate episode keyed on the odd text
    df = frame(rows).with_columns(pl.lit(f"note {ODD}").alias("Notes"))
    return df.write_csv()


def _write(tmp_path: Path, name: str) -> tuple[Path, bytes, int]:
    """The file, its bytes, and the byte offset of the first surrogate pair in it."""
    codec, bom = CODECS[name]
    text = _text()
    data = bom + text.encode(codec)
    at = len(bom) + len(text[: text.index("😁")].encode(codec))
    path = tmp_path / "unicode.csv"
    path.write_bytes(data)
    return path, data, at


def _table(path: Path, block: int) -> pl.DataFrame:
    lim, std = Limits(), load_standard()
    reader = _CsvChunks(path, _scan(path, path.name, lim), path.name, std, lim, block)
    return pl.concat(list(reader.chunks(5)))


@pytest.mark.parametrize("name", list(CODECS))
@pytest.mark.parametrize("split", [1, 2, 3])  # mid first unit, between the pair, mid second
def test_utf16_same_findings_with_a_character_on_the_block_boundary(
    tmp_path: Path, name: str, split: int
) -> None:
    path, _, at = _write(tmp_path, name)
    block = at + split  # the first block ends inside the surrogate pair
    assert_frame_equal(_table(path, block), read_table(path).frame)
    _same(path, chunk_rows=3, block_bytes=block)
    with validate_stream(path, reference_date=REF, block_bytes=block) as got:
        assert {"FGC012"} <= set(got.findings()["code"])


@pytest.mark.parametrize("name", list(CODECS))
def test_transcoder_any_read_size(name: str) -> None:
    codec, bom = CODECS[name]
    text = f"a,b\n{ODD}x,{ODD}\n" * 3
    data = bom + text.encode(codec)
    read_as = "utf-16" if bom else codec
    for size in range(1, 12):
        out = Utf16AsUtf8(io.BytesIO(data), read_as, "f.csv")
        pieces = []
        while piece := out.read(size):
            pieces.append(piece)
        assert all(len(p) == size for p in pieces[:-1]), size  # whole reads until the end
        assert b"".join(pieces) == text.encode("utf-8"), size


def _same_error(path: Path, lim: Limits | None = None) -> str:
    with pytest.raises(FormatError) as want:
        read_table(path, limits=lim)
    with pytest.raises(FormatError) as got:
        validate_stream(path, reference_date=REF, limits=lim, block_bytes=7)
    assert str(got.value) == str(want.value)
    return str(got.value)


def test_damaged_utf16_same_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe" + "a,b\n1,".encode("utf-16-le") + b"\x00\xd8" + b"2\x00")
    assert "damaged" in _same_error(path)


def test_utf16_with_control_characters_same_error(tmp_path: Path) -> None:
    path = tmp_path / "ctl.csv"
    path.write_bytes(b"\xff\xfe" + "a,b\n1,\x012\n".encode("utf-16-le"))
    assert "control characters" in _same_error(path)


def test_utf16_ceilings(tmp_path: Path) -> None:
    path, data, _ = _write(tmp_path, "le with BOM")
    with pytest.raises(FormatError, match=r"more than 5 rows"):
        validate_stream(path, reference_date=REF, limits=replace(Limits(), max_stream_rows=5))
    small = replace(Limits(), max_stream_bytes=len(data) - 1)
    with pytest.raises(FormatError, match=r"over the streaming limit"):
        validate_stream(path, reference_date=REF, limits=small)
