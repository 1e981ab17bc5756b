"""Read SSDA903 episodes and header files (CSV or Excel, one year or several) into typed frames.

Files come in the DfE layout councils submit (``CHILD``, ``DECOM``, ``RNE``, ``LS``, ``PLACE``,
``DEC`` …), dates as dd/mm/yyyy as real files have them, or ISO. The readers of
``fgc.formats`` do the reading, so every ceiling and encoding rule holds here too. Several
files are one history: the same episode in this year's and last year's return is kept once
(the copy with its end date, else the later file's). Anything wrong raises a
``StatutoryError`` naming the file, row, column and what was expected, and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl

from fgc.formats import ROW_COLUMN, FormatError, read_table
from fgc.statutory.layout import Layout, codes, layout

_SHOWN = 5


class StatutoryError(FormatError):
    """A statutory file that cannot be used, with every problem found (up to a few)."""


def _date_expr(name: str) -> pl.Expr:
    text = pl.col(name).str.strip_chars()
    return pl.coalesce(
        text.str.to_date("%d/%m/%Y", strict=False),
        text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
    )


def _read(path: Path, lay: Layout) -> pl.DataFrame:
    result = read_table(path)
    # The FGC standard's header matching may have renamed a column (SEX -> sex): undo it.
    back = {field: original for original, field in result.renamed.items()}
    frame = result.frame.rename({c: back.get(c, c) for c in result.frame.columns})
    frame = frame.rename({c: c.strip().upper() for c in frame.columns if c != ROW_COLUMN})
    missing = [c for c in lay.required if c not in frame.columns]
    if missing:
        found = ", ".join(c for c in frame.columns if c != ROW_COLUMN)[:200]
        raise StatutoryError(
            f"{path.name} is not an {lay.title} file in the DfE layout: it has no "
            f"{', '.join(missing)} column{'s' if len(missing) > 1 else ''} (it has {found}). "
            f"Export the {lay.title} file as your case system writes it for the DfE."
        )
    keep = [c for c in lay.columns if c in frame.columns]
    return frame.select(ROW_COLUMN, *keep).with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in keep
    )


def _problems(frame: pl.DataFrame, mask: pl.Expr, column: str, expected: str) -> list[str]:
    bad = frame.filter(mask).head(_SHOWN)
    return [
        f"{r['source']} row {r[ROW_COLUMN]}, column {column}: {r[column]!r}; expected {expected}"
        for r in bad.iter_rows(named=True)
    ]


def _raise(problems: list[str], what: str) -> None:
    if problems:
        shown = "\n  ".join(problems[: _SHOWN * 2])
        more = f"\n  … and {len(problems) - _SHOWN * 2} more" if len(problems) > _SHOWN * 2 else ""
        raise StatutoryError(f"The {what} cannot be used; nothing was changed:\n  {shown}{more}")


def _typed(paths: Sequence[Path], lay: Layout, today: date) -> pl.DataFrame:
    frames = []
    for order, p in enumerate(paths):
        f = _read(Path(p), lay)
        frames.append(
            f.with_columns(pl.lit(Path(p).name).alias("source"), pl.lit(order).alias("file_order"))
        )
    text = pl.concat(frames, how="diagonal_relaxed")
    for c in lay.columns:
        if c not in text.columns:
            text = text.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c))
    problems: list[str] = []
    problems += _problems(text, pl.col("CHILD").is_null(), "CHILD", "the child's identifier")
    for c in lay.dates:
        parsed = _date_expr(c)
        problems += _problems(
            text, pl.col(c).is_not_null() & parsed.is_null(), c, "a date as dd/mm/yyyy"
        )
        problems += _problems(
            text, (parsed > today).fill_null(False), c, f"a date on or before {today:%d/%m/%Y}"
        )
    _raise(problems, lay.title + " file" + ("s" if len(paths) > 1 else ""))
    return text.with_columns(_date_expr(c).alias(c) for c in lay.dates)


def read_episodes(paths: Sequence[Path], *, as_at: date | None = None) -> pl.DataFrame:
    """SSDA903 episodes from one or more files, checked, de-duplicated and in order.

    Columns: CHILD, DECOM, DEC (dates), RNE, LS, PLACE, source, ROW_COLUMN. Raises
    ``StatutoryError`` for an unknown layout, bad dates, dates after ``as_at`` (default
    today), unknown codes, DEC before DECOM or overlapping episodes of one child.
    """
    lay = layout("episodes")
    today = as_at or date.today()
    ep = _typed(paths, lay, today)
    problems: list[str] = []
    problems += _problems(ep, pl.col("DECOM").is_null(), "DECOM", "the date the episode began")
    for column in ("LS", "RNE", "PLACE"):
        valid = list(codes(column))
        problems += _problems(
            ep,
            pl.col(column).is_not_null() & ~pl.col(column).is_in(valid),
            column,
            f"one of the DfE codes ({', '.join(valid[:8])}{' …' if len(valid) > 8 else ''})",
        )
    problems += [
        f"{r['source']} row {r[ROW_COLUMN]}, column DEC: {r['DEC']:%d/%m/%Y} is before DECOM "
        f"{r['DECOM']:%d/%m/%Y}; expected the episode to end on or after it began"
        for r in ep.filter(pl.col("DEC") < pl.col("DECOM")).head(_SHOWN).iter_rows(named=True)
    ]
    _raise(problems, "SSDA903 episodes")
    # One history from several years: the copy with an end date wins, then the later file.
    ep = (
        ep.sort(["CHILD", "DECOM", pl.col("DEC").is_not_null(), "file_order"])
        .unique(subset=["CHILD", "DECOM"], keep="last", maintain_order=True)
        .sort(["CHILD", "DECOM"])
    )
    prev_dec = pl.col("DEC").shift(1).over("CHILD")
    first = pl.col("DECOM").shift(1).over("CHILD").is_null()
    overlap = ~first & (prev_dec.is_null() | (pl.col("DECOM") < prev_dec))
    flagged = ep.with_columns(
        prev_dec.alias("_prev_dec"),
        pl.col("DECOM").shift(1).over("CHILD").alias("_prev_decom"),
        pl.col("source").shift(1).over("CHILD").alias("_prev_source"),
        pl.col(ROW_COLUMN).shift(1).over("CHILD").alias("_prev_row"),
    ).filter(overlap)
    _raise(
        [
            f"{r['source']} row {r[ROW_COLUMN]}, column DECOM: child {r['CHILD']}'s episode from "
            f"{r['DECOM']:%d/%m/%Y} overlaps the episode from {r['_prev_decom']:%d/%m/%Y} "
            f"({r['_prev_source']} row {r['_prev_row']}), which "
            + ("has no end date" if r["_prev_dec"] is None else f"ended {r['_prev_dec']:%d/%m/%Y}")
            + "; expected each episode to begin on or after the previous one ended"
            for r in flagged.head(_SHOWN).iter_rows(named=True)
        ],
        "SSDA903 episodes",
    )
    return ep.select("CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "source", ROW_COLUMN)


def read_header(paths: Sequence[Path], *, as_at: date | None = None) -> pl.DataFrame:
    """SSDA903 header rows (CHILD, SEX, DOB, ETHNIC), one per child (the later file wins)."""
    lay = layout("header")
    head = _typed(paths, lay, as_at or date.today())
    return (
        head.sort(["CHILD", "file_order"])
        .unique(subset=["CHILD"], keep="last", maintain_order=True)
        .select("CHILD", "SEX", "DOB", "ETHNIC")
    )
