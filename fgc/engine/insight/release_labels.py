"""Plain words for the release: code values from the standard's code lists, never hand-typed.

A published table says "Pre-proceedings (Public Law Outline)", not ``PLO``: every coded
filter value is swapped for its label in the code list, so the list is the single source.
Values that are not codes (``Total``, ``Not recorded``, ``Not known``) are left as they are.
"""

from __future__ import annotations

import polars as pl

from fgc.standard import Standard, load_standard


def code_labels(codelist: str, standard: Standard | None = None) -> dict[str, str]:
    """Code → label for one of the standard's code lists, in the list's order."""
    std = standard or load_standard()
    return {c.code: c.label for c in std.codelists[codelist].codes}


def code_order(codelist: str, standard: Standard | None = None) -> tuple[str, ...]:
    """The labels of a code list in its order (the order rows are published in)."""
    return tuple(code_labels(codelist, standard).values())


def relabel(
    frame: pl.DataFrame, column: str, codelist: str, standard: Standard | None = None
) -> pl.DataFrame:
    """``column``'s codes replaced by their labels; other values kept."""
    labels = code_labels(codelist, standard)
    return frame.with_columns(pl.col(column).cast(pl.Utf8).replace(labels).alias(column))
