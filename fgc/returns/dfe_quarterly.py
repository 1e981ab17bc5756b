"""The DfE quarterly prevention-grant figures for one council and quarter.

Two items, each by family and by child: FGDM meetings offered prior to or at the letter
before proceedings, and FGDM meetings facilitated (held) in pre-proceedings. The counting
rules are the aggregate engine's (``fgc.engine.aggregate``), stated in a ``counting_rule``
column of every row and by ``counting_rules_text`` for printing.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.aggregate import DFE_QUARTERLY_MEASURES, dfe_quarterly
from fgc.engine.periods import Period, PeriodError
from fgc.formats.errors import FormatError
from fgc.standard import Standard

DEFINITIONS = (
    "Families are FGC episodes (one family group's journey); children are the children in "
    "those episodes, each counted once per episode. A family counts when any of its children "
    "does."
)


def as_quarter(quarter: Period | str) -> Period:
    q = quarter if isinstance(quarter, Period) else Period.parse(str(quarter))
    if q.quarter is None:
        raise PeriodError(
            f"{q.label} is a financial year: the DfE figures are quarterly (e.g. {q.label}-Q2)"
        )
    return q


def dfe_quarterly_return(
    frame: pl.DataFrame, la: str, quarter: Period | str, *, standard: Standard | None = None
) -> pl.DataFrame:
    """One row per item and unit (families, children) for the council and quarter."""
    q = as_quarter(quarter)
    la = str(la).strip()
    if "la_code" not in frame.columns:
        frame = frame.with_columns(pl.lit(la).alias("la_code"))
    result = dfe_quarterly(frame, q, la_code=la, standard=standard)
    if result.is_empty():
        raise FormatError(f"The file has no rows for council {la}.")
    return result


def counting_rules_text(quarter: Period | str) -> str:
    """The counting rules in words, for the terminal and the guidance."""
    q = as_quarter(quarter)
    lines = [
        f"DfE quarterly figures for {q.label} ({q.start.isoformat()} to {q.end.isoformat()}).",
        DEFINITIONS,
    ]
    lines += [f"- {m.label}: {m.description}" for m in DFE_QUARTERLY_MEASURES]
    return "\n".join(lines)
