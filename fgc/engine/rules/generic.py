"""Generic rules: one declaration per kind of check, applied to every field the standard
declares with the relevant property (a required condition, a code list, a date type …)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from fgc.engine.rules.model import Rule, RuleContext, fields_where
from fgc.standard import Field, Standard

# Lists this short are spelled out in messages ("use Y or N"); longer ones are named.
_SPELL_OUT = 12


def _codes_hint(std: Standard, f: Field) -> str:
    cl = std.codelist_for(f)
    if cl is None:
        return ""
    values = cl.values
    if len(values) <= _SPELL_OUT:
        return "use " + (
            ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]
        )
    return f"use a code from the '{cl.title}' list"


def _needed_when(f: Field) -> str:
    text = (f.required_text or "").strip()
    for lead in ("yes, ", "yes "):
        if text.startswith(lead):
            text = text[len(lead) :]
    if f.required == "always" or text in ("", "yes"):
        return "every row needs it"
    return f"it is needed {text}"


# ---------------------------------------------------------------- FGC001 required


def _required_check(ctx: RuleContext, f: Field) -> pl.Expr:
    assert f.required
    return ctx.cond(f.required) & ctx.absent(f.name)


REQUIRED = Rule(
    code="FGC001",
    severity="error",
    fields=fields_where(lambda f: f.required is not None),
    message="A field the standard requires at this stage of the episode is blank.",
    check=_required_check,
    detail=lambda std, f: f"{f.label} is missing; {_needed_when(f)}.",
)


# ---------------------------------------------------------------- FGC002 code lists


# Up to this many codes, comparing with each is cheaper than a hashed is_in (about half the
# time for a Y/N field at a million rows); longer lists are looked up.
COMPARE_UP_TO = 4


def known_code_expr(std: Standard, f: Field) -> pl.Expr:
    """True where the field's text is one of its codes, null where it is blank: what
    ``RuleContext.known_code`` reads (the engine computes it beside the text)."""
    cl = std.codelist_for(f)
    assert cl is not None
    t = pl.col(f.name)
    if 0 < len(cl.values) <= COMPARE_UP_TO:
        # Null only where the text is null, which ctx.present already rules out.
        return pl.any_horizontal([t == v for v in cl.values])
    return t.is_in(list(cl.values))


def _code_check(ctx: RuleContext, f: Field) -> pl.Expr:
    return ctx.present(f.name) & ~ctx.known_code(f.name)


CODE = Rule(
    code="FGC002",
    severity="error",
    fields=fields_where(lambda f: f.type in ("code", "yn")),
    message="The value is not one of the codes the standard allows for this field.",
    check=_code_check,
    detail=lambda std, f: f"{f.label} is not a valid code; {_codes_hint(std, f)}.",
)


# ---------------------------------------------------------------- FGC003 multi-code fields


def _bad_code_lists(values: tuple[str, ...]) -> Callable[[pl.Series], pl.Series]:
    """A batch function: True where a ``;``-separated cell has an unknown or repeated code,
    or combines NONE with another code. Multi-code cells take few distinct values, so the
    list work is done once per distinct value, not once per row."""
    allowed = list(values)

    def bad(cells: pl.Series) -> pl.Series:
        distinct = cells.drop_nulls().unique()
        parts = distinct.str.split(";").list.eval(pl.element().str.strip_chars())
        unknown = parts.list.eval(~pl.element().is_in(allowed)).list.any()
        repeats = parts.list.n_unique() < parts.list.len()
        # "NONE" means "none of the others", so it never combines with another code.
        none_combined = parts.list.contains("NONE") & (parts.list.len() > 1)
        if "NONE" not in allowed:
            none_combined = pl.Series([False] * len(distinct), dtype=pl.Boolean)
        failing = distinct.filter(unknown | repeats | none_combined)
        return cells.is_in(failing.implode())

    return bad


def _codes_check(ctx: RuleContext, f: Field) -> pl.Expr:
    cl = ctx.std.codelist_for(f)
    assert cl is not None
    bad = ctx.text(f.name).map_batches(_bad_code_lists(cl.values), return_dtype=pl.Boolean)
    return ctx.present(f.name) & bad.fill_null(False)


def _codes_detail(std: Standard, f: Field) -> str:
    cl = std.codelist_for(f)
    extra = " NONE never combines with another code." if cl and "NONE" in cl.values else ""
    return (
        f"{f.label} must be one or more valid codes separated by ';' with no repeats; "
        f"{_codes_hint(std, f)}.{extra}"
    )


CODES = Rule(
    code="FGC003",
    severity="error",
    fields=fields_where(lambda f: f.type == "codes"),
    message=(
        "A multi-code field holds an unknown code, repeats a code, or combines NONE "
        "with another code."
    ),
    check=_codes_check,
    detail=_codes_detail,
)


# ---------------------------------------------------------------- FGC004 dates


DATE = Rule(
    code="FGC004",
    severity="error",
    fields=fields_where(lambda f: f.type == "date"),
    message="The value is not a real date written as YYYY-MM-DD.",
    check=lambda ctx, f: ctx.present(f.name) & ctx.typed(f.name).is_null(),
    detail=lambda std, f: (
        f"{f.label} is not a real date; write it as YYYY-MM-DD, for example 2025-06-30."
    ),
)


# ---------------------------------------------------------------- FGC005 integers


def _integer_check(ctx: RuleContext, f: Field) -> pl.Expr:
    n = ctx.typed(f.name)
    bad = n.is_null()
    if f.min is not None:
        bad = bad | (n < f.min)
    if f.max is not None:
        bad = bad | (n > f.max)
    return ctx.present(f.name) & bad.fill_null(True)


def _integer_detail(std: Standard, f: Field) -> str:
    if f.min is not None and f.max is not None:
        return f"{f.label} must be a whole number from {f.min} to {f.max}."
    return f"{f.label} must be a whole number."


INTEGER = Rule(
    code="FGC005",
    severity="error",
    fields=fields_where(lambda f: f.type == "integer"),
    message="The value is not a whole number in the range the standard allows.",
    check=_integer_check,
    detail=_integer_detail,
)


# ---------------------------------------------------------------- FGC006 identifiers / text


def _text_check(ctx: RuleContext, f: Field) -> pl.Expr:
    t = ctx.text(f.name)
    bad = pl.lit(False)
    if f.max_length is not None:
        bad = bad | (t.str.len_chars() > f.max_length)
    if f.pattern is not None:
        bad = bad | ~t.str.contains(f.pattern)
    return ctx.present(f.name) & bad


def _text_detail(std: Standard, f: Field) -> str:
    parts = []
    if f.pattern_text:
        parts.append(f.pattern_text)
    if f.max_length is not None:
        parts.append(f"at most {f.max_length} characters")
    return f"{f.label} must be {', '.join(parts)}."


TEXT = Rule(
    code="FGC006",
    severity="error",
    fields=fields_where(
        lambda f: f.type == "text" and (f.pattern is not None or f.max_length is not None)
    ),
    message="An identifier or other text field has characters or a length it must not have.",
    check=_text_check,
    detail=_text_detail,
)

GENERIC_RULES = (REQUIRED, CODE, CODES, DATE, INTEGER, TEXT)
