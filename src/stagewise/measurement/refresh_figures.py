"""From the year's roll and contributions to SummaryFigure rows, in the database: the school rows
by one grouped INSERT ... SELECT per breakdown (and per measure over the roll), then the
authority rows by one INSERT ... SELECT adding up the school rows, and the nation rows by one
adding up the authority rows (the same sums).

- Every breakdown value is a code on the learner's LearnerYear row (refresh_roll.py), except the
  reason for support, where a learner counts once under each of their reasons: the rows of that
  breakdown do not add up to the total (a learner with two reasons is in two of them), and a
  learner without needs is under none.
- A measure over the roll (Source.on_roll) has a figure for every group of learners on the roll,
  with a numerator of 0 where none of them contributed; other measures only where some learner
  contributed.
- `learners` is how many learners the figure is about: the contributors (or the learners on the
  roll, for a measure over the roll). Each learner counts at one school a year, so an authority's
  `learners` is the sum of its schools', and a nation's of its authorities'.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

from stagewise.measurement.models import (
    Breakdown,
    LearnerYear,
    LearnerYearContribution,
    Measure,
    ScopeLevel,
    SummaryFigure,
)
from stagewise.measurement.refresh_roll import insert_from
from stagewise.measurement.refresh_sources import SOURCES
from stagewise.organisations.models import LocalAuthority, Setting

# The LearnerYear column each breakdown groups by (None: all learners).
BREAKDOWN_COLUMNS: dict[str, str | None] = {
    Breakdown.ALL: None,
    Breakdown.REASON_FOR_SUPPORT: "reasons__code",
    Breakdown.NATIONAL_STAGE: "national_stage",
    Breakdown.SEX: "sex",
    Breakdown.YEAR_GROUP: "year_group",
    Breakdown.DEPRIVATION_DECILE: "deprivation_decile",
    Breakdown.LOOKED_AFTER: "looked_after",
    Breakdown.HOME_LANGUAGE: "home_language",
    Breakdown.WELSH_MEDIUM: "language_medium",
    Breakdown.PLAN_TYPE: "plan_type",
}

AMOUNT = DecimalField(max_digits=18, decimal_places=2)
CONSTANTS = ["level", "school_year", "refreshed_at", "breakdown"]
NAMES = [
    "f_scope",
    "f_nation",
    "f_authority",
    "f_setting",
    "f_measure",
    "f_value",
    "f_needs",
    "f_learners",
    "f_numerator",
    "f_denominator",
]
# A school row's own names: its authority, nation and scope are joined on (_school_insert).
SCHOOL_NAMES = NAMES[3:]
COLUMNS = [
    *CONSTANTS,
    "scope",
    "nation_id",
    "authority_id",
    "setting_id",
    "measure_id",
    "breakdown_value",
    "additional_support_needs",
    "learners",
    "numerator",
    "denominator",
]


def _scope(prefix: str, field: str) -> Concat:
    return Concat(Value(prefix), Cast(field, output_field=CharField()), output_field=CharField())


def _none() -> Cast:
    return Cast(Value(None), output_field=BigIntegerField())


def _school_cells(queryset: QuerySet, path: str, column: str | None, measure: Any) -> QuerySet:
    """The queryset grouped by school, group and breakdown value (and measure); `path` leads
    from the queryset's model to the LearnerYear. Grouped on the working table alone: the
    school's authority and nation are joined to the few grouped rows (_school_insert)."""
    if column and "__" in column:
        queryset = queryset.filter(**{f"{path}{column}__isnull": False})
    return queryset.annotate(
        f_setting=F(f"{path}setting_id"),
        f_measure=measure,
        f_value=F(f"{path}{column}") if column else Value(""),
        f_needs=F(f"{path}additional_support_needs"),
    ).values(*SCHOOL_NAMES[:4])


def _school_insert(queryset: QuerySet, constants: tuple) -> int:
    quote = connection.ops.quote_name
    setting, authority = (quote(model._meta.db_table) for model in (Setting, LocalAuthority))
    picked = [
        f"'school:' || CAST(q.{quote('f_setting')} AS VARCHAR(20))",
        f"a.{quote('nation_id')}",
        f"s.{quote('authority_id')}",
        *(f"q.{quote(name)}" for name in SCHOOL_NAMES),
    ]
    joins = (
        f"JOIN {setting} s ON s.{quote('id')} = q.{quote('f_setting')} "
        f"JOIN {authority} a ON a.{quote('id')} = s.{quote('authority_id')}"
    )
    return insert_from(
        SummaryFigure, COLUMNS, queryset, SCHOOL_NAMES, constants, picked=picked, joins=joins
    )


# The breakdowns one learner has one value of: PostgreSQL groups them all in one pass.
SINGLE_VALUED = [
    (str(b), column) for b, column in BREAKDOWN_COLUMNS.items() if column and "__" not in column
]


def _grouping_sets_insert(
    queryset: QuerySet, path: str, measure: Any, numerator: Any, denominator: Any, constants: tuple
) -> int:
    """PostgreSQL: all learners and every single-valued breakdown in one pass over the rows
    (GROUP BY GROUPING SETS), each grouped row labelled with its breakdown by GROUPING()."""
    columns = {f"g_{column}": F(f"{path}{column}") for _breakdown, column in SINGLE_VALUED}
    names = {
        "g_setting": F(f"{path}setting_id"),
        "g_needs": F(f"{path}additional_support_needs"),
        "g_measure": measure,
        "g_numerator": numerator,
        "g_denominator": denominator,
        **columns,
    }
    sql, params = queryset.annotate(**names).values(*names).query.sql_with_params()
    statement = _grouping_sets_statement(
        sql=sql,
        keys=["g_setting", "g_measure", "g_needs"],
        columns=list(columns),
        sums="SUM(g_numerator) AS g_numerator, SUM(g_denominator) AS g_denominator",
        picked="g.g_measure, g.g_value, g.g_needs, g.g_learners, g.g_numerator, g.g_denominator",
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*constants, *params])
        return max(cursor.rowcount, 0)


def _grouping_sets_statement(
    *,
    sql: str,
    keys: list[str],
    columns: list[str],
    sums: str,
    picked: str,
    lateral: str = "",
    where: str = "",
) -> str:
    """INSERT of school rows grouped from `sql` by `keys` alone (all learners) and by `keys`
    with each of `columns`, each grouped row (`g`) labelled with its breakdown by GROUPING();
    `picked`: the measure, value, group, learners, numerator and denominator written; `lateral`
    joined to each grouped row, `where` a condition on the result."""
    grouped = ", ".join(keys)
    sets = ", ".join([f"({grouped})", *(f"({grouped}, {name})" for name in columns)])
    label = " ".join(
        f"WHEN GROUPING(g_{column}) = 0 THEN '{breakdown}'" for breakdown, column in SINGLE_VALUED
    )
    quote = connection.ops.quote_name
    setting, authority = (quote(model._meta.db_table) for model in (Setting, LocalAuthority))
    # Names from this module and the models; values only as parameters.
    return (
        f"INSERT INTO {quote(SummaryFigure._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(column) for column in COLUMNS)}) "
        "SELECT %s, %s, %s, g.g_breakdown, 'school:' || CAST(g.g_setting AS VARCHAR(20)), "
        f"a.nation_id, s.authority_id, g.g_setting, {picked} FROM ("
        f"SELECT {grouped}, CASE {label} ELSE '{Breakdown.ALL}' END "
        f"AS g_breakdown, COALESCE({', '.join(columns)}, '') AS g_value, COUNT(*) AS g_learners, "
        f"{sums} FROM ({sql}) q GROUP BY GROUPING SETS ({sets})"
        f") g {lateral} "
        f"JOIN {setting} s ON s.id = g.g_setting JOIN {authority} a ON a.id = s.authority_id "
        f"{where}"
    )


def school_figures_insert(
    school_year: int, measures: list[Measure], on_roll_measured: set[int], refreshed_at: datetime
) -> int:
    """The school rows of the year for every measure and breakdown. `on_roll_measured`: the
    measures over the roll that have records in the year. On PostgreSQL one statement for the
    contributions and one for every measure over the roll, each for every breakdown but the
    reasons (GROUPING SETS); elsewhere one per breakdown and source."""
    contributions = LearnerYearContribution.objects.filter(school_year=school_year).order_by()
    on_roll = [m.pk for m in measures if SOURCES[m.code].on_roll]
    constants = (ScopeLevel.SCHOOL.value, school_year, refreshed_at)
    roll = LearnerYear.objects.filter(school_year=school_year).order_by()
    over_the_roll = [
        (measure.pk, SOURCES[measure.code].needs_only)
        for measure in measures
        if SOURCES[measure.code].on_roll and measure.pk in on_roll_measured
    ]
    written = 0
    sources: list[tuple[QuerySet, str, Any, Any, Any]] = [
        (
            contributions.exclude(measure__in=on_roll),
            "learner_year__",
            F("measure_id"),
            F("numerator"),
            F("denominator"),
        )
    ]
    for measure_pk, needs_only in over_the_roll:
        learners = roll.filter(additional_support_needs=True) if needs_only else roll
        counted = learners.annotate(
            contributed=FilteredRelation(
                "contributions", condition=Q(contributions__measure_id=measure_pk)
            )
        )
        numerator = Coalesce(F("contributed__numerator"), Value(Decimal(0)), output_field=AMOUNT)
        measure_id = Cast(Value(measure_pk), output_field=BigIntegerField())
        sources.append((counted, "", measure_id, numerator, Value(1)))
    if connection.vendor == "postgresql":
        written += _grouping_sets_insert(*sources[0], constants)
        written += _roll_grouping_sets_insert(roll, over_the_roll, constants)
    for queryset, path, measure_id, numerator, denominator in sources:
        breakdowns = list(BREAKDOWN_COLUMNS.items())
        if connection.vendor == "postgresql":
            breakdowns = [(Breakdown.REASON_FOR_SUPPORT, "reasons__code")]
        for breakdown, column in breakdowns:
            cells = _school_cells(queryset, path, column, measure_id).annotate(
                f_learners=Count("pk"),
                f_numerator=Sum(numerator),
                f_denominator=Sum(denominator),
            )
            written += _school_insert(cells, (*constants, str(breakdown)))
    return written


def _roll_grouping_sets_insert(
    roll: QuerySet, over_the_roll: list[tuple[int, bool]], constants: tuple
) -> int:
    """PostgreSQL: every measure over the roll from ONE grouping of the roll (all learners and
    every single-valued breakdown), each learner's contribution to each measure a column of
    their row; each grouped row then gives one figure per measure (learners with needs only for
    a measure of theirs only). Grouping the roll once per such measure was three quarters of the
    cells the refresh grouped."""
    if not over_the_roll:
        return 0
    counted = roll
    numerators = {}
    for measure_pk, _needs_only in over_the_roll:
        counted = counted.annotate(
            **{
                f"contributed_{measure_pk}": FilteredRelation(
                    "contributions", condition=Q(contributions__measure_id=measure_pk)
                )
            }
        )
        numerators[f"g_n_{measure_pk}"] = Coalesce(
            F(f"contributed_{measure_pk}__numerator"), Value(Decimal(0)), output_field=AMOUNT
        )
    columns = {f"g_{column}": F(column) for _breakdown, column in SINGLE_VALUED}
    names = {
        "g_setting": F("setting_id"),
        "g_needs": F("additional_support_needs"),
        **numerators,
        **columns,
    }
    sql, params = counted.annotate(**names).values(*names).query.sql_with_params()
    # One row of (measure, numerator) per measure over the roll, measure ids as parameters.
    values = ", ".join(f"(CAST(%s AS BIGINT), g.{name})" for name in numerators)
    needs_only = [pk for pk, only in over_the_roll if only]
    statement = _grouping_sets_statement(
        sql=sql,
        keys=["g_setting", "g_needs"],
        columns=list(columns),
        sums=", ".join(f"SUM({name}) AS {name}" for name in numerators),
        picked="v.measure, g.g_value, g.g_needs, g.g_learners, v.numerator, g.g_learners",
        lateral=f"CROSS JOIN LATERAL (VALUES {values}) AS v (measure, numerator)",
        where=(
            f"WHERE g.g_needs OR v.measure NOT IN ({', '.join(['%s'] * len(needs_only))})"
            if needs_only
            else ""
        ),
    )
    parameters = [*constants, *params, *(pk for pk, _only in over_the_roll), *needs_only]
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        return max(cursor.rowcount, 0)


def rolled_up_insert(school_year: int, refreshed_at: datetime) -> int:
    """The authority and nation rows: each the sum of its schools' rows, cell by cell. A nation's
    are summed from its authorities' rows, just written, which are those sums already (every
    school has an authority; the sums are exact): at scale 1.0, 43 thousand rows to group a year
    rather than 1.7 million."""
    written = 0
    for level, parts, scope, authority in (
        (
            ScopeLevel.AUTHORITY,
            ScopeLevel.SCHOOL,
            _scope("authority:", "authority_id"),
            F("authority_id"),
        ),
        (
            ScopeLevel.NATION,
            ScopeLevel.AUTHORITY,
            Concat(Value("nation:"), F("nation__code"), output_field=CharField()),
            _none(),
        ),
    ):
        cells = (
            SummaryFigure.objects.filter(level=parts, school_year=school_year)
            .order_by()
            .annotate(
                f_scope=scope,
                f_nation=F("nation_id"),
                f_authority=authority,
                f_setting=_none(),
                f_measure=F("measure_id"),
                f_value=F("breakdown_value"),
                f_needs=F("additional_support_needs"),
                f_breakdown=F("breakdown"),
            )
            .values(*NAMES[:7], "f_breakdown")
            .annotate(
                f_learners=Sum("learners"),
                f_numerator=Sum("numerator"),
                f_denominator=Sum("denominator"),
            )
        )
        written += insert_from(
            SummaryFigure,
            [*CONSTANTS[:3], *COLUMNS[4:], "breakdown"],
            cells,
            [*NAMES, "f_breakdown"],
            (level.value, school_year, refreshed_at),
        )
    return written
