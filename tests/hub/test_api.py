from __future__ import annotations

import re
from importlib import resources

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fgc.accounts.models import ApiToken
from fgc.engine.validate import validate
from fgc.formats import read_table_bytes
from fgc.hub.models import SubmissionVersion
from tests.hub.fixtures import csv_bytes, frame_for, with_error


@pytest.fixture
def api(officer_a):
    _, raw = ApiToken.issue(officer_a, "test")
    return Client(HTTP_AUTHORIZATION=f"Token {raw}")


def post_file(api, data: bytes, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {"la_code": "805", "period": "2025-26", "kind": "child_level", **fields}
    body["file"] = SimpleUploadedFile("cms-extract.csv", data)
    return api.post("/api/v1/submissions", body)


def test_upload_poll_and_fetch_report(api, council_a):
    data = csv_bytes(with_error(frame_for("805")))
    response = post_file(api, data)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["number"] == 1 and body["la_code"] == "805"
    status = api.get(body["status_url"].replace("http://testserver", ""))
    assert status.status_code == 200
    assert status.json()["validation_status"] == "errors"
    report = api.get(f"/api/v1/versions/{body['id']}/report").json()
    expected = validate(read_table_bytes(data, "cms-extract.csv").frame).to_json_dict()
    assert set(report) == set(expected)
    assert report["error_count"] == expected["error_count"]
    assert report["errors"] == expected["errors"]
    assert report["queries"] == expected["queries"]


def test_api_errors_are_json(api, council_a, council_b):
    anonymous = Client()
    r = anonymous.post("/api/v1/submissions", {"la_code": "805"})
    assert r.status_code == 401 and r.json()["error"]["status"] == 401
    assert Client(HTTP_AUTHORIZATION="Token nope").get("/api/v1/versions/1").status_code == 401
    r = api.post("/api/v1/submissions", {"la_code": "805"})
    assert r.status_code == 400 and "period" in r.json()["error"]["message"]
    assert post_file(api, csv_bytes(frame_for("806")), la_code="806").status_code == 403
    assert post_file(api, b"x", la_code="999").status_code == 400
    assert post_file(api, b"a,b\n1,2\n", period="2025").status_code == 400
    assert api.delete("/api/v1/submissions").status_code == 405
    assert api.get("/api/v1/versions/999999").status_code == 404
    assert not SubmissionVersion.objects.exists()


def test_api_is_scoped_to_the_token_users_councils(api, officer_b, council_b, upload_file):
    vb = upload_file(officer_b, council_b, csv_bytes(frame_for("806")))
    assert api.get(f"/api/v1/versions/{vb.pk}").status_code == 404
    assert api.get(f"/api/v1/versions/{vb.pk}/report").status_code == 404


def test_report_not_ready_is_409(api, council_a, settings):
    settings.FGC_JOBS_INLINE = False
    body = post_file(api, csv_bytes(frame_for("805"))).json()
    assert body["validation_status"] == "queued" and body["report_url"] is None
    assert api.get(f"/api/v1/versions/{body['id']}/report").status_code == 409


def test_api_upload_size_limit_is_413(api, council_a, settings):
    settings.FGC_MAX_UPLOAD_MB = 1
    response = post_file(api, b"a,b\n" + b"1,2\n" * 300_000)
    assert response.status_code == 413
    assert "1 MB" in response.json()["error"]["message"]
    # The request-size middleware (before the view reads the body) answers in JSON too.
    settings.FGC_MAX_UPLOAD_BYTES = 1024 * 1024
    response = post_file(api, b"a,b\n" + b"1,2\n" * 300_000)
    assert response.status_code == 413
    assert response.json()["error"]["status"] == 413


def _api_routes() -> list[str]:
    """Every URL of the project under /api/, as OpenAPI path templates."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, text)
            elif isinstance(p, URLPattern) and text.startswith("api/"):
                routes.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text))

    walk(get_resolver().url_patterns, "")
    return routes


def test_openapi_document_describes_every_api_url(client, db):
    text = client.get(reverse("hub:api-openapi")).content.decode()
    packaged = resources.files("fgc.hub.api").joinpath("openapi.yaml").read_text("utf-8")
    assert text == packaged
    assert text.startswith("openapi: 3.1")
    documented = set(re.findall(r"^  (/\S+):\s*$", text, flags=re.MULTILINE))
    routes = set(_api_routes())
    assert len(routes) >= 4
    assert routes == documented, (
        f"undocumented: {routes - documented}; stale: {documented - routes}"
    )
