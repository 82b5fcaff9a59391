"""Browser journeys run Debian's chromium against pytest-django's live server.

The browser is the one the operating system ships (`scripts/system-packages browser` installs it),
launched by path: the suite never downloads a browser. One browser serves the whole session (of
each xdist worker); each test gets a fresh context (no cookies carried over) and leaves the
database holding only the reference data the migrations load.
"""

import os
import shutil
from collections.abc import Iterator
from copy import copy
from pathlib import Path
from typing import Any

import pytest
from django.core import serializers
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.models import Model
from playwright.sync_api import ConsoleMessage, Page, Playwright
from pytest_django.plugin import blocking_manager_key

from .support import AxeRun, contrast_checked_in_english

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


def _reference_rows_in_bulk(creation: BaseDatabaseCreation, data: str) -> None:
    """What `deserialize_db_from_string` does after each journey's flush, a table at a time.

    Django saves the thousand-odd reference rows one by one (an UPDATE, then an INSERT, each),
    about 0.7 s a journey on PostgreSQL; here each table's rows go in one INSERT. A row with
    many-to-many values, or of a model that cannot be inserted in bulk (multi-table inheritance),
    is saved as Django saves it, as is one of a model that stamps its own times (auto_now). The
    parsed rows are kept: every journey puts back the same ones.
    """
    rows_by_model = _parsed_reference_rows.get(data)
    if rows_by_model is None:
        rows_by_model = {}
        for row in serializers.deserialize("json", data, using=creation.connection.alias):
            rows_by_model.setdefault(type(row.object), []).append(row)
        _parsed_reference_rows.clear()
        _parsed_reference_rows[data] = rows_by_model
    alias = creation.connection.alias
    with transaction.atomic(using=alias), creation.connection.constraint_checks_disabled():
        for model, rows in rows_by_model.items():
            in_bulk = [row for row in rows if not row.m2m_data]
            if model._meta.parents or _sets_its_own_timestamps(model):
                in_bulk = []
            # The first journey of a run finds the rows still there (nothing has flushed them).
            model._base_manager.using(alias).bulk_create(
                [copy(row.object) for row in in_bulk], ignore_conflicts=True
            )
            for row in rows:
                if row.m2m_data or model._meta.parents or _sets_its_own_timestamps(model):
                    row.object = copy(row.object)
                    row.save(using=alias)
        creation.connection.check_constraints(
            table_names=[model._meta.db_table for model in rows_by_model]
        )
        # Ids are put back as they were: sequences must run on from them (a flush that reset
        # them would otherwise hand out ids the rows put back already hold).
        with creation.connection.cursor() as cursor:
            for statement in creation.connection.ops.sequence_reset_sql(
                no_style(), list(rows_by_model)
            ):
                cursor.execute(statement)


_parsed_reference_rows: dict[str, dict[type[Model], list[Any]]] = {}


def _sets_its_own_timestamps(model: type[Model]) -> bool:
    """A model with an auto_now or auto_now_add field: bulk_create would stamp its rows with the
    time they are put back, so they are saved as Django saves them (raw, keeping the times)."""
    return any(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in model._meta.concrete_fields
    )


@pytest.fixture(scope="session")
def playwright(_migrated_rows: str | None, playwright: Playwright) -> Iterator[Playwright]:
    """Start playwright, and let Django work in this thread while playwright's event loop runs.

    Django refuses database calls from a thread running an event loop unless told it is safe:
    here the loop only waits on the browser, and tests touch the database between steps.

    While the loop runs, Django also keeps connections per async context rather than per thread,
    so tests get a fresh connection object without the rows serialised at set-up; hand them over,
    or serialized rollback could not restore the reference data after each test's flush.
    `_migrated_rows` is listed first so that it reads them before the loop starts.

    The loop's connections are closed before it stops: afterwards nothing can reach them, and an
    open one would keep the test database from being dropped at the end of the session.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        creation_class = type(connections[DEFAULT_DB_ALIAS].creation)
        patch.setattr(creation_class, "deserialize_db_from_string", _reference_rows_in_bulk)
        if _migrated_rows is not None:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = _migrated_rows  # type: ignore[attr-defined]
        yield playwright
        connections.close_all()


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


@pytest.fixture(autouse=True)
def _colour_contrast_checked_once(request: pytest.FixtureRequest) -> Iterator[None]:
    """In the Welsh run of a journey parametrized over both languages, axe leaves colour
    contrast to the English run (support.assert_accessible); anywhere else it checks it."""
    AxeRun.contrast_checked_in_english = contrast_checked_in_english(request.node)
    yield
    AxeRun.contrast_checked_in_english = False


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
