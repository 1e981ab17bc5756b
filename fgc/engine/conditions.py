"""Compile the standard's declarative conditions to polars expressions.

The same declarations drive the casework forms (``evaluate_row``), so a form and the engine
always agree about when a field is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from fgc.standard import Standard


def _present(name: str) -> pl.Expr:
    return pl.col(name).is_not_null()


def condition_expr(std: Standard, name: str) -> pl.Expr:
    """A boolean polars expression (never null) for the named condition."""
    c = std.conditions[name]
    if c.op == "always":
        return pl.lit(True)
    if c.op == "present":
        assert c.field
        return _present(c.field)
    if c.op == "absent":
        assert c.field
        return ~_present(c.field)
    if c.op == "eq":
        assert c.field
        return (pl.col(c.field).cast(pl.Utf8) == c.value).fill_null(False)
    if c.op == "not_eq":
        assert c.field
        return (pl.col(c.field).cast(pl.Utf8) != c.value).fill_null(True)
    if c.op == "in":
        assert c.field
        return pl.col(c.field).cast(pl.Utf8).is_in(list(c.values)).fill_null(False)
    if c.op == "all":
        return pl.all_horizontal([condition_expr(std, s) for s in c.of])
    if c.op == "any":
        return pl.any_horizontal([condition_expr(std, s) for s in c.of])
    if c.op == "not":
        (inner,) = c.of
        return ~condition_expr(std, inner)
    raise ValueError(f"Unknown condition op {c.op!r} in condition {name!r}")


def evaluate_row(std: Standard, name: str, row: Mapping[str, Any]) -> bool:
    """Evaluate a condition against one record (a dict of field → value or None)."""
    c = std.conditions[name]

    def val(field: str | None) -> Any:
        v = row.get(field) if field else None
        return None if v in ("", None) else v

    if c.op == "always":
        return True
    if c.op == "present":
        return val(c.field) is not None
    if c.op == "absent":
        return val(c.field) is None
    if c.op == "eq":
        return val(c.field) == c.value
    if c.op == "not_eq":
        return val(c.field) != c.value
    if c.op == "in":
        return val(c.field) in c.values
    if c.op == "all":
        return all(evaluate_row(std, s, row) for s in c.of)
    if c.op == "any":
        return any(evaluate_row(std, s, row) for s in c.of)
    if c.op == "not":
        (inner,) = c.of
        return not evaluate_row(std, inner, row)
    raise ValueError(f"Unknown condition op {c.op!r} in condition {name!r}")
