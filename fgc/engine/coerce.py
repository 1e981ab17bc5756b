"""Turn the text columns read from a file into the types the standard declares.

Readers keep every value as text; this is the one place text becomes dates and integers.
A value that does not parse becomes null here, and validation reports it against the
original text (see ``fgc.engine.validate``).
"""

from __future__ import annotations

import polars as pl

from fgc.standard import Standard, load_standard

DATE_FORMAT = "%Y-%m-%d"


def ensure_columns(frame: pl.DataFrame, standard: Standard | None = None) -> pl.DataFrame:
    """Add any missing standard column as all-null text, so rules can refer to every field."""
    std = standard or load_standard()
    missing = [name for name in std.field_names if name not in frame.columns]
    if not missing:
        return frame
    return frame.with_columns([pl.lit(None, dtype=pl.Utf8).alias(n) for n in missing])


def clean_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Strip surrounding spaces and turn empty strings into nulls (blank = not recorded)."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Utf8:
            stripped = pl.col(name).str.strip_chars()
            exprs.append(pl.when(stripped == "").then(None).otherwise(stripped).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def date_expr(name: str) -> pl.Expr:
    """Parse an ISO date strictly; anything else (including 2025-02-30) becomes null.

    No cache of distinct strings: parsing a fixed format directly is cheaper than hashing
    each cell to look it up (11 date columns at 1M rows: 0.19-0.22 -> 0.14-0.16 s CPU)."""
    return pl.col(name).str.strptime(pl.Date, DATE_FORMAT, strict=False, exact=True, cache=False)


def integer_expr(name: str) -> pl.Expr:
    col = pl.col(name)
    return pl.when(col.str.contains(r"^-?\d{1,9}$")).then(col.cast(pl.Int64, strict=False))


def type_frame(frame: pl.DataFrame, standard: Standard | None = None) -> pl.DataFrame:
    """Return a copy with date fields as ``pl.Date`` and integer fields as ``pl.Int64``.

    The frame must hold the standard's columns as text (as the readers produce, or after
    ``ensure_columns``). Code and text fields stay text; upper-casing codes is the mapper's
    job, not this function's, so validation sees what the council sent.
    """
    std = standard or load_standard()
    frame = clean_text(ensure_columns(frame, std))
    exprs: list[pl.Expr] = []
    for f in std.fields:
        if frame.schema[f.name] != pl.Utf8:
            continue
        if f.type == "date":
            exprs.append(date_expr(f.name).alias(f.name))
        elif f.type == "integer":
            exprs.append(integer_expr(f.name).alias(f.name))
    return frame.with_columns(exprs) if exprs else frame
