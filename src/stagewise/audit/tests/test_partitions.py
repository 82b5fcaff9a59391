"""On PostgreSQL the audit log is partitioned by month, created ahead by a task; an event of any
date is stored, and a partition refuses to rewrite history as the whole table does."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.partitions import (
    DEFAULT_PARTITION,
    add_months,
    audit_partitions_ensure,
    audit_partitions_expire,
    month_start,
    partition_create_sql,
    partition_name,
    partition_names,
)
from stagewise.audit.services import audit_record
from stagewise.audit.tasks import audit_partitions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="declarative partitioning is PostgreSQL's; SQLite keeps one plain table",
    ),
]


def test_months_count_on_across_a_year():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert month_start(date(2026, 12, 31)) == date(2026, 12, 1)


def test_the_task_creates_this_month_and_three_ahead_and_a_second_run_nothing():
    today = date(2031, 11, 15)

    first = audit_partitions_ensure(today=today)
    second = audit_partitions_ensure(today=today)

    expected = [partition_name(date(year, month, 1)) for year, month in _months(2031, 11, 4)]
    assert first.created == expected
    assert set(expected) <= partition_names()
    assert second.created == []


def test_the_queued_task_leaves_this_and_next_month_in_place():
    audit_partitions.enqueue()

    this_month = month_start(date.today())
    assert {partition_name(this_month), partition_name(add_months(this_month, 1))} <= (
        partition_names()
    )


def test_the_command_says_what_it_created(capsys):
    call_command("audit_partitions")

    assert "Created:" in capsys.readouterr().out


def test_an_event_far_from_any_partition_lands_in_the_default_one(learner):
    event = audit_record(actor=None, action=AuditAction.VIEW, learner=learner, purpose="far")
    far = AuditEvent(
        occurred_at=datetime(2090, 6, 1, tzinfo=UTC), user_label="x", action=AuditAction.VIEW
    )
    far.save()

    assert _partition_of(far) == DEFAULT_PARTITION
    assert _partition_of(event) == partition_name(month_start(event.occurred_at.date()))


def test_a_month_already_in_the_default_partition_is_left_there(learner):
    AuditEvent(
        occurred_at=datetime(2080, 3, 9, tzinfo=UTC), user_label="x", action=AuditAction.VIEW
    ).save()

    result = audit_partitions_ensure(today=date(2080, 2, 1))

    assert partition_name(date(2080, 3, 1)) in result.left_in_default
    assert partition_name(date(2080, 2, 1)) in result.created


def test_a_partition_refuses_to_rewrite_or_remove_an_event(learner):
    event = audit_record(actor=None, action=AuditAction.VIEW, learner=learner, purpose="test")
    partition = _partition_of(event)

    for statement in (
        f"UPDATE {partition} SET purpose = 'rewritten' WHERE id = %s",  # noqa: S608 (fixed table names)
        f"DELETE FROM {partition} WHERE id = %s",  # noqa: S608 (fixed table names)
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    event.refresh_from_db()
    assert event.purpose == "test"


def test_the_primary_key_includes_the_month_and_ids_stay_unique(learner):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'audit_auditevent'::regclass AND contype = 'p'"
        )
        (definition,) = cursor.fetchone()
    events = [audit_record(actor=None, action=AuditAction.VIEW, learner=learner) for _ in "abc"]

    assert definition == "PRIMARY KEY (id, occurred_at)"
    assert len({event.pk for event in events}) == 3


def test_a_month_the_access_trail_no_longer_keeps_is_removed_whole_and_no_other():
    """Kept six years from each access: on 1 December 2026 every event of January 2019 is past
    its period, and January 2021's are not; the default partition is never removed."""
    old, kept = date(2019, 1, 1), date(2021, 1, 1)
    with connection.cursor() as cursor:
        for month in (old, kept):
            cursor.execute(partition_create_sql(month))
    for day in (datetime(2019, 1, 31, 23, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC)):
        AuditEvent(occurred_at=day, user_label="x", action=AuditAction.VIEW).save()
    # The events were written in this test's transaction: their deferred key checks run now, as
    # they would have at its commit, years before the task removes their month.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    removed = audit_partitions_expire(kept_for_years=6, today=date(2026, 12, 1))

    assert removed == [partition_name(old)]
    assert partition_name(kept) in partition_names()
    assert DEFAULT_PARTITION in partition_names()
    assert [event.occurred_at.year for event in AuditEvent.objects.filter(user_label="x")] == [2021]
    assert audit_partitions_expire(kept_for_years=6, today=date(2026, 12, 1)) == []


def _months(year: int, month: int, count: int) -> list[tuple[int, int]]:
    first = date(year, month, 1)
    return [(add_months(first, n).year, add_months(first, n).month) for n in range(count)]


def _partition_of(event: AuditEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event.pk]
        )
        return cursor.fetchone()[0]
