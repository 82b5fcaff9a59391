"""The concurrency test commits for real and ends with Django's flush, which empties every table:
put back the rows the migrations load, so that any test may follow it in the same process."""

from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        marker = item.get_closest_marker("django_db")
        committed = marker is not None and marker.kwargs.get("transaction")
        database = connections[DEFAULT_DB_ALIAS]
        rows = getattr(database, "_test_serialized_contents", None)
        if committed and nextitem is not None and rows is not None:
            with item.config.stash[blocking_manager_key].unblock():
                database.creation.deserialize_db_from_string(rows)
