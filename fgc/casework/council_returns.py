"""Returns in one step from the council's recorded episodes.

The child-level frame comes from ``episodes_to_frame`` without local fields, so a national
return carries the standard's national fields only: never names, contact details or the
council's own fields. Each return is produced by ``fgc.returns`` / ``fgc.engine`` (the same
code as the command line), and can be downloaded or submitted to the hub in this deployment.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings

from fgc.casework.frame import episodes_to_frame
from fgc.casework.models import Episode
from fgc.engine.aggregate import LA_LEVEL, aggregate
from fgc.engine.periods import Period
from fgc.returns.child_level import child_level_return
from fgc.returns.dfe_quarterly import dfe_quarterly_return

KINDS = {
    "aggregate": "Aggregate return (Option 1)",
    "child_level": "Child-level return, pseudonymised (Option 2)",
    "dfe_quarterly": "DfE quarterly FGDM figures",
}


@dataclass(frozen=True)
class ReturnFile:
    filename: str
    content_type: str
    data: bytes


def council_frame(council: Any) -> pl.DataFrame:
    """Every episode of the council as the standard's child-level frame (national fields)."""
    return episodes_to_frame(Episode.objects.filter(council=council))


def pseudonym_secret() -> str:
    return str(getattr(settings, "FGC_PSEUDONYM_KEY", "") or "")


def _csv(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_csv(buf)
    return buf.getvalue()


def aggregate_frame(council: Any, period: Period) -> pl.DataFrame:
    result = aggregate(council_frame(council), period)
    return result.filter(
        (pl.col("geographic_level") == LA_LEVEL) & (pl.col("old_la_code") == council.old_la_code)
    )


def child_level_frame(council: Any, period: Period) -> pl.DataFrame:
    secret = pseudonym_secret()
    return child_level_return(
        council_frame(council), council.old_la_code, period, key=secret or None
    )


def build(council: Any, period: Period, kind: str) -> ReturnFile:
    """One return as a file (CSV; the aggregate also as the filled Excel template)."""
    la = council.old_la_code
    stem = f"fgc-{la}-{period.label}"
    if kind == "aggregate":
        return ReturnFile(
            f"{stem}-aggregate.csv", "text/csv", _csv(aggregate_frame(council, period))
        )
    if kind == "aggregate_xlsx":
        from fgc.returns.template import fill_template

        data = fill_template(aggregate(council_frame(council), period), la, period)
        return ReturnFile(
            f"{stem}-aggregate.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            data,
        )
    if kind == "child_level":
        return ReturnFile(
            f"{stem}-child-level.csv", "text/csv", _csv(child_level_frame(council, period))
        )
    if kind == "dfe_quarterly":
        frame = dfe_quarterly_return(council_frame(council), la, period)
        return ReturnFile(f"{stem}-dfe-quarterly.csv", "text/csv", _csv(frame))
    raise ValueError(f"Unknown return {kind!r}")


def submit_to_hub(user: Any, council: Any, period: Period) -> list[Any]:
    """Upload the child-level and aggregate returns as new hub versions; returns the versions.

    Uses the hub's own upload service, so the returns are checked exactly as any upload is.
    """
    from fgc.hub import services as hub

    versions = []
    for kind, hub_kind in (("child_level", "child_level"), ("aggregate", "aggregate")):
        f = build(council, period, kind)
        versions.append(
            hub.upload(
                user,
                council=council,
                period=period.label,
                kind=hub_kind,
                file=hub.UploadedFile(f.filename, len(f.data), [f.data]),
            )
        )
    return versions
