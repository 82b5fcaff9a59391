"""What each measure of the framework (measurement/data/measures.json) counts, per learner on the
year's roll (refresh_roll.py): one grouped query per measure, written to LearnerYearContribution
by INSERT ... SELECT, each row one learner's numerator and denominator.

The period is the school year Y, from `start` (1 August) to `as_at` (31 July, or today in the
current year). Records count at the school the learner counts at that year (refresh_roll.py);
a record of a learner on no school's roll that year counts nowhere.

Outcome measures (every learner; the record's school_year is Y):
- attendance_rate: sessions attended over sessions possible, summed over the year's records.
- exclusions_per_thousand: exclusions (each occasion) over learners on the roll (the figure keeps
  the two counts; per 1,000 is the reader's multiplication).
- part_time_timetables: learners with a part-time timetable running at any time in the period
  (started by `as_at`, not ended before `start`) over learners on the roll.
- mainstream_time: hours a week in mainstream classes over hours timetabled.
- curriculum_levels (Scotland) / curriculum_progress (Wales): judgements at or above the level
  expected (of expected progress) over judgements made; each counted only in its nation.
- leavers_with_qualifications: leavers (a leaver destination whose left_on falls in Y) with at
  least one qualification recorded (at any date) over leavers.
- positive_destinations: leavers in a positive destination over leavers whose destination is
  known (not "unknown").
Process measures:
- learners_with_a_plan (learners with additional support needs only): those with a plan not
  closed by `as_at` that has a version finalised by `as_at`, over learners with needs on the roll.
- reviews_on_time: reviews held in the period that were due (the plan's previous review's next
  review date; for a plan's first review, the review date of the version reviewed as agreed),
  held on or before that date, over reviews held with a due date known.
- targets_achieved: targets judged achieved at a review held in the period, over targets
  assessed (a target judged "no longer relevant" was not assessed for achievement).
- statutory_timescales_met: statutory processes closed as done in the period with a due date,
  closed on or before it, over those closed (withdrawn ones were not completed).
- requests_answered_in_time: requests for assistance answered in the period with a due date,
  answered on or before it, over those answered.
- waiting_list_days: days waited (from waiting_since to the first accepted or allocated event)
  summed, over the waits that ended in the period.
The impact of support (learners with needs and a plan agreed in an earlier school year):
- attendance_change_since_plan: their attendance this year less their attendance in the school
  year before their first plan was agreed, in percentage points, summed, over the learners with
  attendance recorded in both years.
- wellbeing_change_since_plan (learners with needs and an agreed plan): the score of their latest
  wellbeing assessment in the period made after their first plan was agreed, less the score of
  their latest assessment on or before the day it was agreed, summed, over the learners with
  both. An assessment's score is the mean of its SHANARRI ratings on the wheel's scale,
  significant concern 0, some concern 1, no concern 2, strength 3 (learners/models/wellbeing.py
  LEVEL_SCORE; ADR 0036).
The families' and learners' own measures (ADR 0026):
- feel_supported / listened_to: answers of yes to the question after a review held in the
  period, over answers given ("rather not say" and declines not counted).
Process measures count in both groups (with and without needs) except learners_with_a_plan.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from stagewise.coordination.measures import TAKEN_OFF_THE_LIST
from stagewise.coordination.models import RequestEvent, RequestForAssistance
from stagewise.families.feedback_models import FeedbackAnswer, ReviewFeedback
from stagewise.learners.models import WellbeingAssessment
from stagewise.measurement.models import (
    POSITIVE_DESTINATIONS,
    AttendanceRecord,
    LearnerYear,
    LearnerYearContribution,
    LeaverDestinationKind,
    Measure,
    PartTimeTimetable,
    Qualification,
)
from stagewise.measurement.periods import SCHOOL_YEAR_FIRST_MONTH
from stagewise.measurement.refresh_roll import insert_from, wellbeing_score
from stagewise.planning.models import Plan, PlanReview, PlanVersion, TargetReview
from stagewise.planning.models.versions import TargetProgress
from stagewise.statutory.models import StatutoryProcess
from stagewise.statutory.models.processes import ProcessOutcome, ProcessStatus

NAMES = ["c_learner_year", "c_numerator", "c_denominator"]
COLUMNS = ["school_year", "measure_id", "learner_year_id", "numerator", "denominator"]


@dataclass(frozen=True)
class Period:
    school_year: int
    start: date
    as_at: date

    @property
    def after_as_at(self) -> datetime:
        """The first moment after the period, for comparing with a timestamp."""
        return timezone.make_aware(datetime.combine(self.as_at + timedelta(days=1), time.min))


class DaysBetween(Func):
    """Whole days from the second date to the first."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _roll(period: Period) -> QuerySet[LearnerYear]:
    return LearnerYear.objects.filter(school_year=period.school_year).order_by()


def _with_records(period: Period, relation: str, **condition: Any) -> QuerySet:
    """The roll joined to the learners' records of one kind that satisfy the condition."""
    where = Q(**{f"learner__{relation}__{key}": value for key, value in condition.items()})
    return (
        _roll(period)
        .annotate(record=FilteredRelation(f"learner__{relation}", condition=where))
        .filter(record__isnull=False)
        .annotate(c_learner_year=F("pk"))
        .values("c_learner_year")
    )


def _learner_years(queryset: QuerySet, learner_path: str, period: Period) -> QuerySet:
    """Process rows joined to their learner's place on the year's roll, one group per learner."""
    relation = f"{learner_path}__measured_years"
    where = Q(**{f"{relation}__school_year": period.school_year})
    return (
        queryset.order_by()
        .annotate(learner_year=FilteredRelation(relation, condition=where))
        .filter(learner_year__isnull=False)
        .annotate(c_learner_year=F("learner_year__id"))
        .values("c_learner_year")
    )


def _ratio(queryset: QuerySet, numerator: Any, denominator: Any) -> QuerySet:
    return queryset.annotate(c_numerator=numerator, c_denominator=denominator)


def _share(queryset: QuerySet, counted: Q) -> QuerySet:
    return _ratio(queryset, Count("pk", filter=counted), Count("pk"))


def _everyone(queryset: QuerySet) -> QuerySet:
    """Each learner of the queryset adds one to the numerator (and the denominator)."""
    return queryset.annotate(c_learner_year=F("pk"), c_numerator=Value(1), c_denominator=Value(1))


def attendance(period: Period, measure: Measure) -> QuerySet:
    records = _with_records(period, "attendance_records", school_year=period.school_year)
    return _ratio(records, Sum("record__attended_sessions"), Sum("record__possible_sessions"))


def exclusions(period: Period, measure: Measure) -> QuerySet:
    records = _with_records(period, "exclusions", school_year=period.school_year)
    return _ratio(records, Count("record"), Count("record"))


def part_time(period: Period, measure: Measure) -> QuerySet:
    timetables = PartTimeTimetable.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
        learner=OuterRef("learner_id"),
        starts_on__lte=period.as_at,
    )
    return _everyone(_roll(period).filter(Exists(timetables)))


def mainstream(period: Period, measure: Measure) -> QuerySet:
    records = _with_records(period, "mainstream_time_records", school_year=period.school_year)
    return _ratio(
        records, Sum("record__mainstream_hours_a_week"), Sum("record__timetabled_hours_a_week")
    )


def curriculum(period: Period, measure: Measure) -> QuerySet:
    records = _with_records(period, "curriculum_judgements", school_year=period.school_year)
    if measure.nation_id:
        records = records.filter(setting__authority__nation_id=measure.nation_id)
    return _share(records, Q(record__expected_level_achieved=True))


def _leavers(period: Period, **condition: Any) -> QuerySet:
    where = Q(learner__leaver_destination__school_year=period.school_year) & Q(
        **{f"learner__leaver_destination__{key}": value for key, value in condition.items()}
    )
    return (
        _roll(period)
        .annotate(record=FilteredRelation("learner__leaver_destination", condition=where))
        .filter(record__isnull=False)
        .annotate(c_learner_year=F("pk"), c_denominator=Value(1))
    )


def leavers_qualified(period: Period, measure: Measure) -> QuerySet:
    qualified = Exists(Qualification.objects.filter(learner=OuterRef("learner_id")))
    return _leavers(period).annotate(
        c_numerator=Case(When(qualified, then=Value(1)), default=Value(0))
    )


def leavers_positive(period: Period, measure: Measure) -> QuerySet:
    known = _leavers(period).exclude(record__destination=LeaverDestinationKind.UNKNOWN)
    positive = Q(record__destination__in=[str(kind) for kind in POSITIVE_DESTINATIONS])
    return known.annotate(c_numerator=Case(When(positive, then=Value(1)), default=Value(0)))


def with_a_plan(period: Period, measure: Measure) -> QuerySet:
    agreed = PlanVersion.objects.filter(plan=OuterRef("pk"), finalised_at__lt=period.after_as_at)
    plans = Plan.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=period.as_at),
        Exists(agreed),
        learner=OuterRef("learner_id"),
    )
    return _everyone(_roll(period).filter(additional_support_needs=True).filter(Exists(plans)))


def review_due_on() -> Coalesce:
    """When a review was due: the date the plan's previous review set, or for its first review
    the review date in the version reviewed as it was agreed."""
    previous = (
        PlanReview.objects.filter(plan=OuterRef("plan_id"))
        .filter(
            Q(held_on__lt=OuterRef("held_on"))
            | Q(held_on=OuterRef("held_on"), pk__lt=OuterRef("pk"))
        )
        .order_by("-held_on", "-pk")
        .values("next_review_on")[:1]
    )
    agreed = (
        PlanVersion.objects.filter(plan=OuterRef("plan_id"), number=OuterRef("version_number"))
        .annotate(due=Cast(KT("document__next_review_on"), output_field=DateField()))
        .values("due")[:1]
    )
    return Coalesce(Subquery(previous), Subquery(agreed), output_field=DateField())


def reviews(period: Period, measure: Measure) -> QuerySet:
    held = (
        PlanReview.objects.filter(held_on__gte=period.start, held_on__lte=period.as_at)
        .annotate(due_on=review_due_on())
        .filter(due_on__isnull=False)
    )
    return _share(_learner_years(held, "plan__learner", period), Q(held_on__lte=F("due_on")))


def targets(period: Period, measure: Measure) -> QuerySet:
    assessed = TargetReview.objects.filter(
        review__held_on__gte=period.start, review__held_on__lte=period.as_at
    ).exclude(progress=TargetProgress.NO_LONGER_RELEVANT)
    return _share(
        _learner_years(assessed, "review__plan__learner", period),
        Q(progress=TargetProgress.ACHIEVED),
    )


def statutory(period: Period, measure: Measure) -> QuerySet:
    completed = StatutoryProcess.objects.filter(
        status=ProcessStatus.CLOSED,
        outcome=ProcessOutcome.DONE,
        closed_on__gte=period.start,
        closed_on__lte=period.as_at,
        due_on__isnull=False,
    )
    return _share(_learner_years(completed, "learner", period), Q(closed_on__lte=F("due_on")))


def requests_answered(period: Period, measure: Measure) -> QuerySet:
    answered = RequestForAssistance.objects.filter(
        answered_on__gte=period.start, answered_on__lte=period.as_at, due_on__isnull=False
    )
    return _share(_learner_years(answered, "learner", period), Q(answered_on__lte=F("due_on")))


def taken_off_on() -> TruncDate:
    first = (
        RequestEvent.objects.filter(request=OuterRef("pk"), kind__in=TAKEN_OFF_THE_LIST)
        .order_by("happened_at", "pk")
        .values("happened_at")[:1]
    )
    return TruncDate(Subquery(first))


def waits(period: Period, measure: Measure) -> QuerySet:
    ended = (
        RequestForAssistance.objects.filter(waiting_since__isnull=False)
        .annotate(taken_on=taken_off_on())
        .filter(taken_on__gte=period.start, taken_on__lte=period.as_at)
    )
    return _ratio(
        _learner_years(ended, "learner", period),
        Sum(DaysBetween("taken_on", "waiting_since")),
        Count("pk"),
    )


def _attendance_in(school_year: Any) -> Subquery:
    """The learner's attendance, in percent, over their records of the school year given (an
    expression of the outer row); null when none."""
    rate = (
        Cast(Sum("attended_sessions"), FloatField())
        * 100.0
        / Cast(Sum("possible_sessions"), FloatField())
    )
    return Subquery(
        AttendanceRecord.objects.filter(learner=OuterRef("learner_id"), school_year=school_year)
        .order_by()
        .values("learner")
        .annotate(rate=rate)
        .values("rate")[:1],
        output_field=FloatField(),
    )


def attendance_change(period: Period, measure: Measure) -> QuerySet:
    """Learners with needs whose first plan was agreed in an earlier school year: their
    attendance this year less their attendance in the school year before that plan, in
    percentage points, over the learners with both."""
    learners = (
        _roll(period)
        .filter(additional_support_needs=True)
        .annotate(first_agreed=_first_agreed())
        .annotate(plan_year=school_year_of_column("first_agreed"))
        .filter(plan_year__lt=period.school_year)
        .annotate(
            before=_attendance_in(OuterRef("plan_year") - 1),
            now=_attendance_in(period.school_year),
        )
        .filter(before__isnull=False, now__isnull=False)
    )
    return learners.annotate(
        c_learner_year=F("pk"),
        c_numerator=ExpressionWrapper(F("now") - F("before"), output_field=FloatField()),
        c_denominator=Value(1),
    ).values("c_learner_year", "c_numerator", "c_denominator")


def _first_agreed() -> Subquery:
    """When the learner's first plan was agreed (its first version signed off)."""
    return Subquery(
        PlanVersion.objects.filter(plan__learner=OuterRef("learner_id"))
        .order_by("finalised_at")
        .values("finalised_at")[:1],
        output_field=DateTimeField(),
    )


def _latest_assessment(**condition: Any) -> Subquery:
    return Subquery(
        WellbeingAssessment.objects.filter(learner=OuterRef("learner_id"), **condition)
        .order_by("-assessed_on", "-pk")
        .values("pk")[:1]
    )


def wellbeing_change(period: Period, measure: Measure) -> QuerySet:
    """Learners with needs and an agreed plan: the score of their latest wellbeing assessment
    in the period made after their first plan was agreed, less that of their latest assessment
    on or before the day it was agreed, over the learners with both."""
    learners = (
        _roll(period)
        .filter(additional_support_needs=True)
        .annotate(agreed_on=TruncDate(_first_agreed()))
        .filter(agreed_on__lte=period.as_at)
        .annotate(
            baseline=_latest_assessment(assessed_on__lte=OuterRef("agreed_on")),
            latest=_latest_assessment(
                assessed_on__gt=OuterRef("agreed_on"),
                assessed_on__gte=period.start,
                assessed_on__lte=period.as_at,
            ),
        )
        .filter(baseline__isnull=False, latest__isnull=False)
        .annotate(
            before=wellbeing_score(OuterRef("baseline")), now=wellbeing_score(OuterRef("latest"))
        )
    )
    return learners.annotate(
        c_learner_year=F("pk"),
        c_numerator=ExpressionWrapper(F("now") - F("before"), output_field=FloatField()),
        c_denominator=Value(1),
    ).values("c_learner_year", "c_numerator", "c_denominator")


def school_year_of_column(field: str) -> Case:
    """The school year of a date or time (periods.school_year_of), in SQL."""
    year = ExtractYear(field)
    return Case(
        When(**{f"{field}__month__gte": SCHOOL_YEAR_FIRST_MONTH}, then=year),
        default=year - 1,
        output_field=IntegerField(),
    )


def family_say(question: str) -> Callable[[Period, Measure], QuerySet]:
    """The families' and learners' own answers to `question` after reviews held in the period
    (ADR 0026): answers of yes over answers given, "rather not say" and declines not counted."""

    def contributions(period: Period, measure: Measure) -> QuerySet:
        answered = ReviewFeedback.objects.filter(
            declined=False,
            review__held_on__gte=period.start,
            review__held_on__lte=period.as_at,
        ).exclude(**{f"{question}__in": ["", FeedbackAnswer.RATHER_NOT_SAY]})
        return _share(
            _learner_years(answered, "learner", period), Q(**{question: FeedbackAnswer.YES})
        )

    return contributions


@dataclass(frozen=True)
class Source:
    contributions: Callable[[Period, Measure], QuerySet]
    # The denominator is the learners on the roll (with needs only, if needs_only), not a sum of
    # the contributions, which then give the numerator only.
    on_roll: bool = False
    needs_only: bool = False
    # For a measure over the roll, the outcome table that must hold a row in the year for the
    # year to be measured at all (a year with no exclusion recorded anywhere is a year they were
    # not recorded in, not a year without any).
    recorded_in: str = ""


SOURCES: dict[str, Source] = {
    "attendance_rate": Source(attendance),
    "exclusions_per_thousand": Source(exclusions, on_roll=True, recorded_in="exclusion"),
    "part_time_timetables": Source(part_time, on_roll=True, recorded_in="parttimetimetable"),
    "mainstream_time": Source(mainstream),
    "curriculum_levels": Source(curriculum),
    "curriculum_progress": Source(curriculum),
    "leavers_with_qualifications": Source(leavers_qualified),
    "positive_destinations": Source(leavers_positive),
    "learners_with_a_plan": Source(with_a_plan, on_roll=True, needs_only=True),
    "reviews_on_time": Source(reviews),
    "targets_achieved": Source(targets),
    "statutory_timescales_met": Source(statutory),
    "requests_answered_in_time": Source(requests_answered),
    "waiting_list_days": Source(waits),
    "attendance_change_since_plan": Source(attendance_change),
    "wellbeing_change_since_plan": Source(wellbeing_change),
    "feel_supported": Source(family_say("feel_supported")),
    "listened_to": Source(family_say("listened_to")),
}


def contributions_insert(period: Period, measure: Measure) -> int:
    source = SOURCES[measure.code]
    return insert_from(
        LearnerYearContribution,
        COLUMNS,
        source.contributions(period, measure),
        NAMES,
        (period.school_year, measure.pk),
    )
