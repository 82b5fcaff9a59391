"""The consistency figures of a school year (ADR 0048), written inside the year's refresh from its
roll (LearnerYear, refresh_roll.py) and the attendance contributions, before the working rows go:
one grouped INSERT ... SELECT for the schools, then one each for the authorities and the nations
adding up their schools' rows. No figure passes through Python, and the number of statements does
not depend on the number of learners.

Each learner on the roll counts once, at their school, under:
- their reasons for support in force at the end of the period, as one key of sorted codes
  ("11 26"), so that learners with the same reasons share a key (the roll's reasons_key);
- their wellbeing band (the latest assessment in the period: the roll's wellbeing_score) and
  attendance band (the attendance measure's own sums for them), as profile_bands.py defines them;
- the national stage and the plan type of their roll row (one each: refresh_roll.py);
- looked after, and additional support needs, as on their roll row.
"""

from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    F,
    FilteredRelation,
    FloatField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

from stagewise.measurement.models import (
    ConsistencyFigure,
    Grouping,
    LearnerYear,
    Measure,
    ScopeLevel,
)
from stagewise.measurement.profile_bands import (
    ATTENDANCE_BANDS,
    ATTENDANCE_NOT_RECORDED,
    WELLBEING_BANDS,
    WELLBEING_NOT_ASSESSED,
    band_of,
)
from stagewise.measurement.refresh_roll import YES, insert_from
from stagewise.measurement.refresh_sources import Period
from stagewise.organisations.models import LocalAuthority, Setting

ATTENDANCE_MEASURE = "attendance_rate"
PROFILE_COLUMNS = [
    "reasons",
    "wellbeing_band",
    "attendance_band",
    "national_stage",
    "plan_type",
    "looked_after",
    "additional_support_needs",
]
ROLL_NAMES = [
    "c_reasons",
    "c_wellbeing",
    "c_attendance",
    "c_stage",
    "c_plan",
    "c_looked_after",
    "c_needs",
]


def _attendance_percentage(measures: list[Measure]) -> tuple[dict[str, Any], Any]:
    """The learner's attendance in percent from their contribution to the attendance measure,
    joined (one row a learner at most): the relation to annotate with, and the percentage."""
    measure = next((m for m in measures if m.code == ATTENDANCE_MEASURE), None)
    if measure is None:
        return {}, Value(None, output_field=FloatField())
    attended = FilteredRelation("contributions", condition=Q(contributions__measure=measure))
    percentage = Case(
        When(
            attended__denominator__gt=0,
            then=Cast("attended__numerator", FloatField())
            * 100.0
            / Cast("attended__denominator", FloatField()),
        ),
        output_field=FloatField(),
    )
    return {"attended": attended}, percentage


def _school_insert(period: Period, measures: list[Measure], refreshed_at: datetime) -> int:
    # The reasons' key and the wellbeing score are the roll's (refresh_roll.py), found for every
    # learner at once; the attendance joined, not looked up learner by learner.
    attended, percentage = _attendance_percentage(measures)
    roll = (
        LearnerYear.objects.filter(school_year=period.school_year)
        .order_by()
        .annotate(**attended)
        .annotate(c_percentage=percentage)
        .annotate(
            c_setting=F("setting_id"),
            c_reasons=F("reasons_key"),
            c_wellbeing=band_of(F("wellbeing_score"), WELLBEING_BANDS, WELLBEING_NOT_ASSESSED),
            c_attendance=band_of(F("c_percentage"), ATTENDANCE_BANDS, ATTENDANCE_NOT_RECORDED),
            c_stage=F("national_stage"),
            c_plan=F("plan_type"),
            c_looked_after=Case(
                When(looked_after=YES, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            c_needs=F("additional_support_needs"),
        )
        .values("c_setting", *ROLL_NAMES)
    )
    sql, params = roll.query.sql_with_params()
    quote = connection.ops.quote_name
    setting, authority = (quote(model._meta.db_table) for model in (Setting, LocalAuthority))
    grouped = [f"q.{quote(name)}" for name in ROLL_NAMES]
    columns = [
        "level",
        "school_year",
        "refreshed_at",
        "scope",
        "nation_id",
        "authority_id",
        "setting_id",
        *PROFILE_COLUMNS,
        "learners",
    ]
    # Table and column names from the models, the SELECT compiled by Django with its parameters.
    statement = (
        f"INSERT INTO {quote(ConsistencyFigure._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) "
        f"SELECT %s, %s, %s, 'school:' || CAST(q.{quote('c_setting')} AS VARCHAR(20)), "
        f"a.{quote('nation_id')}, s.{quote('authority_id')}, q.{quote('c_setting')}, "
        f"{', '.join(grouped)}, COUNT(*) FROM ({sql}) q "
        f"JOIN {setting} s ON s.{quote('id')} = q.{quote('c_setting')} "
        f"JOIN {authority} a ON a.{quote('id')} = s.{quote('authority_id')} "
        f"GROUP BY q.{quote('c_setting')}, a.{quote('nation_id')}, s.{quote('authority_id')}, "
        f"{', '.join(grouped)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            statement, [ScopeLevel.SCHOOL.value, period.school_year, refreshed_at, *params]
        )
        return max(cursor.rowcount, 0)


def _rolled_up_insert(school_year: int, refreshed_at: datetime) -> int:
    schools = ConsistencyFigure.objects.filter(level=ScopeLevel.SCHOOL, school_year=school_year)
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
            .values("f_scope", "f_nation", "f_authority", *PROFILE_COLUMNS)
            .annotate(f_learners=Sum("learners"))
        )
        written += insert_from(
            ConsistencyFigure,
            [
                "level",
                "school_year",
                "refreshed_at",
                "scope",
                "nation_id",
                "authority_id",
                *PROFILE_COLUMNS,
                "learners",
            ],
            cells,
            ["f_scope", "f_nation", "f_authority", *PROFILE_COLUMNS, "f_learners"],
            (level.value, school_year, refreshed_at),
        )
    return written


# The columns each collapsed grouping keeps (the others take their database defaults).
COLLAPSED = {
    Grouping.PLANS: ["plan_type", "looked_after", "additional_support_needs"],
    Grouping.REASON_SETS: ["reasons", "additional_support_needs"],
}
SCOPE_COLUMNS = ["scope", "nation_id", "authority_id", "setting_id"]


def collapsed_figures_insert(school_year: int, refreshed_at: datetime) -> int:
    """Each level's profile rows summed into the collapsed groupings: one INSERT ... SELECT per
    level and grouping."""
    written = 0
    for level in ScopeLevel:
        profiles = ConsistencyFigure.objects.filter(
            school_year=school_year, level=level, grouping=Grouping.PROFILE
        ).order_by()
        for grouping, kept in COLLAPSED.items():
            cells = profiles.values(*SCOPE_COLUMNS, *kept).annotate(f_learners=Sum("learners"))
            written += insert_from(
                ConsistencyFigure,
                [
                    "level",
                    "school_year",
                    "refreshed_at",
                    "grouping",
                    *SCOPE_COLUMNS,
                    *kept,
                    "learners",
                ],
                cells,
                [*SCOPE_COLUMNS, *kept, "f_learners"],
                (level.value, school_year, refreshed_at, grouping.value),
            )
    return written


def consistency_figures_write(
    *, period: Period, measures: list[Measure], refreshed_at: datetime
) -> int:
    """Replaces the year's consistency figures, inside the year's refresh transaction; returns
    how many rows it wrote."""
    ConsistencyFigure.objects.filter(school_year=period.school_year).delete()
    written = _school_insert(period, measures, refreshed_at)
    written += _rolled_up_insert(period.school_year, refreshed_at)
    return written + collapsed_figures_insert(period.school_year, refreshed_at)
