"""The base layout: generic header (no crown), navigation by role, error pages, checks."""

from __future__ import annotations

import re

import pytest
from django.core.checks import Error, Warning

pytestmark = pytest.mark.django_db


def test_sign_in_page_uses_generic_header_without_crown_or_gds_font(client):
    html = client.get("/accounts/sign-in/").content.decode()
    assert 'class="govuk-generic-header' in html
    header = html[html.index("govuk-generic-header__homepage-link") :][:200]
    assert "FGC Data" in header and "&lt;" not in header
    assert "govuk-header__logotype" not in html
    assert "crown" not in html.lower()
    assert "GDS Transport" not in html
    assert "Skip to main content" in html and 'id="main-content"' in html
    assert "govuk-phase-banner" in html
    assert "govuk-footer" in html
    assert "/static/govuk/govuk-frontend.min.css" in html
    assert "/static/fgc/fgc.css" in html
    assert "/static/fgc/js-enabled.js" in html


def test_font_override_uses_system_fonts():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "fgc/web/static/fgc/fgc.css").read_text()
    declarations = re.findall(r"font-family:([^;]*);", css)
    assert declarations and all("system-ui" in d or "monospace" in d for d in declarations)
    assert all("GDS Transport" not in d for d in declarations)


def _nav(html: str) -> str:
    start = html.index("govuk-service-navigation")
    return html[start : html.index("</header>")]


def test_navigation_depends_on_role(login, officer_a, admin_user):
    from fgc.web.navigation import NavItem, items_for

    class Request:
        path = "/"

        def __init__(self, user):
            self.user = user

    extra = [
        NavItem("Hub", "/", order=1),
        NavItem("Casework", "/casework/", roles=frozenset({"council_officer"}), order=2),
        NavItem("Audit log", "audit:log", admin_only=True, order=3),
        NavItem("Missing", "no-such:url", order=4),
    ]
    officer_nav = [i["text"] for i in items_for(Request(officer_a), extra)]
    admin_nav = [i["text"] for i in items_for(Request(admin_user), extra)]
    assert officer_nav == ["Hub", "Casework"]
    assert admin_nav == ["Hub", "Audit log"]


def test_only_the_closest_navigation_entry_is_active(login, officer_a):
    from fgc.web.navigation import NavItem, items_for

    class Request:
        def __init__(self, user, path):
            self.user, self.path = user, path

    extra = [
        NavItem("Hub", "/", order=1),
        NavItem("Returns", "/submissions/", order=2),
        NavItem("Upload", "/submissions/new/", order=3),
    ]

    def active(path):
        return [i["text"] for i in items_for(Request(officer_a, path), extra) if i["active"]]

    assert active("/submissions/new/") == ["Upload"]
    assert active("/submissions/12/") == ["Returns"]
    assert active("/") == ["Hub"]
    assert active("/insight/") == []


def test_rendered_navigation_shows_audit_log_only_to_administrators(login, officer_a, admin_user):
    officer_html = login(officer_a).get("/accounts/sign-in/").content.decode()
    admin_html = login(admin_user).get("/accounts/sign-in/").content.decode()
    assert "Audit log" not in _nav(officer_html)
    assert "Audit log" in _nav(admin_html)
    assert "Sign out" in _nav(officer_html)
    assert "officer-a" in _nav(officer_html)


def test_not_found_page_is_a_govuk_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "govuk-generic-header" in html


def test_server_error_page_renders(rf):
    from fgc.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_over_large_upload_is_refused_with_a_clear_message(client, settings):
    settings.FGC_MAX_UPLOAD_MB = 1
    settings.FGC_MAX_UPLOAD_BYTES = 1024 * 1024
    response = client.post(
        "/accounts/sign-in/", data=b"x", content_type="text/plain", CONTENT_LENGTH="2000000"
    )
    assert response.status_code == 413
    assert "The largest file you can upload is 1 MB" in response.content.decode()


def test_assets_check_warns_when_govuk_frontend_is_not_built(settings, tmp_path):
    from fgc.config.checks import govuk_assets_check

    settings.GOVUK_ASSETS_DIR = tmp_path
    [warning] = govuk_assets_check()
    assert isinstance(warning, Warning) and warning.id == "fgc.W001"
    (tmp_path / "govuk-frontend.min.css").write_text("")
    assert govuk_assets_check() == []


def test_secrets_check_rejects_dev_placeholders(settings):
    from fgc.config.checks import secrets_check

    settings.FGC_PSEUDONYM_KEY = "dev-only-insecure-pseudonym-key"
    settings.FGC_FIELD_KEY = ""
    errors = secrets_check()
    assert [e.id for e in errors] == ["fgc.E001", "fgc.E002"]
    assert all(isinstance(e, Error) for e in errors)
    settings.FGC_PSEUDONYM_KEY = "k" * 40
    settings.FGC_FIELD_KEY = "f" * 40
    assert secrets_check() == []


def test_upload_dir_inside_static_is_an_error(settings):
    from fgc.config.checks import upload_dir_check

    settings.FGC_DATA_DIR = settings.BASE_DIR / "fgc" / "web" / "static" / "uploads"
    assert [e.id for e in upload_dir_check()] == ["fgc.E003"]
