"""The year's roll: which school each learner counts at in a school year, and the breakdown values
they count under (measurement/models/working.py LearnerYear), written by one INSERT ... SELECT.

Definitions, for school year Y running from `start` (1 August) to `end` (31 July), as at
`as_at` = the earlier of `end` and today:
- On the roll: a learner with an enrolment that started on or before `as_at` and had not ended
  before `start`. They count at ONE school that year: the school of the latest such enrolment
  (the latest start; the later row on a tie), so a learner who moved counts where they ended
  the period, and every figure of theirs that year (attendance recorded by either school, a
  review, a clock) is counted there. That is what makes `learners` add up: no learner is counted
  at two schools in a year, so an authority's learners are the sum of its schools'.
- Year group: that enrolment's year group. Welsh-medium: that school's language medium
  (english, welsh, gaelic: Gaelic-medium education is Scotland's counterpart).
- Additional support needs: a Need identified on or before `as_at` and not resolved by then
  (resolved_on empty or after `as_at`). Reasons: the reason of each such need, once per reason.
- National stage: the national stage of the local stage of the latest stage decision made on or
  before `as_at`; "none" without one.
- Sex, looked after ("yes"/"no"), deprivation decile ("1" to "10", "unknown"): the learner's
  record as it stands at the refresh (the record keeps no history of them).
- Plan type: the key of the type of the learner's plan in force in the year: agreed (a version
  signed off) by `as_at` and not closed before `start`. A learner with plans of two types counts
  under one, so that the breakdown adds up: a statutory plan (co-ordinated support plan,
  individual development plan) before the others, since it co-ordinates them; then the plan
  opened last. "no_plan" without one. Targets achieved at review by plan type therefore count a
  learner's targets under their plan type, whichever of their plans set them (ADR 0036).
- Home language: "english", "welsh", "other" or "unknown" (blank), from the free-text home
  language (Welsh also as "Cymraeg"): three values, not the language itself, so that a small
  language never identifies a child in a breakdown.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Func,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Lower, RowNumber, Trim
from django.db.models.lookups import Exact, In
from django.utils import timezone

from stagewise.learners.models import (
    Enrolment,
    Need,
    StageDecision,
    WellbeingAssessment,
    WellbeingRating,
)
from stagewise.learners.models.wellbeing import LEVEL_SCORE
from stagewise.measurement.models import LearnerYear, LearnerYearReason
from stagewise.measurement.periods import school_year_bounds
from stagewise.planning.models import Plan, PlanVersion
from stagewise.statutory.models import ReasonForSupport

NO_STAGE = "none"
NO_PLAN = "no_plan"
UNKNOWN = "unknown"
YES, NO = "yes", "no"
HOME_LANGUAGES = {"english": ("english", "saesneg"), "welsh": ("welsh", "cymraeg")}
OTHER_LANGUAGE = "other"


def insert_from(
    model: type[Model],
    columns: list[str],
    queryset: QuerySet,
    names: list[str],
    constants: tuple = (),
    *,
    picked: list[str] | None = None,
    joins: str = "",
    join_params: tuple | list = (),
) -> int:
    """INSERT INTO model's table (columns) SELECT constants..., then the queryset's `names`
    (annotations, in the order of the columns after the constants): the rows never leave the
    database. One statement whatever the number of rows. `picked` and `joins`, when given, are
    the SQL selected after the constants instead (from `q`, the queryset, and the joins, whose
    parameters are `join_params`)."""
    sql, params = queryset.values(*names).query.sql_with_params()
    quote = connection.ops.quote_name
    picked = picked or [f"q.{quote(name)}" for name in names]
    select = ", ".join(["%s"] * len(constants) + picked)
    # Table and column names from the models, the SELECT compiled by Django with its parameters.
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"SELECT {select} FROM ({sql}) q {joins}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*constants, *params, *join_params])
        return max(cursor.rowcount, 0)


def as_at_date(school_year: int, today: date) -> date:
    return min(school_year_bounds(school_year)[1], today)


def _in_force(prefix: str, as_at: date) -> Q:
    return Q(**{f"{prefix}identified_on__lte": as_at}) & (
        Q(**{f"{prefix}resolved_on__isnull": True}) | Q(**{f"{prefix}resolved_on__gt": as_at})
    )


def _home_language() -> Case:
    spoken = Lower(Trim("learner__home_language"))
    return Case(
        *[
            When(In(spoken, list(names)), then=Value(code))
            for code, names in HOME_LANGUAGES.items()
        ],
        When(Exact(spoken, ""), then=Value(UNKNOWN)),
        default=Value(OTHER_LANGUAGE),
    )


def _latest_per_learner(queryset: QuerySet, order: list[Any], value: Any) -> QuerySet:
    """One row per learner of `queryset`, the first in `order` (learner_id AS p_learner, `value`
    AS p_value): on PostgreSQL by DISTINCT ON, one sort of the rows; elsewhere by ROW_NUMBER()
    over each learner's rows. One pass over the table either way, where a subquery per learner
    on the roll probed an index once a learner."""
    named = queryset.order_by().annotate(
        p_learner=F("learner_id"), p_value=F(value) if isinstance(value, str) else value
    )
    if connection.vendor == "postgresql":
        return (
            named.order_by("learner_id", *order)
            .distinct("learner_id")
            .values("p_learner", "p_value")
        )
    ranked = named.annotate(
        p_rank=Window(RowNumber(), partition_by=[F("learner_id")], order_by=order)
    )
    return ranked.filter(p_rank=1).values("p_learner", "p_value")


def latest_stages(as_at: date) -> QuerySet:
    """Each learner's national stage by their latest stage decision made by `as_at` (the later
    row on a tie)."""
    return _latest_per_learner(
        StageDecision.objects.filter(decided_on__lte=as_at),
        [F("decided_on").desc(), F("pk").desc()],
        "stage__national_stage",
    )


def plan_types(start: date, as_at: date) -> QuerySet:
    """Each learner's type of plan in force in the period: agreed (a version signed off) by
    `as_at` and not closed before `start`; a statutory type first, then the plan opened last."""
    agreed = PlanVersion.objects.filter(
        plan=OuterRef("pk"),
        finalised_at__lt=timezone.make_aware(datetime.combine(as_at + timedelta(days=1), time.min)),
    )
    in_force = Plan.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start), Exists(agreed)
    )
    return _latest_per_learner(
        in_force, [F("plan_type__statutory").desc(), F("pk").desc()], "plan_type__key"
    )


def wellbeing_score(assessment: Any) -> Subquery:
    """The mean of one wellbeing assessment's ratings on the wheel's scale (LEVEL_SCORE)."""
    score = Case(
        *[
            When(level=str(level), then=Value(float(points)))
            for level, points in LEVEL_SCORE.items()
        ],
        output_field=FloatField(),
    )
    return Subquery(
        WellbeingRating.objects.filter(assessment=assessment)
        .order_by()
        .values("assessment")
        .annotate(score=Avg(score))
        .values("score")[:1],
        output_field=FloatField(),
    )


def latest_wellbeing_scores(start: date, as_at: date) -> QuerySet:
    """Each learner's score of their latest wellbeing assessment in the period (the later row on
    a tie); null for an assessment without ratings."""
    return _latest_per_learner(
        WellbeingAssessment.objects.filter(assessed_on__gte=start, assessed_on__lte=as_at),
        [F("assessed_on").desc(), F("pk").desc()],
        wellbeing_score(OuterRef("pk")),
    )


class Joined(Func):
    """Strings joined by `||`, flat: Concat nests one pair inside another, and forty nested
    pairs overflow SQLite's parser. Each part here is never NULL (a MAX over rows that exist)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = CharField()


def reasons_keys(as_at: date) -> QuerySet:
    """Each learner's reasons for support in force at `as_at` as one key, the codes sorted and
    separated by spaces ("11 26"), without an ordered aggregate (SQLite before 3.44 has none):
    one column per known code, in code order, each the code or nothing, joined."""
    codes = sorted(set(ReasonForSupport.objects.values_list("code", flat=True)))
    present = [
        Max(Case(When(reason__code=code, then=Value(f" {code}")), default=Value("")))
        for code in codes
    ]
    return (
        Need.objects.filter(_in_force("", as_at))
        .order_by()
        .values("learner_id")
        .annotate(p_learner=F("learner_id"), p_value=Trim(Joined(*present, Value(""))))
        .values("p_learner", "p_value")
    )


def roll_queryset(school_year: int, as_at: date) -> QuerySet:
    """The year's roll but for the national stage and the plan type (joined on by roll_insert)."""
    start, _end = school_year_bounds(school_year)
    overlapping = Q(started_on__lte=as_at) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    later = Enrolment.objects.filter(overlapping, learner=OuterRef("learner_id")).filter(
        Q(started_on__gt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), pk__gt=OuterRef("pk"))
    )
    needs = Need.objects.filter(_in_force("", as_at), learner=OuterRef("learner_id"))
    return (
        Enrolment.objects.filter(overlapping)
        .exclude(Exists(later))
        .order_by()
        .annotate(
            r_learner=F("learner_id"),
            r_setting=F("setting_id"),
            r_needs=Exists(needs),
            r_year_group=F("year_group"),
            r_sex=F("learner__sex"),
            r_decile=Coalesce(
                Cast("learner__deprivation_decile", output_field=CharField()), Value(UNKNOWN)
            ),
            r_looked_after=Case(
                When(learner__looked_after=True, then=Value(YES)), default=Value(NO)
            ),
            r_home_language=_home_language(),
            r_medium=F("setting__language_medium"),
        )
    )


ROLL_NAMES = [
    "r_learner",
    "r_setting",
    "r_needs",
    "r_year_group",
    "r_sex",
    "r_decile",
    "r_looked_after",
    "r_home_language",
    "r_medium",
]


def roll_insert(school_year: int, as_at: date) -> int:
    """Writes the year's LearnerYear rows and their reasons; returns the learners on the roll.
    The latest stage decision, the plan in force, the reasons' key and the latest wellbeing
    score are each found for every learner at once and joined on, not looked up learner by
    learner."""
    start, _end = school_year_bounds(school_year)
    stages, stage_params = latest_stages(as_at).query.sql_with_params()
    plans, plan_params = plan_types(start, as_at).query.sql_with_params()
    keys, key_params = reasons_keys(as_at).query.sql_with_params()
    scores, score_params = latest_wellbeing_scores(start, as_at).query.sql_with_params()
    quote = connection.ops.quote_name
    learners = insert_from(
        LearnerYear,
        [
            "school_year",
            "learner_id",
            "setting_id",
            "additional_support_needs",
            "year_group",
            "sex",
            "deprivation_decile",
            "looked_after",
            "home_language",
            "language_medium",
            "national_stage",
            "plan_type",
            "reasons_key",
            "wellbeing_score",
        ],
        roll_queryset(school_year, as_at),
        ROLL_NAMES,
        (school_year,),
        picked=[
            *(f"q.{quote(name)}" for name in ROLL_NAMES),
            # Constants of this module, not input.
            f"COALESCE(st.{quote('p_value')}, '{NO_STAGE}')",
            f"COALESCE(pt.{quote('p_value')}, '{NO_PLAN}')",
            f"COALESCE(rk.{quote('p_value')}, '')",
            f"ws.{quote('p_value')}",
        ],
        joins=(
            f"LEFT JOIN ({stages}) st ON st.{quote('p_learner')} = q.{quote('r_learner')} "
            f"LEFT JOIN ({plans}) pt ON pt.{quote('p_learner')} = q.{quote('r_learner')} "
            f"LEFT JOIN ({keys}) rk ON rk.{quote('p_learner')} = q.{quote('r_learner')} "
            f"LEFT JOIN ({scores}) ws ON ws.{quote('p_learner')} = q.{quote('r_learner')}"
        ),
        join_params=[*stage_params, *plan_params, *key_params, *score_params],
    )
    reasons = (
        LearnerYear.objects.filter(school_year=school_year)
        .annotate(
            need=FilteredRelation("learner__needs", condition=_in_force("learner__needs__", as_at))
        )
        .filter(need__isnull=False)
        .order_by()
        .annotate(r_learner_year=F("pk"), r_code=F("need__reason__code"))
        .distinct()
    )
    insert_from(
        LearnerYearReason,
        ["school_year", "learner_year_id", "code"],
        reasons,
        ["r_learner_year", "r_code"],
        (school_year,),
    )
    return learners
