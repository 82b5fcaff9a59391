"""Events recorded before the audit log was partitioned and keyed are all still there: each with
the same content, in the partition of its month (PostgreSQL), naming the same learner by their
audit key; and the log is still append-only.

The audit app goes back to `audit 0004` (one plain table whose events name the learner by a
foreign key), events of that layout are written across months of three years, and the app goes
forward through 0005 (monthly partitions, ADR 0038), 0006 (every learner's audit key) and 0007
(events name learners by key, their changes keep no values: ADR 0033). No other app's migration
depends on audit 0005 or later; any that came to would be unapplied and re-applied with them.

Migrations commit for real (SQLite's schema editor refuses to run inside a transaction), so this
is a transactional test; it leaves the database at the latest migrations, as it found it, and the
flush that ends it is followed by the reference rows put back (the root conftest), as they were.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from stagewise.audit.models import AuditAction, AuditEvent, LearnerAuditKey
from stagewise.audit.partitions import (
    TABLE,
    is_partitioned,
    month_start,
    partition_name,
    partition_names,
)
from stagewise.audit.services import CHANGED, audit_record, shown_learners
from stagewise.learners.models import Learner
from stagewise.testing.factories import LearnerFactory, UserFactory

BEFORE_PARTITIONS = ("audit", "0004_fewer_indexes")
# The columns of audit 0004's events that 0007 rewrites: the learner becomes their key, and the
# changes to a learner's record lose their values. 0005 and 0006 keep every column as it was.
REWRITTEN = frozenset({"learner_id", "changes"})
ON_POSTGRESQL = connection.vendor == "postgresql"


def migrate(targets: list[tuple[str, str]] | None = None) -> None:
    """To `targets`, or to the latest migrations of every app: only the migrations between, each
    (un)applied from the state of its own dependencies. `executor.migrate` would render every
    app's models for each step (the whole project's models relate to the user), some 10 s;
    these few need a quarter of them."""
    executor = MigrationExecutor(connection)
    loader = executor.loader
    for migration, backwards in executor.migration_plan(targets or loader.graph.leaf_nodes()):
        before = loader.project_state((migration.app_label, migration.name), at_end=False)
        if backwards:
            executor.unapply_migration(before, migration)
        else:
            executor.apply_migration(before, migration)


def empty_the_log() -> None:
    """Whatever state the audit app is in: on PostgreSQL the triggers refuse DELETE."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}" if ON_POSTGRESQL else f"DELETE FROM {TABLE}")  # noqa: S608


@pytest.fixture
def latest_migrations_afterwards(transactional_db: None) -> Iterator[None]:
    """However the test ends, the audit app is back at its latest migrations, its log empty, and
    no partition is left that was not there before (the old months the migration created)."""
    partitions_before = partition_names() if ON_POSTGRESQL else set()
    yield
    empty_the_log()
    migrate()
    if ON_POSTGRESQL:
        with connection.cursor() as cursor:
            for name in sorted(partition_names() - partitions_before):
                cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
                cursor.execute(f"DROP TABLE {name}")


@dataclass(frozen=True)
class OldEvent:
    """An event as the plain table held it: `learner` is the index of the learner it is about."""

    occurred_at: datetime
    action: str
    learner: int | None
    changes: Any = None
    detail: Any = None
    object_type: str = "learner"
    ip_address: str | None = None


def old_events(now: datetime, public_ids: list[str]) -> list[OldEvent]:
    """Events of three years, counted back from now: the migration makes a partition for every
    month from the oldest event's, and the test's cost must not grow year by year."""
    two_years_ago, last_year = now.year - 2, now.year - 1
    return [
        # The last instant of a November and the first of December: either side of a bound.
        OldEvent(
            datetime(two_years_ago, 11, 30, 23, 59, 59, 999999, tzinfo=UTC), AuditAction.VIEW, 0
        ),
        OldEvent(
            datetime(two_years_ago, 12, 1, tzinfo=UTC),
            AuditAction.UPDATE,
            0,
            changes={"legal_first_name": ["Aila", "Ailsa"], "year_group": ["S4", "S5"]},
            ip_address="192.0.2.10",
        ),
        OldEvent(
            datetime(last_year, 1, 15, 9, 30, tzinfo=UTC),
            AuditAction.UPDATE,
            1,
            changes={"needs": {"before": ["dyslexia"], "after": ["dyslexia", "anxiety"]}},
        ),
        OldEvent(datetime(last_year, 1, 15, 9, 31, tzinfo=UTC), AuditAction.CREATE, 1, changes={}),
        # A list page, which named the learners it showed by public id, in an array (ADR 0038
        # changed that for new events only).
        OldEvent(
            datetime(last_year, 3, 10, 8, tzinfo=UTC),
            AuditAction.LIST,
            None,
            detail={"learners": public_ids, "scope": "setting"},
            object_type="learner_list",
        ),
        # 00:30 on 1 July in Glasgow (summer time) is still June in UTC, the partitions' time.
        OldEvent(datetime(last_year, 6, 30, 23, 30, tzinfo=UTC), AuditAction.EXPORT, 1),
        # About no learner: a setting renamed; its changes are no learner's data and stay whole.
        OldEvent(
            datetime(last_year, 9, 3, 14, tzinfo=UTC),
            AuditAction.UPDATE,
            None,
            changes={"name": ["Riverside Primary", "Riverside Primary School"]},
            detail={"scope": "setting"},
            object_type="setting",
        ),
        OldEvent(now - timedelta(minutes=5), AuditAction.REFUSED, 2, ip_address="2001:db8::1"),
    ]


def old_event_model() -> Any:
    """The event as audit 0004 left it, naming its learner by foreign key."""
    old_apps = MigrationExecutor(connection).loader.project_state(BEFORE_PARTITIONS).apps
    return old_apps.get_model("audit", "AuditEvent")


def write_old_layout(
    old_event_model: Any, events: list[OldEvent], learner_ids: list[int], user_id: int
) -> None:
    old_event_model.objects.bulk_create(
        old_event_model(
            occurred_at=event.occurred_at,
            user_id=user_id,
            user_label="Morag Macdonald <morag.macdonald@riverside.glasgow.sch.uk>",
            role="class_teacher",
            organisation_label="Riverside Primary School",
            action=event.action,
            learner_id=None if event.learner is None else learner_ids[event.learner],
            object_type=event.object_type,
            object_id=str(number),
            purpose=f"purpose {number}",
            path=f"/learners/{number}/",
            ip_address=event.ip_address,
            changes=event.changes,
            detail=event.detail,
        )
        for number, event in enumerate(events)
    )


def month_partition(moment: datetime) -> str:
    """The partition that should hold an event of that moment: its month's, in UTC."""
    return partition_name(month_start(moment.astimezone(UTC).date()))


def partition_of_each_event() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, tableoid::regclass::text FROM {TABLE}")  # noqa: S608
        return dict(cursor.fetchall())


def refused(statement: str, parameters: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, parameters)
    except DatabaseError:
        return True
    return False


# Serialized rollback: the reference rows are serialised with the test database, to be put back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_recorded_before_the_log_was_partitioned_and_keyed_are_all_still_there(
    latest_migrations_afterwards: None,
):
    """Written by the model of audit 0004, then migrated to the latest: every event survives."""
    learners = LearnerFactory.create_batch(3)
    user = UserFactory.create()
    learner_ids = [learner.pk for learner in learners]
    events = old_events(timezone.now(), [str(learner.public_id) for learner in learners])
    migrate([BEFORE_PARTITIONS])
    old_model = old_event_model()
    kept = [field.attname for field in old_model._meta.concrete_fields]
    kept = [name for name in kept if name not in REWRITTEN]
    write_old_layout(old_model, events, learner_ids, user.pk)
    written = list(old_model.objects.order_by("pk").values(*kept))

    migrate()

    keys = dict(LearnerAuditKey.objects.values_list("learner_id", "key"))
    after = list(AuditEvent.objects.order_by("pk").values(*kept, "learner_key", "changes"))
    # Every learner has a key of their own; every event is there with the same content, the
    # learner's key in place of the learner, and of the changes to a learner's record, which
    # fields changed but not their values.
    assert set(learner_ids) <= set(keys)
    assert len({keys[learner_id] for learner_id in learner_ids}) == len(learners)
    assert [{name: event[name] for name in kept} for event in after] == written
    assert [event["learner_key"] for event in after] == [
        None if event.learner is None else keys[learner_ids[event.learner]] for event in events
    ]
    assert [event["changes"] for event in after] == [
        dict.fromkeys(event.changes, CHANGED)
        if event.learner is not None and event.changes is not None
        else event.changes
        for event in events
    ]
    # The list page's event, left in its old layout, still says whom the page showed.
    (old_list,) = AuditEvent.objects.filter(action=AuditAction.LIST)
    assert shown_learners(old_list) == sorted(learner_ids)
    if ON_POSTGRESQL:
        assert is_partitioned()
        holding = partition_of_each_event()
        assert [holding[event["id"]] for event in written] == [
            month_partition(event["occurred_at"]) for event in written
        ]

    # Still append-only, by the database itself: no UPDATE, and on PostgreSQL no DELETE (SQLite
    # leaves deletion to the application, audit 0002), whether through the table or a partition.
    oldest = written[0]
    tables = [TABLE, month_partition(oldest["occurred_at"])] if ON_POSTGRESQL else [TABLE]
    for table in tables:
        assert refused(f"UPDATE {table} SET purpose = 'rewritten' WHERE id = %s", [oldest["id"]])  # noqa: S608
        assert refused(f"UPDATE {table} SET learner_key = NULL WHERE id = %s", [oldest["id"]])  # noqa: S608
        if ON_POSTGRESQL:
            assert refused(f"DELETE FROM {table} WHERE id = %s", [oldest["id"]])  # noqa: S608
    assert AuditEvent.objects.filter(pk=oldest["id"]).values(*kept).get() == oldest

    # And it goes on: a new event about the first learner, by their key, after every old one.
    newest = audit_record(
        actor=None, action=AuditAction.VIEW, learner=Learner.objects.get(pk=learner_ids[0])
    )
    assert newest.pk > max(event["id"] for event in written)
    assert newest.learner_key_id == keys[learner_ids[0]]
    if ON_POSTGRESQL:
        assert partition_of_each_event()[newest.pk] == month_partition(newest.occurred_at)
