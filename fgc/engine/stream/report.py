"""The stream-mode report: counts and summary in memory, findings in temporary files."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

import polars as pl

from fgc.engine.rules.registry import rule
from fgc.engine.validate import FINDINGS_SCHEMA, ValidationReport

_EXAMPLES_KEPT = 50  # example rows kept per rule for summaries


@dataclass(frozen=True)
class _Totals(ValidationReport):
    """A report with counts and a summary but no findings table, for the text writer."""

    entries: tuple[dict[str, Any], ...] = ()

    def summary(self, examples: int = 5) -> list[dict[str, Any]]:
        return [{**e, "rows": e["rows"][:examples]} for e in self.entries]


@dataclass
class _Summary:
    """``ValidationReport.summary`` built up one sorted batch of findings at a time."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, batch: pl.DataFrame) -> None:
        if batch.is_empty():
            return
        grouped = batch.group_by("code", maintain_order=True).agg(
            pl.len().alias("count"),
            pl.col("severity").first(),
            pl.col("row").drop_nulls().unique(maintain_order=True).head(_EXAMPLES_KEPT),
            pl.col("field").drop_nulls().unique(maintain_order=True),
            pl.col("message").unique(maintain_order=True).head(2),
        )
        for g in grouped.iter_rows(named=True):
            e = self.entries.setdefault(
                g["code"],
                {"severity": g["severity"], "count": 0, "rows": [], "fields": [], "msgs": []},
            )
            e["count"] += g["count"]
            _extend(e["rows"], g["row"], _EXAMPLES_KEPT)
            _extend(e["fields"], g["field"], None)
            _extend(e["msgs"], g["message"], 2)

    def result(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "severity": e["severity"],
                "message": e["msgs"][0] if len(e["msgs"]) == 1 else rule(code).message,
                "count": e["count"],
                "rows": list(e["rows"]),
                "fields": list(e["fields"]),
            }
            for code, e in sorted(self.entries.items())
        ]


def _extend(into: list[Any], values: list[Any], cap: int | None) -> None:
    for v in values:
        if cap is not None and len(into) >= cap:
            return
        if v not in into:
            into.append(v)


@dataclass
class StreamReport:
    """The outcome of ``validate_stream``: counts and summary in memory, the findings in
    temporary files read back a batch at a time (in ``validate``'s order). Close it (or use
    it as a context manager) to delete the files."""

    standard_version: str
    rows: int
    source: str | None
    reference_date: date | None
    error_count: int
    query_count: int
    _summary: list[dict[str, Any]]
    _parts: list[Path]
    _tmp: tempfile.TemporaryDirectory[str]

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def summary(self, examples: int = 5) -> list[dict[str, Any]]:
        return [{**s, "rows": s["rows"][:examples]} for s in self._summary]

    def batches(self) -> Iterator[pl.DataFrame]:
        """The findings, a chunk at a time, in order (row, code, field)."""
        for p in self._parts:
            yield pl.read_ipc(p)

    def findings(self) -> pl.DataFrame:
        """Every finding in one frame (for tests and small files: this holds them all)."""
        return pl.concat([pl.DataFrame(schema=FINDINGS_SCHEMA), *self.batches()])

    def totals(self) -> ValidationReport:
        """The counts and summary as a ValidationReport without findings (for text reports)."""
        return _Totals(
            standard_version=self.standard_version,
            rows=self.rows,
            findings=pl.DataFrame(schema=FINDINGS_SCHEMA),
            source=self.source,
            reference_date=self.reference_date,
            _counts={"error": self.error_count, "query": self.query_count},
            entries=tuple(self._summary),
        )

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> StreamReport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
