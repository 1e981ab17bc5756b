"""The JSON API: token auth (``Authorization: Token <token>``), scoped to the token user.

Errors are JSON: ``{"error": {"status": 400, "message": "..."}}``. The OpenAPI description is
``openapi.yaml`` beside this module, served at /api/openapi.yaml (a test keeps them in step).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from importlib import resources
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from fgc.hub import presenters, ratelimit, services
from fgc.hub.managers import member_council_ids
from fgc.hub.models import Kind, Status, Submission, SubmissionVersion, ValidationStatus
from fgc.hub.validation import load_report_json

View = Callable[..., HttpResponse]


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message}}, status=status)


def too_many(exc: ratelimit.RateLimited) -> JsonResponse:
    response = error(429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


def _rate_councils(user: Any) -> list[int]:
    """A token counts against every council its user belongs to."""
    return list(member_council_ids(user))


def _audit(request: HttpRequest, action: str, **kwargs: Any) -> None:
    from fgc.hub.views import audit

    audit(request, action, **kwargs)


def token_required(methods: tuple[str, ...]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from fgc.accounts.services import authenticate_token

            user = authenticate_token(request)
            if user is None:
                response = error(401, "Send a valid API token: Authorization: Token <token>")
                response["WWW-Authenticate"] = "Token"
                return response
            request.user = user
            if request.method not in methods:
                response = error(405, f"Use {' or '.join(methods)} for this URL")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                ratelimit.take("api", _rate_councils(user))
                return view(request, *args, **kwargs)
            except ratelimit.RateLimited as exc:
                return too_many(exc)
            except PermissionDenied as exc:
                return error(403, str(exc) or "You do not have access to this")

        return wrapper

    return decorate


def _version_json(request: HttpRequest, version: SubmissionVersion) -> dict[str, Any]:
    sub = version.submission
    checked = version.validation_status in (ValidationStatus.VALID, ValidationStatus.ERRORS)
    return {
        "id": version.pk,
        "submission_id": sub.pk,
        "la_code": sub.council.old_la_code,
        "period": sub.period,
        "kind": sub.kind,
        "number": version.number,
        "validation_status": version.validation_status,
        "progress": version.progress,
        "message": version.progress_message,
        "rows": version.rows,
        "error_count": version.error_count,
        "query_count": version.query_count,
        "standard_version": version.standard_version or None,
        "failure": version.failure_message or None,
        "submission_status": sub.status,
        "status_url": request.build_absolute_uri(
            reverse("hub:api-version", kwargs={"version_id": version.pk})
        ),
        "report_url": request.build_absolute_uri(
            reverse("hub:api-report", kwargs={"version_id": version.pk})
        )
        if checked
        else None,
    }


PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@token_required(("GET", "POST"))
def submissions(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _list_submissions(request)
    return _create_submission(request)


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    text = str(request.GET.get(name, "")).strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise services.HubError(f"{name} must be a whole number from 1, not {text!r}")
    return int(text)


def with_latest_version_id(subs: QuerySet[Submission]) -> QuerySet[Submission]:
    """Each submission's latest version id in the same query (a list page is one query)."""
    newest = SubmissionVersion.objects.filter(submission=OuterRef("pk")).order_by("-number")
    return subs.annotate(latest_version_pk=Subquery(newest.values("pk")[:1]))


def _submission_json(request: HttpRequest, sub: Submission) -> dict[str, Any]:
    if hasattr(sub, "latest_version_pk"):
        latest_id = sub.latest_version_pk
    else:
        latest = sub.latest_version()
        latest_id = latest.pk if latest else None
    return {
        "id": sub.pk,
        "la_code": sub.council.old_la_code,
        "period": sub.period,
        "kind": sub.kind,
        "status": sub.status,
        "created": sub.created.isoformat(),
        "updated": sub.updated.isoformat(),
        "latest_version_id": latest_id,
        "versions_url": request.build_absolute_uri(
            reverse("hub:api-submission-versions", kwargs={"submission_id": sub.pk})
        ),
    }


def _list_submissions(request: HttpRequest) -> HttpResponse:
    try:
        page = _int_param(request, "page", 1)
        size = min(_int_param(request, "page_size", PAGE_SIZE), MAX_PAGE_SIZE)
        period = str(request.GET.get("period", "")).strip()
        status = str(request.GET.get("status", "")).strip()
        subs = Submission.objects.for_user(request.user).select_related("council")
        if period:
            subs = subs.filter(period=services.check_period(period))
        if status:
            if status not in Status.values:
                raise services.HubError(f"status must be one of: {', '.join(Status.values)}")
            subs = subs.filter(status=status)
    except services.HubError as exc:
        return error(400, str(exc))
    subs = subs.order_by("-period", "council__old_la_code", "kind", "pk")
    total = subs.count()
    rows = list(with_latest_version_id(subs)[(page - 1) * size : page * size])
    _audit(request, "hub.api_submissions", detail={"page": page, "period": period})
    return JsonResponse(
        {
            "count": total,
            "page": page,
            "page_size": size,
            "pages": max(1, -(-total // size)),
            "results": [_submission_json(request, s) for s in rows],
        }
    )


@token_required(("GET",))
def submission_versions(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = (
        Submission.objects.for_user(request.user)
        .select_related("council")
        .filter(pk=submission_id)
        .first()
    )
    if sub is None:
        return error(404, f"No submission {submission_id} that you can see")
    versions = sub.versions.select_related("submission", "submission__council").order_by("-number")
    _audit(request, "hub.api_submission_versions", target=sub, council=sub.council)
    return JsonResponse(
        {
            "submission": _submission_json(request, sub),
            "results": [_version_json(request, v) for v in versions],
        }
    )


def _create_submission(request: HttpRequest) -> HttpResponse:
    from fgc.accounts.models import Council

    la_code = str(request.POST.get("la_code", "")).strip()
    period = str(request.POST.get("period", "")).strip()
    kind = str(request.POST.get("kind", Kind.CHILD_LEVEL)).strip() or Kind.CHILD_LEVEL
    upload = request.FILES.get("file")
    missing = [n for n, v in (("la_code", la_code), ("period", period), ("file", upload)) if not v]
    if missing:
        return error(400, f"Missing form field(s): {', '.join(missing)}")
    if kind not in Kind.values:
        return error(400, f"kind must be one of: {', '.join(Kind.values)}")
    council = services.upload_councils(request.user).filter(old_la_code=la_code).first()
    if council is None:
        if Council.objects.filter(old_la_code=la_code).exists():
            return error(403, f"You cannot submit for council {la_code}")
        return error(400, f"{la_code!r} is not a current council code")
    assert upload is not None
    size = upload.size or 0
    if size > services.max_upload_bytes():
        return error(413, services.size_message())
    try:
        version = services.upload(
            request.user,
            council=council,
            period=period,
            kind=kind,
            file=services.UploadedFile(upload.name or "upload", size, upload.chunks()),
        )
    except services.HubError as exc:
        return error(400, str(exc))
    _audit(
        request,
        "hub.api_upload",
        target=version,
        council=council,
        detail={"version": version.number, "sha256": version.sha256},
    )
    body = _version_json(request, version)
    duplicate = services.duplicate_of(version)
    body["duplicate_warning"] = (
        {"message": duplicate.message, "earlier_version_id": duplicate.earlier.pk}
        if duplicate
        else None
    )
    return JsonResponse(body, status=202)


def _scoped_version(request: HttpRequest, version_id: int) -> SubmissionVersion | None:
    try:
        return services.get_version(request.user, version_id)
    except SubmissionVersion.DoesNotExist:
        return None


@token_required(("GET",))
def version(request: HttpRequest, version_id: int) -> HttpResponse:
    v = _scoped_version(request, version_id)
    if v is None:
        return error(404, f"No version {version_id} that you can see")
    _audit(request, "hub.api_version", target=v, council=v.submission.council)
    return JsonResponse(_version_json(request, v))


@token_required(("GET",))
def report(request: HttpRequest, version_id: int) -> HttpResponse:
    v = _scoped_version(request, version_id)
    if v is None:
        return error(404, f"No version {version_id} that you can see")
    body = load_report_json(v) if v.is_checked else None
    if body is None:
        return error(409, f"Version {version_id} has no report yet: {v.validation_status}")
    if services.is_national(request.user):
        body = presenters.mask_report_json(body, v.submission.council.old_la_code)
    _audit(request, "hub.api_report", target=v, council=v.submission.council)
    return JsonResponse(body)


def openapi(request: HttpRequest) -> HttpResponse:
    text = resources.files("fgc.hub.api").joinpath("openapi.yaml").read_text("utf-8")
    return HttpResponse(text, content_type="application/yaml; charset=utf-8")
