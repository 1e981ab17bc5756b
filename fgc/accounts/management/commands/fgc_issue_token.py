"""`manage.py fgc_issue_token USERNAME --name NAME`: issue an API token for scripted setups.

The raw token is the only thing written to standard output (so `TOKEN=$(...)` works); it is
shown this once and only its SHA-256 is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fgc.accounts.models import ApiToken, User
from fgc.accounts.tokens import issue_token


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print it once (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the user the token acts as")
        parser.add_argument(
            "--name", required=True, help="what the token is for, to tell tokens apart"
        )

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        name = name.strip()
        max_name = ApiToken._meta.get_field("name").max_length or 100
        if not name or len(name) > max_name:
            raise CommandError(f"--name must be 1 to {max_name} characters")
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is switched off: a token would not work")
        token, raw = issue_token(None, user, name, audit_username="manage.py fgc_issue_token")
        self.stdout.write(raw)
        self.stderr.write(
            f"Issued token {token.hint}… ({name!r}) for {username}. "
            "Copy it now: it will not be shown again."
        )
