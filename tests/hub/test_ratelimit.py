"""Per-council rate limits: over the limit is a 429 with Retry-After, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fgc.accounts.models import ApiToken
from fgc.hub import ratelimit
from fgc.hub.models import RateCounter, SubmissionVersion
from tests.hub.fixtures import csv_bytes, frame_for


def test_parse_rate():
    assert ratelimit.parse_rate("20/hour") == ratelimit.Rate(20, 3600, "20/hour")
    assert ratelimit.parse_rate(" 5/minutes ").seconds == 60
    for bad in ("20", "x/hour", "20/fortnight", "-1/hour"):
        with pytest.raises(ValueError, match="not a rate like 20/hour"):
            ratelimit.parse_rate(bad)


def test_window_turns_over_and_councils_are_counted_apart(council_a, council_b, settings):
    settings.FGC_UPLOAD_RATE = "2/hour"
    t = 7200.0 * 1000 + 10  # ten seconds into an hour
    ratelimit.take("upload", [council_a.pk], now=t)
    ratelimit.take("upload", [council_a.pk], now=t + 1)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.take("upload", [council_a.pk], now=t + 2)
    assert refused.value.retry_after == 3600 - 12
    ratelimit.take("upload", [council_b.pk], now=t + 2)  # another council's own allowance
    ratelimit.take("upload", [council_a.pk], now=t + 3600)  # the next hour
    # The past window's row is gone; the refused request was not counted.
    rows = RateCounter.objects.filter(council=council_a).values_list("window_start", "count")
    assert list(rows) == [(int(t + 3600) // 3600 * 3600, 1)]


def test_several_taken_at_once_need_that_many_places(council_a, settings):
    settings.FGC_UPLOAD_RATE = "3/hour"
    t = 7200.0
    ratelimit.take("upload", [council_a.pk], now=t)
    ratelimit.take("upload", [council_a.pk], now=t + 1, n=2)  # exactly the two places left
    assert RateCounter.objects.get(council=council_a).count == 3
    settings.FGC_UPLOAD_RATE = "4/hour"
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.take("upload", [council_a.pk], now=t + 2, n=2)  # one place left, two asked
    assert RateCounter.objects.get(council=council_a).count == 3


def test_refusal_against_one_council_counts_against_none(council_a, council_b, settings):
    settings.FGC_API_RATE = "1/hour"
    ratelimit.take("api", [council_b.pk], now=100.0)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.take("api", [council_a.pk, council_b.pk], now=101.0)
    assert not RateCounter.objects.filter(council=council_a, count__gt=0).exists()


def test_web_upload_over_the_limit_is_a_429_page_and_stores_nothing(
    officer_a, council_a, login, upload_file, settings, tmp_path
):
    settings.FGC_UPLOAD_RATE = "2/hour"
    data = csv_bytes(frame_for("805"))
    upload_file(officer_a, council_a, data)
    upload_file(officer_a, council_a, data)
    files_before = sorted(p for p in (tmp_path / "data").rglob("*") if p.is_file())
    response = login(officer_a).post(
        reverse("hub:upload"),
        {
            "council": council_a.pk,
            "period": "2025-26",
            "kind": "child_level",
            "file": SimpleUploadedFile("third.csv", data, content_type="text/plain"),
        },
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert "govuk-heading-l" in html and "Too many uploads" in html
    assert "2 uploads in this hour (the limit is 2/hour)" in html
    assert SubmissionVersion.objects.count() == 2
    assert sorted(p for p in (tmp_path / "data").rglob("*") if p.is_file()) == files_before


def test_api_over_the_request_limit_is_json_429(
    officer_a, officer_b, council_a, council_b, settings
):
    settings.FGC_API_RATE = "2/hour"
    _, raw = ApiToken.issue(officer_a, "cms")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/versions/999").status_code == 404
    assert api.get("/api/v1/versions/999").status_code == 404
    refused = api.get("/api/v1/versions/999")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    body = refused.json()["error"]
    assert body["status"] == 429 and "the limit is 2/hour" in body["message"]
    # Another council's token is not held up.
    _, raw_b = ApiToken.issue(officer_b, "cms")
    assert Client(HTTP_AUTHORIZATION=f"Token {raw_b}").get("/api/v1/versions/9").status_code == 404


def test_api_upload_over_the_upload_limit_stores_nothing(officer_a, council_a, settings):
    settings.FGC_UPLOAD_RATE = "1/hour"
    _, raw = ApiToken.issue(officer_a, "cms")
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    data = csv_bytes(frame_for("805"))

    def post():
        return api.post(
            "/api/v1/submissions",
            {"la_code": "805", "period": "2025-26", "file": SimpleUploadedFile("x.csv", data)},
        )

    assert post().status_code == 202
    refused = post()
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "made 1 upload in this hour" in refused.json()["error"]["message"]
    assert SubmissionVersion.objects.count() == 1


def test_a_call_within_a_window_is_one_update_and_deletes_nothing(council_a, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FGC_API_RATE = "5/hour"
    t = 7200.0 * 10
    ratelimit.take("api", [council_a.pk], now=t)  # opens the window
    with CaptureQueriesContext(connection) as ctx:
        ratelimit.take("api", [council_a.pk], now=t + 1)
    sqls = [q["sql"].upper() for q in ctx.captured_queries]
    # Old windows are swept when a window opens, not on every call.
    assert not [s for s in sqls if s.startswith("DELETE")]
    assert len([s for s in sqls if s.startswith(("UPDATE", "SELECT", "INSERT"))]) == 1
    assert RateCounter.objects.get(council=council_a).count == 2


def test_opening_a_window_sweeps_the_past_ones_and_the_limit_stays_exact(council_a, settings):
    settings.FGC_API_RATE = "3/minute"
    t = 60.0 * 1000
    for i in range(3):
        ratelimit.take("api", [council_a.pk], now=t + i)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.take("api", [council_a.pk], now=t + 5)
    assert RateCounter.objects.get(council=council_a).count == 3
    for i in range(3):
        ratelimit.take("api", [council_a.pk], now=t + 60 + i)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.take("api", [council_a.pk], now=t + 70)
    rows = RateCounter.objects.filter(council=council_a).values_list("window_start", "count")
    assert list(rows) == [(int(t) + 60, 3)]
