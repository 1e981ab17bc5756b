"""Production: secrets and hosts must come from the environment or the server refuses to start."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from fgc.config.settings.base import *  # noqa: F403
from fgc.config.settings.base import env_bool, env_list


def required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value.strip():
        raise ImproperlyConfigured(
            f"{name} is not set: production settings need it in the environment "
            "(see docs/settings.md)."
        )
    return value


SECRET_KEY = required("SECRET_KEY")
FGC_PSEUDONYM_KEY = required("FGC_PSEUDONYM_KEY")
FGC_FIELD_KEY = required("FGC_FIELD_KEY")
ALLOWED_HOSTS = env_list("FGC_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("FGC_ALLOWED_HOSTS is not set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("FGC_CSRF_TRUSTED_ORIGINS", [])

DEBUG = False
FGC_SYNTHETIC_EXPLANATIONS = False  # a real council writes its own explanations
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("FGC_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("FGC_BEHIND_TLS_PROXY", False):
    # Only when a trusted reverse proxy terminates TLS and sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
