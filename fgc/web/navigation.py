"""The service navigation: a registry that each app appends its entries to.

    from fgc.web.navigation import NavItem, register
    register(NavItem("Casework", "casework:home", roles=COUNCIL_ROLES, order=20))

Entries whose URL name cannot be reversed (app not installed yet) are skipped, so an app may
register before its URLs exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    target: str  # a URL name ("hub:home") or a path starting with "/"
    roles: frozenset[str] | None = None  # None: every signed-in user
    order: int = 50
    admin_only: bool = False

    def href(self) -> str | None:
        if self.target.startswith("/"):
            return self.target
        try:
            return reverse(self.target)
        except NoReverseMatch:
            return None

    def visible_to(self, user: object) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.admin_only:
            return bool(getattr(user, "is_administrator", False))
        return self.roles is None or getattr(user, "role", None) in self.roles


NAVIGATION: list[NavItem] = []


def register(item: NavItem) -> None:
    """Add an entry (idempotent: registering the same label and target twice keeps one)."""
    if any(i.label == item.label and i.target == item.target for i in NAVIGATION):
        return
    NAVIGATION.append(item)


def items_for(request: HttpRequest, items: Iterable[NavItem] | None = None) -> list[dict]:
    """The navigation for this request's user, as govukServiceNavigation items."""
    user = getattr(request, "user", None)
    result = []
    for item in sorted(items if items is not None else NAVIGATION, key=lambda i: i.order):
        if not item.visible_to(user):
            continue
        href = item.href()
        if href is None:
            continue
        current = request.path == href
        active = current or (href != "/" and request.path.startswith(href))
        result.append({"text": item.label, "href": href, "current": current, "active": active})
    return result


# The platform's own entries; other apps register theirs in their AppConfig.ready().
register(NavItem("Hub", "/", order=10))
register(NavItem("Audit log", "audit:log", order=90, admin_only=True))
register(NavItem("Administration", "/admin/", order=95, admin_only=True))
