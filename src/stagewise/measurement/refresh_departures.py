"""The departure figures of a school year (issue 16 item 4; ADR 0048, amended), written inside
the year's refresh beside the consistency figures, while the year's roll (LearnerYear) is there:
one grouped INSERT ... SELECT for the schools' stage decisions and one for their plans, then one
each for the authorities and the nations adding up their schools' rows. No figure passes through
Python, and the number of statements does not depend on the number of learners or decisions.

Counted: each stage decision made in the school year (up to its as-at date) and each plan opened
in it, for which decision support showed a suggestion (a suggested national stage; a suggested
plan type, which a plan has only when a statutory test applies to its type), at the school of the
learner's roll row that year. Learners off the roll (not enrolled at the end of the period) are
not counted, as in every other figure of the year.
"""

from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from stagewise.learners.models import StageDecision
from stagewise.measurement.models import (
    DecisionKind,
    DepartureDirection,
    DepartureFigure,
    ScopeLevel,
)
from stagewise.measurement.refresh_roll import insert_from
from stagewise.measurement.refresh_sources import Period
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.planning.models import Plan
from stagewise.statutory.models import NATIONAL_STAGE_ORDER

GROUPED = ["c_setting", "c_departs", "c_direction", "c_kind"]
FIGURE_COLUMNS = ["decision", "departs", "direction", "kind"]


def _rank(field: str) -> Case:
    return Case(
        *[When(**{field: stage}, then=Value(rank)) for stage, rank in NATIONAL_STAGE_ORDER.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def _stage_decisions(period: Period) -> QuerySet:
    """The year's stage decisions with a suggestion, each at its learner's school that year."""
    return (
        StageDecision.objects.filter(
            decided_on__gte=period.start,
            decided_on__lte=period.as_at,
            learner__measured_years__school_year=period.school_year,
        )
        .exclude(suggested_national_stage="")
        .order_by()
        .annotate(
            c_chosen=_rank("stage__national_stage"), c_suggested=_rank("suggested_national_stage")
        )
        .annotate(
            c_setting=F("learner__measured_years__setting_id"),
            c_departs=F("departs_from_suggestion"),
            c_direction=Case(
                When(departs_from_suggestion=False, then=Value("")),
                When(
                    GreaterThan(F("c_chosen"), F("c_suggested")),
                    then=Value(DepartureDirection.HIGHER.value),
                ),
                When(
                    LessThan(F("c_chosen"), F("c_suggested")),
                    then=Value(DepartureDirection.LOWER.value),
                ),
                default=Value(DepartureDirection.SAME_NATIONAL_STAGE.value),
                output_field=CharField(),
            ),
            c_kind=F("departure_kind"),
        )
        .values(*GROUPED)
        .annotate(c_decisions=Count("pk"))
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _plans(period: Period) -> QuerySet:
    """The plans opened in the year with a suggestion, each at its learner's school that year."""
    return (
        Plan.objects.filter(
            created_at__gte=_start_of(period.start),
            created_at__lt=_start_of(period.as_at + timedelta(days=1)),
            learner__measured_years__school_year=period.school_year,
        )
        .exclude(suggested_plan_type="")
        .order_by()
        .annotate(
            c_setting=F("learner__measured_years__setting_id"),
            c_departs=F("departs_from_suggestion"),
            c_direction=Case(
                When(departs_from_suggestion=True, then=Value(DepartureDirection.OTHER_PLAN_TYPE)),
                default=Value(""),
                output_field=CharField(),
            ),
            c_kind=F("departure_kind"),
        )
        .values(*GROUPED)
        .annotate(c_decisions=Count("pk"))
    )


def _school_inserts(period: Period, refreshed_at: datetime) -> int:
    quote = connection.ops.quote_name
    setting, authority = (quote(model._meta.db_table) for model in (Setting, LocalAuthority))
    columns = [
        "level",
        "school_year",
        "refreshed_at",
        "decision",
        "scope",
        "nation_id",
        "authority_id",
        "setting_id",
        "departs",
        "direction",
        "kind",
        "decisions",
    ]
    picked = [
        f"'school:' || CAST(q.{quote('c_setting')} AS VARCHAR(20))",
        f"a.{quote('nation_id')}",
        f"s.{quote('authority_id')}",
        f"q.{quote('c_setting')}",
        *(f"q.{quote(name)}" for name in [*GROUPED[1:], "c_decisions"]),
    ]
    joins = (
        f"JOIN {setting} s ON s.{quote('id')} = q.{quote('c_setting')} "
        f"JOIN {authority} a ON a.{quote('id')} = s.{quote('authority_id')}"
    )
    written = 0
    for decision, decisions in (
        (DecisionKind.STAGE, _stage_decisions(period)),
        (DecisionKind.PLAN, _plans(period)),
    ):
        written += insert_from(
            DepartureFigure,
            columns,
            decisions,
            [*GROUPED, "c_decisions"],
            (ScopeLevel.SCHOOL.value, period.school_year, refreshed_at, decision.value),
            picked=picked,
            joins=joins,
        )
    return written


def _rolled_up_inserts(school_year: int, refreshed_at: datetime) -> int:
    schools = DepartureFigure.objects.filter(level=ScopeLevel.SCHOOL, school_year=school_year)
    written = 0
    for level, scope, authority in (
        (
            ScopeLevel.AUTHORITY,
            Concat(
                Value("authority:"),
                Cast("authority_id", output_field=CharField()),
                output_field=CharField(),
            ),
            F("authority_id"),
        ),
        (
            ScopeLevel.NATION,
            Concat(Value("nation:"), F("nation__code"), output_field=CharField()),
            Cast(Value(None), output_field=BigIntegerField()),
        ),
    ):
        cells = (
            schools.order_by()
            .annotate(f_scope=scope, f_nation=F("nation_id"), f_authority=authority)
            .values("f_scope", "f_nation", "f_authority", *FIGURE_COLUMNS)
            .annotate(f_decisions=Sum("decisions"))
        )
        written += insert_from(
            DepartureFigure,
            [
                "level",
                "school_year",
                "refreshed_at",
                "scope",
                "nation_id",
                "authority_id",
                *FIGURE_COLUMNS,
                "decisions",
            ],
            cells,
            ["f_scope", "f_nation", "f_authority", *FIGURE_COLUMNS, "f_decisions"],
            (level.value, school_year, refreshed_at),
        )
    return written


def departure_figures_write(*, period: Period, refreshed_at: datetime) -> int:
    """Replaces the year's departure figures, inside the year's refresh transaction while its
    roll is there; returns how many rows it wrote."""
    DepartureFigure.objects.filter(school_year=period.school_year).delete()
    written = _school_inserts(period, refreshed_at)
    return written + _rolled_up_inserts(period.school_year, refreshed_at)
