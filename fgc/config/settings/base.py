"""Settings shared by every environment. Secrets are never set here (see dev/test/production).

Every environment variable read here is documented in docs/settings.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

# Repository root: fgc/config/settings/base.py -> parents[3]
BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("FGC_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("FGC_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "fgc.web",
    "fgc.accounts",
    "fgc.audit",
    "django_tasks",
    "django_tasks_db",
    "fgc.jobs",
    "fgc.hub",
    "fgc.insight_web",
    "fgc.casework",
    "fgc.statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fgc.web.middleware.UploadSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "fgc.audit.middleware.AuditMiddleware",
    # axes must be last so that it sees the final authentication outcome.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fgc.config.urls"
WSGI_APPLICATION = "fgc.config.wsgi.application"

TEMPLATES = [
    {
        # Service pages: Jinja2 with GOV.UK Frontend macros, templates in each app's jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "fgc.web.context.environment",
            "context_processors": ["fgc.web.context.layout_context"],
        },
    },
    {
        # Django admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: DATABASE_URL, default an embedded SQLite file in WAL mode -------------------
DEFAULT_SQLITE = VAR_DIR / "fgc.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DEFAULT_SQLITE}",
        # Kept open a minute: opening SQLite (and checkpointing its WAL on the last close)
        # cost ~20 ms of a 30 ms request (docs/performance.md, "Hub under load").
        conn_max_age=int(os.environ.get("FGC_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] == str(DEFAULT_SQLITE):
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the background worker write while the web server reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and passwords ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# --- Login throttling (django-axes) --------------------------------------------------------
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fgc.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"

# --- Sessions, cookies and headers ---------------------------------------------------------
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Strict CSP: no inline script or style anywhere. GOV.UK Frontend's `js-enabled` snippet is
# served as an external file (fgc/web/static/fgc/js-enabled.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Static files (WhiteNoise; GOV.UK assets built by `fgc setup`) -------------------------
STATIC_URL = "/static/"
# Only for `collectstatic` deployments; WhiteNoise serves from the app static dirs otherwise.
STATIC_ROOT = os.environ.get("FGC_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True  # serve straight from app static dirs: no collectstatic needed
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
GOVUK_ASSETS_DIR = BASE_DIR / "fgc" / "web" / "static" / "govuk"

# --- Uploads: stored under FGC_DATA_DIR, outside any static/web root -----------------------
FGC_DATA_DIR = Path(os.environ.get("FGC_DATA_DIR", VAR_DIR / "uploads"))
# A million-row child-level CSV (ten years of national history) is about 230 MB.
FGC_MAX_UPLOAD_MB = int(os.environ.get("FGC_MAX_UPLOAD_MB", "500"))
FGC_MAX_UPLOAD_BYTES = FGC_MAX_UPLOAD_MB * 1024 * 1024
# Per-council limits, counted in the database (fgc.hub.ratelimit): "<n>/<second|minute|hour|day>".
FGC_UPLOAD_RATE = os.environ.get("FGC_UPLOAD_RATE", "20/hour")
FGC_API_RATE = os.environ.get("FGC_API_RATE", "300/hour")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields (not files): 2 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger files spool to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
MEDIA_ROOT = FGC_DATA_DIR
MEDIA_URL = "/media-not-served/"  # uploads are never served as static files

# --- Secrets: set by dev/test/production ---------------------------------------------------
# Background jobs: django-tasks with its database backend; `manage.py fgc_worker` runs
# FGC_WORKERS task workers, and each job runs in a child killed over these ceilings.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "fgc"],
    }
}
FGC_WORKERS = int(os.environ.get("FGC_WORKERS", "2"))
FGC_JOB_MEMORY_MB = int(os.environ.get("FGC_JOB_MEMORY_MB", "1024"))
FGC_JOB_TIME_LIMIT_SECONDS = int(os.environ.get("FGC_JOB_TIME_LIMIT_SECONDS", "900"))
FGC_JOB_STALE_SECONDS = int(os.environ.get("FGC_JOB_STALE_SECONDS", "120"))
FGC_JOB_MAX_ATTEMPTS = int(os.environ.get("FGC_JOB_MAX_ATTEMPTS", "2"))

# Explain the queries the project's synthetic data raises (fgc/synth/explanations.toml) on
# every checked upload: for the demo only (on in dev settings, forced off in production).
FGC_SYNTHETIC_EXPLANATIONS = env_bool("FGC_SYNTHETIC_EXPLANATIONS", False)

FGC_PSEUDONYM_KEY = os.environ.get("FGC_PSEUDONYM_KEY", "")
FGC_FIELD_KEY = os.environ.get("FGC_FIELD_KEY", "")
# Closed casework episodes are deleted or anonymised this many years after closure
# (`manage.py fgc_retention`, dry run first).
FGC_RETENTION_YEARS = int(os.environ.get("FGC_RETENTION_YEARS", "7"))

# --- Service ------------------------------------------------------------------------------
FGC_SERVICE_NAME = "FGC Data"
FGC_PHASE = os.environ.get("FGC_PHASE", "Beta")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FGC_LOG_LEVEL", "WARNING")},
}
