"""CI's PostgreSQL pass runs only the tests that can reach the database: the rest give the same
result on SQLite, where they have already run."""

from types import SimpleNamespace
from typing import Any

from stagewise.testing.database_passes import reaches_database, runs_in_the_postgresql_pass

EVERY_TEST_HAS = ["request", "django_db_blocker", "_django_db_marker", "monkeypatch"]


def item(*fixtures: str, marked: bool = False, marks: tuple[str, ...] = ()) -> Any:
    """A stand-in for a collected pytest.Item: its fixtures, its django_db mark and others."""
    names = {*marks, *(["django_db"] if marked else [])}
    return SimpleNamespace(
        fixturenames=[*EVERY_TEST_HAS, *fixtures],
        get_closest_marker=lambda name: object() if name in names else None,
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


def test_a_test_the_sqlite_pass_leaves_out_runs_in_the_postgresql_pass_even_without_the_database():
    # The access harness's checks of its own table reach no database, and are marked with it.
    assert runs_in_the_postgresql_pass(item(marks=("access_matrix",)))
    assert runs_in_the_postgresql_pass(item(marks=("browser",)))
    assert runs_in_the_postgresql_pass(item("db"))
    assert not runs_in_the_postgresql_pass(item(marks=("some_other_mark",)))
