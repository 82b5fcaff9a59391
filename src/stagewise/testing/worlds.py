"""A test module's world, built once: inside a transaction held open for the module and rolled
back when its tests are done; each test runs in its own savepoint (pytest-django's `db`
fixture), so nothing one test writes is seen by another."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def built_once_per_module[WorldT](
    build: Callable[[], WorldT], django_db_blocker: Any
) -> Iterator[WorldT]:
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
    try:
        with django_db_blocker.unblock():
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
