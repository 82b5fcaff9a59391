"""The consideration figures of a school year (ADR 0049), written inside the year's refresh from its
roll (LearnerYear, refresh_roll.py), as the consistency figures are (ADR 0048): one grouped
INSERT ... SELECT for the schools, then one each for the authorities and the nations adding up
their schools' rows. No figure passes through Python, and the number of statements does not
depend on the number of learners.

Only learners in a nation whose law has the co-ordinated support plan count (policy.NationPolicy:
Scotland). Each looked-after learner on the roll counts once, at their school; as considered
when their authority recorded a consideration for a co-ordinated support plan in or before the
period, on or after the day they became looked after (Learner.looked_after_since, when
known); and, among those, as with a plan when the plan type of their roll row is the nation's
co-ordinated plan.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

from stagewise.measurement.models import ConsiderationFigure, LearnerYear, ScopeLevel
from stagewise.measurement.refresh_roll import YES, insert_from
from stagewise.measurement.refresh_sources import Period
from stagewise.policy import NATIONS
from stagewise.statutory.models import CoordinatedSupportPlanConsideration

COUNTS = ["looked_after", "considered", "considered_with_plan"]
SCOPE_COLUMNS = ["level", "school_year", "refreshed_at", "scope", "nation_id", "authority_id"]


def _plan_types() -> dict[str, str]:
    """Each nation's co-ordinated plan type, for the nations whose law has one."""
    return {
        code: policy.coordinated_plan_type
        for code, policy in NATIONS.items()
        if policy.coordinated_plan_type
    }


def _school_insert(period: Period, refreshed_at: datetime) -> int:
    plan_types = _plan_types()
    considered = CoordinatedSupportPlanConsideration.objects.filter(
        learner=OuterRef("learner_id"),
        considered_on__lte=period.as_at,
        considered_on__gte=Coalesce(OuterRef("learner__looked_after_since"), Value(date.min)),
    )
    with_plan = Q(pk__in=[])
    for code, plan_type in plan_types.items():
        with_plan |= Q(setting__authority__nation__code=code, plan_type=plan_type)
    cells = (
        LearnerYear.objects.filter(
            school_year=period.school_year,
            looked_after=YES,
            setting__authority__nation__code__in=list(plan_types),
        )
        .order_by()
        .annotate(k_was_considered=Exists(considered, output_field=BooleanField()))
        .values("setting_id")
        .annotate(
            k_scope=Concat(
                Value("school:"), Cast("setting_id", CharField()), output_field=CharField()
            ),
            k_nation=F("setting__authority__nation_id"),
            k_authority=F("setting__authority_id"),
            k_looked_after=Count("pk"),
            k_considered=Count("pk", filter=Q(k_was_considered=True)),
            k_with_plan=Count("pk", filter=Q(k_was_considered=True) & with_plan),
        )
    )
    return insert_from(
        ConsiderationFigure,
        [*SCOPE_COLUMNS, "setting_id", *COUNTS],
        cells,
        [
            "k_scope",
            "k_nation",
            "k_authority",
            "setting_id",
            "k_looked_after",
            "k_considered",
            "k_with_plan",
        ],
        (ScopeLevel.SCHOOL.value, period.school_year, refreshed_at),
    )


def _rolled_up_insert(school_year: int, refreshed_at: datetime) -> int:
    schools = ConsiderationFigure.objects.filter(level=ScopeLevel.SCHOOL, school_year=school_year)
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
            .annotate(k_scope=scope, k_nation=F("nation_id"), k_authority=authority)
            .values("k_scope", "k_nation", "k_authority")
            .annotate(**{f"k_{name}": Sum(name) for name in COUNTS})
        )
        written += insert_from(
            ConsiderationFigure,
            [*SCOPE_COLUMNS, *COUNTS],
            cells,
            ["k_scope", "k_nation", "k_authority", *(f"k_{name}" for name in COUNTS)],
            (level.value, school_year, refreshed_at),
        )
    return written


def consideration_figures_write(*, period: Period, refreshed_at: datetime) -> int:
    """Replaces the year's consideration figures, inside the year's refresh transaction;
    returns how many rows it wrote (a few per school, whatever the number of learners)."""
    ConsiderationFigure.objects.filter(school_year=period.school_year).delete()
    written = _school_insert(period, refreshed_at)
    return written + _rolled_up_insert(period.school_year, refreshed_at)


def consideration_figures_forget(school_years: Iterable[int]) -> None:
    """The figures of school years the refresh no longer keeps."""
    ConsiderationFigure.objects.filter(school_year__in=list(school_years)).delete()
