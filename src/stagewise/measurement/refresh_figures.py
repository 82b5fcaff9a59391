"""From the year's roll and contributions to SummaryFigure rows, in the database: the school rows
by one grouped INSERT ... SELECT per breakdown (and per measure over the roll), then the
authority and nation rows by one INSERT ... SELECT each, adding up the school rows.

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
    LearnerYearReason,
    Measure,
    ScopeLevel,
    SummaryFigure,
)
from stagewise.measurement.refresh_roll import insert_from
from stagewise.measurement.refresh_sources import SOURCES
from stagewise.organisations.models import LocalAuthority, Nation, Setting

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


# A source of cells: the queryset, the path from its model to the LearnerYear, and the
# measure, numerator and denominator of each of its rows.
CellSource = tuple[QuerySet, str, Any, Any, Any]


def _cells_sql(sources: list[CellSource]) -> tuple[str, list]:
    """Every source's rows in one UNION ALL, each row one learner's cell of one measure: their
    school, group, measure, numerator, denominator, LearnerYear and single-valued breakdown
    values, under the same names whatever the source."""
    parts, params = [], []
    for queryset, path, measure, numerator, denominator in sources:
        names = {
            "g_setting": F(f"{path}setting_id"),
            "g_needs": F(f"{path}additional_support_needs"),
            "g_measure": measure,
            "g_numerator": Cast(numerator, output_field=AMOUNT),
            "g_denominator": Cast(denominator, output_field=AMOUNT),
            "g_learner_year": F(f"{path}id"),
            **{f"g_{column}": F(f"{path}{column}") for _breakdown, column in SINGLE_VALUED},
        }
        sql, part_params = queryset.annotate(**names).values(*names).query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(part_params)
    return " UNION ALL ".join(parts), params


def _one_statement_insert(sources: list[CellSource], school_year: int, refreshed_at) -> int:
    """PostgreSQL: the year's every figure in one INSERT. The school rows are grouped from the
    learners' cells: all learners and every single-valued breakdown in one pass (GROUP BY
    GROUPING SETS, each grouped row labelled by GROUPING()), the reasons by a join to the
    learners' reasons. The authority and nation rows are added up from those school rows
    (held once, in memory) rather than read back from SummaryFigure."""
    cells, params = _cells_sql(sources)
    columns = [f"g_{column}" for _breakdown, column in SINGLE_VALUED]
    keys = "g_setting, g_measure, g_needs"
    sets = ", ".join([f"({keys})", *(f"({keys}, {name})" for name in columns)])
    label = " ".join(
        f"WHEN GROUPING(g_{column}) = 0 THEN '{breakdown}'" for breakdown, column in SINGLE_VALUED
    )
    quote = connection.ops.quote_name
    tables = (Setting, LocalAuthority, Nation, LearnerYearReason)
    setting, authority, nation, reason = (quote(model._meta.db_table) for model in tables)
    cell = "g_measure, g_breakdown, g_value, g_needs"
    sums = "SUM(g_learners), SUM(g_numerator), SUM(g_denominator)"
    # Names from this module and the models; values only as parameters.
    statement = (
        f"INSERT INTO {quote(SummaryFigure._meta.db_table)} "  # noqa: S608
        "(level, scope, nation_id, authority_id, setting_id, measure_id, breakdown, "
        "breakdown_value, additional_support_needs, learners, numerator, denominator, "
        "school_year, refreshed_at) "
        "WITH school AS ("
        f"SELECT {keys}, CASE {label} ELSE '{Breakdown.ALL}' END AS g_breakdown, "
        f"COALESCE({', '.join(columns)}, '') AS g_value, COUNT(*) AS g_learners, "
        "SUM(g_numerator) AS g_numerator, SUM(g_denominator) AS g_denominator "
        f"FROM ({cells}) q GROUP BY GROUPING SETS ({sets}) "
        f"UNION ALL SELECT {keys}, '{Breakdown.REASON_FOR_SUPPORT}', r.code, COUNT(*), "
        f"SUM(g_numerator), SUM(g_denominator) FROM ({cells}) q "
        f"JOIN {reason} r ON r.learner_year_id = q.g_learner_year GROUP BY {keys}, r.code"
        "), placed AS ("
        "SELECT school.*, s.authority_id, a.nation_id, n.code AS nation_code FROM school "
        f"JOIN {setting} s ON s.id = g_setting JOIN {authority} a ON a.id = s.authority_id "
        f"JOIN {nation} n ON n.id = a.nation_id) "
        f"SELECT '{ScopeLevel.SCHOOL}', 'school:' || CAST(g_setting AS VARCHAR(20)), nation_id, "
        f"authority_id, g_setting, {cell}, g_learners, g_numerator, g_denominator, %s, %s "
        "FROM placed UNION ALL "
        f"SELECT '{ScopeLevel.AUTHORITY}', 'authority:' || CAST(authority_id AS VARCHAR(20)), "
        f"nation_id, authority_id, NULL, {cell}, {sums}, %s, %s FROM placed "
        f"GROUP BY nation_id, authority_id, {cell} UNION ALL "
        f"SELECT '{ScopeLevel.NATION}', 'nation:' || nation_code, nation_id, NULL, NULL, "
        f"{cell}, {sums}, %s, %s FROM placed GROUP BY nation_id, nation_code, {cell}"
    )
    constants = [school_year, refreshed_at]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *params, *constants * 3])
        return max(cursor.rowcount, 0)


def figures_insert(
    school_year: int, measures: list[Measure], on_roll_measured: set[int], refreshed_at: datetime
) -> int:
    """Every figure of the year: the school rows, then the authority and nation rows adding
    them up. On PostgreSQL in one statement; elsewhere one per breakdown and source, and one
    per level for the roll-ups."""
    sources = _cell_sources(school_year, measures, on_roll_measured)
    if connection.vendor == "postgresql":
        return _one_statement_insert(sources, school_year, refreshed_at)
    return school_figures_insert(sources, school_year, refreshed_at) + rolled_up_insert(
        school_year, refreshed_at
    )


def _cell_sources(
    school_year: int, measures: list[Measure], on_roll_measured: set[int]
) -> list[CellSource]:
    """The contributions of the measures that sum them, and per measure over the roll that has
    records in the year (`on_roll_measured`), every learner on the roll (with needs only, if
    the measure is of them) with their contribution or 0."""
    on_roll = [m.pk for m in measures if SOURCES[m.code].on_roll]
    contributions = LearnerYearContribution.objects.filter(school_year=school_year).order_by()
    sources: list[CellSource] = [
        (
            contributions.exclude(measure__in=on_roll),
            "learner_year__",
            F("measure_id"),
            F("numerator"),
            F("denominator"),
        )
    ]
    roll = LearnerYear.objects.filter(school_year=school_year).order_by()
    for measure in measures:
        source = SOURCES[measure.code]
        if not source.on_roll or measure.pk not in on_roll_measured:
            continue
        learners = roll.filter(additional_support_needs=True) if source.needs_only else roll
        counted = learners.annotate(
            contributed=FilteredRelation(
                "contributions", condition=Q(contributions__measure_id=measure.pk)
            )
        )
        numerator = Coalesce(F("contributed__numerator"), Value(Decimal(0)), output_field=AMOUNT)
        measure_id = Cast(Value(measure.pk), output_field=BigIntegerField())
        sources.append((counted, "", measure_id, numerator, Value(1)))
    return sources


def school_figures_insert(
    sources: list[CellSource], school_year: int, refreshed_at: datetime
) -> int:
    """The school rows of the year for every measure and breakdown, one statement each."""
    written = 0
    constants = (ScopeLevel.SCHOOL.value, school_year, refreshed_at)
    for queryset, path, measure_id, numerator, denominator in sources:
        for breakdown, column in BREAKDOWN_COLUMNS.items():
            cells = _school_cells(queryset, path, column, measure_id).annotate(
                f_learners=Count("pk"),
                f_numerator=Sum(numerator),
                f_denominator=Sum(denominator),
            )
            written += _school_insert(cells, (*constants, str(breakdown)))
    return written


def rolled_up_insert(school_year: int, refreshed_at: datetime) -> int:
    """The authority and nation rows: each the sum of its schools' rows, cell by cell."""
    schools = SummaryFigure.objects.filter(level=ScopeLevel.SCHOOL, school_year=school_year)
    written = 0
    for level, scope, authority in (
        (ScopeLevel.AUTHORITY, _scope("authority:", "authority_id"), F("authority_id")),
        (
            ScopeLevel.NATION,
            Concat(Value("nation:"), F("nation__code"), output_field=CharField()),
            _none(),
        ),
    ):
        cells = (
            schools.order_by()
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
