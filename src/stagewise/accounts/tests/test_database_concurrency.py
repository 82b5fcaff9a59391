"""The embedded SQLite database serves several people at once.

Each test opens a temporary database file through Django with the OPTIONS the settings give the
real database, and runs people's requests in threads, each with its own connection, as a server's
threads would: someone reading a list (which records an audit event, so it writes after reading)
while someone else adds a chronology entry.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's locking; PostgreSQL has row locks and needs none of this",
)

ALIAS = "concurrency_test"


@contextmanager
def file_database(path: Path, options: dict[str, Any], django_db_blocker) -> Iterator[str]:
    """A database alias for a new SQLite file, opened with `options`, with two tables."""
    configured = connections.configure_settings(
        {
            "default": dict(settings.DATABASES["default"]),
            ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options},
        }
    )
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():
        try:
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("CREATE TABLE chronology (id INTEGER PRIMARY KEY, summary TEXT)")
                cursor.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, seen INTEGER)")
            connections[ALIAS].close()
            yield ALIAS
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]


def run_together(*people: Callable[[], None]) -> list[BaseException]:
    """Run each person's work in its own thread with its own connection; return what failed."""
    failures: list[BaseException] = []

    def work(person: Callable[[], None]) -> None:
        try:
            person()
        except BaseException as failure:
            failures.append(failure)
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=work, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def read_a_list_while_someone_adds_an_entry() -> list[BaseException]:
    """The list reader has read when the other person's entry is saved, and then records its
    audit event: the interleaving that gave "database is locked"."""
    list_read = threading.Event()
    entry_saved = threading.Event()

    def read_the_list() -> None:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM chronology")
            (seen,) = cursor.fetchone()
            list_read.set()
            # With immediate transactions the entry waits for this one, so it is not saved yet.
            entry_saved.wait(timeout=1)
            cursor.execute("INSERT INTO audit (seen) VALUES (%s)", [seen])

    def add_an_entry() -> None:
        list_read.wait(timeout=5)
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO chronology (summary) VALUES ('Hearing test')")
        entry_saved.set()

    return run_together(read_the_list, add_an_entry)


def count(table: str) -> int:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a fixed table name)
        return cursor.fetchone()[0]


def test_reading_a_list_while_someone_adds_an_entry_fails_for_neither(tmp_path, django_db_blocker):
    options = settings.DATABASES["default"]["OPTIONS"]
    with file_database(tmp_path / "shared.sqlite3", options, django_db_blocker):
        failures = read_a_list_while_someone_adds_an_entry()

        assert failures == []
        assert count("chronology") == 1 and count("audit") == 1


def test_without_immediate_transactions_the_same_interleaving_fails(tmp_path, django_db_blocker):
    """Shows the interleaving above is the one that hurt: the settings are what protects it."""
    options = {
        name: value
        for name, value in settings.DATABASES["default"]["OPTIONS"].items()
        if name != "transaction_mode"
    }
    with file_database(tmp_path / "shared.sqlite3", options, django_db_blocker):
        failures = read_a_list_while_someone_adds_an_entry()

    assert len(failures) == 1
    assert isinstance(failures[0], OperationalError)
    assert "database is locked" in str(failures[0])


def test_several_people_reading_and_writing_at_once_all_succeed(tmp_path, django_db_blocker):
    def busy_person() -> None:
        for _request in range(15):
            with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM chronology")
                (seen,) = cursor.fetchone()
                cursor.execute("INSERT INTO audit (seen) VALUES (%s)", [seen])
                cursor.execute("INSERT INTO chronology (summary) VALUES ('An entry')")

    options = settings.DATABASES["default"]["OPTIONS"]
    with file_database(tmp_path / "shared.sqlite3", options, django_db_blocker):
        failures = run_together(*[busy_person] * 4)

        assert failures == []
        assert count("chronology") == 60 and count("audit") == 60
