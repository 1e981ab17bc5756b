"""Local development and `fgc demo`. Secrets fall back to fixed, clearly insecure values."""

from __future__ import annotations

import os

from fgc.config.settings.base import *  # noqa: F403
from fgc.config.settings.base import env_bool

# INSECURE development-only fallbacks: `fgc demo` writes real random ones to var/.env.demo.
DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
DEV_PSEUDONYM_KEY = "dev-only-insecure-pseudonym-key"
DEV_FIELD_KEY = "dev-only-insecure-field-key"

SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
FGC_PSEUDONYM_KEY = os.environ.get("FGC_PSEUDONYM_KEY") or DEV_PSEUDONYM_KEY
FGC_FIELD_KEY = os.environ.get("FGC_FIELD_KEY") or DEV_FIELD_KEY

DEBUG = env_bool("FGC_DEBUG", False)
# The demo's synthetic returns go upload -> submit -> accept with no manual step.
FGC_SYNTHETIC_EXPLANATIONS = env_bool("FGC_SYNTHETIC_EXPLANATIONS", True)
