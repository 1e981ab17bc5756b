"""The API's list of submissions makes the same number of queries for 2 rows as for 12."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fgc.accounts.models import ApiToken, Council
from fgc.hub.models import Submission, SubmissionVersion


def _submissions(councils: list[Council], versions: int = 2) -> dict[int, int]:
    """One submission per council for 2025-26 with ``versions`` versions; {sub: latest pk}."""
    latest = {}
    for council in councils:
        sub = Submission.objects.create(council=council, period="2025-26", kind="child_level")
        for number in range(1, versions + 1):
            v = SubmissionVersion.objects.create(
                submission=sub,
                number=number,
                file_path=f"x/{council.old_la_code}-{number}.csv",
                sha256="0" * 64,
                original_filename="return.csv",
                file_type="csv",
                size=10,
            )
        latest[sub.pk] = v.pk
    return latest


def _list(user) -> tuple[dict, int]:
    _, raw = ApiToken.issue(user, "cms")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/submissions", {"period": "2025-26"})
    assert response.status_code == 200
    return response.json(), len(queries.captured_queries)


def test_list_queries_do_not_grow_with_the_rows_and_name_the_latest_version(analyst):
    councils = list(Council.objects.filter(current=True).order_by("old_la_code")[:12])
    latest = _submissions(councils[:2])
    small, few = _list(analyst)
    assert {r["id"]: r["latest_version_id"] for r in small["results"]} == latest
    latest.update(_submissions(councils[2:]))
    large, many = _list(analyst)
    assert large["count"] == 12
    assert {r["id"]: r["latest_version_id"] for r in large["results"]} == latest
    assert many == few


def test_a_submission_without_versions_has_no_latest_version(analyst, council_a):
    Submission.objects.create(council=council_a, period="2025-26", kind="child_level")
    body, _ = _list(analyst)
    assert [r["latest_version_id"] for r in body["results"]] == [None]
