"""A pytest-xdist scheduler that gives every browser journey to one worker, as a pytest plugin
(`-p stagewise.testing.xdist_scheduling` in pyproject.toml).

With `make pytest` (`--numprocesses auto`, xdist's default `--dist load`), one worker starts on
the journeys, one browser at a time, while the others run everything else, one test at a time,
in collection order. xdist's own `--dist loadgroup` would do this with `xdist_group` marks, but it
renames test ids to do so, which pytest 9.2 ignores (pytest-dev/pytest-xdist#1386): the journeys
would then run in several browsers at once on a machine with two cores.
"""

from typing import Any

import pytest

BROWSER_JOURNEYS = "browser journeys"
BROWSER_TEST_FOLDER = "/tests/browser/"


def scope_of(nodeid: str) -> str:
    """The unit of work a test belongs to: all journeys together, every other test alone."""
    return BROWSER_JOURNEYS if BROWSER_TEST_FOLDER in nodeid else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "load":
        return None
    # Imported here: the plugin loads with `-p no:xdist` too, where xdist must not be imported.
    from xdist.scheduler import LoadScopeScheduling

    class BrowserJourneysOnOneWorker(LoadScopeScheduling):
        """xdist's loadscope with our scopes: the largest unit (the journeys) is handed out first,
        and a worker gets more work only when it has two tests or fewer left."""

        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return BrowserJourneysOnOneWorker(config, log)
