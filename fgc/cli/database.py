"""The database a command line command works on: set up on first use, and named.

Commands that store records (`fgc import`, `fgc casework …`) must work on a fresh machine
without another command first, so they create or migrate the database themselves and say
where it is. The councils are loaded by the accounts app's post-migrate hook.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import typer

DEV_SETTINGS = "fgc.config.settings.dev"


def describe(settings_db: Mapping[str, Any]) -> str:
    """Where the database is, without its password."""
    engine = str(settings_db.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return f"SQLite database {settings_db.get('NAME')}"
    host = settings_db.get("HOST") or "localhost"
    port = f":{settings_db['PORT']}" if settings_db.get("PORT") else ""
    return f"PostgreSQL database {settings_db.get('NAME')} on {host}{port}"


def pending_migrations() -> int:
    """How many migrations the default database has not applied yet."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ready_database() -> str:
    """Set Django up and bring the database up to date; returns a line saying what was done."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEV_SETTINGS)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    where = describe(settings.DATABASES["default"])
    pending = pending_migrations()
    if not pending:
        return f"Using the {where}."
    call_command("migrate", interactive=False, verbosity=0)
    return f"Set up the {where} ({pending} migrations applied)."


def announce(line: str) -> None:
    """Say which database is used, on stderr so stdout stays the command's own output."""
    typer.secho(line, err=True, fg=typer.colors.BRIGHT_BLACK)
