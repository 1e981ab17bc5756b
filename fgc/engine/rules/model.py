"""What a validation rule is: a code, a severity, the fields it concerns, a plain message and
a vectorised polars check that is True on the rows that FAIL.

Rules are declared once (in the sibling modules) and used by the engine, the casework forms
and the generated ``docs/rules.md``. A rule may be *generic* — one declaration parameterised
by field, its field list derived from the standard — or *specific* to a few fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl

from fgc.engine.conditions import condition_expr
from fgc.standard import Field, Standard

Severity = Literal["error", "query"]
Scope = Literal["row", "header"]

# Typed (date / integer) copies of text columns live beside the text under this prefix, so
# conditions and "is it recorded?" tests see what the council sent, and comparisons see types.
TYPED_PREFIX = "__typed__"
# Whether a code field's text is one of its codes, computed once beside the text under this
# prefix: the engine's cleaning reads it too, so the look-up is not done twice.
KNOWN_PREFIX = "__known__"


@dataclass(frozen=True)
class RuleContext:
    """What a check may refer to: the standard, the reference date ("today") and the columns."""

    std: Standard
    reference_date: date

    def text(self, name: str) -> pl.Expr:
        """The cleaned text of a field (blank → null)."""
        return pl.col(name)

    def typed(self, name: str) -> pl.Expr:
        """The field as its declared type (pl.Date / pl.Int64; unparseable → null)."""
        f = self.std.field(name)
        return pl.col(TYPED_PREFIX + name) if f.type in ("date", "integer") else pl.col(name)

    def known_code(self, name: str) -> pl.Expr:
        """True where a code field's text is one of its codes (null where it is blank)."""
        return pl.col(KNOWN_PREFIX + name)

    def present(self, name: str) -> pl.Expr:
        """The field was recorded (any text, valid or not)."""
        return pl.col(name).is_not_null()

    def absent(self, name: str) -> pl.Expr:
        return pl.col(name).is_null()

    def cond(self, name: str) -> pl.Expr:
        """A condition declared in the standard (evaluated on the text, as forms do)."""
        return condition_expr(self.std, name)


FieldSelector = tuple[str, ...] | Callable[[Standard], tuple[str, ...]]
CheckFn = Callable[[RuleContext, Field], pl.Expr]
DetailFn = Callable[[Standard, Field], str]


@dataclass(frozen=True)
class Rule:
    """One declared rule.

    ``check(ctx, field)`` returns an expression True where the row fails the rule for that
    field; it is called once for each field the rule selects. ``message`` is the rule in plain
    English (docs, summaries, forms); ``detail`` words one finding for a particular field.
    ``value`` names the field whose value a finding shows (default: the field itself).
    ``scope="header"`` rules are about the file's columns, not its rows (no ``check``).

    ``screen(ctx)``, if given, is a cheap expression True on every row the rule *might* fail
    (a superset); the engine then runs the exact per-field checks only on screened rows. A
    check that uses windows must have a screen that keeps whole partitions together.
    """

    code: str
    severity: Severity
    fields: FieldSelector
    message: str
    check: CheckFn | None = None
    detail: DetailFn | None = None
    value: str | None = None
    scope: Scope = "row"
    screen: Callable[[RuleContext], pl.Expr] | None = None

    def fields_for(self, std: Standard) -> tuple[str, ...]:
        names = self.fields(std) if callable(self.fields) else self.fields
        return tuple(n for n in names if std.has_field(n))

    def detail_for(self, std: Standard, f: Field) -> str:
        return self.detail(std, f) if self.detail else self.message

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def fields_where(pred: Callable[[Field], bool]) -> Callable[[Standard], tuple[str, ...]]:
    """A field selector: every field of the standard the predicate accepts, in order."""

    def select(std: Standard) -> tuple[str, ...]:
        return tuple(f.name for f in std.fields if pred(f))

    return select
