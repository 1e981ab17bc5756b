"""The data API, version 1 (JSON): published release tables as datasets.

    GET /statistics/api/v1/datasets                                   every dataset
    GET /statistics/api/v1/datasets/<release>/<table>                 its published versions
    GET /statistics/api/v1/datasets/<release>/<table>/<v>             columns, filters, values
    GET /statistics/api/v1/datasets/<release>/<table>/<v>/query?...   rows matching filters
    GET /statistics/api/v1/datasets/<release>/<table>/changes?from=1&to=2

``<v>`` is a version number or ``latest``. Only published versions are served (never a
staged one, whoever asks), and only the suppressed release files. Errors are
``{"error": {"status", "message", "allowed"?}}``, the hub API's shape.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from fgc.statistics import datasets, services
from fgc.statistics.models import Release, ReleaseTable, ReleaseVersion


def _error(status: int, message: str, allowed: dict[str, list[str]] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"status": status, "message": message}
    if allowed is not None:
        body["allowed"] = allowed
    return JsonResponse({"error": body}, status=status)


class _NotFound(Exception):
    pass


def _published_tables(slug: str, table: str) -> list[ReleaseTable]:
    tables = list(
        ReleaseTable.objects.filter(
            version__release__slug=slug, version__published_at__isnull=False, name=table
        )
        .select_related("version")
        .order_by("version__number")
    )
    if not tables:
        raise _NotFound(f"No published dataset {slug}/{table}")
    return tables


def _pick(tables: list[ReleaseTable], version: str) -> ReleaseTable:
    if version == "latest":
        return tables[-1]
    for t in tables:
        if str(t.version.number) == version:
            return t
    raise _NotFound(
        f"Version {version} is not published; published versions are "
        f"{', '.join(str(t.version.number) for t in tables)} (or latest)"
    )


def _version_json(request: HttpRequest, slug: str, t: ReleaseTable) -> dict[str, Any]:
    v: ReleaseVersion = t.version
    base = reverse("statistics:version", args=[slug, v.number])
    return {
        "version": v.number,
        "published": v.published_at.isoformat() if v.published_at else None,
        "revision_note": v.revision_note,
        "csv": request.build_absolute_uri(f"{base}{t.name}.csv"),
        "meta_csv": request.build_absolute_uri(f"{base}{t.name}.meta.csv"),
    }


@require_GET
def dataset_list(request: HttpRequest) -> JsonResponse:
    out = []
    for release in services.published_releases().order_by("slug"):
        latest = services.latest_published(release)
        if latest is None:
            continue
        for t in latest.tables.all():
            out.append(
                {
                    "id": f"{release.slug}/{t.name}",
                    "release": release.slug,
                    "release_title": release.title,
                    "period": release.period,
                    "table": t.name,
                    "latest_version": latest.number,
                    "url": request.build_absolute_uri(
                        reverse("statistics:api-dataset", args=[release.slug, t.name])
                    ),
                }
            )
    return JsonResponse({"datasets": out})


@require_GET
def dataset(request: HttpRequest, slug: str, table: str) -> JsonResponse:
    try:
        tables = _published_tables(slug, table)
    except _NotFound as exc:
        return _error(404, str(exc))
    release = Release.objects.get(slug=slug)
    return JsonResponse(
        {
            "id": f"{slug}/{table}",
            "release_title": release.title,
            "period": release.period,
            "versions": [_version_json(request, slug, t) for t in reversed(tables)],
        }
    )


@require_GET
def dataset_meta(request: HttpRequest, slug: str, table: str, version: str) -> JsonResponse:
    try:
        t = _pick(_published_tables(slug, table), version)
    except _NotFound as exc:
        return _error(404, str(exc))
    ds = datasets.load(t.csv_text, t.meta_text)
    return JsonResponse(
        {
            "id": f"{slug}/{table}",
            **_version_json(request, slug, t),
            "rows": len(ds.rows),
            "columns": list(ds.columns),
            "indicators": [
                {"name": i["col_name"], "label": i["label"], "unit": i.get("indicator_unit", "")}
                for i in ds.indicators
            ],
            "filters": ds.allowed(),
            "footnotes": list(t.footnotes),
        }
    )


@require_GET
def dataset_query(request: HttpRequest, slug: str, table: str, version: str) -> JsonResponse:
    try:
        t = _pick(_published_tables(slug, table), version)
    except _NotFound as exc:
        return _error(404, str(exc))
    ds = datasets.load(t.csv_text, t.meta_text)
    params = {k: request.GET.getlist(k) for k in request.GET}
    try:
        rows = datasets.query(ds, params)
    except datasets.QueryError as exc:
        return _error(400, str(exc), exc.allowed)
    return JsonResponse(
        {"id": f"{slug}/{table}", "version": t.version.number, "count": len(rows), "rows": rows}
    )


@require_GET
def dataset_changes(request: HttpRequest, slug: str, table: str) -> JsonResponse:
    try:
        tables = _published_tables(slug, table)
        numbers = {}
        for side in ("from", "to"):
            wanted = request.GET.get(side, "").strip()
            if not wanted:
                return _error(
                    400,
                    f"Give both versions, for example ?from=1&to=2 ({side} is missing)",
                    {side: [str(t.version.number) for t in tables]},
                )
            numbers[side] = _pick(tables, wanted)
    except _NotFound as exc:
        return _error(404, str(exc))
    old, new = numbers["from"], numbers["to"]
    diff = datasets.changes(
        datasets.load(old.csv_text, old.meta_text), datasets.load(new.csv_text, new.meta_text)
    )
    return JsonResponse(
        {
            "id": f"{slug}/{table}",
            "from": old.version.number,
            "to": new.version.number,
            "revision_note": new.version.revision_note,
            **diff,
        }
    )
