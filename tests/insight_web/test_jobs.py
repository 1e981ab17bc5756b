"""The "insight.refresh" job: queued on acceptance, builds the cache, pages never compute."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from fgc.insight_web import jobs, services
from fgc.jobs.models import Job
from fgc.jobs.runner import run_pending
from tests.insight_web.conftest import PERIOD, accept

pytestmark = pytest.mark.django_db

BANNER = "Figures are being updated to include the latest accepted returns"


def _refresh_jobs(status: str | None = None) -> list[Job]:
    jobs_ = Job.objects.filter(kind=jobs.JOB_KIND)
    return list(jobs_.filter(status=status) if status else jobs_)


def _submitted(officer, council, upload, period: str = PERIOD, seed: int = 5):
    """A checked, explained and submitted version, not yet decided."""
    from fgc.hub import services as hub
    from fgc.synth import generate
    from tests.hub.fixtures import csv_bytes, explain_all

    version = upload(
        officer, council, csv_bytes(generate([council.old_la_code], [period], seed=seed)), period
    )
    explain_all(officer, version)
    return hub.submit_for_signoff(officer, version)


def test_accepting_queues_one_refresh_that_builds_the_cache(
    officer_a, officer_b, analyst, council_a, council_b, upload_file, hub_settings
):
    from fgc.hub import services as hub

    a = _submitted(officer_a, council_a, upload_file)
    b = _submitted(officer_b, council_b, upload_file, seed=6)
    assert _refresh_jobs() == []  # uploads and sign-off do not refresh
    hub_settings.FGC_JOBS_INLINE = False  # a separate worker, as in production

    hub.decide(analyst, a, "accepted")
    assert len(_refresh_jobs(Job.Status.QUEUED)) == 1
    hub.decide(analyst, b, "accepted")  # coalesced: the queued job will see both
    assert len(_refresh_jobs()) == 1
    key = services.snapshot().key
    assert not services.is_complete(key)

    assert run_pending() == 1
    assert [j.status for j in _refresh_jobs()] == [Job.Status.DONE]
    assert _refresh_jobs()[0].payload["key"] == key
    assert services.is_complete(key)
    cache = services.cache_dir(key)
    assert (cache / "result" / "periods.txt").exists()
    assert list((cache / "publication").glob(f"{PERIOD}-*/manifest.json"))
    assert (cache / f"published-{PERIOD}.parquet").exists()
    assert services.latest_complete() == services.snapshot()
    # Both councils' returns are in the figures the pages read.
    now = services.current()
    assert not now.refreshing and now.snap.key == key
    codes = set(now.result.table("funnel")["la_code"].to_list())
    assert {"805", "806"} <= codes


def test_returning_a_version_queues_nothing(officer_a, analyst, council_a, upload_file):
    from fgc.hub import services as hub

    version = _submitted(officer_a, council_a, upload_file)
    hub.decide(analyst, version, "returned", "Please check the referral dates")
    assert _refresh_jobs() == []


def test_page_during_refresh_shows_previous_figures_with_banner(
    officer_a, officer_b, analyst, council_a, council_b, upload_file, login, hub_settings
):
    from fgc.hub import services as hub

    accept(officer_a, analyst, council_a, upload_file)  # inline: cache built at once
    before = services.snapshot()
    assert services.is_complete(before.key)
    client = login(officer_a)
    page = client.get(f"/insight/council/805/?period={PERIOD}")
    assert page.status_code == 200 and BANNER not in page.content.decode()

    version = _submitted(officer_b, council_b, upload_file, seed=6)
    hub_settings.FGC_JOBS_INLINE = False
    hub.decide(analyst, version, "accepted")
    services.clear_memory_cache()  # as a fresh web process would be

    page = client.get(f"/insight/council/805/?period={PERIOD}")
    assert page.status_code == 200
    html = page.content.decode()
    assert BANNER in html and 'class="govuk-notification-banner"' in html
    now = services.current()
    assert now.refreshing and now.snap.key == before.key
    assert len(_refresh_jobs(Job.Status.QUEUED)) == 1  # the page did not queue another

    analyst_client = login(analyst)
    national = analyst_client.get(f"/insight/national/?period={PERIOD}")
    assert national.status_code == 200 and BANNER in national.content.decode()

    run_pending()
    page = client.get(f"/insight/council/805/?period={PERIOD}")
    assert page.status_code == 200 and BANNER not in page.content.decode()
    assert services.current().snap.key == services.snapshot().key != before.key


def test_cold_start_shows_preparing_page_and_queues_a_refresh(
    officer_a, analyst, council_a, upload_file, login, hub_settings
):
    accept(officer_a, analyst, council_a, upload_file)
    # No cache at all (say, a fresh data directory after a restore) and a separate worker.
    shutil.rmtree(Path(settings.FGC_DATA_DIR) / services.CACHE_DIR)
    services.clear_memory_cache()
    hub_settings.FGC_JOBS_INLINE = False
    Job.objects.filter(kind=jobs.JOB_KIND).delete()

    client = login(officer_a)
    page = client.get(f"/insight/council/805/?period={PERIOD}")
    assert page.status_code == 503 and page["Retry-After"]
    html = page.content.decode()
    assert "Figures are being prepared" in html
    assert f'href="/insight/council/805/?period={PERIOD}"' in html  # refresh link
    assert len(_refresh_jobs(Job.Status.QUEUED)) == 1
    client.get(f"/insight/council/805/data.csv?period={PERIOD}&table=headline")
    assert len(_refresh_jobs()) == 1  # queued once, not once per request
    with pytest.raises(services.InsightPreparing):
        services.insight()

    run_pending()
    page = client.get(f"/insight/council/805/?period={PERIOD}")
    assert page.status_code == 200 and "Figures are being prepared" not in page.content.decode()


def test_a_failed_refresh_is_not_retried_by_every_page(
    officer_a, analyst, council_a, upload_file, hub_settings
):
    accept(officer_a, analyst, council_a, upload_file)
    key = services.snapshot().key
    Job.objects.filter(kind=jobs.JOB_KIND).delete()
    hub_settings.FGC_JOBS_INLINE = False
    Job.objects.create(kind=jobs.JOB_KIND, status=Job.Status.FAILED, payload={"key": "other"})
    assert jobs.ensure_refresh(key) is not None  # failed for other data: try again
    Job.objects.filter(kind=jobs.JOB_KIND).delete()
    Job.objects.create(kind=jobs.JOB_KIND, status=Job.Status.FAILED, payload={"key": key})
    assert jobs.ensure_refresh(key) is None
    assert jobs.request_refresh("accepted") is not None  # a new acceptance still queues


def test_population_upload_queues_a_refresh(
    officer_a, analyst, council_a, upload_file, hub_settings
):
    from fgc.engine.insight.population import population_categories

    accept(officer_a, analyst, council_a, upload_file)
    before = services.snapshot().key
    hub_settings.FGC_JOBS_INLINE = False
    lines = ["la_code,breakdown_topic,breakdown,count,source"]
    for topic, groups in population_categories().items():
        lines += [f'805,{topic},"{g}",{10 + i},Census' for i, g in enumerate(groups)]
    services.store_population(
        officer_a, council_a, PERIOD, "pop.csv", ("\n".join(lines) + "\n").encode()
    )
    assert len(_refresh_jobs(Job.Status.QUEUED)) == 1
    run_pending()
    after = services.snapshot().key
    assert after != before and services.is_complete(after)


def test_seed_leaves_the_demo_warm(council_a, analyst, hub_settings):
    import io

    from fgc.hub.seed import seed_demo

    hub_settings.FGC_JOBS_INLINE = False  # as `fgc demo`: the seed itself runs the refresh
    out = io.StringIO()
    seed_demo(out, limit=3)
    snap = services.snapshot()
    assert snap.versions and services.is_complete(snap.key)
    assert not services.current().refreshing
    assert "Insight figures ready" in out.getvalue()
