"""The report page shares each findings file's viewer frame (fgc.hub.findings_memo): a new
findings file is seen on the next request, national and council viewers never get each
other's frame, and every read is still audited."""

from __future__ import annotations

import io

import polars as pl
from django.urls import reverse

from fgc.audit.models import AuditEvent
from fgc.engine.pseudonymise import pseudonymise
from fgc.hub import services, storage
from fgc.hub.validation import load_findings
from tests.hub.fixtures import csv_bytes, explain_all, frame_for, with_error


def _report(client, version, **params) -> str:
    url = reverse("hub:version", kwargs={"version_id": version.pk})
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _a_child(version) -> str:
    # On the first page (sorted by row): the first finding with a child id.
    ids = load_findings(version).sort("row").get_column("child_id").drop_nulls()
    return str(ids[0])


def test_council_and_national_viewers_never_share_a_frame(
    officer_a, analyst, council_a, login, upload_file, settings
):
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    explain_all(officer_a, v)
    services.submit_for_signoff(officer_a, v)
    child = _a_child(v)
    pseudonym = pseudonymise(child, settings.FGC_PSEUDONYM_KEY, la_code="805")

    officer = login(officer_a)
    assert child in _report(officer, v)
    national = login(analyst)
    for _ in range(2):
        html = _report(national, v)
        assert child not in html
        assert pseudonym in html
    html = _report(login(officer_a), v)
    assert child in html
    assert pseudonym not in html


def test_a_new_findings_file_is_seen_on_the_next_request(officer_a, council_a, login, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    client = login(officer_a)
    assert "CHANGED FINDING MESSAGE" not in _report(client, v)
    findings = load_findings(v).with_columns(pl.lit("CHANGED FINDING MESSAGE").alias("message"))
    buf = io.BytesIO()
    findings.write_parquet(buf)
    storage.write_file(v.findings_path, buf.getvalue())  # as a re-validation writes it
    assert "CHANGED FINDING MESSAGE" in _report(client, v)


def test_a_new_pseudonym_key_is_used_on_the_next_request(
    officer_a, analyst, council_a, login, upload_file, settings
):
    v = upload_file(officer_a, council_a, csv_bytes(frame_for("805")))
    explain_all(officer_a, v)
    services.submit_for_signoff(officer_a, v)
    child = _a_child(v)
    client = login(analyst)
    old = pseudonymise(child, settings.FGC_PSEUDONYM_KEY, la_code="805")
    assert old in _report(client, v)
    settings.FGC_PSEUDONYM_KEY = "another-key-for-this-test-only"
    html = _report(client, v)
    assert old not in html
    assert pseudonymise(child, "another-key-for-this-test-only", la_code="805") in html


def test_every_shared_read_is_still_audited(officer_a, council_a, login, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    client = login(officer_a)
    before = AuditEvent.objects.filter(action="hub.view_report").count()
    for params in ({}, {}, {"severity": "error"}, {}):
        _report(client, v, **params)
    events = AuditEvent.objects.filter(action="hub.view_report", target_id=str(v.pk))
    assert events.count() - before == 4
    assert set(events.values_list("council_code", flat=True)) == {"805"}


def _findings_table(html: str) -> str:
    start = html.index('id="findings"')
    return html[start : html.index("</table>", start)]


def test_filters_and_pages_are_not_mixed_up(officer_a, council_a, login, upload_file):
    v = upload_file(officer_a, council_a, csv_bytes(with_error(frame_for("805"))))
    client = login(officer_a)
    every = _findings_table(_report(client, v, sort="-row"))
    errors = _findings_table(_report(client, v, severity="error"))
    assert every != errors
    assert _findings_table(_report(client, v, sort="-row")) == every
    assert _findings_table(_report(client, v, severity="error")) == errors
