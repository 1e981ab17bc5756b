"""The Jinja2 environment and the context every page gets.

Templates see: `request`, `user`, `csrf_input`, `csrf_token` (Django adds these three when
rendering with a request), `url(name, *args, **kwargs)`, `static(path)`, `navigation`,
`service_name`, `phase`; filters `govuk_date` and `govuk_datetime` (fgc.web.dates).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from fgc.web.dates import govuk_date, govuk_datetime
from fgc.web.fragments import USER_BAR_SLOT, navigation_key, remember_fragment
from fgc.web.navigation import items_for


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    """Django's Jinja2 backend calls this: app jinja2/ dirs plus the GOV.UK Frontend macros."""
    options["autoescape"] = True
    app_loader = options.pop("loader")
    env = Environment(**options)  # noqa: S701  (autoescape forced on just above)
    # The GOV.UK macros import each other as "govuk_frontend_jinja/<path>".
    govuk = PrefixLoader(
        {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
    )
    env.loader = ChoiceLoader([app_loader, govuk])
    env.globals.update(
        {
            "url": url,
            "static": static,
            "remember_fragment": remember_fragment,
            "navigation_key": navigation_key,
            "USER_BAR_SLOT": USER_BAR_SLOT,
        }
    )
    env.filters.update({"govuk_date": govuk_date, "govuk_datetime": govuk_datetime})
    return env


def layout_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor for the base layout."""
    return {
        "user": getattr(request, "user", None),
        "navigation": items_for(request),
        "service_name": settings.FGC_SERVICE_NAME,
        "phase": settings.FGC_PHASE,
    }
