"""validate_stream's progress callback (rows and bytes so far, phase) and its terminal display."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from fgc.engine.stream import validate_stream
from fgc.engine.stream.progress import StreamProgress, terminal_progress
from fgc.synth import generate
from tests.engine.rules.builders import REF

PHASES = ["scan", "check", "cross-row", "merge", "done"]


def _file(tmp_path: Path) -> Path:
    base = generate(["805"], ["2024-25"], seed=6, messy=0.1)
    path = tmp_path / "fgc.csv"
    pl.concat([base, base.slice(0, 4)]).write_csv(path)
    return path


def test_progress_rows_increase_and_end_at_the_row_count(tmp_path: Path) -> None:
    path = _file(tmp_path)
    seen: list[StreamProgress] = []
    with validate_stream(path, reference_date=REF, chunk_rows=50, progress=seen.append) as got:
        rows = got.rows
    size = path.stat().st_size
    phases = [p.phase for p in seen]
    assert sorted(set(phases), key=PHASES.index) == PHASES
    assert phases == sorted(phases, key=PHASES.index)  # in order, each phase once in a run
    checks = [p.rows for p in seen if p.phase == "check"]
    assert len(checks) == -(-rows // 50) and checks == sorted(set(checks))  # strictly rising
    assert checks[-1] == rows
    assert seen[-1] == StreamProgress("done", rows, size, size)
    read = [p.bytes_read for p in seen if p.phase in ("scan", "check")]
    assert all(0 < b <= size for b in read)


def test_no_callback_same_report(tmp_path: Path) -> None:
    path = _file(tmp_path)
    quiet = validate_stream(path, reference_date=REF, chunk_rows=50)
    told = validate_stream(path, reference_date=REF, chunk_rows=50, progress=[].append)
    with quiet, told:
        assert quiet.findings().equals(told.findings())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_progress_only_on_a_terminal() -> None:
    assert terminal_progress(io.StringIO(), "fgc.csv") is None
    out = _Terminal()
    show = terminal_progress(out, "fgc.csv")
    assert show is not None
    show(StreamProgress("check", 1_200_000, 450, 1000))
    show(StreamProgress("done", 2_000_000, 1000, 1000))
    show.clear()
    text = out.getvalue()
    assert "\rChecking fgc.csv: 1,200,000 rows (45%)" in text.replace("\x1b[K", "")
    assert "\n" not in text and text.endswith("\r\x1b[K")
