"""Comparison and impact pages: one per council and one for England, each with a sensitivity
form (GET, validated, server-rendered). Figures come from ``impact_store`` (built by the
refresh job); only the sensitivity estimate is computed in the request, from stored inputs.
Tenancy as on the other insight pages: a council user opens only their own councils (404
otherwise); national users open any council and the England page. Every view is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from fgc.audit.services import record
from fgc.engine.impact import load_assumptions, sensitivity
from fgc.engine.impact.tables import scenario_assumptions
from fgc.insight_web import impact_store, presenters
from fgc.insight_web.presenters.impact import comparison_sections, impact_section
from fgc.insight_web.sensitivity import FIELDS, SensitivityForm, sensitivity_form
from fgc.insight_web.views import _council, _csv_response, _national_only, render
from fgc.standard import ENGLAND_CODE, ENGLAND_NAME, get_la, regions

SENSITIVITY_KEY = "sensitivity"


def _fields(form: SensitivityForm) -> list[dict[str, Any]]:
    out = []
    for name, (label, hint, *_rest) in FIELDS.items():
        bound = form[name]
        out.append(
            {
                "name": name,
                "label": label,
                "hint": hint,
                "value": bound.value() or "",
                "error": bound.errors[0] if bound.errors else "",
            }
        )
    return out


def _sections(
    request: HttpRequest, data: impact_store.ImpactData, area: str, area_name: str, rows: Any
) -> tuple[list[presenters.Section], SensitivityForm, presenters.Section | None]:
    a = load_assumptions()
    estimates = [(name, data.estimates[code]) for name, code in rows if code in data.estimates]
    default = data.estimates.get(area)
    sections = comparison_sections(data.comparison, area, area_name)
    if default is not None:
        sections.append(impact_section(estimates, data.period, scenario_assumptions(default, a)))
    form = sensitivity_form(request.GET)
    what_if = None
    if form.is_bound and form.is_valid() and form.chosen():
        e = sensitivity(data.inputs, area, form.scenario(), a)
        what_if = impact_section(
            [(f"{area_name}, with your figures", e)],
            data.period,
            scenario_assumptions(e, a),
            key=SENSITIVITY_KEY,
            title="With your figures",
        )
    return sections, form, what_if


def _table(sections: list[presenters.Section], key: str) -> presenters.Table:
    table = presenters.find_table(sections, key)
    if table is None:
        raise Http404("No such table")
    return table


def _page(
    request: HttpRequest, template_args: dict[str, Any], area: str, area_name: str, rows: Any
) -> HttpResponse:
    data = impact_store.current()
    context: dict[str, Any] = {**template_args, "area_name": area_name, "data": data}
    if data is not None:
        sections, form, what_if = _sections(request, data, area, area_name, rows)
        context.update(
            sections=sections,
            form=form,
            fields=_fields(form),
            what_if=what_if,
            errors=[{"text": form[n].errors[0], "href": f"#{n}"} for n in FIELDS if form[n].errors],
            query=request.GET.urlencode(),
        )
    return render(request, "insight/impact.html", context)


def _council_rows(la_code: str) -> list[tuple[str, str]]:
    la = get_la(la_code)
    return [
        (la.name, la.old_la_code),
        (la.region_name, la.region_code),
        (ENGLAND_NAME, ENGLAND_CODE),
    ]


def _national_rows(data: impact_store.ImpactData | None) -> list[tuple[str, str]]:
    rows = [(ENGLAND_NAME, ENGLAND_CODE)]
    rows += sorted((name, code) for code, name in regions().items())
    if data is not None:
        councils = data.inputs.get_column("la_code").to_list()
        rows += sorted((get_la(c).name, c) for c in councils)
    return rows


@login_required
def council_impact(request: HttpRequest, la_code: str) -> HttpResponse:
    council = _council(request, la_code)
    record(request, "insight.view_impact", council=council, detail={"query": request.GET.dict()})
    return _page(
        request,
        {"council": council, "csv_url": "insight:impact-csv", "csv_args": [council.old_la_code]},
        council.old_la_code,
        council.name,
        _council_rows(council.old_la_code),
    )


@login_required
def national_impact(request: HttpRequest) -> HttpResponse:
    _national_only(request)
    record(request, "insight.view_national_impact", detail={"query": request.GET.dict()})
    return _page(
        request,
        {"council": None, "csv_url": "insight:national-impact-csv", "csv_args": []},
        ENGLAND_CODE,
        ENGLAND_NAME,
        _national_rows(impact_store.current()),
    )


def _csv(request: HttpRequest, area: str, area_name: str, rows: Any, name: str) -> HttpResponse:
    data = impact_store.current()
    if data is None:
        raise Http404("No linked outcomes yet")
    sections, _form, what_if = _sections(request, data, area, area_name, rows)
    key = str(request.GET.get("table", ""))
    table = _table([*sections, *([what_if] if what_if else [])], key)
    return _csv_response(table, f"fgc-impact-{name}-{key}.csv")


@login_required
def council_impact_csv(request: HttpRequest, la_code: str) -> HttpResponse:
    council = _council(request, la_code)
    record(
        request,
        "insight.download_impact_csv",
        council=council,
        detail={"table": request.GET.get("table", "")},
    )
    return _csv(
        request,
        council.old_la_code,
        council.name,
        _council_rows(council.old_la_code),
        council.old_la_code,
    )


@login_required
def national_impact_csv(request: HttpRequest) -> HttpResponse:
    _national_only(request)
    record(
        request, "insight.download_national_impact_csv", detail={"table": request.GET.get("table")}
    )
    return _csv(
        request,
        ENGLAND_CODE,
        ENGLAND_NAME,
        _national_rows(impact_store.current()),
        "england",
    )
