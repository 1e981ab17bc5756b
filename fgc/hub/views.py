"""The hub's pages. Every object is fetched through a ``for_user`` queryset (404 otherwise),
every page view, upload, download and decision is written to the audit log."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fgc.engine.periods import Period, PeriodError
from fgc.hub import findings_memo, forms, national, presenters, ratelimit, services, sources
from fgc.hub.models import (
    Decision,
    Kind,
    Query,
    Status,
    Submission,
    SubmissionVersion,
    ValidationStatus,
)
from fgc.hub.validation import CIN_DENOMINATORS_FILE, load_derived

CHECKING = (ValidationStatus.QUEUED, ValidationStatus.RUNNING)
STATUS_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.DRAFT: "light-blue",
    Status.ERRORS: "red",
    Status.QUERIES_OPEN: "orange",
    Status.TO_APPROVE: "yellow",
    Status.SUBMITTED: "blue",
    Status.RETURNED: "pink",
    Status.ACCEPTED: "green",
}


def audit(
    request: HttpRequest,
    action: str,
    *,
    target: Any = None,
    council: Any = None,
    detail: dict[str, Any] | None = None,
) -> None:
    from fgc.audit.services import record

    record(request, action, target=target, council=council, detail=detail)


def _version(request: HttpRequest, version_id: int) -> SubmissionVersion:
    try:
        return services.get_version(request.user, version_id)
    except SubmissionVersion.DoesNotExist:
        raise Http404("No such version") from None


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    try:
        return (
            Submission.objects.for_user(request.user)
            .select_related("council")
            .get(pk=submission_id)
        )
    except Submission.DoesNotExist:
        raise Http404("No such submission") from None


def _default_period(request: HttpRequest, periods: list[str] | None = None) -> str:
    if periods is None:
        periods = national.periods_in_use()
    wanted = str(request.GET.get("period", "")).strip()
    if wanted:
        try:
            return services.check_period(wanted)
        except services.HubError:
            pass
    return periods[0] if periods else "2025-26"


def _ctx(**kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("status_colours", STATUS_COLOURS)
    return kwargs


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if services.is_national(request.user):
        return redirect("hub:national")
    return redirect("hub:submissions")


@login_required
def submissions(request: HttpRequest) -> HttpResponse:
    """A council user's returns: status per council and period, and the latest versions."""
    periods = national.periods_in_use()  # once per request: the links and the default
    period = _default_period(request, periods)
    grid = national.status_grid(request.user, period)
    subs = (
        Submission.objects.for_user(request.user)
        .select_related("council")
        .order_by("-period", "council__name", "kind")
    )
    councils = list(services.upload_councils(request.user))
    approver_councils = [c for c in councils if services.is_approver(request.user, c.pk)]
    audit(request, "hub.view_submissions", detail={"period": period})
    return render(
        request,
        "hub/submissions.html",
        _ctx(
            grid=grid,
            period=period,
            periods=periods,
            submissions=list(subs[:200]),
            can_upload=bool(councils),
            approver_councils=approver_councils,
            # Only the approvers' lines show it.
            approval_required=services.approval_required_ids() if approver_councils else set(),
            status_labels=dict(Status.choices),
            kind_labels=dict(Kind.choices),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    councils = list(services.upload_councils(request.user))
    if not councils:
        raise PermissionDenied("Only council users upload returns")
    form = forms.UploadForm(request.POST or None, request.FILES or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            version = services.upload(
                request.user,
                council=form.council_obj(),
                period=form.cleaned_data["period"],
                kind=form.cleaned_data["kind"],
                file=services.UploadedFile(f.name, f.size, f.chunks()),
            )
        except services.HubError as exc:
            form.add_error("file", str(exc))
        except ratelimit.RateLimited as exc:
            audit(request, "hub.upload_rate_limited", council=form.council_obj())
            response = render(
                request,
                "hub/message.html",
                {"title": "Too many uploads", "message": str(exc)},
                status=429,
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        else:
            audit(
                request,
                "hub.upload",
                target=version,
                council=version.submission.council,
                detail={
                    "version": version.number,
                    "size": version.size,
                    "type": version.file_type,
                    "sha256": version.sha256,
                },
            )
            return redirect("hub:version", version_id=version.pk)
    audit(request, "hub.view_upload")
    return render(
        request,
        "hub/upload.html",
        _ctx(
            form=form,
            errors=forms.error_list(form),
            max_mb=services.max_upload_bytes() // (1024 * 1024),
            template_councils=councils,
            template_period=_template_period(request, form),
            council_items=[
                {
                    "value": str(c.pk),
                    "text": f"{c.name} ({c.old_la_code})",
                    "selected": str(form["council"].value()) == str(c.pk),
                }
                for c in councils
            ],
            kind_items=[
                {
                    "value": v,
                    "text": label,
                    "checked": (form["kind"].value() or Kind.CHILD_LEVEL) == v,
                }
                for v, label in Kind.choices
            ],
        ),
    )


def _template_period(request: HttpRequest, form: forms.UploadForm) -> str:
    """The financial year for the template links: the form's period, else ?period=, else now."""
    for text in (form["period"].value(), request.GET.get("period")):
        try:
            return Period.parse(str(text or "").strip()).year_label
        except PeriodError:
            continue
    return _default_period(request).split("-Q")[0]


@login_required
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _submission(request, submission_id)
    versions = list(sub.versions.order_by("-number").prefetch_related("decisions"))
    queries = list(sub.queries.order_by("-created"))
    audit(request, "hub.view_submission", target=sub, council=sub.council)
    return render(
        request,
        "hub/submission.html",
        _ctx(
            sub=sub,
            versions=versions,
            queries=queries,
            national_view=services.is_national(request.user),
            is_member=services.member_of(request.user, sub.council_id),
            can_decide=services.can_decide(request.user),
            status_labels=dict(Status.choices),
            kind_labels=dict(Kind.choices),
        ),
    )


def _status_dict(version: SubmissionVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.validation_status,
        "status_label": ValidationStatus(version.validation_status).label,
        "progress": version.progress,
        "message": version.progress_message,
        "rows": version.rows,
        "error_count": version.error_count,
        "query_count": version.query_count,
        "failure": version.failure_message or None,
        "done": version.validation_status not in CHECKING,
    }


@login_required
def version_status(request: HttpRequest, version_id: int) -> JsonResponse:
    version = _version(request, version_id)
    return JsonResponse(_status_dict(version))


@login_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    sub = version.submission
    is_member = services.member_of(request.user, sub.council_id)
    latest_answer: list[bool] = []

    def latest() -> bool:  # one query, asked only if something needs it
        if not latest_answer:
            latest_answer.append(services.is_latest(version))
        return latest_answer[0]

    audit(
        request,
        "hub.view_report",
        target=version,
        council=sub.council,
        detail={"query": request.GET.urlencode()[:300]},
    )
    ctx = _ctx(
        version=version,
        sub=sub,
        is_member=is_member,
        national_view=services.is_national(request.user),
        can_decide=services.can_decide(request.user),
        status=_status_dict(version),
        checking=version.validation_status in CHECKING,
        duplicate=services.duplicate_of(version) if is_member else None,
        can_approve=services.is_approver(request.user, sub.council_id)
        and not services.approve_blockers(request.user, version, latest=latest()),
        awaiting_approval=services.awaiting_approval(version),
        status_labels=dict(Status.choices),
        kind_labels=dict(Kind.choices),
    )
    if version.is_checked:
        explanations = {
            e.rule_code: e for e in version.explanations.filter(finding_key="").order_by("created")
        }
        ctx.update(
            rules=(version.summary or {}).get("rules", []),
            page=findings_memo.report_page(
                version, request.user, sub.council.old_la_code, request.GET
            ),
            explanations=explanations,
            blockers=(
                services.submit_blockers(version, latest=latest(), explained=explanations)
                if is_member
                else []
            ),
            latest=latest(),
            decisions=list(version.decisions.all()),
            sort_options=list(presenters.SORTS),
            census=(version.summary or {}).get("census"),
            denominators=_census_totals(version) if sub.kind == Kind.CIN_CENSUS else None,
            has_accepted_child_level=(
                sub.kind == Kind.CIN_CENSUS
                and is_member
                and sources.accepted_child_level(sub.council, sub.period) is not None
            ),
        )
    return render(request, "hub/version.html", ctx)


def _census_totals(version: SubmissionVersion) -> dict[str, Any] | None:
    frame = load_derived(version, CIN_DENOMINATORS_FILE)
    if frame is None:
        return None
    total = frame.filter(pl.col("breakdown_topic") == "Total")
    return total.row(0, named=True) if total.height else None


@login_required
def version_xlsx(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    if not version.is_checked:
        raise Http404("This version has no report yet")
    findings = findings_memo.viewer_findings(
        version, request.user, version.submission.council.old_la_code
    )
    findings, _ = presenters.filter_findings(findings, request.GET)
    audit(request, "hub.download_findings", target=version, council=version.submission.council)
    body = presenters.findings_xlsx(findings, version)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sub = version.submission
    name = f"fgc-findings-{sub.council.old_la_code}-{sub.period}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def explain(request: HttpRequest, version_id: int, rule_code: str) -> HttpResponse:
    version = _version(request, version_id)
    if not services.member_of(request.user, version.submission.council_id):
        raise PermissionDenied("Only the council's own users can explain its queries")
    rule = next((r for r in services.query_rules(version) if r["code"] == rule_code), None)
    if rule is None:
        raise Http404("No such query in this report")
    form = forms.ExplanationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_explanation(request.user, version, rule_code, form.cleaned_data["text"])
        except services.HubError as exc:
            form.add_error("text", str(exc))
        else:
            audit(
                request,
                "hub.explain",
                target=version,
                council=version.submission.council,
                detail={"rule": rule_code},
            )
            return redirect(reverse("hub:version", kwargs={"version_id": version.pk}) + "#rules")
    audit(request, "hub.view_explain", target=version, council=version.submission.council)
    return render(
        request,
        "hub/explain.html",
        _ctx(
            version=version,
            rule=rule,
            form=form,
            errors=forms.error_list(form),
            previous=list(version.explanations.filter(rule_code=rule_code)),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    if not services.member_of(request.user, version.submission.council_id):
        raise PermissionDenied("Only the council's own users can submit its return")
    blockers = services.submit_blockers(version)
    if request.method == "POST" and not blockers:
        try:
            services.submit_for_signoff(request.user, version)
        except services.HubError as exc:
            blockers = [str(exc)]
        else:
            audit(request, "hub.submit", target=version, council=version.submission.council)
            return redirect("hub:submission", submission_id=version.submission_id)
    audit(request, "hub.view_submit", target=version, council=version.submission.council)
    return render(request, "hub/submit.html", _ctx(version=version, blockers=blockers))


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, version_id: int) -> HttpResponse:
    """A council approver signs off a return marked ready, before the national team sees it."""
    version = _version(request, version_id)
    council = version.submission.council
    if not services.is_approver(request.user, council.pk):
        raise PermissionDenied("Only the council's approvers approve its returns")
    blockers = services.approve_blockers(request.user, version)
    if request.method == "POST" and not blockers:
        try:
            services.approve(request.user, version)
        except services.HubError as exc:
            blockers = [str(exc)]
        else:
            audit(request, "hub.approve", target=version, council=council)
            return redirect("hub:submission", submission_id=version.submission_id)
    audit(request, "hub.view_approve", target=version, council=council)
    return render(request, "hub/approve.html", _ctx(version=version, blockers=blockers))


@login_required
@require_http_methods(["GET", "POST"])
def council_settings(request: HttpRequest, la_code: str) -> HttpResponse:
    """A council approver turns council approval on or off."""
    council = services.upload_councils(request.user).filter(old_la_code=la_code).first()
    if council is None or not services.is_approver(request.user, council.pk):
        raise PermissionDenied("Only the council's approvers change its settings")
    found = services.council_settings(council)
    if request.method == "POST":
        required = request.POST.get("requires_council_approval") == "yes"
        services.set_requires_approval(request.user, council, required)
        audit(
            request,
            "hub.council_settings",
            target=found,
            council=council,
            detail={"requires_council_approval": required},
        )
        return redirect("hub:council-settings", la_code=la_code)
    audit(request, "hub.view_council_settings", target=found, council=council)
    return render(request, "hub/council_settings.html", _ctx(council=council, found=found))


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, version_id: int) -> HttpResponse:
    if not services.can_decide(request.user):
        raise PermissionDenied("Only national analysts accept or return submissions")
    version = _version(request, version_id)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decide(
                request.user, version, form.cleaned_data["outcome"], form.cleaned_data["reason"]
            )
        except services.HubError as exc:
            form.add_error(None, str(exc))
        else:
            audit(
                request,
                "hub.decide",
                target=version,
                council=version.submission.council,
                detail={"outcome": decision.outcome},
            )
            return redirect("hub:submission", submission_id=version.submission_id)
    audit(request, "hub.view_decide", target=version, council=version.submission.council)
    return render(
        request,
        "hub/decide.html",
        _ctx(
            version=version,
            form=form,
            errors=forms.error_list(form),
            outcome_items=[
                {"value": v, "text": label, "checked": form["outcome"].value() == v}
                for v, label in Decision.Outcome.choices
            ],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def raise_query(request: HttpRequest, submission_id: int) -> HttpResponse:
    if not services.can_decide(request.user):
        raise PermissionDenied("Only national analysts raise queries")
    sub = _submission(request, submission_id)
    form = forms.QueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        query = services.raise_query(request.user, sub, form.cleaned_data["text"])
        audit(request, "hub.raise_query", target=query, council=sub.council)
        return redirect("hub:submission", submission_id=sub.pk)
    audit(request, "hub.view_raise_query", target=sub, council=sub.council)
    return render(
        request, "hub/raise_query.html", _ctx(sub=sub, form=form, errors=forms.error_list(form))
    )


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, query_id: int) -> HttpResponse:
    try:
        query = (
            Query.objects.for_user(request.user)
            .select_related("submission__council")
            .get(pk=query_id)
        )
    except Query.DoesNotExist:
        raise Http404("No such query") from None
    if not services.member_of(request.user, query.submission.council_id):
        raise PermissionDenied("Only the council's own users can answer its queries")
    form = forms.ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_to_query(request.user, query, form.cleaned_data["text"])
        except services.HubError as exc:
            form.add_error("text", str(exc))
        else:
            audit(request, "hub.respond_query", target=query, council=query.submission.council)
            return redirect("hub:submission", submission_id=query.submission_id)
    audit(request, "hub.view_respond", target=query, council=query.submission.council)
    return render(
        request, "hub/respond.html", _ctx(query=query, form=form, errors=forms.error_list(form))
    )


@login_required
def national_status(request: HttpRequest) -> HttpResponse:
    if not services.is_national(request.user):
        raise PermissionDenied("Only national users see every council")
    periods = national.periods_in_use()
    period = _default_period(request, periods)
    region = str(request.GET.get("region", "")).strip()
    regions = national.regions()
    if region not in {code for code, _ in regions}:
        region = ""
    kind = request.GET.get("kind", Kind.CHILD_LEVEL)
    if kind not in Kind.values:
        kind = Kind.CHILD_LEVEL
    grid = national.status_grid(request.user, period, region=region, kind=kind)
    audit(request, "hub.view_national", detail={"period": period, "region": region})
    return render(
        request,
        "hub/national.html",
        _ctx(
            grid=grid,
            period=period,
            periods=periods or [period],
            region=region,
            regions=regions,
            kind=kind,
            kinds=Kind.choices,
            quarters=_quarters(period),
        ),
    )


def _quarters(period: str) -> list[str]:
    try:
        p = Period.parse(period)
    except PeriodError:
        return []
    return [p.label] if p.quarter else [q.label for q in p.quarters()]


def _national_period(request: HttpRequest, period: str) -> str:
    if not services.is_national(request.user):
        raise PermissionDenied("Only national users download national data")
    try:
        return services.check_period(period)
    except services.HubError:
        raise Http404("No such period") from None


@login_required
def national_dataset(request: HttpRequest, period: str) -> HttpResponse:
    period = _national_period(request, period)
    frame = national.national_dataset(request.user, period)
    audit(request, "hub.download_national_dataset", detail={"period": period, "rows": frame.height})
    response = HttpResponse(presenters.frame_csv(frame), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="fgc-national-child-level-{period}.csv"'
    )
    return response


@login_required
def national_aggregate(request: HttpRequest, period: str, fmt: str) -> HttpResponse:
    period = _national_period(request, period)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Choose csv or xlsx")
    frame = national.national_aggregate(request.user, period)
    audit(request, "hub.download_national_aggregate", detail={"period": period, "format": fmt})
    name = f"fgc-national-aggregate-{period}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(presenters.frame_csv(frame), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            presenters.frame_xlsx(frame, f"Aggregate {period}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
