"""Returns in one step from the council's recorded episodes.

The child-level frame comes from ``episodes_to_frame`` without local fields, so a national
return carries the standard's national fields only: never names, contact details or the
council's own fields. Each return is produced by ``fgc.returns`` / ``fgc.engine`` (the same
code as the command line), and can be downloaded or submitted to the hub in this deployment.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

import polars as pl
from django.conf import settings

from fgc.casework.frame import episodes_to_frame
from fgc.casework.models import Episode
from fgc.engine.aggregate import LA_LEVEL, aggregate
from fgc.engine.periods import Period
from fgc.formats.escape import escape_formula
from fgc.returns.child_level import active_in, child_level_return
from fgc.returns.cin.enrich import (
    FGC_CHILD_NOT_IN_CENSUS,
    FGC_PP_NOT_IN_CENSUS,
    EnrichResult,
    enrich_census,
)
from fgc.returns.cin.header import CensusHeader, census_header
from fgc.returns.cin.reader import iter_census
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
    from fgc.hub import ratelimit
    from fgc.hub import services as hub

    pairs = (("child_level", "child_level"), ("aggregate", "aggregate"))
    # Both returns are counted at once, so the limit never lets one in without the other.
    ratelimit.take("upload", [council.pk], n=len(pairs))
    versions = []
    for kind, hub_kind in pairs:
        f = build(council, period, kind)
        versions.append(
            hub.upload(
                user,
                council=council,
                period=period.label,
                kind=hub_kind,
                file=hub.UploadedFile(f.filename, len(f.data), [f.data]),
                counted=True,
            )
        )
    return versions


# --- Option 3: the Children in Need census ------------------------------------------------------

# Report kinds about FGC records missing from the census: only meaningful for episodes active
# in the census year (an episode closed years ago is rightly absent from this year's census).
_MISSING_KINDS = (FGC_CHILD_NOT_IN_CENSUS, FGC_PP_NOT_IN_CENSUS)


@dataclass
class CinCensusReturn:
    """The enriched census (a temporary file at offset 0: the caller closes it) and the report."""

    enriched: IO[bytes]
    report: pl.DataFrame
    result: EnrichResult
    header: CensusHeader
    warnings: list[str] = field(default_factory=list)

    def kind_counts(self) -> list[tuple[str, int]]:
        if not self.report.height:
            return []
        counts = self.report.get_column("kind").value_counts(sort=True)
        return [(str(k), int(n)) for k, n in counts.iter_rows()]


def read_census_header(census: IO[bytes]) -> CensusHeader:
    """The header's council code and census year; rewinds ``census``.

    Reads only up to the header (the first node), through the hardened parser, so a hostile
    file is refused here before anything else is done with it. Raises ``FormatError`` when
    the census has no header or no readable ReferenceDate.
    """
    first = next(iter(iter_census(census)), None)
    census.seek(0)
    header = first if first is not None and first.tag == "Header" else None
    return census_header(header, "the census")


def _in_census_year(
    report: pl.DataFrame, frame: pl.DataFrame, period: Period | None
) -> pl.DataFrame:
    if period is None or not report.height:
        return report
    active = set(frame.filter(active_in(period)).get_column("episode_id").drop_nulls().to_list())
    keep = [
        kind not in _MISSING_KINDS or bool(active & set((ids or "").split(";")))
        for kind, ids in report.select("kind", "fgc_episode_id").iter_rows()
    ]
    return report.filter(pl.Series(keep, dtype=pl.Boolean))


def enrich_council_census(council: Any, census: IO[bytes]) -> CinCensusReturn:
    """The council's census with the PreProceedingsandFGDM items from its recorded episodes.

    The census is read from ``census`` as a stream and never stored; the enriched copy goes to
    an anonymous temporary file. Raises ``FormatError`` (nothing written) for unsafe or
    malformed XML.
    """
    header = read_census_header(census)
    frame = council_frame(council)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller, who closes it
    try:
        # The core refuses another council's census or another year's (FormatError).
        result = enrich_census(frame, census, out, la=council.old_la_code)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    warnings: list[str] = []
    report = _in_census_year(result.report, frame, header.period)
    return CinCensusReturn(out, report, result, header, warnings)


def cin_filenames(council: Any, header: CensusHeader) -> tuple[str, str]:
    """(enriched census, reconciliation report) download names."""
    year = header.period.label if header.period else "census"
    stem = f"cin-{council.old_la_code}-{year}"
    return f"{stem}-with-fgdm.xml", f"{stem}-reconciliation.csv"


def report_csv(report: pl.DataFrame) -> bytes:
    """The reconciliation report as CSV; census text cells are formula-escaped for Excel."""
    escaped = report.with_columns(
        pl.col(c).map_elements(escape_formula, return_dtype=pl.Utf8)
        for c, t in report.schema.items()
        if t == pl.Utf8
    )
    return _csv(escaped)
