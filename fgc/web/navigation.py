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
    entries = []
    for item in sorted(items if items is not None else NAVIGATION, key=lambda i: i.order):
        if not item.visible_to(user):
            continue
        href = item.href()
        if href is not None:
            entries.append((item.label, href))
    # Only the closest entry is active: on /submissions/new/ that is "Upload", not also
    # "Returns" (/submissions/), which a plain prefix test would light up as well.
    matching = [
        h for _, h in entries if request.path == h or (h != "/" and request.path.startswith(h))
    ]
    best = max(matching, key=len, default=None)
    return [
        {"text": label, "href": href, "current": request.path == href, "active": href == best}
        for label, href in entries
    ]


# The platform's own entries; other apps register theirs in their AppConfig.ready().
register(NavItem("Hub", "/", order=10))
register(NavItem("Audit log", "audit:log", order=90, admin_only=True))
register(NavItem("Administration", "/admin/", order=95, admin_only=True))
