"""A pytest-xdist scheduler (a pytest plugin: `-p stagewise.testing.xdist_scheduling` in
pyproject.toml) that hands out work in two kinds of unit:

- each of the large tables of cases (the access harness, the policy table) test by test, so that
  the workers finish together;
- every other module whole, so that a world built once per module is built once, not once on
  each worker that happens to run one of its tests.

The browser journeys' modules go first: they are the longest units, and each worker drives one
browser at a time. They used to be one unit on one worker, which then set the length of the
PostgreSQL pass: with Chromium and its live server using most of a core, the journeys ran slower
than alone while the other worker ran everything else (docs/performance.md, "Test suite time").
Then the few other modules that take the better part of a minute alone (LONG_MODULES), so that
neither ends a pass with the other worker idle.

xdist's own `--dist loadgroup` would group with `xdist_group` marks, but it renames test ids to do
so, which pytest 9.2 ignores (pytest-dev/pytest-xdist#1386).
"""

from typing import Any

import pytest

BROWSER_TEST_FOLDER = "/tests/browser/"
# `stagewise synth` migrating a new database in a subprocess (about a minute); the demo world.
LONG_MODULES = (
    "/synthetic/tests/test_synth_on_a_new_database.py",
    "/synthetic/tests/test_demo_world.py",
)
# Thousands of cases on a world that is quick to build: shared out one test at a time.
SPLIT_TEST_BY_TEST = ("/tests/test_access_harness.py::", "/tests/test_policy.py::")


def scope_of(nodeid: str) -> str:
    """The unit of work a test belongs to: each case of a large table alone, and every other
    test with the rest of its module."""
    if any(table in nodeid for table in SPLIT_TEST_BY_TEST):
        return nodeid
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "load":
        return None
    # Imported here: the plugin loads with `-p no:xdist` too, where xdist must not be imported.
    from xdist.scheduler import LoadScopeScheduling

    class BrowserJourneysFirst(LoadScopeScheduling):
        """xdist's loadscope with our scopes, the journeys' modules handed out before the rest,
        then the long modules (xdist orders the rest by number of tests); a worker gets more work
        only when it has two tests or fewer left."""

        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            journeys = [scope for scope in self.workqueue if BROWSER_TEST_FOLDER in scope]
            long_ones = [scope for scope in self.workqueue if scope.endswith(LONG_MODULES)]
            for scope in reversed([*journeys, *long_ones]):
                self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return BrowserJourneysFirst(config, log)
