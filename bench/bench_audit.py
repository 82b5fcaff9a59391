"""The audit log's insert cost and size per million events, before and after ADR 0038 (compact
list events, three indexes instead of six, monthly partitions on PostgreSQL).

    .venv/bin/python bench/bench_audit.py [--events 1000000] [--service-events 10000]

For each layout, in its own scratch database (`stagewise_audit_bench_before`, `..._after`,
dropped and re-created on postgres@127.0.0.1:5432):

- *before*: migrated to the latest schema, then the audit back to `audit 0003` (the plain table and
  its six indexes); list events name the learners shown as public ids in a JSON array, as they did.
- *after*: the latest schema; list events name them as internal ids in a compact string, and
  events name the learner by their pseudonymous audit key (ADR 0033) rather than a foreign key.

1. After only (the service writes today's layout, so the old one can no longer be written
   through it): `--service-events` events written one at a time through `audit_record` (each its
   own autocommitted INSERT, as outside a request), six views of a profile to four list pages of
   25 learners: the mean and p95 cost per event in microseconds; then as many again inside one
   transaction (the insert without its own commit).
2. `--events` more of the same mix by COPY, then the table's size with its indexes (every
   partition's, after), the mean row and `detail` size of a list event, and size per million.
3. Before only: the time `migrate audit` takes to partition the events already there.

"""

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_synth import recreate_database, setup_django

MIGRATED = "migrate to partitions, s"
LEARNERS = 200
SHOWN_PER_LIST = 25
NATIONAL_LEARNERS = 702_000
COLUMNS = (
    "occurred_at",
    "user_label",
    "role",
    "organisation_label",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "path",
    "ip_address",
    "changes",
    "detail",
    "user_id",
)
# How an event names its learner: a foreign key before ADR 0033, the audit key after.
LEARNER_COLUMN = {"before": "learner_id", "after": "learner_key"}
USER_LABEL = "Morag Macdonald <morag.macdonald@riverside.glasgow.sch.uk>"
ORGANISATION = "Riverside Primary School"


def shown_as_before(chooser: random.Random) -> dict[str, Any]:
    return {
        "learners": [str(uuid.UUID(int=chooser.getrandbits(128))) for _ in range(SHOWN_PER_LIST)],
        "scope": "setting",
    }


def shown_ids(chooser: random.Random) -> list[int]:
    return chooser.sample(range(1, NATIONAL_LEARNERS), SHOWN_PER_LIST)


def world() -> tuple[Any, list[Any]]:
    from stagewise.testing.factories import LearnerFactory, UserFactory

    random.seed(2026)
    user = UserFactory.create(email="morag.macdonald@riverside.glasgow.sch.uk")
    learners = LearnerFactory.create_batch(LEARNERS)
    return user, learners


def through_the_service(count: int, user: Any, learners: list[Any]) -> list[float]:
    from stagewise.audit.models import AuditAction
    from stagewise.audit.services import audit_record

    chooser = random.Random(1)  # noqa: S311 (a benchmark's mix, not a secret)
    actor = SimpleNamespace(user=user, role="class_teacher", organisation_label=ORGANISATION)
    costs = []
    for number in range(count):
        started = time.perf_counter()
        if number % 10 < 6:
            audit_record(
                actor=actor,  # type: ignore[arg-type]
                action=AuditAction.VIEW,
                learner=chooser.choice(learners),
                object_type="learner",
                purpose="view profile",
            )
        else:
            audit_record(
                actor=actor,  # type: ignore[arg-type]
                action=AuditAction.LIST,
                object_type="learner_list",
                purpose="list learners",
                detail={"scope": "setting"},
                learners_shown=shown_ids(chooser),
            )
        costs.append(time.perf_counter() - started)
    return costs


def learner_references(layout: str, learners: list[Any]) -> dict[int, Any]:
    """What an event holds to name each learner in the layout: their id, or their audit key."""
    if layout == "before":
        return {learner.pk: learner.pk for learner in learners}
    from stagewise.audit.models import LearnerAuditKey

    return dict(
        LearnerAuditKey.objects.filter(learner__in=learners).values_list("learner_id", "key")
    )


def by_copy(layout: str, count: int, user: Any, learners: list[Any]) -> float:
    from django.db import connection
    from django.utils import timezone

    from stagewise.audit.services import shown_learners_text

    chooser = random.Random(2)  # noqa: S311 (a benchmark's mix, not a secret)
    named = learner_references(layout, learners)
    now = timezone.now()
    # This month's events (its partition exists after; before, there is one table).
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    span = (now - month_start).total_seconds()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(
            f"COPY audit_auditevent ({', '.join((*COLUMNS, LEARNER_COLUMN[layout]))}) FROM STDIN"
        ) as copy:
            for number in range(count):
                when = month_start + timedelta(seconds=span * number / count)
                if number % 10 < 6:
                    learner = chooser.choice(learners)
                    row: tuple[Any, ...] = (
                        when,
                        USER_LABEL,
                        "class_teacher",
                        ORGANISATION,
                        "view",
                        "learner",
                        "",
                        "view profile",
                        f"/learners/{learner.public_id}/",
                        "192.0.2.10",
                        None,
                        None,
                        user.pk,
                        named[learner.pk],
                    )
                else:
                    detail = (
                        shown_as_before(chooser)
                        if layout == "before"
                        else {
                            "scope": "setting",
                            "learners": shown_learners_text(shown_ids(chooser)),
                        }
                    )
                    row = (
                        when,
                        USER_LABEL,
                        "class_teacher",
                        ORGANISATION,
                        "list",
                        "learner_list",
                        "",
                        "list learners",
                        "/learners/?scope=setting",
                        "192.0.2.10",
                        None,
                        json.dumps(detail),
                        user.pk,
                        None,
                    )
                copy.write_row(row)
        cursor.connection.commit()
    return time.perf_counter() - started


def sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute(
            "SELECT count(*) FILTER (WHERE level > 0),"
            " sum(pg_table_size(relid))::bigint, sum(pg_indexes_size(relid))::bigint,"
            " sum(pg_total_relation_size(relid))::bigint"
            # A plain table is no partition tree: it is its own one leaf.
            " FROM (SELECT relid, level, isleaf FROM pg_partition_tree('audit_auditevent')"
            " UNION SELECT 'audit_auditevent'::regclass, 0, true) AS tree"
        )
        partitions, table, indexes, total = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        (events,) = cursor.fetchone()
        cursor.execute(
            "SELECT avg(pg_column_size(e.*)), avg(pg_column_size(detail))"
            " FROM audit_auditevent e WHERE action = 'list'"
        )
        list_row, list_detail = cursor.fetchone()
        cursor.execute(
            "SELECT avg(pg_column_size(e.*)) FROM audit_auditevent e WHERE action = 'view'"
        )
        (view_row,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'audit_auditevent'")
        (index_count,) = cursor.fetchone()
    per_million = 1_000_000 / events
    return {
        "events": events,
        "partitions": partitions,
        "indexes": index_count,
        "table MB per million": table * per_million / 2**20,
        "indexes MB per million": indexes * per_million / 2**20,
        "total MB per million": total * per_million / 2**20,
        "bytes per event (table+indexes)": total / events,
        "list event row bytes": float(list_row),
        "list event detail bytes": float(list_detail),
        "view event row bytes": float(view_row),
    }


LAYOUTS = ("before", "after")


def use(layout: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = f"stagewise_audit_bench_{layout}"


def prepare(layout: str) -> tuple[Any, list[Any]]:
    from django.core.management import call_command

    recreate_database(f"stagewise_audit_bench_{layout}")
    use(layout)
    call_command("migrate", verbosity=0)
    # Learners are made on today's schema (each is given an audit key as it is saved).
    made = world()
    if layout == "before":
        call_command("migrate", "audit", "0003", verbosity=0)
    return made


def service_costs(after: tuple[Any, list[Any]], count: int, *, in_transaction: bool) -> list[float]:
    """Per-event costs through the service, on today's layout. In a transaction (as a request
    that writes its audit with its other work would) the insert has no commit, and no WAL flush,
    of its own."""
    from django.db import transaction

    use("after")
    user, learners = after
    if in_transaction:
        with transaction.atomic():
            return through_the_service(count, user, learners)
    return through_the_service(count, user, learners)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--service-events", type=int, default=10_000)
    arguments = parser.parse_args()
    setup_django("stagewise_audit_bench_before")
    from django.core.management import call_command

    worlds = {layout: prepare(layout) for layout in LAYOUTS}
    alone = service_costs(worlds["after"], arguments.service_events, in_transaction=False)
    batched = service_costs(worlds["after"], arguments.service_events, in_transaction=True)
    results: dict[str, dict[str, Any]] = {}
    for layout in LAYOUTS:
        use(layout)
        user, learners = worlds[layout]
        copied = by_copy(layout, arguments.events, user, learners)
        after = layout == "after"
        results[layout] = {
            "service µs per event (mean)": statistics.fmean(alone) * 1e6 if after else None,
            "service µs per event (p95)": sorted(alone)[int(0.95 * len(alone))] * 1e6
            if after
            else None,
            "service µs per event, in a transaction": statistics.fmean(batched) * 1e6
            if after
            else None,
            "COPY µs per event": copied / arguments.events * 1e6,
            **sizes(),
        }
    use("before")
    started = time.perf_counter()
    call_command("migrate", "audit", verbosity=0)
    migrated = time.perf_counter() - started
    print(f"{'':40} {'before':>12} {'after':>12}")
    for key, after in results["after"].items():
        print(f"{key:40} {_figure(results['before'][key]):>12} {_figure(after):>12}")
    print(f"{MIGRATED:40} {_figure(migrated):>12}")


def _figure(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


if __name__ == "__main__":
    main()
