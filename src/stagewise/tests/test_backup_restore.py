"""A backup made by scripts/backup, restored by scripts/restore into a fresh database, holds every
row of every table (docs/howto/backup-and-restore.md)."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

PROJECT_DIR: Path = settings.PROJECT_DIR
SCRIPTS = PROJECT_DIR / "scripts"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="scripts/backup and scripts/restore use pg_dump and pg_restore: PostgreSQL only, "
        "the production database (run with DATABASE_URL=postgres://...)",
    ),
    # Asks pytest-django for the test database; the tests read it over their own connections.
    pytest.mark.django_db,
]

# A school, its learners, every named actor and a finalised plan, with the audit events and
# history rows they bring, committed in the database to be backed up.
BUILD_A_SMALL_WORLD = """
import django
django.setup()
from stagewise.conftest import ACTOR_MAKERS, build_world
from stagewise.testing.plans import acting, finalised_plan
world = build_world()
actors = {name: make(world) for name, make in ACTOR_MAKERS.items()}
finalised_plan(acting(actors["teacher"]), world.learner, "individualised_educational_programme")
"""

# Compared cell by cell, beyond their row counts.
KEY_TABLES = (
    "learners_learner",
    "accounts_user",
    "planning_plan",
    "planning_planversion",
    "audit_auditevent",
)


def database_url(name: str) -> str:
    server = connection.settings_dict
    credentials = quote(server["USER"] or "", safe="")
    if server["PASSWORD"]:
        credentials += ":" + quote(server["PASSWORD"], safe="")
    return (
        f"postgres://{credentials}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{name}"
    )


def run(command: list[str], database: str) -> None:
    environment = os.environ | {"DATABASE_URL": database_url(database)}
    finished = subprocess.run(
        command,
        env=environment,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr


def rows_per_table(database: str) -> dict[str, int]:
    with psycopg.connect(database_url(database)) as reading:
        tables = [
            name
            for (name,) in reading.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: reading.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            for table in tables
        }


def checksum(database: str, table: str) -> str:
    with psycopg.connect(database_url(database)) as reading:
        row = reading.execute(
            sql.SQL(
                "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} AS t"
            ).format(sql.Identifier(table))
        ).fetchone()
        assert row is not None
        return row[0]


@pytest.fixture(scope="module")
def backed_up_and_restored(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[tuple[str, str, Path]]:
    """The test database (migrated, with its reference data) copied, a small world built in the
    copy, backed up, and restored into a database of its own."""
    with django_db_blocker.unblock():
        test_database = connection.settings_dict["NAME"]
        connection.close()  # a database is copied only while nobody is connected to it
    original, restored = f"{test_database}_backed_up", f"{test_database}_restored"
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        for name in (original, restored):
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        # Only this process uses its test database (each xdist worker has its own). A browser
        # journey run before in this process leaves connections that `connection.close()` above
        # cannot reach: the live server thread's (kept for CONN_MAX_AGE; its health check opens
        # a new one if a request comes) and the one made before playwright's event loop started,
        # which Django keeps apart from the loop's. They are idle: end them so the copy can start.
        server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [test_database],
        )
        server.execute(f'CREATE DATABASE "{original}" TEMPLATE "{test_database}"')
        server.execute(f'CREATE DATABASE "{restored}"')
    try:
        backup = tmp_path_factory.mktemp("backup") / "stagewise.dump"
        run([sys.executable, "-c", BUILD_A_SMALL_WORLD], original)
        run([str(SCRIPTS / "backup"), str(backup)], original)
        run([str(SCRIPTS / "restore"), str(backup)], restored)
        yield original, restored, backup
    finally:
        # Dropping a database waits for a checkpoint, many seconds on a busy server: psql drops
        # them on its own while the tests go on.
        subprocess.Popen(
            [
                shutil.which("psql") or "psql",
                "--quiet",
                f"--dbname={database_url('postgres')}",
                *(
                    f'--command=DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                    for name in (original, restored)
                ),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def test_every_table_has_every_row_after_a_restore(backed_up_and_restored):
    original, restored, _backup = backed_up_and_restored
    rows_before = rows_per_table(original)

    assert rows_before["learners_learner"] >= 2 and rows_before["audit_auditevent"] > 0
    assert rows_per_table(restored) == rows_before


def test_the_key_tables_are_the_same_cell_for_cell(backed_up_and_restored):
    original, restored, _backup = backed_up_and_restored

    for table in KEY_TABLES:
        assert checksum(restored, table) == checksum(original, table), table


def test_restore_refuses_a_database_that_already_has_tables(backed_up_and_restored):
    original, _restored, backup = backed_up_and_restored
    environment = os.environ | {"DATABASE_URL": database_url(original)}
    finished = subprocess.run(
        [str(SCRIPTS / "restore"), str(backup)],
        env=environment,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode != 0
    assert "already has" in finished.stderr
