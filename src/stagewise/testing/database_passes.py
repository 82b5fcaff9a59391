"""`--database-tests-only`: run only the tests that can reach the database, as a pytest plugin
(`-p stagewise.testing.database_passes` in pyproject.toml).

CI runs the suite on SQLite and then on PostgreSQL (.ci/run). A test that never asks for the
database (pytest-django blocks it from reaching one) gives the same result on both, so the
PostgreSQL pass leaves it to the SQLite pass instead of spending CI time running it twice.
"""

import pytest

OPTION = "--database-tests-only"

# The fixtures through which a test reaches the database, directly or by the ones it uses.
# (Not `django_db_blocker`: pytest-django gives it to every test; unblocking it also needs
# `django_db_setup`, which is here.)
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def reaches_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & DATABASE_FIXTURES) or item.get_closest_marker("django_db") is not None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        action="store_true",
        help="run only the tests that can reach the database (the second database pass of CI)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption(OPTION):
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        (kept if reaches_database(item) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
