"""Validate a child-level frame against the standard's rules.

Every rule is a polars expression (see ``fgc.engine.rules``). All of them are evaluated in one
lazy pass into boolean columns; only the rows that fail anything are then unpivoted into the
findings table, so a clean million-row file costs one pass over its columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from fgc.engine.coerce import clean_text, date_expr, ensure_columns, integer_expr
from fgc.engine.rules.columns import NO_ROWS, UNKNOWN_COLUMN
from fgc.engine.rules.generic import known_code_expr
from fgc.engine.rules.model import KNOWN_PREFIX, TYPED_PREFIX, Rule, RuleContext
from fgc.engine.rules.registry import RULES
from fgc.standard import Standard, load_standard

# The readers (fgc.formats.ROW_COLUMN) keep each row's Excel row number under this name.
ROW_COLUMN = "__row__"
HEADER_ROW = 1
FIRST_DATA_ROW = 2

FINDINGS_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),
    "episode_id": pl.Utf8(),
    "child_id": pl.Utf8(),
    "field": pl.Utf8(),
    "value": pl.Utf8(),
    "code": pl.Utf8(),
    "severity": pl.Utf8(),
    "message": pl.Utf8(),
}
FINDING_COLUMNS = tuple(FINDINGS_SCHEMA)

_IDX = "__idx"
_EP = "__episode"
_CHILD = "__child"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one frame: the findings table and its counts."""

    standard_version: str
    rows: int
    findings: pl.DataFrame
    source: str | None = None
    reference_date: date | None = None
    _counts: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def _count(self, severity: str) -> int:
        if severity not in self._counts:
            self._counts[severity] = int((self.findings["severity"] == severity).sum())
        return self._counts[severity]

    @property
    def error_count(self) -> int:
        return self._count("error")

    @property
    def query_count(self) -> int:
        return self._count("query")

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def summary(self, examples: int = 5) -> list[dict[str, Any]]:
        """One entry per rule that found something: code, severity, message, count, the
        first ``examples`` distinct rows (``rows``), and the fields it was found in."""
        if self.findings.is_empty():
            return []
        grouped = (
            self.findings.group_by("code", maintain_order=True)
            .agg(
                pl.len().alias("count"),
                pl.col("severity").first(),
                pl.col("row").drop_nulls().unique(maintain_order=True).head(examples).alias("rows"),
                pl.col("field").drop_nulls().unique(maintain_order=True).alias("fields"),
                pl.col("message").unique(maintain_order=True).head(2).alias("messages"),
            )
            .sort("code")
        )
        return [
            {
                "code": g["code"],
                "severity": g["severity"],
                "message": self._summary_message(g["code"], g["messages"]),
                "count": g["count"],
                "rows": list(g["rows"]),
                "fields": list(g["fields"]),
            }
            for g in grouped.iter_rows(named=True)
        ]

    def _summary_message(self, code: str, messages: list[str]) -> str:
        """The finding's own wording when it is the same throughout (one field), otherwise
        the rule's general statement. Reports of other checks override this."""
        from fgc.engine.rules.registry import rule

        return messages[0] if len(messages) == 1 else rule(code).message

    def to_json_dict(self) -> dict[str, Any]:
        """``{"standard_version", "rows", "source", "errors": [...], "queries": [...]}``."""
        records = self.findings.to_dicts()
        return {
            "standard_version": self.standard_version,
            "rows": self.rows,
            "source": self.source,
            "reference_date": self.reference_date.isoformat() if self.reference_date else None,
            "error_count": self.error_count,
            "query_count": self.query_count,
            "errors": [r for r in records if r["severity"] == "error"],
            "queries": [r for r in records if r["severity"] == "query"],
        }


@dataclass(frozen=True)
class _Check:
    name: str
    rule: Rule
    field: str
    value_field: str
    message: str
    expr: pl.Expr


def _checks(ctx: RuleContext, rules: Iterable[Rule]) -> list[_Check]:
    checks: list[_Check] = []
    for r in rules:
        if r.scope != "row" or r.check is None:
            continue
        for name in r.fields_for(ctx.std):
            f = ctx.std.field(name)
            value_field = r.value or name
            checks.append(
                _Check(
                    name=f"__c{len(checks)}",
                    rule=r,
                    field=name,
                    value_field=value_field,
                    message=r.detail_for(ctx.std, f),
                    expr=r.check(ctx, f),
                )
            )
    return checks


# Every character str.strip_chars() strips (Unicode White_Space, as Rust's char::is_whitespace).
_WHITESPACE = [
    *"\t\n\x0b\x0c\r \x85\xa0\u1680",
    *(chr(c) for c in range(0x2000, 0x200B)),
    *"\u2028\u2029\u202f\u205f\u3000",
]


# The checks built for a standard and reference date: building them (~150 expressions) is a
# fixed cost of every call, and a web worker or a batch validates many files the same day.
_BUILT: dict[tuple[int, date], tuple[Standard, list[_Check]]] = {}
_BUILT_KEPT = 8


def _checks_for(ctx: RuleContext) -> list[_Check]:
    key = (id(ctx.std), ctx.reference_date)
    built = _BUILT.get(key)
    if built is not None and built[0] is ctx.std:  # the id of a freed standard may be reused
        return built[1]
    checks = _checks(ctx, RULES)
    if len(_BUILT) >= _BUILT_KEPT:
        _BUILT.pop(next(iter(_BUILT)))
    _BUILT[key] = (ctx.std, checks)
    return checks


def _clean_proofs(std: Standard) -> dict[str, pl.Expr]:
    """Per column, a cheap test True on cells ``clean_text`` certainly leaves alone, so only
    the cells it does not vouch for need the costly whitespace test. In a good file nearly
    every cell passes it.

    - a code field's cell that is one of its codes (each code itself non-empty and unpadded),
      read from the known-code copy (``KNOWN_PREFIX``) that FGC002 reads too;
    - an integer field's cell whose typed copy parsed (``integer_expr`` only parses an
      anchored ``-?digits``);
    - a date field's cell whose typed copy parsed and that starts with a digit: the parser
      skips leading whitespace but never accepts trailing (tested for every whitespace
      character), so a digit first and a parse mean nothing to strip.

    The proofs read the copies (typed, known-code) made from the text as read.
    """
    proofs: dict[str, pl.Expr] = {}
    padding = "".join(_WHITESPACE)
    for f in std.fields:
        t = pl.col(f.name)
        parsed = pl.col(TYPED_PREFIX + f.name).is_not_null()
        if f.type == "integer":
            proofs[f.name] = parsed
        elif f.type == "date":
            proofs[f.name] = parsed & (t >= "0") & (t < ":")  # first byte 0-9
        cl = std.codelist_for(f) if f.type in ("code", "yn") else None
        if cl is None or not cl.values or any(v.strip(padding) != v or not v for v in cl.values):
            continue
        proofs[f.name] = pl.col(KNOWN_PREFIX + f.name)
    return proofs


def _changes(cells: pl.Expr) -> pl.Expr:
    """True if ``clean_text`` would change any of the cells (strip changes it, or empty)."""
    return ((cells.str.strip_chars() != cells) | (cells.str.len_bytes() == 0)).any()


def _dirty_columns(
    frame: pl.DataFrame, columns: Sequence[str], proofs: dict[str, pl.Expr] | None = None
) -> list[str]:
    """The text columns ``clean_text`` would change: stripping and rebuilding every cell of
    a clean million-row file costs more than reading it, while finding the columns with
    surrounding whitespace or blanks is cheaper. The test is exactly "clean_text changes a
    value" (strip changes it, or it is empty), not "has a space anywhere", so a text column
    with spaces inside its values is left alone.

    A column with a proof (``_clean_proofs``) is clean if the proof vouches for every cell;
    otherwise only the cells it does not vouch for (few) are stripped and compared. Any
    other column takes two steps: a column with no whitespace character anywhere and no
    empty cell cannot change (``contains_any``, one multi-pattern search, is twice as fast
    as stripping every cell to compare); only the columns that do hold whitespace are then
    stripped to see whether any of it is at a value's ends."""
    if not columns or frame.height == 0:
        return []
    proven = {c: ~(pl.col(c).is_null() | e) for c, e in (proofs or {}).items() if c in columns}
    screen = frame.select(
        [
            proven[c].any().alias(c)
            if c in proven
            else (pl.col(c).str.contains_any(_WHITESPACE) | (pl.col(c).str.len_bytes() == 0))
            .any()
            .alias(c)
            for c in columns
        ]
    ).row(0, named=True)
    names: list[str] = []
    unproven = [c for c, found in screen.items() if found and c in proven]
    if unproven:
        # Only the cells no proof vouches for, gathered per column (they differ in number).
        cells = frame.select([pl.col(c).filter(proven[c]).implode() for c in unproven])
        names += [c for c in unproven if pl.select(_changes(pl.lit(cells[c][0]))).item()]
    maybe = [c for c, found in screen.items() if found and c not in proven]
    if maybe:
        dirty = frame.select([_changes(pl.col(c)).alias(c) for c in maybe]).row(0, named=True)
        names += [c for c, needs in dirty.items() if needs]
    return names


def _clean(text: pl.DataFrame) -> pl.DataFrame:
    """``clean_text`` only the columns it would change (see ``_dirty_columns``)."""
    names = _dirty_columns(text, text.columns)
    return text.with_columns(clean_text(text.select(names))) if names else text


def _prepare(frame: pl.DataFrame, std: Standard) -> pl.DataFrame:
    """Standard columns as cleaned text, typed copies of date/integer fields, and row numbers."""
    present = [n for n in std.field_names if n in frame.columns]
    if present:
        text = frame.select([pl.col(n).cast(pl.Utf8) for n in present])
    else:
        # No standard column at all: keep the frame's height (a select of nothing has none).
        name = std.field_names[0]
        text = pl.select(pl.repeat(None, frame.height, dtype=pl.Utf8).alias(name))
    text = ensure_columns(text, std).select(std.field_names)
    if ROW_COLUMN in frame.columns:
        row = frame[ROW_COLUMN]
        if not row.dtype.is_integer():
            row = row.cast(pl.Utf8).str.strip_chars().cast(pl.Int64, strict=False)
    else:
        row = pl.int_range(FIRST_DATA_ROW, FIRST_DATA_ROW + text.height, eager=True)
    # The same parsers type_frame uses (coerce is the one place text becomes a type), kept
    # beside the text under a prefix. They run on the text as read, which is the cleaned
    # text for every column cleaning leaves alone; the columns it changes are typed again.
    typing = {
        f.name: (date_expr(f.name) if f.type == "date" else integer_expr(f.name)).alias(
            TYPED_PREFIX + f.name
        )
        for f in std.fields
        if f.type in ("date", "integer")
    }
    # Known-code copies come after the typed ones, so the typed columns keep their places.
    known = {
        f.name: known_code_expr(std, f).alias(KNOWN_PREFIX + f.name)
        for f in std.fields
        if f.type in ("code", "yn") and std.codelist_for(f) is not None
    }
    copies = [*typing.values(), *known.values()]
    typed = text.select(copies) if copies else pl.DataFrame()
    dirty = _dirty_columns(text.hstack(typed.get_columns()), present, _clean_proofs(std))
    if dirty:
        text = text.with_columns(clean_text(text.select(dirty)))
        again = [e for n in dirty for e in (typing.get(n), known.get(n)) if e is not None]
        if again:
            typed = typed.with_columns(text.select(again))
    return text.hstack(typed.get_columns()).with_columns(
        pl.lit(row).cast(pl.Int64).alias(ROW_COLUMN)
    )


def _row_findings(ctx: RuleContext, base: pl.DataFrame, checks: Sequence[_Check]) -> pl.DataFrame:
    if not checks or base.is_empty():
        return pl.DataFrame(schema=FINDINGS_SCHEMA)
    plain = [c for c in checks if c.rule.screen is None]
    screened = [c for c in checks if c.rule.screen is not None]
    screens: dict[str, pl.Expr] = {}
    for c in screened:
        assert c.rule.screen is not None
        screens.setdefault(f"__screen_{c.rule.code}", c.rule.screen(ctx))
    value_fields = sorted({c.value_field for c in checks})
    indexed = base.with_row_index(_IDX)

    # Pass 1: every unscreened check, and one screen per screened rule, as boolean columns in
    # one lazy pass (shared sub-expressions and windows are computed once); keep only the rows
    # where something fired, with just the columns a finding shows.
    first = [c.name for c in plain] + list(screens)
    failing = (
        indexed.lazy()
        .with_columns(
            [c.expr.fill_null(False).alias(c.name) for c in plain]
            + [e.fill_null(False).alias(n) for n, e in screens.items()]
        )
        .filter(pl.any_horizontal(first))
        .select(
            _IDX,
            pl.col(ROW_COLUMN).alias("row"),
            pl.col("episode_id").alias(_EP),
            pl.col("child_id").alias(_CHILD),
            *[pl.col(n).alias(f"__value_{n}") for n in value_fields],
            *first,
        )
        .collect()
    )
    # Pass 2: the exact checks of screened rules, on the screened rows only (gathered from the
    # full frame, since a screen keeps whole partitions together for the checks' windows).
    if screened and not failing.is_empty():
        suspect_idx = failing.filter(pl.any_horizontal(list(screens)))[_IDX]
        # A mask, not a gather: gathering rows from every column of a frame read in many
        # chunks costs ~0.3 s at a million rows even for no rows; a filter by mask keeps the
        # same rows in the same order and only reads the columns the checks use.
        suspect = pl.repeat(False, indexed.height, eager=True).scatter(suspect_idx, True)
        exact = (
            indexed.lazy()
            .filter(suspect)
            .select(_IDX, *[c.expr.fill_null(False).alias(c.name) for c in screened])
            .collect()
        )
        failing = failing.join(exact, on=_IDX, how="left").with_columns(
            [pl.col(c.name).fill_null(False) for c in screened]
        )
    if failing.is_empty():
        return pl.DataFrame(schema=FINDINGS_SCHEMA)

    return _findings_of(failing, checks)


def _findings_of(failing: pl.DataFrame, checks: Sequence[_Check]) -> pl.DataFrame:
    """The findings of the failing rows, check by check (the order the sort keeps for ties).

    Each check's flag column gives its rows' positions (``arg_true``, a loop over checks,
    never over rows); the shown columns are then gathered once for all findings together,
    and the rule's wording taken from a small table by check number. Building a lazy filter
    per check cost ~0.5 s at a million rows, and ~30 ms of planning even for a few rows.
    """
    positions: list[pl.Series] = []
    values: list[pl.Series] = []
    numbers: list[int] = []
    # One pass counts every check's findings, so only the checks that found any are visited.
    counts = failing.select([pl.col(c.name).sum() for c in checks]).row(0)
    for number, c in enumerate(checks):
        if not counts[number]:
            continue
        at = failing.get_column(c.name).arg_true()
        positions.append(at)
        values.append(failing.get_column(f"__value_{c.value_field}").gather(at))
        numbers.extend([number] * at.len())
    if not positions:
        return pl.DataFrame(schema=FINDINGS_SCHEMA)
    at = pl.concat(positions, rechunk=True)
    check = pl.Series(numbers, dtype=pl.UInt32)

    def wording(attr: str, of: Callable[[_Check], str]) -> pl.Series:
        return pl.Series(attr, [of(c) for c in checks], dtype=pl.Utf8).gather(check)

    return pl.DataFrame(
        [
            failing.get_column("row").gather(at).cast(pl.Int64).alias("row"),
            failing.get_column(_EP).gather(at).alias("episode_id"),
            failing.get_column(_CHILD).gather(at).alias("child_id"),
            wording("field", lambda c: c.field),
            pl.concat(values, rechunk=True).cast(pl.Utf8).alias("value"),
            wording("code", lambda c: c.rule.code),
            wording("severity", lambda c: c.rule.severity),
            wording("message", lambda c: c.message),
        ]
    )


def _unknown_columns(frame: pl.DataFrame, std: Standard, declared: Iterable[str]) -> list[str]:
    extra = [c for c in frame.columns if not std.has_field(c) and not c.startswith("__")]
    seen: dict[str, None] = {}
    for c in [*declared, *extra]:
        seen.setdefault(c, None)
    return list(seen)


# Unknown columns are one finding, however many there are: a file with 10,000 stray
# columns is one thing to fix, and its report must stay readable.
_NAMES_SHOWN = 20


def _header_findings(columns: Sequence[str], rows: int) -> pl.DataFrame:
    found: list[dict[str, object]] = []
    if columns:
        r = UNKNOWN_COLUMN
        if len(columns) == 1:
            message = (
                f"Column '{columns[0]}' is not a field of the standard, so its data is ignored; "
                "rename it to a standard field name or remove it."
            )
        else:
            shown = ", ".join(f"'{c}'" for c in columns[:_NAMES_SHOWN])
            more = len(columns) - _NAMES_SHOWN
            tail = f" and {more:,} more" if more > 0 else ""
            message = (
                f"{len(columns):,} columns are not fields of the standard, so their data is "
                f"ignored: {shown}{tail}. Rename them to standard field names or remove them."
            )
        found.append(
            {
                "row": HEADER_ROW,
                "field": columns[0],
                "value": "; ".join(columns[:_NAMES_SHOWN])
                + ("; …" if len(columns) > _NAMES_SHOWN else ""),
                "code": r.code,
                "severity": r.severity,
                "message": message,
            }
        )
    if rows == 0:
        found.append(
            {
                "row": HEADER_ROW,
                "field": None,
                "value": None,
                "code": NO_ROWS.code,
                "severity": NO_ROWS.severity,
                "message": NO_ROWS.message,
            }
        )
    return pl.DataFrame(
        [{"episode_id": None, "child_id": None, **f} for f in found], schema=FINDINGS_SCHEMA
    )


def validate(
    frame: pl.DataFrame,
    *,
    standard: Standard | None = None,
    reference_date: date | None = None,
    unknown_columns: Iterable[str] = (),
    source: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ValidationReport:
    """Check a child-level frame (text columns, as ``fgc.formats.read_table`` gives) against
    every rule; findings are sorted by Excel row, then rule code, then field.

    ``progress(percent, message)``, if given, is told how far the work has got (0–100), for
    a web job or a terminal status line.
    """
    report_progress = progress or (lambda pct, msg: None)
    std = standard or load_standard()
    ref = reference_date or date.today()
    ctx = RuleContext(std=std, reference_date=ref)
    report_progress(0, "Reading the columns")
    base = _prepare(frame, std)
    report_progress(20, "Checking the rules")
    findings = pl.concat(
        [
            _header_findings(_unknown_columns(frame, std, unknown_columns), frame.height),
            _row_findings(ctx, base, _checks_for(ctx)),
        ],
        how="vertical",
    ).sort(["row", "code", "field"], maintain_order=True)
    report_progress(100, "Checked")
    return ValidationReport(
        standard_version=std.version,
        rows=frame.height,
        findings=findings,
        source=source,
        reference_date=ref,
    )
