"""Downloads of the four returns (docs/returns.md), generated from what the hub holds.

Council downloads name the council by its code in the URL and look it up among the user's
own councils (``services.upload_councils``): any other code is a 404, so nothing says
whether another council has data. Every download is written to the audit log.
"""

from __future__ import annotations

import tempfile
from typing import Any

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from fgc.engine.aggregate import DFE_QUARTERLY_COLUMNS
from fgc.engine.periods import Period, PeriodError
from fgc.formats.errors import FormatError
from fgc.hub import presenters, services, sources, validation
from fgc.hub.models import Kind, SubmissionVersion
from fgc.hub.views import _version, audit

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML = "application/xml"


def _council(request: HttpRequest, la_code: str) -> Any:
    council = services.upload_councils(request.user).filter(old_la_code=la_code).first()
    if council is None:
        raise Http404("No such council among yours")
    return council


def _period(text: str, *, quarter: bool = False) -> Period:
    try:
        p = Period.parse(text)
    except PeriodError:
        raise Http404("No such period") from None
    if quarter and p.quarter is None:
        raise Http404("Choose a quarter, for example 2025-26-Q2")
    return p


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _cannot(request: HttpRequest, title: str, message: str, status: int = 409) -> HttpResponse:
    """A download that cannot be produced: a page saying why (never a server error)."""
    return render(request, "hub/message.html", {"title": title, "message": message}, status=status)


def _unreadable(request: HttpRequest, version: SubmissionVersion, exc: Exception) -> HttpResponse:
    message = validation.public_message(version, exc)
    return _cannot(request, "The census cannot be read", message)


def _no_child_level(request: HttpRequest, council: Any, period: Period) -> HttpResponse:
    return _cannot(
        request,
        "No child-level data",
        f"{council.name} has no child-level return in the hub covering {period.label} that "
        "could be read. Upload one first; this download is generated from it.",
        status=404,
    )


def _source(council: Any, period: Period) -> tuple[SubmissionVersion | None, pl.DataFrame | None]:
    version = sources.child_level_source(council, period)
    return version, (sources.read_child_level(version) if version else None)


def _tag(version: SubmissionVersion) -> str:
    return f"{version.submission.period}-v{version.number}"


# --- the downloads page ----------------------------------------------------------------------


@login_required
def returns_page(request: HttpRequest) -> HttpResponse:
    """Templates and generated returns for the user's councils, for a period and a quarter."""
    councils = list(services.upload_councils(request.user))
    if not councils:
        raise PermissionDenied("Only council users download their council's returns")
    try:
        period = Period.parse(str(request.GET.get("period", "")).strip() or "2025-26")
    except PeriodError:
        period = Period.parse("2025-26")
    period = Period.parse(period.year_label) if period.quarter else period
    try:
        quarter = _period(str(request.GET.get("quarter", "")).strip(), quarter=True)
    except Http404:
        quarter = period.quarters()[0]
    rows = []
    for c in councils:
        source = sources.child_level_source(c, period)
        rows.append({"council": c, "source": source})
    audit(request, "hub.view_returns", detail={"period": period.label, "quarter": quarter.label})
    return render(
        request,
        "hub/returns.html",
        {"rows": rows, "period": period.label, "quarter": quarter.label},
    )


# --- council downloads -----------------------------------------------------------------------


@login_required
def template_blank(request: HttpRequest, la_code: str, period: str) -> HttpResponse:
    from fgc.returns.template import write_template

    council = _council(request, la_code)
    p = _period(period)
    body = write_template(council.old_la_code, p)
    audit(request, "hub.download_template", council=council, detail={"period": p.label})
    return _attachment(body, XLSX, f"fgc-aggregate-template-{la_code}-{p.label}.xlsx")


@login_required
def template_filled(request: HttpRequest, la_code: str, period: str) -> HttpResponse:
    from fgc.engine.aggregate import aggregate
    from fgc.returns.template import fill_template

    council = _council(request, la_code)
    p = _period(period)
    version, frame = _source(council, p)
    if version is None or frame is None:
        return _no_child_level(request, council, p)
    body = fill_template(aggregate(frame, p), council.old_la_code, p)
    audit(
        request,
        "hub.download_template_filled",
        target=version,
        council=council,
        detail={"period": p.label},
    )
    name = f"fgc-aggregate-template-{la_code}-{p.label}-from-{_tag(version)}.xlsx"
    return _attachment(body, XLSX, name)


@login_required
def child_level(request: HttpRequest, la_code: str, period: str) -> HttpResponse:
    from fgc.returns.child_level import MissingKeyError, child_level_return, pseudonym_key

    council = _council(request, la_code)
    p = _period(period)
    try:
        key = pseudonym_key(council.old_la_code)
    except MissingKeyError as exc:
        return _cannot(request, "No pseudonymisation key", str(exc))
    version, frame = _source(council, p)
    if version is None or frame is None:
        return _no_child_level(request, council, p)
    try:
        out = child_level_return(frame, council.old_la_code, p, key=key)
    except FormatError as exc:
        return _cannot(request, "The child-level return cannot be made", str(exc))
    audit(
        request,
        "hub.download_child_level_return",
        target=version,
        council=council,
        detail={"period": p.label, "rows": out.height},
    )
    name = f"fgc-child-level-return-{la_code}-{p.label}-from-{_tag(version)}.csv"
    return _attachment(presenters.frame_csv(out), CSV, name)


@login_required
def dfe_quarterly(request: HttpRequest, la_code: str, quarter: str) -> HttpResponse:
    from fgc.returns.dfe_quarterly import dfe_quarterly_return

    council = _council(request, la_code)
    q = _period(quarter, quarter=True)
    version, frame = _source(council, q)
    if version is None or frame is None:
        return _no_child_level(request, council, q)
    try:
        out = dfe_quarterly_return(frame, council.old_la_code, q)
    except FormatError as exc:
        return _cannot(request, "The DfE quarterly figures cannot be made", str(exc))
    audit(
        request,
        "hub.download_dfe_quarterly",
        target=version,
        council=council,
        detail={"quarter": q.label},
    )
    name = f"fgc-dfe-quarterly-{la_code}-{q.label}-from-{_tag(version)}.csv"
    return _attachment(presenters.frame_csv(out), CSV, name)


# --- downloads of a checked version ------------------------------------------------------------


def _kind_version(request: HttpRequest, version_id: int, kind: str) -> SubmissionVersion:
    version = _version(request, version_id)
    if version.submission.kind != kind or not version.is_checked:
        raise Http404("This version has no such download")
    return version


def _member_version(request: HttpRequest, version_id: int, kind: str) -> SubmissionVersion:
    version = _kind_version(request, version_id, kind)
    if not services.member_of(request.user, version.submission.council_id):
        # Child ids from the census: the council's own users only.
        raise PermissionDenied("Only the council's own users download this")
    return version


def _derived_csv(
    request: HttpRequest, version: SubmissionVersion, name: str, action: str, file_name: str
) -> HttpResponse:
    frame = validation.load_derived(version, name)
    if frame is None:
        raise Http404("This version has no such download")
    sub = version.submission
    audit(request, action, target=version, council=sub.council)
    full = f"{file_name}-{sub.council.old_la_code}-{sub.period}-v{version.number}.csv"
    return _attachment(presenters.frame_csv(frame), CSV, full)


@login_required
def version_aggregate(request: HttpRequest, version_id: int) -> HttpResponse:
    """The tidy aggregate read from an aggregate return (counts only: any viewer)."""
    version = _kind_version(request, version_id, Kind.AGGREGATE)
    return _derived_csv(
        request, version, validation.AGGREGATE_FILE, "hub.download_aggregate", "fgc-aggregate"
    )


@login_required
def census_summary(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _member_version(request, version_id, Kind.CIN_CENSUS)
    return _derived_csv(
        request, version, validation.CIN_SUMMARY_FILE, "hub.download_cin_summary", "cin-fgc-items"
    )


@login_required
def census_denominators(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _kind_version(request, version_id, Kind.CIN_CENSUS)
    return _derived_csv(
        request,
        version,
        validation.CIN_DENOMINATORS_FILE,
        "hub.download_cin_denominators",
        "cin-denominators",
    )


def _enrich(version: SubmissionVersion, frame: pl.DataFrame) -> tuple[Any, Any]:
    """Run the enricher over the stored census into a temporary file: (file, result)."""
    from fgc.hub import storage
    from fgc.returns.cin.enrich import enrich_census

    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    try:
        council = version.submission.council.old_la_code
        result = enrich_census(frame, storage.absolute(version.file_path), out, la=council)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out, result


@login_required
def census_reconciliation(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _member_version(request, version_id, Kind.CIN_CENSUS)
    sub = version.submission
    p = Period.parse(sub.period)
    source = sources.accepted_child_level(sub.council, p)
    if source is None:
        return _cannot(
            request,
            "No accepted child-level return",
            f"The reconciliation compares the census with {sub.council.name}'s accepted "
            f"child-level return covering {p.label}, and there is none yet.",
            status=404,
        )
    try:
        out, result = _enrich(version, sources.read_child_level(source))
    except FormatError as exc:
        return _unreadable(request, version, exc)
    out.close()
    audit(
        request,
        "hub.download_cin_reconciliation",
        target=version,
        council=sub.council,
        detail={"child_level_version": source.pk, "rows": result.report.height},
    )
    name = f"cin-reconciliation-{sub.council.old_la_code}-{sub.period}-v{version.number}.csv"
    return _attachment(presenters.frame_csv(result.report), CSV, name)


@login_required
def census_enriched(request: HttpRequest, version_id: int) -> HttpResponseBase:
    version = _member_version(request, version_id, Kind.CIN_CENSUS)
    sub = version.submission
    p = Period.parse(sub.period)
    source = sources.child_level_source(sub.council, p)
    if source is None:
        return _no_child_level(request, sub.council, p)
    try:
        out, result = _enrich(version, sources.read_child_level(source))
    except FormatError as exc:
        return _unreadable(request, version, exc)
    audit(
        request,
        "hub.download_cin_enriched",
        target=version,
        council=sub.council,
        detail={"child_level_version": source.pk, "blocks_added": result.blocks_added},
    )
    name = f"cin-with-fgdm-{sub.council.old_la_code}-{sub.period}-v{version.number}.xml"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XML)


# --- national ---------------------------------------------------------------------------------


@login_required
def national_dfe_quarterly(request: HttpRequest, quarter: str) -> HttpResponse:
    """The DfE quarterly items of every council with accepted child-level data."""
    from fgc.engine.aggregate import dfe_quarterly as dfe_items

    if not services.is_national(request.user):
        raise PermissionDenied("Only national users download national data")
    q = _period(quarter, quarter=True)
    versions = sources.accepted_for_quarter(q)
    frames = [sources.read_child_level(v) for v in versions]
    out = (
        dfe_items(pl.concat(frames, how="diagonal_relaxed"), q)
        if frames
        else pl.DataFrame(schema=dict.fromkeys(DFE_QUARTERLY_COLUMNS, pl.Utf8))
    )
    audit(
        request,
        "hub.download_national_dfe_quarterly",
        detail={"quarter": q.label, "councils": len(versions)},
    )
    return _attachment(presenters.frame_csv(out), CSV, f"fgc-national-dfe-quarterly-{q.label}.csv")
