"""What is due for review under the retention schedules (ADR 0033): worked out daily, never
deleting anything.

Every learner is reviewed by the authority of their latest enrolment (the one holding the record
now). A schedule counted from the learner leaving applies once they have no current enrolment at
any school, from the last day of their last one; one counted from the record closing applies to
each record from its closing date (the registry's `closed_field` for that type).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, DateTimeField, Max, Min, Q, QuerySet

from stagewise.data_protection.models import RetentionDue, RetentionSchedule, RetentionStart
from stagewise.data_protection.registry import RECORD_TYPES_BY_LABEL, RecordType
from stagewise.learners.models import Enrolment

# Ids per query, within every database's limit on bound parameters.
CHUNK = 2000


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def years_before(day: date, years: int) -> date:
    return years_after(day, -years)


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def learners_left(today: date, learner_ids: list[int] | None = None) -> dict[int, date]:
    """Each learner (of `learner_ids`, or all) no longer enrolled anywhere, with the last day of
    their last enrolment."""
    current = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    enrolments = Enrolment.objects.all()
    if learner_ids is not None:
        enrolments = enrolments.filter(learner_id__in=learner_ids)
    rows = (
        enrolments.values("learner_id")
        .annotate(left_on=Max("ended_on"), current=Count("pk", filter=current))
        .filter(current=0)
        .values_list("learner_id", "left_on")
    )
    return {learner_id: left_on for learner_id, left_on in rows}


def authorities_of(learner_ids: Iterable[int]) -> dict[int, int]:
    """The authority of each learner's latest enrolment."""
    found: dict[int, int] = {}
    for chunk in chunks(learner_ids):
        rows = (
            Enrolment.objects.filter(learner_id__in=chunk)
            .order_by("learner_id", "-started_on", "-pk")
            .values_list("learner_id", "setting__authority_id")
        )
        for learner_id, authority_id in rows:
            found.setdefault(learner_id, authority_id)
    return found


@dataclass(frozen=True)
class Due:
    learner_id: int
    records: int
    due_since: date


def due_after_leaving(
    record_type: RecordType, years: int, left: dict[int, date], today: date
) -> list[Due]:
    cutoff = years_before(today, years)
    due_learners = {learner: left_on for learner, left_on in left.items() if left_on <= cutoff}
    found = []
    for chunk in chunks(due_learners):
        rows = (
            record_type.records_of(chunk)
            .values(record_type.learner_id_lookup)
            .annotate(records=Count("pk", distinct=True))
            .values_list(record_type.learner_id_lookup, "records")
        )
        found += [
            Due(learner_id, records, years_after(due_learners[learner_id], years))
            for learner_id, records in rows
        ]
    return found


def closed_by(record_type: RecordType, cutoff: date) -> dict[str, date]:
    """The filter for records of this type that closed on or before `cutoff`."""
    field = record_type.closed_field
    return {f"{field}__date__lte" if is_time_field(record_type) else f"{field}__lte": cutoff}


def is_time_field(record_type: RecordType) -> bool:
    return isinstance(record_type.model._meta.get_field(record_type.closed_field), DateTimeField)


def due_after_closing(record_type: RecordType, years: int, today: date) -> list[Due]:
    field = record_type.closed_field
    is_time = is_time_field(record_type)
    rows = (
        record_type.model._default_manager.filter(
            **closed_by(record_type, years_before(today, years))
        )
        .values(record_type.learner_id_lookup)
        .annotate(records=Count("pk", distinct=True), earliest=Min(field))
        .values_list(record_type.learner_id_lookup, "records", "earliest")
    )
    return [
        Due(
            learner_id,
            records,
            years_after(earliest.date() if is_time else earliest, years),
        )
        for learner_id, records, earliest in rows
        if learner_id is not None
    ]


def retention_due_rows(today: date) -> list[RetentionDue]:
    """The report's rows as of `today`, unsaved."""
    left = learners_left(today)
    found: list[tuple[RetentionSchedule, Due]] = []
    for schedule in RetentionSchedule.objects.all():
        record_type = RECORD_TYPES_BY_LABEL.get(schedule.record_type)
        if record_type is None:
            continue
        if schedule.counted_from == RetentionStart.RECORD_CLOSED and record_type.closed_field:
            dues = due_after_closing(record_type, schedule.kept_for_years, today)
        else:
            dues = due_after_leaving(record_type, schedule.kept_for_years, left, today)
        found += [(schedule, due) for due in dues]
    authorities = authorities_of({due.learner_id for _schedule, due in found})
    return [
        RetentionDue(
            reported_on=today,
            authority_id=authorities[due.learner_id],
            schedule=schedule,
            learner_id=due.learner_id,
            records=due.records,
            due_since=due.due_since,
        )
        for schedule, due in found
        if due.learner_id in authorities
    ]


def records_past_their_period(
    record_type: RecordType,
    schedule: RetentionSchedule,
    learner_id: int,
    records: QuerySet,
    today: date,
) -> QuerySet:
    """Those of one learner's `records` (of `record_type`) past the schedule's period today, as
    the review counts them: each record closed that long ago, or all of them once the learner
    left that long ago."""
    cutoff = years_before(today, schedule.kept_for_years)
    if schedule.counted_from == RetentionStart.RECORD_CLOSED and record_type.closed_field:
        return records.filter(**closed_by(record_type, cutoff))
    left_on = learners_left(today, [learner_id]).get(learner_id)
    return records if left_on is not None and left_on <= cutoff else records.none()
