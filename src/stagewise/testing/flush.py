"""Django's flush after a test that commits for real (a browser journey, the concurrency test),
emptying only the tables that hold rows.

Django empties every table: on PostgreSQL one TRUNCATE of some 150 tables, each given new files
for itself and its indexes, about 0.7 s on an idle machine and several seconds beside a second
worker (docs/performance.md, "Test suite time"). A journey writes to a few dozen tables. Here
one statement finds them, and each is emptied with DELETE; foreign keys are checked when the
flush's transaction commits (Django declares them deferrable), so the order does not matter. A
table whose trigger refuses DELETE (the append-only audit log, ADR 0038) is truncated as Django
would. SQLite's flush is DELETE already; it too now leaves empty tables alone.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connections

from stagewise.audit.models import AuditEvent

# Tables whose rows a trigger keeps from DELETE on PostgreSQL (audit/migrations/0002 and 0005).
TRUNCATED_NOT_DELETED = frozenset({AuditEvent._meta.db_table})


def tables_holding_rows(connection: Any, tables: list[str]) -> list[str]:
    """Those of `tables` with at least one row, in one statement."""
    if not tables:
        return []
    quote = connection.ops.quote_name
    # The names are Django's own tables, from its introspection, quoted.
    probes = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(probes, tables)
        return [table for (table,) in cursor.fetchall()]


@contextmanager
def flush_only_tables_holding_rows() -> Iterator[None]:
    """Within the block, Django's flush (without sequence resets or cascades, as a test's flush
    is) empties only the tables that hold rows."""
    with pytest.MonkeyPatch.context() as patch:
        for connection in connections.all():
            operations = type(connection.ops)
            django_flush = operations.sql_flush

            def sql_flush(
                ops: Any,
                style: Any,
                tables: list[str],
                *,
                reset_sequences: bool = False,
                allow_cascade: bool = False,
                django_flush: Any = django_flush,
            ) -> list[str]:
                if reset_sequences or allow_cascade:
                    return list(
                        django_flush(
                            ops,
                            style,
                            tables,
                            reset_sequences=reset_sequences,
                            allow_cascade=allow_cascade,
                        )
                    )
                holding = tables_holding_rows(ops.connection, tables)
                if ops.connection.vendor != "postgresql":
                    return list(django_flush(ops, style, holding))
                truncated = [table for table in holding if table in TRUNCATED_NOT_DELETED]
                deleted = [table for table in holding if table not in TRUNCATED_NOT_DELETED]
                return [
                    *(django_flush(ops, style, truncated) if truncated else []),
                    *(f"DELETE FROM {ops.quote_name(table)};" for table in deleted),  # noqa: S608
                ]

            patch.setattr(operations, "sql_flush", sql_flush)
        yield
