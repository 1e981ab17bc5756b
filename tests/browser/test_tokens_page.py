"""The API tokens page in a real browser: create a token, see it once, revoke it; axe."""

from __future__ import annotations

import pytest

from fgc.accounts.models import ApiToken, hash_token


@pytest.mark.django_db(transaction=True)
def test_create_see_once_and_revoke_a_token(page, sign_in, axe_check, officer_a):
    sign_in(officer_a)
    page.click("a:has-text('API tokens')")  # from the service navigation
    page.wait_for_url("**/accounts/tokens/")
    assert page.locator("h1").inner_text() == "API tokens"
    axe_check(page)

    page.click("button:has-text('Create token')")  # no name: a GOV.UK error
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: API tokens")
    axe_check(page)

    page.fill("#name", "Mosaic export")
    page.click("button:has-text('Create token')")
    page.wait_for_selector(".govuk-panel")
    raw = page.input_value("#new-token")
    assert raw.startswith("fgc_")
    assert ApiToken.objects.get(user=officer_a).token_hash == hash_token(raw)
    assert "Copy it now: it will not be shown again" in page.locator("main").inner_text()
    axe_check(page)

    page.goto("/accounts/tokens/")  # shown once: back on the page only the hint is left
    assert page.locator("#new-token").count() == 0
    assert raw not in page.content()
    page.click("button[aria-label='Revoke token Mosaic export']")
    page.wait_for_selector(".govuk-notification-banner")
    assert "has been revoked" in page.locator(".govuk-notification-banner").inner_text()
    assert ApiToken.objects.get(user=officer_a).revoked is not None
    axe_check(page)
