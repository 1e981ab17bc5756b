"""Run the rules on one episode as a web form holds it (a dict per child)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from fgc.standard import Standard, load_standard


def _as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(str(v) for v in value) or None
    return str(value)


def validate_record(
    record: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    standard: Standard | None = None,
    reference_date: date | None = None,
) -> list[dict[str, Any]]:
    """Validate one episode (one dict, or one dict per child) with the same rules as a file.

    Values may be text, dates, integers, booleans (→ Y/N) or lists of codes (→ ``;``-joined).
    Keys that are not fields of the standard are ignored (a form holds more than the return).
    Returns one dict per finding with the findings table's keys plus ``child_index`` (the
    position of the child's dict in the input, 0-based).
    """
    from fgc.engine.validate import validate  # here, not at import: validate imports rules

    std = standard or load_standard()
    records = [record] if isinstance(record, Mapping) else list(record)
    columns = {
        f.name: pl.Series(f.name, [_as_text(r.get(f.name)) for r in records], dtype=pl.Utf8)
        for f in std.fields
    }
    frame = (
        pl.DataFrame(columns)
        if records
        else pl.DataFrame({f.name: pl.Series([], dtype=pl.Utf8) for f in std.fields})
    )
    report = validate(frame, standard=std, reference_date=reference_date)
    out = []
    for finding in report.findings.iter_rows(named=True):
        finding["child_index"] = finding["row"] - 2
        out.append(finding)
    return out
