"""A request asks for the user's council memberships once, and never keeps them past itself."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fgc.accounts.models import ApiToken, Membership
from fgc.hub import services
from fgc.hub.models import Submission, SubmissionVersion


def _version(council) -> SubmissionVersion:
    sub = Submission.objects.create(council=council, period="2025-26", kind="child_level")
    return SubmissionVersion.objects.create(
        submission=sub,
        number=1,
        file_path=f"x/{council.old_la_code}-1.csv",
        sha256="0" * 64,
        original_filename="return.csv",
        file_type="csv",
        size=10,
    )


def _membership_queries(ctx: CaptureQueriesContext) -> int:
    return sum('"accounts_membership"' in q["sql"] for q in ctx.captured_queries)


def test_a_submission_page_asks_for_the_memberships_once(officer_a, council_a, login):
    version = _version(council_a)
    client = login(officer_a)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/submissions/{version.submission_id}/")
    assert response.status_code == 200
    assert _membership_queries(ctx) == 1


def test_an_api_call_asks_for_the_memberships_once(officer_a, council_a):
    version = _version(council_a)
    _, raw = ApiToken.issue(officer_a, "cms")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"/api/v1/versions/{version.pk}")
    assert response.status_code == 200
    assert _membership_queries(ctx) == 1


def test_a_membership_removed_between_requests_is_honoured_on_the_next(officer_a, council_a, login):
    version = _version(council_a)
    client = login(officer_a)
    _, raw = ApiToken.issue(officer_a, "cms")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get(f"/submissions/{version.submission_id}/").status_code == 200
    assert api.get(f"/api/v1/versions/{version.pk}").status_code == 200
    Membership.objects.filter(user=officer_a).delete()
    assert client.get(f"/submissions/{version.submission_id}/").status_code == 404
    assert api.get(f"/api/v1/versions/{version.pk}").status_code == 404


def test_changing_the_same_user_objects_councils_forgets_what_it_knew(officer_a, council_a):
    assert services.member_of(officer_a, council_a.pk)
    officer_a.councils.remove(council_a)
    assert not services.member_of(officer_a, council_a.pk)
    officer_a.councils.add(council_a)
    assert services.member_of(officer_a, council_a.pk)
