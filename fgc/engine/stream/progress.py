"""How far ``validate_stream`` has got, for a caller that shows it (a 10M-row file takes a
minute), and a one-line display of it on a terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TextIO

from fgc.formats.limits import MIB

Phase = Literal["scan", "check", "cross-row", "merge", "done"]


@dataclass(frozen=True)
class StreamProgress:
    """``phase``: "scan" (pass 0 over the bytes), "check" (pass 1, a chunk of rows at a
    time), "cross-row" (pass 2), "merge" (findings put in order), then "done" once.
    ``rows``: data rows read so far (0 while scanning). ``bytes_read`` of ``total_bytes``:
    how far through the file on disk the current pass is."""

    phase: Phase
    rows: int
    bytes_read: int
    total_bytes: int

    def line(self, source: str) -> str:
        """The progress in words, e.g. "Checking big.csv: 1,200,000 rows (45%)"."""
        pct = f"{100 * self.bytes_read / self.total_bytes:.0f}%" if self.total_bytes else ""
        if self.phase == "scan":
            return f"Scanning {source}: {pct} of {self.total_bytes / MIB:,.0f} MB"
        if self.phase == "check":
            return f"Checking {source}: {self.rows:,} rows ({pct})"
        if self.phase == "cross-row":
            return f"Checking {source}: duplicates and episodes across {self.rows:,} rows"
        if self.phase == "merge":
            return f"Checking {source}: putting the findings in order"
        return f"Checked {source}: {self.rows:,} rows"


Progress = Callable[[StreamProgress], None]


class TerminalProgress:
    """Shows each progress report over the last, on one line of a terminal; ``clear`` wipes
    the line so the report (or an error) starts on a clean one."""

    def __init__(self, out: TextIO, source: str) -> None:
        self._out, self._source = out, source

    def __call__(self, progress: StreamProgress) -> None:
        self._out.write("\r\x1b[K" + progress.line(self._source))
        self._out.flush()

    def clear(self) -> None:
        self._out.write("\r\x1b[K")
        self._out.flush()


def terminal_progress(out: TextIO, source: str) -> TerminalProgress | None:
    """A progress display on ``out`` if it is a terminal; None for a pipe, a file or CI, so
    their output holds the report and messages alone."""
    isatty = getattr(out, "isatty", None)
    return TerminalProgress(out, source) if isatty is not None and isatty() else None
