"""pytest settings: fixed test secrets, fast password hashing, SQLite or DATABASE_URL."""

from __future__ import annotations

from fgc.config.settings.base import *  # noqa: F403

# Fixed TEST-ONLY secrets (never used outside the test suite).
SECRET_KEY = "test-only-insecure-secret-key"
FGC_PSEUDONYM_KEY = "test-only-pseudonym-key"
FGC_FIELD_KEY = "test-only-field-key"

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Argon2 stays first in base/production (tested there); MD5 keeps fixture users fast here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
