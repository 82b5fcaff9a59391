"""Checks across outcome records, shared by the services behind the forms and the imports.

Checks of one row live in the models' `clean()`; here are those that need the learner's other
records: attendance periods of one learner may not overlap (a session would be counted twice);
one record of time in mainstream classes a school year, one curriculum judgement per area a
school year, one leaver destination. `outcome_check` runs them all on one unsaved record: the
services behind the forms call it, and so may an import.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise import plausible
from stagewise.measurement.codes import curriculum_for
from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    LeaverDestination,
    MainstreamTime,
)
from stagewise.measurement.models.outcomes import OutcomeRecord as OutcomeRecordModel
from stagewise.measurement.periods import school_year_label, school_year_of


def periods_overlap(first: tuple[date, date], second: tuple[date, date]) -> bool:
    """Whether two periods, each from and to a day (both included), share a day."""
    return first[0] <= second[1] and second[0] <= first[1]


def overlapping_period(
    period: tuple[date, date], others: Iterable[tuple[date, date]]
) -> tuple[date, date] | None:
    """The first of `others` that shares a day with `period`, if any."""
    return next((other for other in others if periods_overlap(period, other)), None)


def check_attendance_does_not_overlap(record: AttendanceRecord) -> None:
    """Refuse an attendance period that shares a day with another of the learner's."""
    others = AttendanceRecord.objects.filter(
        learner_id=record.learner_id,
        starts_on__lte=record.ends_on,
        ends_on__gte=record.starts_on,
    ).exclude(pk=record.pk)
    clash = others.values_list("starts_on", "ends_on").first()
    if clash:
        raise ValidationError(
            {
                "starts_on": _(
                    "This period overlaps attendance already recorded from %(start)s to %(end)s. "
                    "Change the dates, or change that record instead."
                )
                % {"start": date_format(clash[0], "j F Y"), "end": date_format(clash[1], "j F Y")}
            }
        )


def _already(record: OutcomeRecordModel, message: str, field: str | None, **same: object) -> None:
    """Refuse a record when another of the learner's matches `same` (the record itself aside)."""
    lookup = {"learner_id": record.learner_id, **same}  # type: ignore[attr-defined]
    others = type(record)._default_manager.filter(**lookup)
    if others.exclude(pk=record.pk).exists():
        raise ValidationError({field: message} if field else message)


def check_one_mainstream_time_a_year(record: MainstreamTime) -> None:
    _already(
        record,
        _(
            "Time in mainstream classes is already recorded for %(year)s. Change that record "
            "instead."
        )
        % {"year": school_year_label(record.school_year)},
        "school_year",
        school_year=record.school_year,
    )


def check_one_judgement_per_area_a_year(record: CurriculumJudgement) -> None:
    codes = curriculum_for(record.setting.authority.nation.code)
    _already(
        record,
        _("A judgement in %(area)s is already recorded for %(year)s. Change that one instead.")
        % {
            "area": dict(codes.areas).get(record.area, record.area),
            "year": school_year_label(record.school_year),
        },
        "area",
        school_year=record.school_year,
        area=record.area,
    )


def check_one_leaver_destination(record: LeaverDestination) -> None:
    _already(
        record,
        _("A leaver destination is already recorded for this learner. Change it instead."),
        None,
    )


def _check_school_year(record: OutcomeRecordModel) -> None:
    """The school year of a record typed without dates (time in mainstream classes, curriculum
    judgements): this year or an earlier one, within the plausible range of dates about a
    learner."""
    current = school_year_of(timezone.localdate())
    earliest = current - plausible.RANGES[plausible.HAPPENED].years_back
    if record.school_year is None:
        raise ValidationError({"school_year": _("Choose the school year.")})
    if not earliest <= record.school_year <= current:
        raise ValidationError(
            {
                "school_year": _("Choose a school year from %(earliest)s to %(current)s.")
                % {"earliest": school_year_label(earliest), "current": school_year_label(current)}
            }
        )


# The checks across rows of each kind of record, after its own checks have passed.
CROSS_ROW_CHECKS: dict[type[Any], Callable[[Any], None]] = {
    AttendanceRecord: check_attendance_does_not_overlap,
    MainstreamTime: check_one_mainstream_time_a_year,
    CurriculumJudgement: check_one_judgement_per_area_a_year,
    LeaverDestination: check_one_leaver_destination,
}
# The kinds whose school year is typed, not derived from a date.
SCHOOL_YEAR_TYPED = (MainstreamTime, CurriculumJudgement)


def outcome_check(record: OutcomeRecordModel) -> None:
    """Every check of one outcome record before it is saved, the same for the staff's forms and
    the CSV imports: its own fields and `clean()` (which derives its school year from its
    dates), then the checks across the learner's other records. The record must carry its
    learner and setting. Raises ValidationError, by field where a field is at fault; the
    record's uniqueness rules are checked here with messages that say what to do, so a
    duplicate never reaches the database's constraint."""
    if record.learner_id is None or record.setting_id is None:  # type: ignore[attr-defined]
        raise ValueError("An outcome record is checked with its learner and setting set.")
    if isinstance(record, SCHOOL_YEAR_TYPED):
        _check_school_year(record)
    record.full_clean(
        exclude=["learner", "setting", "school_year", "recorded_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    check = CROSS_ROW_CHECKS.get(type(record))
    if check is not None:
        check(record)
