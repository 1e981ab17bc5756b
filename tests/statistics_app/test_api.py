"""The data API: published, suppressed tables only; filters validated; changes by version."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from fgc.statistics import services
from tests.statistics_app.conftest import NOON, publication_for, source

pytestmark = pytest.mark.django_db
API = "/statistics/api/v1/datasets"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def two_versions(staged, release, analyst):
    services.publish_due(NOON)
    v2 = services.stage_version(
        analyst,
        release,
        publish_at=NOON + timedelta(days=1),
        revision_note="Redcar and Cleveland corrected its offers.",
        source=source(publication_for(6), "key-2"),
    )
    services.publish_due(NOON + timedelta(days=1))
    return staged, v2


def test_datasets_lists_every_table_of_the_latest_published_version(staged, client):
    services.publish_due(NOON)
    body = client.get(API).json()
    assert [d["id"] for d in body["datasets"]] == [
        f"fgc-2025-26/{name}" for name in publication_for(5).files
    ]
    first = body["datasets"][0]
    assert first["latest_version"] == 1 and first["period"] == "2025-26"
    assert first["url"] == "http://testserver/statistics/api/v1/datasets/fgc-2025-26/fgc_families"


def test_a_dataset_lists_its_versions_newest_first(two_versions, client):
    body = client.get(f"{API}/fgc-2025-26/fgc_families").json()
    assert [v["version"] for v in body["versions"]] == [2, 1]
    assert body["versions"][0]["revision_note"] == "Redcar and Cleveland corrected its offers."
    assert body["versions"][1]["csv"] == (
        "http://testserver/statistics/fgc-2025-26/1/fgc_families.csv"
    )


def test_meta_lists_filters_with_their_values_and_indicators(staged, client):
    services.publish_due(NOON)
    body = client.get(f"{API}/fgc-2025-26/fgc_children_by_sex/latest").json()
    assert body["version"] == 1
    assert body["filters"]["la_code"] == ["805", "806", "807"]
    assert body["filters"]["geographic_level"] == ["Local authority", "National", "Regional"]
    assert body["filters"]["time_period"] == ["202526"]
    assert body["filters"]["sex"] == sorted(
        {r["sex"] for r in _rows(publication_for(5).files["fgc_children_by_sex"][0])}
    )
    assert [i["name"] for i in body["indicators"]][:2] == ["children_offered", "children_accepted"]
    assert body["rows"] == len(_rows(publication_for(5).files["fgc_children_by_sex"][0]))


def test_query_by_filter_returns_exactly_the_published_rows(staged, client):
    services.publish_due(NOON)
    response = client.get(
        f"{API}/fgc-2025-26/fgc_children_by_sex/1/query",
        {"time_period": "2025-26", "geographic_level": "Local authority", "la_code": "805"},
    )
    assert response.status_code == 200
    expected = [
        r
        for r in _rows(publication_for(5).files["fgc_children_by_sex"][0])
        if r["geographic_level"] == "Local authority" and r["old_la_code"] == "805"
    ]
    assert response.json()["rows"] == expected and response.json()["count"] == len(expected) > 0


def test_bad_filters_get_a_400_naming_what_is_allowed(staged, client):
    services.publish_due(NOON)
    url = f"{API}/fgc-2025-26/fgc_families/1/query"
    unknown = client.get(url, {"council": "805"})
    assert unknown.status_code == 400
    error = unknown.json()["error"]
    assert error["message"] == (
        "Unknown filter council: this dataset is filtered by "
        "time_period, geographic_level, region_code, la_code"
    )
    assert error["allowed"]["la_code"] == ["805", "806", "807"]
    bad = client.get(url, {"geographic_level": "Ward"}).json()["error"]
    assert bad == {
        "status": 400,
        "message": "geographic_level=Ward is not in this dataset; geographic_level may be "
        "Local authority, National, Regional",
        "allowed": {"geographic_level": ["Local authority", "National", "Regional"]},
    }
    missing = client.get(f"{API}/fgc-2025-26/fgc_families/7/query").json()["error"]
    assert missing["message"] == "Version 7 is not published; published versions are 1 (or latest)"


def test_changes_between_two_versions(two_versions, client):
    body = client.get(f"{API}/fgc-2025-26/fgc_families/changes", {"from": "1", "to": "2"}).json()
    old = {r["old_la_code"]: r for r in _rows(publication_for(5).files["fgc_families"][0])}
    new = {r["old_la_code"]: r for r in _rows(publication_for(6).files["fgc_families"][0])}
    assert body["added"] == [] and body["removed"] == []
    assert body["revision_note"] == "Redcar and Cleveland corrected its offers."
    by_council = {c["key"]["old_la_code"]: c["values"] for c in body["changed"]}
    assert by_council["805"]["families_offered"] == {
        "from": old["805"]["families_offered"],
        "to": new["805"]["families_offered"],
    }
    for code, values in by_council.items():
        for column, change in values.items():
            assert change == {"from": old[code][column], "to": new[code][column]}
    assert client.get(f"{API}/fgc-2025-26/fgc_families/changes", {"from": "1"}).status_code == 400


def test_staged_versions_never_reach_the_api(two_versions, release, analyst, login):
    services.stage_version(
        analyst,
        release,
        publish_at=NOON + timedelta(days=30),
        revision_note="Not yet",
        source=source(publication_for(5), "key-3"),
    )
    client = login(analyst)  # even a manager
    versions = client.get(f"{API}/fgc-2025-26/fgc_families").json()["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    assert client.get(f"{API}/fgc-2025-26/fgc_families/3").status_code == 404
