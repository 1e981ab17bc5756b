"""Playwright (sync API) on Debian's Chromium, against pytest-django's live_server.

Browser tests skip with a reason when Chromium or the built GOV.UK assets are missing,
except in CI (CI=true), where a missing Chromium fails the run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
GOVUK_CSS = ROOT / "fgc" / "web" / "static" / "govuk" / "govuk-frontend.min.css"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).exists():
        return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    in_ci = os.environ.get("CI", "").lower() == "true"
    here = Path(__file__).parent
    browser_items = [i for i in items if here in Path(str(i.fspath)).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if in_ci:
        return  # missing pieces must fail in CI, not skip
    reason = None
    if chromium_path() is None:
        reason = "Chromium not found (apt-get install chromium, or set $CHROMIUM)"
    elif not GOVUK_CSS.exists() or not AXE.exists():
        reason = "GOV.UK Frontend assets or axe-core not built (run `uv run fgc setup`)"
    if reason:
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls that fixtures
    # make while it runs are still synchronous and safe, so Django's guard is lifted here only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium not found: CI must install it (apt-get install chromium)")
    if not GOVUK_CSS.exists() or not AXE.exists():
        pytest.fail("GOV.UK Frontend assets or axe-core missing: run `uv run fgc setup`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page, password):
    """sign_in(user): sign in through the real form."""

    def _sign_in(user) -> None:
        page.goto("/accounts/sign-in/")
        page.fill("#username", user.username)
        page.fill("#password", password)
        page.click("button:has-text('Sign in')")
        page.wait_for_load_state()

    return _sign_in


def axe_check(page) -> None:
    """Run axe-core in the page and fail with the violations if there are any."""
    # A click on a link returns once navigation starts: check the page that arrives, not the
    # blank document in between (every page of the service has a <main>).
    page.wait_for_load_state("load")
    page.wait_for_selector("main", state="attached")
    # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    violations = result["violations"]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, f"axe violations on {page.url}:\n{json.dumps(summary, indent=2)}"


@pytest.fixture(name="axe_check")
def axe_check_fixture():
    return axe_check
