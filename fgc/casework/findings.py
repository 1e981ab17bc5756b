"""Every finding of an import, grouped so a long file's report stays readable.

A value that cannot be stored is grouped by (column, value, what was expected); a rule's
finding by (severity, rule). Each group lists every row it was found on (consecutive rows as
ranges), never only the first few, so a council can fix the whole file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import polars as pl


class _Problem(Protocol):
    row: int
    column: str
    value: str
    expected: str


@dataclass
class Group:
    """One kind of finding and every row it was found on."""

    text: str
    rows: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        n = len(self.rows)
        return f"{self.text} — {rows_text(self.rows)} ({n} row{'s' if n != 1 else ''})"


def rows_text(rows: Sequence[int]) -> str:
    """``row 4`` or ``rows 4, 9, 12-15``: every row, runs of consecutive rows as ranges."""
    ordered = sorted(set(rows))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    label = "row" if len(ordered) == 1 else "rows"
    return f"{label} {', '.join(parts)}"


def group_problems(problems: Iterable[_Problem]) -> list[Group]:
    """Values that cannot be stored, one group per (column, value, expected), in file order."""
    groups: dict[tuple[str, str, str], Group] = {}
    for p in problems:
        key = (p.column, p.value, p.expected)
        if key not in groups:
            groups[key] = Group(f"column '{p.column}': '{p.value}' is not {p.expected}")
        groups[key].rows.append(p.row)
    return list(groups.values())


def group_report(findings: pl.DataFrame) -> list[Group]:
    """The validation report's findings, one group per (severity, rule, field): errors first."""
    if findings.is_empty():
        return []
    grouped = (
        findings.with_columns(pl.col("field").fill_null(""))
        .group_by("severity", "code", "field", maintain_order=True)
        .agg(
            pl.col("message").unique(maintain_order=True).head(2).alias("messages"),
            pl.col("row").drop_nulls().unique().sort().alias("rows"),
        )
        .with_columns((pl.col("severity") != "error").alias("_later"))
        .sort("_later", "code", "field")
    )
    return [
        Group(
            f"{g['severity']} {g['code']}"
            + (f" ({g['field']})" if g["field"] else "")
            + f": {_message(g['code'], g['messages'])}",
            list(g["rows"]),
        )
        for g in grouped.iter_rows(named=True)
    ]


def _message(code: str, messages: list[str]) -> str:
    """The finding's own wording when it is the same on every row, else the rule's."""
    from fgc.engine.rules.registry import rule

    if len(messages) == 1:
        return messages[0]
    try:
        return rule(code).message
    except KeyError:
        return messages[0]
