"""Release pages. Published versions are public (no sign-in); staged versions only for
national analysts and the release's pre-release access list, whose every view is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fgc.accounts.models import User
from fgc.audit.services import record
from fgc.statistics import forms, presenters, services
from fgc.statistics.models import Footnote, Release, ReleaseTable, ReleaseVersion


def _manager(request: HttpRequest) -> None:
    if not services.can_manage(request.user):
        raise PermissionDenied("Only national analysts manage releases")


def _release(slug: str) -> Release:
    return get_object_or_404(Release, slug=slug)


def _version(request: HttpRequest, release: Release, number: int | None) -> ReleaseVersion:
    """The version this user may read (latest readable when ``number`` is None); 404 else."""
    versions = services.visible_versions(request.user, release)
    version = (
        versions.order_by("-number").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if version is None:
        raise Http404("No such release version")
    if not version.is_published:
        # Seen before publication: the pre-release access log.
        record(
            request,
            "statistics.pre_release_view",
            target=version,
            detail={"release": release.slug, "version": version.number, "path": request.path},
        )
    return version


def home(request: HttpRequest) -> HttpResponse:
    manage = services.can_manage(request.user)
    releases = Release.objects.all() if manage else services.published_releases()
    pre = (
        request.user.pre_release_access.all()  # type: ignore[union-attr]
        if request.user.is_authenticated and not manage
        else Release.objects.none()
    )
    return render(
        request,
        "statistics/home.html",
        {"releases": releases, "pre_release": pre, "manage": manage},
    )


def release_page(request: HttpRequest, slug: str, version: int | None = None) -> HttpResponse:
    release = _release(slug)
    shown = _version(request, release, version)
    visible = list(services.visible_versions(request.user, release))
    latest = max((v.number for v in visible if v.is_published), default=None)
    manage = services.can_manage(request.user)
    return render(
        request,
        "statistics/release.html",
        {
            "release": release,
            "version": shown,
            "latest_number": latest,
            "methodology": presenters.markdown(release.methodology),
            "data_guidance": presenters.markdown(release.data_guidance),
            "tables": [presenters.table_view(t) for t in shown.tables.all()],
            "history": presenters.history(visible),
            "manage": manage,
            "footnotes": release.footnotes.all() if manage else [],
            "pre_release_users": release.pre_release_users.all() if manage else [],
        },
    )


def _file(request: HttpRequest, slug: str, number: int | None, table: str, meta: bool) -> Any:
    release = _release(slug)
    if number is None:
        # The latest alias: always the newest published version, never a staged one.
        v = services.latest_published(release)
        if v is None:
            raise Http404("No published version")
        suffix = ".meta.csv" if meta else ".csv"
        return redirect(f"{reverse('statistics:version', args=[slug, v.number])}{table}{suffix}")
    version = _version(request, release, number)
    t = ReleaseTable.objects.filter(version=version, name=table).first()
    if t is None:
        raise Http404("No such table")
    response = HttpResponse(t.meta_text if meta else t.csv_text, content_type="text/csv")
    name = f"{slug}-v{version.number}-{table}{'.meta' if meta else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def table_csv(request: HttpRequest, slug: str, version: int, table: str) -> HttpResponse:
    return _file(request, slug, version, table, meta=False)  # type: ignore[no-any-return]


def table_meta(request: HttpRequest, slug: str, version: int, table: str) -> HttpResponse:
    return _file(request, slug, version, table, meta=True)  # type: ignore[no-any-return]


def latest_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    return _file(request, slug, None, table, meta=False)  # type: ignore[no-any-return]


def latest_meta(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    return _file(request, slug, None, table, meta=True)  # type: ignore[no-any-return]


# --- managing a release (national analysts) ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    _manager(request)
    release = _release(slug) if slug else None
    form = forms.ReleaseForm(request.POST or None, instance=release)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if release is None:
            saved.created_by = request.user
        saved.save()
        record(
            request,
            "statistics.edit_release" if release else "statistics.create_release",
            target=saved,
            detail={"release": saved.slug},
        )
        return redirect("statistics:release", saved.slug)
    return render(
        request,
        "statistics/edit.html",
        {"form": form, "release": release, "errors": forms.error_list(form)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: HttpRequest, slug: str) -> HttpResponse:
    _manager(request)
    release = _release(slug)
    form = forms.StageForm(request.POST or None)
    errors = forms.error_list(form) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_version(
                request.user,
                release,
                publish_at=form.cleaned_data["publish_at"],
                revision_note=form.cleaned_data["revision_note"],
                request=request,
            )
        except services.ReleaseError as exc:
            errors = [{"text": str(exc), "href": "#revision_note"}]
        else:
            return redirect("statistics:release", release.slug)
    amending = services.latest_published(release) is not None
    return render(
        request,
        "statistics/stage.html",
        {"form": form, "release": release, "errors": errors, "amending": amending},
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def footnote(request: HttpRequest, slug: str) -> HttpResponse:
    _manager(request)
    release = _release(slug)
    form = forms.FootnoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = Footnote.objects.create(release=release, **form.cleaned_data)
        record(request, "statistics.add_footnote", target=note, detail={"table": note.table})
        return redirect("statistics:release", release.slug)
    return render(
        request,
        "statistics/footnote.html",
        {"form": form, "release": release, "errors": forms.error_list(form)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def access(request: HttpRequest, slug: str) -> HttpResponse:
    _manager(request)
    release = _release(slug)
    form = forms.AccessForm(request.POST or None)
    errors = forms.error_list(form) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"], is_active=True).first()
        if user is None:
            errors = [{"text": "There is no active user with that username", "href": "#username"}]
        else:
            services.set_pre_release(request, release, user, grant=True)
            return redirect("statistics:release", release.slug)
    return render(
        request,
        "statistics/access.html",
        {"form": form, "release": release, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    _manager(request)
    release = _release(slug)
    user = get_object_or_404(release.pre_release_users, pk=user_id)
    services.set_pre_release(request, release, user, grant=False)
    return redirect("statistics:release", release.slug)
