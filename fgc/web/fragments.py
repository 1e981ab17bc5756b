"""Layout fragments rendered once per process and key: the GOV.UK header, phase banner and
service navigation were ~1 ms of every page's template time, for HTML that depends only on
the service name, the phase and the navigation entries (never on the request itself).

    {% call remember_fragment("header", service_name, phase) %}...{% endcall %}

The key must hold everything the body reads; per-request parts (the signed-in user's name
and CSRF token) stay outside and are put in with ``USER_BAR_SLOT`` after the lookup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from markupsafe import Markup

# Stands in for the per-request user bar inside a remembered navigation.
USER_BAR_SLOT = Markup("<!--fgc-user-bar-->")
MAX_FRAGMENTS = 512  # roles × active entry × service name; cleared if ever exceeded

_lock = threading.Lock()
_fragments: dict[tuple[Hashable, ...], Markup] = {}


def remember_fragment(*key: Hashable, caller: Callable[[], str]) -> Markup:
    """The ``{% call %}`` body's HTML, rendered once per ``key`` in this process."""
    hit = _fragments.get(key)
    if hit is not None:
        return hit
    html = Markup(caller())  # noqa: S704  (the body is an autoescaped template)
    with _lock:
        if len(_fragments) >= MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[key] = html
    return html


def navigation_key(items: Iterable[dict[str, Any]] | None) -> tuple[tuple[Any, ...], ...]:
    """A hashable key for ``navigation.items_for``'s entries (all of what the macro reads)."""
    return tuple(
        (i.get("text"), i.get("href"), bool(i.get("current")), bool(i.get("active")))
        for i in items or ()
    )


def clear() -> None:
    with _lock:
        _fragments.clear()
