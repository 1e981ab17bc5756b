"""Keyed pseudonyms for child and episode ids, and the national (minimised) shape of a frame.

A pseudonym is HMAC-SHA256 over the value with a key derived per council from one secret
(so the same child id in two councils gives two unrelated pseudonyms, and nobody without the
secret can recompute them). Dates the standard marks ``national_transform = "month"`` leave
as the first of their month.
"""

from __future__ import annotations

import hashlib
import hmac

import polars as pl

from fgc.standard import Standard, load_standard

PSEUDONYM_LENGTH = 20  # hex characters (80 bits): collision-free at national scale, fits max_length


def _key_bytes(key: str | bytes) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not key:
        raise ValueError("The pseudonymisation key is empty; set FGC_PSEUDONYM_KEY")
    return key


def council_key(key: str | bytes, la_code: str) -> bytes:
    """The per-council key: HMAC of the council code under the national secret."""
    return hmac.new(_key_bytes(key), f"la:{la_code}".encode(), hashlib.sha256).digest()


def pseudonymise(value: str, key: str | bytes, *, la_code: str) -> str:
    """The pseudonym of one id (stable for the same key, council and value)."""
    ck = council_key(key, la_code)
    return hmac.new(ck, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()[
        :PSEUDONYM_LENGTH
    ]


def pseudonymise_series(values: pl.Series, la_codes: pl.Series, key: str | bytes) -> pl.Series:
    """Pseudonymise a column, council by council; nulls stay null."""
    keys: dict[str, bytes] = {}
    out: list[str | None] = []
    for value, la in zip(values.to_list(), la_codes.to_list(), strict=True):
        if value is None:
            out.append(None)
            continue
        la_text = "" if la is None else str(la)
        ck = keys.get(la_text)
        if ck is None:
            ck = keys[la_text] = council_key(key, la_text)
        digest = hmac.new(ck, str(value).strip().encode("utf-8"), hashlib.sha256).hexdigest()
        out.append(digest[:PSEUDONYM_LENGTH])
    return pl.Series(values.name, out, dtype=pl.Utf8)


def pseudonymise_expr(column: str, key: str | bytes, *, la_code_column: str = "la_code") -> pl.Expr:
    """A polars expression pseudonymising ``column`` with each row's council key.

    HMAC has no native polars form, so this maps whole batches (one Python call per batch,
    not per row of the frame's expression tree).
    """
    _key_bytes(key)  # fail early on an empty key

    def _apply(s: pl.Series) -> pl.Series:
        fields = s.struct.unnest()
        return pseudonymise_series(
            fields.get_column(column), fields.get_column(la_code_column), key
        )

    return (
        pl.struct([pl.col(column).cast(pl.Utf8), pl.col(la_code_column).cast(pl.Utf8)])
        .map_batches(_apply, return_dtype=pl.Utf8)
        .alias(column)
    )


def month_expr(column: str) -> pl.Expr:
    """An ISO date (text or Date) as the ISO first of its month; unparseable text becomes null."""
    parsed = pl.col(column).cast(pl.Utf8).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    return parsed.dt.truncate("1mo").dt.strftime("%Y-%m-%d").alias(column)


def national_frame(
    frame: pl.DataFrame, key: str | bytes, standard: Standard | None = None
) -> pl.DataFrame:
    """The national shape of a child-level frame: only fields marked ``national``, ids
    pseudonymised, month-only dates. Columns outside the standard are dropped."""
    std = standard or load_standard()
    if "la_code" not in frame.columns:
        raise ValueError("A child-level frame needs an la_code column to pseudonymise ids")
    exprs: list[pl.Expr] = []
    for f in std.fields:
        if not f.national or f.name not in frame.columns:
            continue
        if f.pseudonymise:
            exprs.append(pseudonymise_expr(f.name, key))
        elif f.national_transform == "month":
            exprs.append(month_expr(f.name))
        else:
            exprs.append(pl.col(f.name))
    return frame.select(exprs)
