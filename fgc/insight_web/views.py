"""Insight pages. Tenancy: a council user may open only their own councils (404 otherwise) and
sees them unsuppressed; national users may open any council and see published values.
Every page and download is written to the audit log."""

from __future__ import annotations

import functools
import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from fgc.accounts.models import Council
from fgc.audit.services import record
from fgc.engine.insight import get_measure
from fgc.engine.insight.report import CSS as REPORT_CSS
from fgc.engine.insight.report import render_html, write_pdf
from fgc.engine.periods import Period, PeriodError
from fgc.hub.managers import member_council_ids
from fgc.insight_web import council_pages, presenters, services
from fgc.insight_web.models import PopulationUpload

COMPARATORS = (
    ("neighbours", "Statistical neighbours"),
    ("all_with_data", "All councils with an FGC service"),
    ("custom", "My own list of councils"),
)


def _user(request: HttpRequest) -> Any:
    # Views are @login_required: the user is a signed-in fgc.accounts User.
    return request.user


def _national(user: Any) -> bool:
    return bool(getattr(user, "is_national", False))


def _council(request: HttpRequest, la_code: str) -> Council:
    """The council if this user may see it; 404 otherwise (never reveal that it exists)."""
    council = Council.objects.filter(old_la_code=la_code).first()
    if council is None:
        raise Http404("No such council")
    if _national(request.user):
        return council
    if council.pk not in member_council_ids(_user(request)):
        raise Http404("No such council")
    return council


def _own(request: HttpRequest, council: Council) -> bool:
    # The request's one membership answer (read afresh for every request's user object).
    return not _national(request.user) and council.pk in member_council_ids(_user(request))


def _period(
    request: HttpRequest, snap: services.Snapshot, result: Any, la_code: str | None = None
) -> str:
    wanted = str(request.GET.get("period", "")).strip()
    if wanted:
        try:
            label = Period.parse(wanted).year_label
        except PeriodError:
            label = ""
        if label in result.periods:
            return label
    # A council's page opens on its latest year with an accepted return, not on a year it
    # has yet to return (which would show nothing but "x").
    own = sorted({v.period for v in snap.versions if v.la_code == la_code} & set(result.periods))
    if la_code and own:
        return own[-1]
    return result.periods[-1] if result.periods else (snap.periods[-1] if snap.periods else "")


def _data(request: HttpRequest, la_code: str | None = None) -> tuple[services.Snapshot, Any, str]:
    # Never computes here: the figures come from the cache the refresh job builds.
    now = services.current()
    request.insight_refreshing = now.refreshing  # type: ignore[attr-defined]
    return now.snap, now.result, _period(request, now.snap, now.result, la_code)


def render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Django's ``render`` plus ``insight_refreshing`` (base.html shows the banner)."""
    context["insight_refreshing"] = getattr(request, "insight_refreshing", False)
    return django_render(request, template, context)


def preparing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Until the first figures are cached, answer with a "being prepared" page at once."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.InsightPreparing:
            response = django_render(
                request, "insight/preparing.html", {"again": request.get_full_path()}, status=503
            )
            response["Retry-After"] = "30"
            return response

    return wrapped


def _csv_response(table: presenters.Table, filename: str) -> HttpResponse:
    response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _options(request: HttpRequest, council: Council) -> tuple[Any, Any, council_pages.Options]:
    """The snapshot, figures and page options for this request (access checked before)."""
    snap, result, period = _data(request, council.old_la_code)
    comparator = request.GET.get("comparator", "neighbours")
    if comparator not in dict(COMPARATORS):
        comparator = "neighbours"
    codes = tuple(
        c.strip()
        for c in str(request.GET.get("codes", "")).replace(";", ",").split(",")
        if c.strip()
    )
    known = (
        set(Council.objects.filter(old_la_code__in=codes).values_list("old_la_code", flat=True))
        if codes
        else set()
    )
    valid = tuple(c for c in codes if c in known)
    opts = council_pages.Options(
        council.old_la_code, period, _own(request, council), comparator, valid
    )
    return snap, result, opts


def _sections(
    snap: Any, result: Any, opts: council_pages.Options
) -> tuple[presenters.Context, list[presenters.Section]]:
    """The council page's context and sections, built once per set of figures and options in
    this process (the memo key holds everything they depend on, the viewer kind included)."""
    key = ("council", snap.key, *astuple(opts))
    return presenters.memo.remember_page(
        result, key, lambda: council_pages.build(snap, result, opts)
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if _national(request.user):
        return redirect("insight:national")
    council = _user(request).councils.order_by("name").first()
    if council is None:
        raise PermissionDenied("Your account is not linked to a council")
    return redirect("insight:council", la_code=council.old_la_code)


@login_required
@preparing
def council_dashboard(request: HttpRequest, la_code: str) -> HttpResponse:
    council = _council(request, la_code)
    snap, result, opts = _options(request, council)
    # Drawn by the refresh job (or the first view anywhere) and read from the cache; then
    # kept in this process's memo.
    page = presenters.memo.remember_page(
        result,
        ("council-page", snap.key, *astuple(opts)),
        lambda: council_pages.page(
            snap, result, council, opts, lambda: _sections(snap, result, opts)
        ),
    )
    record(request, "insight.view_council", council=council, detail={"period": opts.period})
    return render(
        request,
        "insight/council.html",
        {
            "council": council,
            "page": page,
            # Autoescaped when drawn; nothing in it depends on the request beyond the key.
            "sections_html": Markup(page.sections_html),  # noqa: S704
            "periods": list(result.periods),
            "comparators": COMPARATORS,
            "codes_text": ", ".join(page.codes),
            "populations": PopulationUpload.objects.for_user(request.user).filter(council=council)[
                :5
            ],
        },
    )


@login_required
@preparing
def council_csv(request: HttpRequest, la_code: str) -> HttpResponse:
    council = _council(request, la_code)
    snap, result, opts = _options(request, council)
    ctx, sections = _sections(snap, result, opts)
    key = str(request.GET.get("table", ""))
    table = presenters.find_table(sections, key)
    if table is None:
        raise Http404("No such table")
    record(
        request,
        "insight.download_council_csv",
        council=council,
        detail={"period": ctx.period, "table": key},
    )
    return _csv_response(table, f"fgc-insight-{council.old_la_code}-{ctx.period}-{key}.csv")


def _report_data(request: HttpRequest, la_code: str) -> tuple[Council, str, dict[str, Any]]:
    """The council, period and report arguments: comparators always published; the council's
    own figures unsuppressed only for its own staff (national users see published values)."""
    council = _council(request, la_code)
    snap, result, period = _data(request, council.old_la_code)
    if not period:
        raise Http404("No accepted data yet")
    args = {
        "result": result,
        "la_code": council.old_la_code,
        "period": period,
        "published": services.published_for(snap, result),
        "own": _own(request, council),
    }
    return council, period, args


def report_css(request: HttpRequest) -> HttpResponse:
    """The one-page report's CSS, served from the one copy the self-contained CLI report
    inlines (no council data: open to anyone, cacheable)."""
    response = HttpResponse(REPORT_CSS, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
@preparing
def council_report_html(request: HttpRequest, la_code: str) -> HttpResponse:
    council, period, args = _report_data(request, la_code)
    # A linked stylesheet, so the page needs no CSP exception for an inline <style>.
    html = render_html(**args, stylesheet=reverse("insight:report-css"))
    record(request, "insight.report_html", council=council, detail={"period": period})
    return HttpResponse(html)


@login_required
@preparing
def council_report_pdf(request: HttpRequest, la_code: str) -> HttpResponse:
    council, period, args = _report_data(request, la_code)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        write_pdf(**args, path=path)
        data = path.read_bytes()
    record(request, "insight.report_pdf", council=council, detail={"period": period})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="fgc-report-{council.old_la_code}-{period}.pdf"'
    )
    return response


def _national_only(request: HttpRequest) -> None:
    if not _national(request.user):
        raise PermissionDenied("National users only")


def _measure_name(request: HttpRequest, default: str = "acceptance_rate_families") -> str:
    name = str(request.GET.get("measure", default))
    try:
        m = get_measure(name)
    except KeyError:
        return default
    return m.name if m.kind != "share" else default


@login_required
@preparing
def national_dashboard(request: HttpRequest) -> HttpResponse:
    _national_only(request)
    snap, result, period = _data(request)
    measure = _measure_name(request)

    def content_html() -> Markup:
        # Published values only, the same for every national user: built and rendered once
        # per set of figures, period and measure (a new acceptance is a new result).
        tables, chart, outcomes = [], "", None
        if period:
            pub = services.published(snap, result, period)
            tables = [
                presenters.regions_table(pub),
                presenters.councils_table(pub, result, measure, period),
            ]
            chart = presenters.regions_chart(pub, measure)
            outcomes = presenters.national_outcomes_section(pub)
        return Markup(  # noqa: S704  (autoescaped by the template)
            render_to_string(
                "insight/_national_content.html",
                {
                    "period": period,
                    "periods": list(result.periods),
                    "measure": get_measure(measure),
                    "measures": presenters.headline_measures(),
                    "tables": tables,
                    "chart": chart,
                    "outcomes": outcomes,
                    "symbols_note": presenters.SYMBOLS_KEY,
                },
            )
        )

    key = ("national-html", snap.key, period, measure)
    html = presenters.memo.remember_page(result, key, content_html)
    record(request, "insight.view_national", detail={"period": period, "measure": measure})
    return render(request, "insight/national.html", {"content_html": html})


@login_required
@preparing
def national_csv(request: HttpRequest) -> HttpResponse:
    _national_only(request)
    snap, result, period = _data(request)
    if not period:
        raise Http404("No accepted data yet")
    pub = services.published(snap, result, period)
    measure = _measure_name(request)
    key = str(request.GET.get("table", "regions"))
    outcome_tables = {t.key: t for t in presenters.national_outcomes_section(pub).tables}
    if key == "regions":
        table = presenters.regions_table(pub)
    elif key in outcome_tables:
        table = outcome_tables[key]
    else:
        table = presenters.councils_table(pub, result, measure, period)
    record(request, "insight.download_national_csv", detail={"period": period, "table": table.key})
    return _csv_response(table, f"fgc-insight-national-{period}-{table.key}.csv")


def _measure_page_data(request: HttpRequest, name: str) -> dict[str, Any]:
    try:
        m = get_measure(name)
    except KeyError:
        raise Http404("No such measure") from None
    if m.kind == "share":
        raise Http404("This measure is shown on the council dashboard")
    snap, result, period = _data(request)
    la = str(request.GET.get("la", "")).strip()
    council = _council(request, la) if la else None
    if council is None and not _national(request.user):
        # Council users always look from their own council.
        council = _user(request).councils.order_by("name").first()
    own_codes = [council.old_la_code] if council is not None and _own(request, council) else []
    data: dict[str, Any] = {
        "measure": m,
        "period": period,
        "periods": list(result.periods),
        "council": council,
        "table": None,
        "chart": "",
        "trend": "",
    }
    if not period:
        return data
    pub = services.published(snap, result, period)
    table = presenters.councils_table(pub, result, name, period, own_codes)
    extra = None
    if council is not None:
        ctx = presenters.Context(
            result,
            services.published_all(snap, result),
            council.old_la_code,
            period,
            bool(own_codes),
        )
        extra = {council.name: ctx.value_for_chart(name)}
        if len(result.periods) > 1:
            from fgc.charts import line_chart
            from fgc.standard import ENGLAND_CODE

            series = {council.name: [ctx.value_for_chart(name, p) for p in result.periods]}
            if m.kind != "count":  # England's count dwarfs a council's on one axis
                series["England"] = [ctx.area_value(ENGLAND_CODE, name, p) for p in result.periods]
            data["trend"] = line_chart(
                list(result.periods),
                series,
                title=f"{m.label}: trend",
                unit=m.unit,
                chart_id="measure-trend",
            )
    data.update(table=table, chart=presenters.regions_chart(pub, name, extra))
    return data


@login_required
@preparing
def measure_page(request: HttpRequest, name: str) -> HttpResponse:
    data = _measure_page_data(request, name)
    record(
        request,
        "insight.view_measure",
        council=data["council"],
        detail={"measure": name, "period": data["period"]},
    )
    data["symbols_note"] = presenters.SYMBOLS_NOTE
    data["query"] = request.GET.urlencode()
    return render(request, "insight/measure.html", data)


@login_required
@preparing
def measure_csv(request: HttpRequest, name: str) -> HttpResponse:
    data = _measure_page_data(request, name)
    if data["table"] is None:
        raise Http404("No accepted data yet")
    record(
        request,
        "insight.download_measure_csv",
        council=data["council"],
        detail={"measure": name, "period": data["period"]},
    )
    return _csv_response(data["table"], f"fgc-insight-{name}-{data['period']}.csv")


@login_required
@preparing
@require_http_methods(["GET", "POST"])
def publication_page(request: HttpRequest) -> HttpResponse:
    _national_only(request)
    snap, result, period = _data(request)
    pub = services.publication(snap, result, period) if period else None
    record(request, "insight.view_publication", detail={"period": period})
    log = pub.suppression.log_frame() if pub else None
    summary = (
        log.group_by("table", "kind").len().sort("table", "kind").rows()
        if log is not None and log.height
        else []
    )
    return render(
        request,
        "insight/publication.html",
        {
            "period": period,
            "periods": list(result.periods),
            "pub": pub,
            "summary": summary,
            "disclosures": [d.describe() for d in pub.check.disclosures] if pub else [],
        },
    )


@login_required
@preparing
def publication_zip(request: HttpRequest) -> HttpResponse:
    _national_only(request)
    snap, result, period = _data(request)
    if not period:
        raise Http404("No accepted data yet")
    pub = services.publication(snap, result, period)
    if not pub.ok:
        record(request, "insight.publication_refused", detail={"period": period})
        return HttpResponse(
            "The disclosure checker or the EES file checks failed: "
            "the release cannot be downloaded.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, (data, meta) in pub.files.items():
            z.writestr(f"{name}.csv", data)
            z.writestr(f"{name}.meta.csv", meta)
        # No suppression log: it reveals every hidden value. The decisions are summarised in
        # the audit record instead.
    record(
        request,
        "insight.download_publication",
        detail={
            "period": period,
            "files": len(pub.files),
            "cells": pub.check.cells,
            "suppressed": pub.check.hidden,
        },
    )
    response = HttpResponse(buf.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="fgc-release-{period}.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def population_upload(request: HttpRequest, la_code: str) -> HttpResponse:
    council = _council(request, la_code)
    if not _own(request, council):
        raise PermissionDenied("Only the council's own staff upload its population counts")
    error = ""
    period = str(request.POST.get("period") or request.GET.get("period") or "").strip()
    if request.method == "POST":
        f = request.FILES.get("file")
        try:
            label = Period.parse(period).year_label
        except PeriodError as exc:
            error = f"Period: {exc}"
        else:
            if f is None:
                error = "Choose a CSV file to upload"
            elif (f.size or 0) > 5 * 1024 * 1024:
                error = "The file must be smaller than 5 MB"
            else:
                try:
                    up = services.store_population(
                        request.user, council, label, f.name or "upload.csv", f.read()
                    )
                except services.InsightError as exc:
                    error = str(exc)
                else:
                    record(
                        request,
                        "insight.upload_population",
                        target=up,
                        council=council,
                        detail={"period": label},
                    )
                    return redirect(f"{request.path}?period={label}&done=1")
    else:
        record(request, "insight.view_population", council=council)
    return render(
        request,
        "insight/population.html",
        {
            "council": council,
            "period": period,
            "error": error,
            "done": request.GET.get("done") == "1",
            "uploads": PopulationUpload.objects.for_user(request.user).filter(council=council)[:20],
        },
    )


@login_required
def population_template(request: HttpRequest, la_code: str) -> HttpResponse:
    council = _council(request, la_code)
    record(request, "insight.population_template", council=council)
    response = HttpResponse(
        services.population_template(council.old_la_code), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="population-{council.old_la_code}.csv"'
    return response
