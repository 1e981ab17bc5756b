"""Releases: freezing, scheduled publication, pre-release access, amendments, permalinks."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.core.management import call_command

from fgc.audit.models import AuditEvent
from fgc.statistics import services
from fgc.statistics.models import Footnote, Release, ReleaseTable, ReleaseVersion
from tests.statistics_app.conftest import NOON, publication_for, source

pytestmark = pytest.mark.django_db


def test_staging_freezes_the_release_files_byte_for_byte_and_no_suppression_log(staged):
    pub = publication_for(5)
    tables = {t.name: (t.csv_text, t.meta_text) for t in staged.tables.all()}
    assert tables == pub.files
    assert list(tables) == list(pub.files)  # the engine's order is kept
    assert not any("suppression" in name for name in tables)
    assert "between 1 and 5" not in "".join(c + m for c, m in tables.values())
    assert staged.number == 1 and staged.published_at is None and staged.snapshot_key == "test-key"
    event = AuditEvent.objects.get(action="statistics.stage_version")
    assert event.detail["tables"] == list(pub.files) and event.detail["version"] == 1


def test_staging_is_refused_when_the_disclosure_check_fails(release, analyst):
    bad = dataclasses.replace(publication_for(5), problems=["fgc_families: no time_period"])
    with pytest.raises(services.ReleaseError, match="fgc_families: no time_period"):
        services.stage_version(analyst, release, publish_at=NOON, source=source(bad))
    assert not ReleaseVersion.objects.exists() and not ReleaseTable.objects.exists()


def test_only_national_analysts_stage(release, officer_a):
    with pytest.raises(services.ReleaseError, match="Only national analysts"):
        services.stage_version(
            officer_a, release, publish_at=NOON, source=source(publication_for(5))
        )


def test_publish_step_publishes_nothing_before_the_scheduled_time(staged, client):
    assert services.publish_due(NOON - timedelta(seconds=1)) == []
    staged.refresh_from_db()
    assert staged.published_at is None
    # The public sees neither the page, the files, the latest alias nor the API.
    assert client.get("/statistics/fgc-2025-26/").status_code == 404
    assert client.get("/statistics/fgc-2025-26/1/fgc_families.csv").status_code == 404
    assert client.get("/statistics/fgc-2025-26/latest/fgc_families.csv").status_code == 404
    assert client.get("/statistics/api/v1/datasets").json() == {"datasets": []}
    assert client.get("/statistics/api/v1/datasets/fgc-2025-26/fgc_families").status_code == 404
    home = client.get("/statistics/").text
    assert "No release has been published yet." in home and "/statistics/fgc-2025-26/" not in home


def test_publish_step_publishes_at_the_scheduled_time_once(staged, client):
    assert [v.pk for v in services.publish_due(NOON)] == [staged.pk]
    assert services.publish_due(NOON + timedelta(hours=1)) == []  # already published
    staged.refresh_from_db()
    assert staged.published_at == NOON
    page = client.get("/statistics/fgc-2025-26/")
    assert page.status_code == 200 and "Hartlepool" in page.text
    data = client.get("/statistics/fgc-2025-26/1/fgc_families.csv")
    assert data.content.decode() == publication_for(5).files["fgc_families"][0]
    meta = client.get("/statistics/fgc-2025-26/1/fgc_families.meta.csv")
    assert meta.content.decode() == publication_for(5).files["fgc_families"][1]
    assert AuditEvent.objects.filter(action="statistics.publish_version").count() == 1


def test_management_command_publishes_due_releases(staged, capsys):
    ReleaseVersion.objects.filter(pk=staged.pk).update(publish_at=NOON - timedelta(days=400))
    call_command("publish_releases")
    assert "Published fgc-2025-26 version 1" in capsys.readouterr().out
    staged.refresh_from_db()
    assert staged.published_at is not None


def test_pre_release_access_is_named_and_every_view_audited(
    staged, release, officer_b, officer_a, login, analyst
):
    assert login(officer_b).get("/statistics/fgc-2025-26/").status_code == 404
    client = login(analyst)
    assert (
        client.post("/statistics/fgc-2025-26/access/", {"username": "officer-b"}).status_code == 302
    )
    assert list(release.pre_release_users.all()) == [officer_b]
    grant = AuditEvent.objects.get(action="statistics.pre_release_grant")
    assert grant.detail == {"release": "fgc-2025-26", "user": "officer-b"}

    page = login(officer_b).get("/statistics/fgc-2025-26/")
    assert (
        page.status_code == 200 and "Pre-release access: this version is not published" in page.text
    )
    assert login(officer_b).get("/statistics/fgc-2025-26/1/fgc_families.csv").status_code == 200
    views = AuditEvent.objects.filter(action="statistics.pre_release_view", username="officer-b")
    assert views.count() == 2
    # Not on the list: still nothing; and pre-release never reaches the API.
    assert login(officer_a).get("/statistics/fgc-2025-26/").status_code == 404
    assert login(officer_b).get("/statistics/api/v1/datasets").json() == {"datasets": []}

    client.post(f"/statistics/fgc-2025-26/access/{officer_b.pk}/revoke/")
    assert login(officer_b).get("/statistics/fgc-2025-26/").status_code == 404
    assert AuditEvent.objects.filter(action="statistics.pre_release_revoke").count() == 1


def test_access_to_an_unknown_user_is_a_clear_error(release, analyst, login):
    response = login(analyst).post("/statistics/fgc-2025-26/access/", {"username": "nobody"})
    assert response.status_code == 400
    assert "There is no active user with that username" in response.text


def _amend(release, analyst, note: str, seed: int = 6):
    return services.stage_version(
        analyst,
        release,
        publish_at=NOON + timedelta(days=7),
        revision_note=note,
        source=source(publication_for(seed), "key-2"),
    )


def test_an_amendment_needs_a_revision_note_and_keeps_the_old_version(
    staged, release, analyst, client
):
    services.publish_due(NOON)
    with pytest.raises(services.ReleaseError, match="revision note"):
        _amend(release, analyst, "   ")
    v2 = _amend(release, analyst, "Middlesbrough resubmitted its return.")
    assert v2.number == 2
    # Before its time, the public still gets version 1 everywhere.
    assert client.get("/statistics/fgc-2025-26/latest/fgc_families.csv")["Location"] == (
        "/statistics/fgc-2025-26/1/fgc_families.csv"
    )
    assert client.get("/statistics/fgc-2025-26/2/").status_code == 404
    services.publish_due(NOON + timedelta(days=7))

    latest = client.get("/statistics/fgc-2025-26/latest/fgc_families.csv")
    assert latest["Location"] == "/statistics/fgc-2025-26/2/fgc_families.csv"
    latest_meta = client.get("/statistics/fgc-2025-26/latest/fgc_families.meta.csv")
    assert latest_meta["Location"] == "/statistics/fgc-2025-26/2/fgc_families.meta.csv"
    old = client.get("/statistics/fgc-2025-26/1/fgc_families.csv").content.decode()
    new = client.get("/statistics/fgc-2025-26/2/fgc_families.csv").content.decode()
    assert old == publication_for(5).files["fgc_families"][0]
    assert new == publication_for(6).files["fgc_families"][0]
    assert old != new

    page = client.get("/statistics/fgc-2025-26/").text
    assert "Middlesbrough resubmitted its return." in page and "First published" in page
    assert page.index("Version 2") < page.index("Version 1")  # newest first
    old_page = client.get("/statistics/fgc-2025-26/1/").text
    assert "which has been superseded. The latest is version 2" in old_page


def test_restaging_replaces_the_unpublished_version(staged, release, analyst):
    again = services.stage_version(
        analyst, release, publish_at=NOON, source=source(publication_for(6))
    )
    assert again.number == 1
    assert list(release.versions.values_list("pk", flat=True)) == [again.pk]


def test_footnotes_are_frozen_with_their_table_and_unknown_tables_refused(release, analyst, client):
    Footnote.objects.create(release=release, table="fgc_families", text="Redcar joined in May.")
    v = services.stage_version(analyst, release, publish_at=NOON, source=source(publication_for(5)))
    assert v.tables.get(name="fgc_families").footnotes == ["Redcar joined in May."]
    assert v.tables.get(name="fgc_children_by_sex").footnotes == []
    services.publish_due(NOON)
    assert "Redcar joined in May." in client.get("/statistics/fgc-2025-26/").text

    Footnote.objects.create(release=release, table="fgc_families_typo", text="x")
    with pytest.raises(services.ReleaseError, match="fgc_families_typo"):
        _amend(release, analyst, "note")


def test_methodology_markdown_is_rendered_without_raw_html(staged, client):
    services.publish_due(NOON)
    page = client.get("/statistics/fgc-2025-26/").text
    assert '<h3 class="govuk-heading-s">How the figures are made</h3>' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<li>fgc_families: families by stage</li>" in page


def test_analyst_creates_a_release_and_council_users_cannot(analyst, officer_a, login):
    form = {
        "title": "FGCs 2024-25",
        "slug": "fgc-2024-25",
        "period": "2024-25",
        "summary": "S",
        "methodology": "",
        "data_guidance": "",
    }
    assert login(officer_a).post("/statistics/new/", form).status_code == 403
    assert login(analyst).post("/statistics/new/", form).status_code == 302
    assert Release.objects.get(slug="fgc-2024-25").created_by == analyst
    bad = login(analyst).post("/statistics/new/", {**form, "slug": "api", "period": "2024"})
    assert "is used by the service" in bad.text and "Enter the year as 2025-26" in bad.text


def test_stage_form_asks_for_a_note_when_amending(staged, release, analyst, login):
    services.publish_due(NOON)
    response = login(analyst).post(
        "/statistics/fgc-2025-26/stage/", {"publish_at": "2026-12-20 09:30", "revision_note": ""}
    )
    assert response.status_code == 400
    assert "say what changed and why in the revision note" in response.text
    bad_date = login(analyst).post("/statistics/fgc-2025-26/stage/", {"publish_at": "soon"})
    assert "Enter the publication date and time as 2026-12-10 09:30" in bad_date.text


def test_stage_form_freezes_the_release_of_the_accepted_returns(
    officer_a, officer_b, analyst, council_a, council_b, upload_file, login, client
):
    from fgc.insight_web import services as insight
    from tests.insight_web.conftest import accept

    accept(officer_a, analyst, council_a, upload_file)
    accept(officer_b, analyst, council_b, upload_file, seed=6)
    insight.clear_memory_cache()
    Release.objects.create(slug="fgc-2025-26", period="2025-26", title="FGCs", summary="S")
    response = login(analyst).post(
        "/statistics/fgc-2025-26/stage/", {"publish_at": "2026-12-10 09:30"}
    )
    assert response.status_code == 302
    snap, result = insight.insight()
    pub = insight.publication(snap, result, "2025-26")
    version = ReleaseVersion.objects.get()
    assert version.snapshot_key == snap.key
    assert {t.name: (t.csv_text, t.meta_text) for t in version.tables.all()} == pub.files
    assert version.publish_at.isoformat() == "2026-12-10T09:30:00+00:00"  # GMT in December
    # Nothing for the public until the publish step.
    assert client.get("/statistics/fgc-2025-26/").status_code == 404
    services.publish_due(version.publish_at)
    assert "Hartlepool" in client.get("/statistics/fgc-2025-26/").text


def test_statistics_is_in_the_menu_and_public_without_sign_in(officer_a, login, client):
    assert 'href="/statistics/"' in login(officer_a).get("/", follow=True).text
    home = client.get("/statistics/")
    assert home.status_code == 200 and "Family Group Conference statistics" in home.text
