"""Checks across outcome records, shared by the services behind the forms and the imports.

Checks of one row live in the models' `clean()`; here are those that need the learner's other
records: attendance periods of one learner may not overlap (a session would be counted twice).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.measurement.models import AttendanceRecord


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
