"""Browser smoke tests: the platform pages render with GOV.UK Frontend and pass axe."""

from __future__ import annotations


def test_sign_in_page_passes_axe_and_loads_govuk_frontend(page, axe_check):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/accounts/sign-in/")
    assert page.title().startswith("Sign in")
    # js-enabled came from the external script: the CSP did not block it.
    assert "js-enabled" in page.evaluate("document.body.className")
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" not in font
    assert page.locator(".govuk-generic-header").count() == 1
    axe_check(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_wrong_password_page_passes_axe(page, axe_check, officer_a):
    page.goto("/accounts/sign-in/")
    page.fill("#username", "officer-a")
    page.fill("#password", "not the password")
    page.click("button:has-text('Sign in')")
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)


def test_administrator_signs_in_and_reads_the_audit_log(page, sign_in, admin_user, axe_check):
    sign_in(admin_user)
    page.goto("/audit/")
    assert page.locator("h1").inner_text() == "Audit log"
    assert page.locator("td", has_text="login").count() >= 1
    axe_check(page)
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/sign-in/")
