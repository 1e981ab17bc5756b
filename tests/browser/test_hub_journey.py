"""The whole submission journey in a real browser, with an axe check on every page:
officer uploads a file with errors, reads the report, fixes and resubmits, explains the
queries, submits for sign-off; the national analyst signs in and accepts."""

from __future__ import annotations

import re

import pytest

from fgc.hub.models import Status, Submission

# hub_settings: a private data directory, and validation jobs run inline.
from tests.hub.fixtures import csv_bytes, frame_for, hub_settings_fixture, with_error  # noqa: F401


@pytest.fixture
def files(tmp_path):
    frame = frame_for("805").head(120)
    bad = tmp_path / "hartlepool-first-try.csv"
    bad.write_bytes(csv_bytes(with_error(frame)))
    good = tmp_path / "hartlepool-fixed.csv"
    good.write_bytes(csv_bytes(frame))
    return bad, good


def _upload(page, path, axe_check) -> None:
    page.goto("/submissions/new/")
    axe_check(page)
    page.fill("#period", "2025-26")
    page.check("input[name=kind][value=child_level]")
    page.set_input_files("#file", str(path))
    page.click("button:has-text('Upload and check')")
    page.wait_for_url(re.compile(r".*/versions/\d+/$"))


def test_submission_journey(page, sign_in, axe_check, officer_a, analyst, council_a, files):
    bad, good = files
    sign_in(officer_a)
    page.goto("/submissions/")
    axe_check(page)

    # 1. A file with errors: the report says so, grouped by rule with row numbers.
    _upload(page, bad, axe_check)
    assert "Has errors" in page.content()
    assert page.locator("#rules-table tbody tr").count() >= 1
    assert page.locator(".fgc-findings tbody tr").first.locator("td").first.inner_text() == "2"
    axe_check(page)
    page.select_option("#severity", "error")
    page.click("button:has-text('Apply')")
    assert page.locator(".fgc-findings tbody tr").count() >= 1
    axe_check(page)

    # 2. Fix and resubmit: version 2, no errors, queries to explain.
    _upload(page, good, axe_check)
    assert "Version 2" in page.locator("h1").inner_text()
    assert "No errors" in page.content()
    axe_check(page)
    while page.locator("a:has-text('Explain')").count():
        page.locator("a:has-text('Explain')").first.click()
        axe_check(page)
        page.fill("#text", "Checked with the FGC team: these are right.")
        page.click("button:has-text('Save explanation')")
        page.wait_for_url(re.compile(r".*/versions/\d+/.*"))

    # 3. Submit for sign-off.
    page.click("a:has-text('Submit for sign-off')")
    axe_check(page)
    page.click("button:has-text('Submit for sign-off')")
    page.wait_for_url(re.compile(r".*/submissions/\d+/$"))
    assert "Submitted" in page.content()
    axe_check(page)
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/sign-in/")

    # 4. The national analyst sees it at a glance and accepts it.
    sign_in(analyst)
    page.goto("/national/?period=2025-26")
    axe_check(page)
    page.click(f"a:has-text('{council_a.name}')")
    axe_check(page)
    with page.expect_navigation():
        page.click("a:has-text('Version 2')")
    assert "Version 2" in page.content()
    assert "hartlepool-fixed.csv" not in page.content()  # national view: no file names
    axe_check(page)
    page.click("a:has-text('Accept or return')")
    axe_check(page)
    page.check("input[name=outcome][value=accepted]")
    page.click("button:has-text('Save decision')")
    page.wait_for_url(re.compile(r".*/submissions/\d+/$"))
    axe_check(page)
    assert Submission.objects.get(council=council_a).status == Status.ACCEPTED
