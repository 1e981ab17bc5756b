"""System checks for misconfiguration that Django's own checks do not know about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DEV_MARKER = "insecure"


@register(Tags.security, deploy=True)
def secrets_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """In a deployment the pseudonym and field keys must be real, not the dev placeholders."""
    errors = []
    for name, code in (("FGC_PSEUDONYM_KEY", "fgc.E001"), ("FGC_FIELD_KEY", "fgc.E002")):
        value = getattr(settings, name, "")
        if not value:
            errors.append(Error(f"{name} is not set.", hint="See docs/settings.md.", id=code))
        elif DEV_MARKER in value or len(value) < 32:
            errors.append(
                Error(
                    f"{name} is a development placeholder or shorter than 32 characters.",
                    hint="Generate one with secrets.token_urlsafe(48).",
                    id=code,
                )
            )
    return errors


@register()
def govuk_assets_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Pages render without the GOV.UK Frontend CSS/JS until `fgc setup` has built them."""
    assets = settings.GOVUK_ASSETS_DIR
    if not (assets / "govuk-frontend.min.css").exists():
        return [
            Warning(
                "GOV.UK Frontend assets are not built: pages will be unstyled.",
                hint="Run `uv run fgc setup` (needs Node.js and npm).",
                id="fgc.W001",
            )
        ]
    return []


@register()
def upload_dir_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Uploads hold personal data: they must never sit under a directory served to browsers."""
    data_dir = settings.FGC_DATA_DIR.resolve()
    static_dirs = [settings.BASE_DIR / "fgc" / "web" / "static"]
    if settings.STATIC_ROOT:
        static_dirs.append(Path(settings.STATIC_ROOT))
    for static_dir in static_dirs:
        static_dir = static_dir.resolve()
        if data_dir == static_dir or static_dir in data_dir.parents:
            return [
                Error(
                    f"FGC_DATA_DIR ({data_dir}) is inside a static files directory.",
                    hint="Point FGC_DATA_DIR somewhere browsers cannot reach.",
                    id="fgc.E003",
                )
            ]
    return []
