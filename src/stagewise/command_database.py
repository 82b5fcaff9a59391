"""Commands run by operators on a database that may be new: bring it up to date first, or say
exactly what to run, never a traceback about a missing table."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def ensure_migrated(
    command: BaseCommand, *, migrate: bool, notices: OutputWrapper | None = None
) -> None:
    """Bring a new or older database up to date first, saying so (on `notices`, the command's
    standard output unless it prints answers there); in production, or with --no-migrate, stop
    instead and say what to run."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending:
        return
    where = describe_database(connection.settings_dict)
    if settings.PRODUCTION or not migrate:
        raise CommandError(
            f"The database ({where}) has {len(pending)} migrations not yet applied. "
            "Run `stagewise migrate` (or `manage.py migrate`), then run this again."
        )
    out = notices or command.stdout
    out.write(
        f"The database ({where}) has {len(pending)} migrations not yet applied: "
        "applying them first, as `stagewise migrate` would."
    )
    call_command("migrate", verbosity=0, interactive=False)
    # Signing in needs the rate-limit cache table; without it the database is not usable.
    call_command("createcachetable", verbosity=0)
    out.write(command.style.SUCCESS("Database migrated."))


def describe_database(settings_dict: dict[str, Any]) -> str:
    """The database as a person would recognise it, without its password."""
    engine = str(settings_dict["ENGINE"]).rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite at {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "localhost"
    return f"{engine} database {settings_dict['NAME']} on {host}"
