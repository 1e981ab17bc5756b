"""Security settings: hashing, cookies, headers, CSP, and a clean `check --deploy`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROD_SCRIPT = """
import io, json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
out = io.StringIO()
call_command("check", deploy=True, stdout=out, fail_level="WARNING")
print(json.dumps({
    "check": out.getvalue(),
    "hasher": settings.PASSWORD_HASHERS[0],
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "debug": settings.DEBUG,
}))
"""


def _production_env(**extra: str) -> dict[str, str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would (rightly) fail the deploy check.
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="fgc.config.settings.production",
        SECRET_KEY="x" * 60 + "production-test-secret-0123456789",
        FGC_PSEUDONYM_KEY="p" * 48,
        FGC_FIELD_KEY="f" * 48,
        FGC_ALLOWED_HOSTS="fgc.example.org",
        FGC_VAR_DIR=extra.pop("FGC_VAR_DIR", ""),
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROD_SCRIPT],
        cwd=ROOT,
        env=_production_env(FGC_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert "no issues" in facts["check"]
    assert facts["hasher"].endswith("Argon2PasswordHasher")
    assert facts["session_secure"] and facts["csrf_secure"] and facts["ssl_redirect"]
    assert facts["hsts"] >= 31_536_000
    assert facts["debug"] is False


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = _production_env(FGC_VAR_DIR=str(tmp_path))
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_argon2_is_the_first_hasher_in_base_settings():
    from fgc.config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_cookie_and_header_settings(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.")


@pytest.mark.django_db
def test_pages_carry_security_headers_and_strict_csp(client):
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_layout_has_no_inline_script_or_style(client):
    html = client.get("/accounts/sign-in/").content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, f"inline script would break the CSP: {tag}"
    assert "<style" not in html
    assert " style=" not in html


@pytest.mark.django_db
def test_sqlite_uses_wal_when_file_backed(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
