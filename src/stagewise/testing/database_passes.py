"""`--database-tests-only`: run only the tests that can reach the database, as a pytest plugin
(`-p stagewise.testing.database_passes` in pyproject.toml).

CI runs the suite on SQLite and then on PostgreSQL (.ci/run). A test that never asks for the
database (pytest-django blocks it from reaching one) gives the same result on both, so the
PostgreSQL pass leaves it to the SQLite pass instead of spending CI time running it twice.

The other way round, CI's SQLite pass leaves out the tests marked with POSTGRESQL_PASS_MARKERS
(the browser journeys; the access matrices, the access harness and the policy table; and the
calibration of the synthetic population's figures, whose rows the writers' own tests check on
both), which run on PostgreSQL, the production database, only. The PostgreSQL pass keeps every
test so marked, even one that never reaches the database, so that each runs in one pass.
`make test` alone runs them all, on SQLite.
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


# The marks of the tests CI runs in its PostgreSQL pass only (.ci/run, pyproject.toml).
POSTGRESQL_PASS_MARKERS = ("browser", "access_matrix", "synthetic_calibration")


def reaches_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & DATABASE_FIXTURES) or item.get_closest_marker("django_db") is not None


def runs_in_the_postgresql_pass(item: pytest.Item) -> bool:
    return reaches_database(item) or any(
        item.get_closest_marker(marker) is not None for marker in POSTGRESQL_PASS_MARKERS
    )


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
        (kept if runs_in_the_postgresql_pass(item) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
