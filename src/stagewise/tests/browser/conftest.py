"""Browser journeys run Debian's chromium against pytest-django's live server.

The browser is the one the operating system ships (`scripts/system-packages browser` installs it),
launched by path: the suite never downloads a browser. One browser serves the whole session (of
each xdist worker); each test gets a fresh context (no cookies carried over) and leaves the
database holding only the reference data the migrations load.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import ConsoleMessage, Page, Playwright
from pytest_django.plugin import blocking_manager_key

# Debian's chromium, or whichever `chromium` is on PATH (Ubuntu ships it as a snap).
CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system chromium by path, never a browser playwright downloaded."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run scripts/system-packages browser"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


# The rows the migrations load, as `_migrated_rows` read them, for `pytest_runtest_teardown`.
REFERENCE_ROWS: list[str] = []


@pytest.fixture(scope="session")
def _migrated_rows(django_db_setup: None) -> str | None:
    """The rows the migrations load (nations, local authorities), serialised with the test database.

    pytest-django serialises them because `_transactional_database` asks for serialized rollback.
    """
    rows = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    if rows is not None:
        REFERENCE_ROWS[:] = [rows]
    return rows


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A journey commits for real and ends with Django's flush, which empties every table; once
    every fixture is torn down (the flush is pytest-django's), put back the rows the migrations
    load, so that any test may follow a journey in the same process (as under pytest-xdist).

    After the last test there is nothing to put back: the test database is gone with the session;
    nor before another journey, whose serialized rollback puts them back as it starts.
    """
    try:
        return (yield)
    finally:
        if (
            item.get_closest_marker("browser")
            and nextitem is not None
            and not nextitem.get_closest_marker("browser")
            and REFERENCE_ROWS
        ):
            with item.config.stash[blocking_manager_key].unblock():
                connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(REFERENCE_ROWS[0])


@pytest.fixture(scope="session")
def playwright(_migrated_rows: str | None, playwright: Playwright) -> Iterator[Playwright]:
    """Start playwright, and let Django work in this thread while playwright's event loop runs.

    Django refuses database calls from a thread running an event loop unless told it is safe:
    here the loop only waits on the browser, and tests touch the database between steps.

    While the loop runs, Django also keeps connections per async context rather than per thread,
    so tests get a fresh connection object without the rows serialised at set-up; hand them over,
    or serialized rollback could not restore the reference data after each test's flush.
    `_migrated_rows` is listed first so that it reads them before the loop starts.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        if _migrated_rows is not None:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = _migrated_rows  # type: ignore[attr-defined]
        yield playwright


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    """Every page.goto("/path/") goes to the live server; the browser itself asks for English."""
    return {**browser_context_args, "base_url": live_server.url, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _transactional_database(transactional_db: None, django_db_serialized_rollback: None) -> None:
    """The live server runs in another thread, so tests commit for real.

    Each test starts from the reference data the migrations load (nations, local authorities):
    serialized rollback restores it should an earlier transactional test have flushed it.
    """


@pytest.fixture(autouse=True)
def _empty_cache(_transactional_database: None) -> Iterator[None]:
    """The database cache outlives a flush: clear rate limits and used authenticator codes."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """The test's page; a script error or a content security policy refusal fails the test."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        # A page visited on purpose for its status (404) logs its own address; that is not a fault.
        if message.type == "error" and not where.endswith("/favicon.ico") and where != page.url:
            problems.append(f"console error on {page.url} ({where}): {message.text}")

    page.on("console", on_console)
    yield page
    assert not problems, "\n".join(problems)
