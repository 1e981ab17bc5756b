"""Option 2: the child-level national return, minimised and pseudonymised.

Only the fields the standard marks ``national = true`` leave the council (any other column in
the council's file, such as names or notes, is dropped). ``child_id`` and ``episode_id``
become HMAC-SHA256 pseudonyms under the council's key (``fgc.engine.pseudonymise``): the same
id gives the same pseudonym every period, so a child links over time, and nobody without the
key can recompute or reverse it. Dates the standard marks ``national_transform = "month"``
(date of birth, expected due date) leave as the first of their month (``YYYY-MM-01``, the
same as the hub). The postcode district is cut to the outward code, and anything that is not
one is dropped.

Which episodes a period's return holds: every episode active in the period, i.e. started
(its first offer, letter before proceedings or referral date) on or before the period's end
and not closed before the period's start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import polars as pl

from fgc.engine.coerce import clean_text, date_expr
from fgc.engine.periods import Period
from fgc.engine.pseudonymise import national_frame
from fgc.formats.errors import FormatError
from fgc.standard import Standard, load_standard

KEY_ENV = "FGC_PSEUDONYM_KEY"
_FULL_POSTCODE = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}$"
_DISTRICT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"
_START_FIELDS = ("offer_date", "lbp_date", "referral_date")


class MissingKeyError(FormatError):
    """No pseudonymisation key is configured for the council."""


def pseudonym_key(la: str, environ: Mapping[str, str] | None = None) -> bytes:
    """The council's key: ``FGC_PSEUDONYM_KEY_<LA>``, else ``FGC_PSEUDONYM_KEY``.

    Either way ``fgc.engine.pseudonymise`` derives a per-council key from it and the council
    code, so one shared secret still gives unrelated pseudonyms in different councils.
    """
    env = os.environ if environ is None else environ
    la = str(la).strip()
    key = env.get(f"{KEY_ENV}_{la}") or env.get(KEY_ENV)
    if not key:
        raise MissingKeyError(
            f"No pseudonymisation key: set {KEY_ENV}_{la} (this council's key) or {KEY_ENV} "
            "to a long random secret, and keep it the same every period so children link "
            "over time. Never send the key with the return."
        )
    return key.encode("utf-8")


def postcode_district_expr() -> pl.Expr:
    """The outward code of a postcode or district; anything else becomes null."""
    text = pl.col("postcode_district").cast(pl.Utf8).str.to_uppercase().str.strip_chars()
    outward = text.str.extract(_FULL_POSTCODE, 1)
    district = pl.when(text.str.contains(_DISTRICT)).then(text)
    return pl.coalesce(outward, district).alias("postcode_district")


def active_in(period: Period) -> pl.Expr:
    """Episode rows active in the period (see the module docstring)."""
    started = pl.min_horizontal([date_expr(f) for f in _START_FIELDS])
    closed = date_expr("closure_date")
    return (started <= pl.lit(period.end)).fill_null(False) & (
        closed.is_null() | (closed >= pl.lit(period.start))
    )


def child_level_return(
    frame: pl.DataFrame,
    la: str,
    period: Period | str,
    *,
    key: str | bytes | None = None,
    standard: Standard | None = None,
) -> pl.DataFrame:
    """The council's Option 2 return for ``period`` from its child-level text frame.

    ``key`` defaults to ``pseudonym_key(la)``. Rows for another council are refused;
    rows with no council code are taken to be this council's.
    """
    std = standard or load_standard()
    la = str(la).strip()
    p = period if isinstance(period, Period) else Period.parse(str(period))
    secret = key if key is not None else pseudonym_key(la)
    text = clean_text(frame.select([c for c in frame.columns if std.has_field(c)]))
    for name in std.field_names:
        if name not in text.columns:
            text = text.with_columns(pl.lit(None, dtype=pl.Utf8).alias(name))
    text = text.with_columns(pl.col("la_code").cast(pl.Utf8).fill_null(la))
    others = text.filter(pl.col("la_code") != la).get_column("la_code").unique().to_list()
    if others:
        raise FormatError(
            f"The file has rows for council(s) {', '.join(sorted(others))}, not {la}: a "
            "council returns only its own children."
        )
    episodes = text.filter(active_in(p)).select("episode_id").unique()
    text = text.join(episodes, on="episode_id", how="semi")
    out = national_frame(text, secret, std)
    if "postcode_district" in out.columns:
        out = out.with_columns(postcode_district_expr())
    return out.select([f.name for f in std.fields if f.national and f.name in out.columns])
