"""Streaming validation (issue 13): the same findings as ``validate`` on the whole file,
whatever the chunk size, with bounded memory and no partial output on bad input."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from fgc.engine import report as rpt
from fgc.engine.rules.registry import RULES
from fgc.engine.stream import STREAM_KEYS, validate_stream
from fgc.engine.validate import validate
from fgc.formats import FormatError, read_table
from fgc.formats.limits import Limits
from fgc.synth import generate
from tests.engine.rules.builders import REF, frame, row


def _expected(path: Path):
    result = read_table(path)
    return validate(
        result.frame,
        reference_date=REF,
        unknown_columns=result.unknown_columns,
        source=result.source,
    )


def _same(path: Path, **kw: object) -> None:
    want = _expected(path)
    with validate_stream(path, reference_date=REF, **kw) as got:  # type: ignore[arg-type]
        assert_frame_equal(got.findings(), want.findings)
        assert (got.rows, got.error_count, got.query_count) == (
            want.rows,
            want.error_count,
            want.query_count,
        )
        assert got.summary() == want.summary()
        assert got.source == want.source


def _messy_csv(tmp_path: Path) -> Path:
    # A messy synthetic year, with children repeated in episodes and family fields changed on
    # rows far from the episode's others, so both sit in different chunks.
    base = generate(["805"], ["2024-25"], seed=3, messy=0.2)
    dup = base.slice(3, 5)
    changed = base.slice(10, 4).with_columns(pl.lit("999").alias("la_code"))
    rows = pl.concat([base, dup, changed])
    path = tmp_path / "messy.csv"
    rows.write_csv(path)
    return path


@pytest.mark.parametrize("chunk_rows", [1, 7, 1000])
def test_messy_file_same_findings_any_chunk(tmp_path: Path, chunk_rows: int) -> None:
    path = _messy_csv(tmp_path)
    _same(path, chunk_rows=chunk_rows, block_bytes=997)
    with validate_stream(path, reference_date=REF, chunk_rows=chunk_rows) as got:
        codes = set(got.findings()["code"])
    assert {"FGC012", "FGC013"} <= codes


def test_clean_file(tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    frame([row(child_id=f"C{i}") for i in range(20)]).write_csv(path)
    _same(path, chunk_rows=7)


def test_blank_lines_unknown_columns_quotes_and_cp1252(tmp_path: Path) -> None:
    df = frame([row(child_id=f"C{i}", family_feedback=None) for i in range(30)]).with_columns(
        pl.lit("x").alias("Notes"), pl.lit("y").alias("Other")
    )
    lines = df.write_csv().splitlines()
    # leading blank lines, blank and comma-only rows mid-file, a quoted value with a line
    # break, and a Windows-1252 pound sign.
    lines[5] = lines[5].replace(",x,y", ',"two\nlines",£5')
    body = "\n\n" + "\n".join(lines[:10]) + "\n\n" + "," * (df.width - 1) + "\n"
    body += "\n".join(lines[10:]) + "\n"
    path = tmp_path / "odd.csv"
    path.write_bytes(body.encode("cp1252"))
    _same(path, chunk_rows=7, block_bytes=300)


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(",".join(frame([row()]).columns) + "\n", encoding="utf-8")
    _same(path, chunk_rows=7)


def test_duplicates_across_chunks(tmp_path: Path) -> None:
    rows = [row(child_id=f"C{i}") for i in range(15)] + [row(child_id="C0")]
    rows += [row(episode_id="E9", child_id="A", ethnicity="WBRI")] * 1
    rows += [row(child_id=f"D{i}", episode_id="E9", ethnicity="WBRI") for i in range(8)]
    path = tmp_path / "dups.csv"
    frame(rows).write_csv(path)
    _same(path, chunk_rows=7, block_bytes=200)


def test_every_screened_rule_has_stream_keys() -> None:
    # A new cross-row rule must get its global key here, or streaming would miss findings.
    assert {r.code for r in RULES if r.screen is not None} == set(STREAM_KEYS)


def test_json_and_csv_writers_match_in_memory(tmp_path: Path) -> None:
    path = _messy_csv(tmp_path)
    want = _expected(path)
    with validate_stream(path, reference_date=REF, chunk_rows=50) as got:
        out = tmp_path / "r.json"
        with out.open("w", encoding="utf-8") as fh:
            rpt.write_json_stream(got, fh)
        assert out.read_text(encoding="utf-8") == rpt.to_json(want) + "\n"
        assert json.loads(out.read_text())["rows"] == want.rows
        csv_out = tmp_path / "r.csv"
        with csv_out.open("w", encoding="utf-8", newline="") as fh:
            rpt.write_csv_stream(got, fh)
        assert csv_out.read_text(encoding="utf-8") == want.findings.write_csv()
        assert rpt.text(got.totals()) == rpt.text(want)


def test_temporary_files_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    path = _messy_csv(tmp_path)
    with validate_stream(path, reference_date=REF, chunk_rows=50) as got:
        assert any((tmp_path / "tmp").iterdir())
        got.findings()
    assert not any((tmp_path / "tmp").iterdir())
    bad = tmp_path / "bad.csv"
    bad.write_text("episode_id,child_id\nE1,C1\nE1,C2,extra\n", encoding="utf-8")
    with pytest.raises(FormatError):
        validate_stream(bad, reference_date=REF, chunk_rows=1)
    assert not any((tmp_path / "tmp").iterdir())


def test_uneven_row_mid_file_same_message(tmp_path: Path) -> None:
    lines = frame([row(child_id=f"C{i}") for i in range(40)]).write_csv().splitlines()
    for i in (25, 30, 33, 36):
        lines[i] += ",extra"
    path = tmp_path / "uneven.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as want:
        read_table(path)
    with pytest.raises(FormatError) as got:
        validate_stream(path, reference_date=REF, chunk_rows=7, block_bytes=500)
    assert str(got.value) == str(want.value)
    assert "row 26" in str(got.value) and "1 more" in str(got.value)


def test_unclosed_quote_mid_file(tmp_path: Path) -> None:
    lines = frame([row(child_id=f"C{i}") for i in range(40)]).write_csv().splitlines()
    lines[20] = lines[20].replace("C19", '"C19')
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match="quote"):
        validate_stream(path, reference_date=REF, chunk_rows=7, block_bytes=500)


def test_stream_ceilings(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    frame([row(child_id=f"C{i}") for i in range(30)]).write_csv(path)
    rows = replace(Limits(), max_stream_rows=20)
    with pytest.raises(FormatError, match=r"more than 20 rows"):
        validate_stream(path, reference_date=REF, limits=rows)
    size = replace(Limits(), max_stream_bytes=1000)
    with pytest.raises(FormatError, match=r"over the streaming limit"):
        validate_stream(path, reference_date=REF, limits=size)


def test_stream_limits_from_env() -> None:
    lim = Limits.from_env({"FGC_MAX_STREAM_ROWS": "7", "FGC_MAX_STREAM_BYTES": "1234"})
    assert (lim.max_stream_rows, lim.max_stream_bytes) == (7, 1234)
    assert Limits().max_stream_rows == 50_000_000
    assert Limits().max_stream_bytes == 8 * 1024**3


def test_not_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    frame([row()]).write_excel(path)
    with pytest.raises(FormatError, match="CSV"):
        validate_stream(path, reference_date=REF)
    missing = tmp_path / "nope.csv"
    with pytest.raises(FormatError, match="no such file"):
        validate_stream(missing, reference_date=REF)


def test_suspect_rows_checked_in_buckets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file pasted twice: every row is suspect, so pass 2 works a few episodes at a time.
    import fgc.engine.stream as stream

    monkeypatch.setattr(stream, "_BUCKET_ROWS", 5)
    base = generate(["805"], ["2024-25"], seed=4, messy=0.1)
    path = tmp_path / "twice.csv"
    pl.concat([base, base]).write_csv(path)
    _same(path, chunk_rows=13)


def _lines(n: int = 30) -> list[str]:
    return frame([row(child_id=f"C{i}") for i in range(n)]).write_csv().splitlines()


def _bad_files() -> dict[str, bytes]:
    lines = _lines()
    long_cell = list(lines)
    long_cell[20] = long_cell[20].replace("C19", "C" * 80)
    headerless = [line + "," for line in lines]
    headerless[0] = lines[0] + ","
    headerless[22] = lines[22] + ",stray"
    dup_header = [lines[0] + ",child_id", *(line + ",x" for line in lines[1:])]
    return {
        "long cell": "\n".join(long_cell).encode(),
        "value in a column with no header": "\n".join(headerless).encode(),
        "header twice": "\n".join(dup_header).encode(),
        "semicolons": "\n".join(x.replace(",", ";") for x in lines).encode(),
        "binary": b"\x00\x01\x02\xff\xfe" * 100,
        "blank": b"\n\n  \n",
    }


@pytest.mark.parametrize("name", list(_bad_files()))
def test_bad_file_same_error_as_read_table(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(_bad_files()[name])
    lim = replace(Limits(), max_cell_chars=50)
    with pytest.raises(FormatError) as want:
        read_table(path, limits=lim)
    with pytest.raises(FormatError) as got:
        validate_stream(path, reference_date=REF, limits=lim, chunk_rows=7, block_bytes=400)
    assert str(got.value) == str(want.value)
