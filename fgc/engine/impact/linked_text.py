"""A linked-outcomes file (CSV or Excel, as text) in LINKED_SCHEMA, or specific errors.

``fgc insight --linked FILE`` reads a file of linked children (one row per child, the
columns of ``fgc.engine.linkage.schema.LINKED_SCHEMA``). Every problem is reported with the
file, row and column and what was expected; nothing is half-read.
"""

from __future__ import annotations

import polars as pl

from fgc.engine.impact.compare import ImpactError
from fgc.engine.linkage.schema import GROUPS, LINKED_SCHEMA

MAX_ROWS = 5_000_000
MAX_ERRORS = 20
TRUE = ("Y", "YES", "TRUE", "1")
FALSE = ("N", "NO", "FALSE", "0")


def _date(col: str) -> pl.Expr:
    text = pl.col(col).str.strip_chars()
    return pl.coalesce(
        text.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        text.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
    )


def _bool(col: str) -> pl.Expr:
    t = pl.col(col).str.strip_chars().str.to_uppercase()
    return pl.when(t.is_in(TRUE)).then(True).when(t.is_in(FALSE)).then(False).otherwise(None)


def _converted(col: str, dtype: pl.DataType) -> tuple[pl.Expr, str]:
    if dtype == pl.Date:
        return _date(col), "a date (YYYY-MM-DD or DD/MM/YYYY)"
    if dtype == pl.Boolean:
        return _bool(col), "Y or N (or blank when not yet due)"
    if dtype == pl.Int64:
        return pl.col(col).str.strip_chars().cast(pl.Int64, strict=False), "a whole number"
    return pl.col(col).str.strip_chars(), "text"


def linked_from_text(text: pl.DataFrame, source: str, first_row: int = 2) -> pl.DataFrame:
    """Convert a text frame (as ``fgc.formats.read_table`` gives it) to LINKED_SCHEMA."""
    if text.height > MAX_ROWS:
        raise ImpactError(f"{source}: {text.height:,} rows; at most {MAX_ROWS:,} can be read")
    # fgc.formats.read_table numbers the rows as the spreadsheet does (header = 1).
    rows = (
        text.get_column("__row__").cast(pl.Int64).to_list()
        if "__row__" in text.columns
        else list(range(first_row, first_row + text.height))
    )
    missing = [c for c in LINKED_SCHEMA if c not in text.columns]
    if missing:
        raise ImpactError(f"{source}: no column(s) {', '.join(missing)} (see LINKED_SCHEMA)")
    text = text.select(pl.col(c).cast(pl.Utf8) for c in LINKED_SCHEMA).with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in LINKED_SCHEMA
    )
    errors: list[str] = []
    out = []
    for col, dtype in LINKED_SCHEMA.items():
        expr, expected = _converted(col, dtype)
        converted = text.select(expr.alias(col)).get_column(col)
        bad = text.get_column(col).is_not_null() & converted.is_null()
        for i in bad.arg_true().to_list()[: MAX_ERRORS - len(errors)]:
            errors.append(
                f"{source}, row {rows[i]}, column {col}: expected {expected}, "
                f"found {text.get_column(col)[i]!r}"
            )
        out.append(converted)
    frame = pl.DataFrame(out)
    groups = frame.get_column("group")
    for i in (~groups.is_in(list(GROUPS)) | groups.is_null()).arg_true().to_list()[:MAX_ERRORS]:
        errors.append(
            f"{source}, row {rows[i]}, column group: expected one of "
            f"{', '.join(GROUPS)}, found {groups[i]!r}"
        )
    if errors:
        raise ImpactError("\n".join(errors[:MAX_ERRORS]))
    return frame
