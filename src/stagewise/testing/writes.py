"""Which tables a block of code writes, seen in the SQL it sends: how a test knows a refused
request or service call changed nothing, without reading every record before and after."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from stagewise.audit.models import AuditEvent

# What a refusal may still write: the audit trail (the refusal is recorded), the session
# (its idle expiry, pushed on now and then) and the cache (rate limits).
TABLES_A_REFUSAL_MAY_WRITE = frozenset(
    {AuditEvent._meta.db_table, "django_session", "stagewise_cache"}
)
_WRITE_STATEMENT = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I
)
_READ_STATEMENT = re.compile(
    r"^\s*(?:SELECT|SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\b", re.I
)


@contextmanager
def tables_written() -> Iterator[set[str]]:
    """The tables the statements run inside this block write, but for those a refusal may write.

    Every statement through Django's connection is seen. One that is neither a read nor a write
    to a named table (a statement this does not recognise) counts as a write of everything, so an
    empty set always means nothing but the audit trail, session or cache can have changed.
    """
    written: set[str] = set()

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if write := _WRITE_STATEMENT.match(sql):
            if write[1] not in TABLES_A_REFUSAL_MAY_WRITE:
                written.add(write[1])
        elif not _READ_STATEMENT.match(sql):
            written.add(f"(unrecognised) {sql[:60]}")
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        yield written
