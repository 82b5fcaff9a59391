"""CI's PostgreSQL pass runs only the tests that can reach the database: the rest give the same
result on SQLite, where they have already run."""

from types import SimpleNamespace
from typing import Any

from stagewise.testing.database_passes import reaches_database

EVERY_TEST_HAS = ["request", "django_db_blocker", "_django_db_marker", "monkeypatch"]


def item(*fixtures: str, marked: bool = False) -> Any:
    """A stand-in for a collected pytest.Item: its fixtures and its django_db mark."""
    return SimpleNamespace(
        fixturenames=[*EVERY_TEST_HAS, *fixtures],
        get_closest_marker=lambda name: object() if marked and name == "django_db" else None,
    )


def test_a_test_using_the_database_or_a_world_built_on_it_reaches_it():
    assert reaches_database(item("db"))
    assert reaches_database(item("transactional_db"))
    assert reaches_database(item("live_server"))
    assert reaches_database(item("django_db_setup"))
    assert reaches_database(item(marked=True))


def test_a_test_with_only_what_pytest_django_gives_every_test_does_not():
    assert not reaches_database(item())
    assert not reaches_database(item("settings", "tmp_path", "client"))
