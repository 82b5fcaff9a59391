"""Monthly partitions of the audit log on PostgreSQL (ADR 0038).

The table is partitioned by RANGE on `occurred_at`, one partition a calendar month in UTC, named
`audit_auditevent_yYYYYmMM`, and a default partition catches any event outside them so that an
insert never fails. A task creates the partitions of this month and the next three; the
migration that partitioned the table created those of the months it already held. An old month
is removed whole (detached, then dropped) when the access trail's retention period has passed for
every event in it (ADR 0033), never row by row: `audit_partitions_expire`. SQLite keeps one plain
table and nothing here applies: it is for demonstrations and tests, whose logs are never trimmed.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import connections, transaction
from django.utils import timezone

TABLE = "audit_auditevent"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3
# Any constant will do: two workers creating partitions at once take turns on it.
_LOCK_KEY = 0x5741_7564_6974


@dataclass
class PartitionsEnsured:
    created: list[str] = field(default_factory=list)
    # Months whose events already went to the default partition (the task did not run in time):
    # their partition cannot be created without moving events, which the audit never does.
    left_in_default: list[str] = field(default_factory=list)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def month_bounds(month: date) -> tuple[str, str]:
    """The partition's range, [first instant of the month, first of the next) in UTC."""
    return f"{month:%Y-%m-%d} 00:00:00+00", f"{add_months(month, 1):%Y-%m-%d} 00:00:00+00"


def partition_create_sql(month: date) -> str:
    start, end = month_bounds(month)
    return (
        f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{start}') TO ('{end}')"
    )


def is_partitioned(using: str = "default") -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partition_names(using: str = "default") -> set[str]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits"
            " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
            " WHERE pg_inherits.inhparent = to_regclass(%s)",
            [TABLE],
        )
        return {name for (name,) in cursor.fetchall()}


def audit_partitions_ensure(
    *, today: date | None = None, months_ahead: int = MONTHS_AHEAD, using: str = "default"
) -> PartitionsEnsured:
    """Create the partitions of this month and the next `months_ahead` that do not exist yet.
    Idempotent: a second run creates nothing."""
    result = PartitionsEnsured()
    if not is_partitioned(using):
        return result
    first = month_start(today or timezone.now().date())
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        existing = partition_names(using)
        for month in (add_months(first, ahead) for ahead in range(months_ahead + 1)):
            name = partition_name(month)
            if name in existing:
                continue
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION}"  # noqa: S608 (fixed table names)
                " WHERE occurred_at >= %s AND occurred_at < %s)",
                list(month_bounds(month)),
            )
            if cursor.fetchone()[0]:
                result.left_in_default.append(name)
                continue
            cursor.execute(partition_create_sql(month))
            result.created.append(name)
    return result


_PARTITION_NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")


def partition_month(name: str) -> date | None:
    """The month a monthly partition holds; None for any other table (the default partition)."""
    found = _PARTITION_NAME.match(name)
    return date(int(found[1]), int(found[2]), 1) if found else None


def audit_partitions_expire(
    *, kept_for_years: int, today: date | None = None, using: str = "default"
) -> list[str]:
    """Remove the monthly partitions whose every event is older than the access trail keeps them
    (`kept_for_years` from each access): the month ended on or before that many years ago.
    Each is detached, then dropped: the whole month goes at once, the row triggers that refuse a
    DELETE never fire, and no event younger than the period is touched. The default partition
    is never removed. Returns the partitions removed, oldest first."""
    if not is_partitioned(using):
        return []
    today = today or timezone.now().date()
    try:
        cutoff = today.replace(year=today.year - kept_for_years)
    except ValueError:  # 29 February, in a year without one
        cutoff = today.replace(year=today.year - kept_for_years, day=28)
    removed = []
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        for name in sorted(partition_names(using)):
            month = partition_month(name)
            if month is None or add_months(month, 1) > cutoff:
                continue
            cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
            cursor.execute(f"DROP TABLE {name}")
            removed.append(name)
    return removed
