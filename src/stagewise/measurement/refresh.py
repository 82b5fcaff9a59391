"""The refresh: every measure for every school, authority and nation, per school year, breakdown
and group, written to SummaryFigure, which is all that dashboards read (ARCHITECTURE rule 5;
ADR 0024).

A school year is refreshed in one transaction: its roll (refresh_roll.py), each measure's
contributions (refresh_sources.py), the school rows and their roll-ups (refresh_figures.py), then
its SummaryFigure rows are deleted and the new ones inserted. A reader sees the year's old
figures or its new ones, never half of each. The working rows are deleted again before the
commit, so that no per-learner copy outlives the refresh.

Incremental (the default): the years whose source rows changed since their last refresh, and
the current school year always. A year's fingerprint is, per source table, the number of its
rows falling in the year, the highest id and the latest recorded_at where the table keeps one.
A new, deleted or late-recorded row changes it; an edit in place that changes neither (a
corrected attendance count, a need resolved, a learner's deprivation decile, an enrolment's
dates) does not, and waits for the full refresh (`full=True`, run nightly), which recomputes
every year. Years with no source rows left lose their figures either way.
"""

import json
import re
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Max, Model, QuerySet
from django.utils import timezone

from stagewise.coordination.measures import TAKEN_OFF_THE_LIST
from stagewise.coordination.models import RequestEvent, RequestForAssistance
from stagewise.families.feedback_models import ReviewFeedback
from stagewise.learners.models import WellbeingAssessment
from stagewise.measurement.models import (
    AttendanceRecord,
    ConsistencyFigure,
    CurriculumJudgement,
    Exclusion,
    LearnerYear,
    LearnerYearContribution,
    LearnerYearReason,
    LeaverDestination,
    MainstreamTime,
    Measure,
    MeasureRefresh,
    PartTimeTimetable,
    Qualification,
    SummaryFigure,
)
from stagewise.measurement.periods import (
    school_year_bounds,
    school_year_of,
)
from stagewise.measurement.refresh_considerations import (
    consideration_figures_forget,
    consideration_figures_write,
)
from stagewise.measurement.refresh_consistency import consistency_figures_write
from stagewise.measurement.refresh_departures import departure_figures_write
from stagewise.measurement.refresh_figures import rolled_up_insert, school_figures_insert
from stagewise.measurement.refresh_roll import as_at_date, roll_insert
from stagewise.measurement.refresh_sources import (
    SOURCES,
    Period,
    contributions_insert,
    school_year_of_column,
)
from stagewise.planning.models import PlanReview
from stagewise.policy import SystemProcess
from stagewise.statutory.models import CoordinatedSupportPlanConsideration, StatutoryProcess
from stagewise.statutory.models.processes import ProcessStatus

OUTCOME_MODELS: list[type[Model]] = [
    AttendanceRecord,
    Exclusion,
    PartTimeTimetable,
    MainstreamTime,
    CurriculumJudgement,
    Qualification,
    LeaverDestination,
]


def _process_rows() -> list[tuple[str, QuerySet, str]]:
    """Process records by the date that places them in a school year."""
    return [
        ("planreview", PlanReview.objects.all(), "held_on"),
        (
            "statutoryprocess",
            StatutoryProcess.objects.filter(status=ProcessStatus.CLOSED),
            "closed_on",
        ),
        (
            "request_answered",
            RequestForAssistance.objects.filter(answered_on__isnull=False),
            "answered_on",
        ),
        # Wellbeing assessments, for the change in wellbeing since the plan.
        ("wellbeingassessment", WellbeingAssessment.objects.all(), "assessed_on"),
        # The families' own say (ADR 0026), placed by the review it is about.
        ("reviewfeedback", ReviewFeedback.objects.all(), "review__held_on"),
        # Considerations for a co-ordinated support plan (ADR 0049), by the day considered.
        (
            "coordinatedsupportplanconsideration",
            CoordinatedSupportPlanConsideration.objects.all(),
            "considered_on",
        ),
        (
            "request_taken_off",
            RequestEvent.objects.filter(kind__in=TAKEN_OFF_THE_LIST),
            "happened_at",
        ),
    ]


def source_fingerprints() -> dict[int, dict[str, list]]:
    """Per school year, per source table: its rows in the year, the highest id, the latest
    recorded_at. One grouped query per table."""
    years: dict[int, dict[str, list]] = defaultdict(dict)
    for model in OUTCOME_MODELS:
        rows = (
            model._default_manager.order_by()
            .values("school_year")
            .annotate(rows=Count("pk"), last=Max("pk"), recorded=Max("recorded_at"))
        )
        for row in rows:
            years[row["school_year"]][str(model._meta.model_name)] = [
                row["rows"],
                row["last"],
                str(row["recorded"]),
            ]
    for name, queryset, date_field in _process_rows():
        rows = (
            queryset.order_by()
            .annotate(year=school_year_of_column(date_field))
            .values("year")
            .annotate(rows=Count("pk"), last=Max("pk"))
        )
        for row in rows:
            if row["year"] is not None:
                years[row["year"]][name] = [row["rows"], row["last"]]
    return years


@dataclass
class RefreshResult:
    refreshed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    figures: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        return (
            f"Refreshed school years {self.refreshed or 'none'} ({self.figures} figures) in "
            f"{self.seconds:.1f} s; unchanged {self.unchanged or 'none'}; "
            f"removed {self.removed or 'none'}."
        )


WORKING_TABLES = (LearnerYearContribution, LearnerYearReason, LearnerYear)


def _working_rows_delete(school_year: int) -> None:
    """Empties the working tables. On PostgreSQL by TRUNCATE, which leaves no dead rows behind
    for the next year's scans to wade through (and, holding the tables' lock to the commit, keeps
    two refreshes from interleaving); the tables hold one year at a time only."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in WORKING_TABLES)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")
        return
    for model in WORKING_TABLES:
        model._default_manager.filter(school_year=school_year).delete()


# Memory for each sort and hash table of the refresh's statements, on PostgreSQL, for the
# refresh's transaction only: with the server's default (4 MB) the roll's joins ran in batches
# through temporary files and the test for a learner's needs ran as an index probe per learner.
REFRESH_WORK_MEM = "256MB"


def _refresh_settings() -> None:
    """PostgreSQL compiles a costly query to machine code first (about 0.15 s each here), which
    a refresh of a few dozen grouped queries pays many times over and never wins back; and it
    sorts and hashes in REFRESH_WORK_MEM rather than on disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SELECT set_config('work_mem', %s, true)", [REFRESH_WORK_MEM])


def _analyse(*models: type[Model]) -> None:
    """Fresh statistics on the working tables, so PostgreSQL plans the joins for the rows they
    now hold rather than for the empty tables they were."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def school_year_refresh(
    *, school_year: int, today: date, measures: list[Measure], fingerprint: str, recorded: set[str]
) -> int:
    """Recomputes one school year's figures and replaces them, in one transaction; returns how
    many figures it wrote. `recorded`: the source tables with rows in the year."""
    with transaction.atomic():
        _refresh_settings()
        return _school_year_figures_write(
            school_year=school_year,
            today=today,
            measures=measures,
            fingerprint=fingerprint,
            recorded=recorded,
            replace=True,
        )


def _school_year_figures_write(
    *,
    school_year: int,
    today: date,
    measures: list[Measure],
    fingerprint: str,
    recorded: set[str],
    replace: bool,
) -> int:
    """The year's working rows, figures and refresh marker, inside the caller's transaction.
    `replace`: delete the year's figures first (not needed in a table being built afresh)."""
    start, _end = school_year_bounds(school_year)
    period = Period(school_year=school_year, start=start, as_at=as_at_date(school_year, today))
    refreshed_at = timezone.now()
    _working_rows_delete(school_year)
    roll_insert(school_year, period.as_at)
    _analyse(LearnerYear, LearnerYearReason)
    for measure in measures:
        contributions_insert(period, measure)
    _analyse(LearnerYearContribution)
    on_roll_measured = {
        measure.pk
        for measure in measures
        if SOURCES[measure.code].on_roll
        and (not SOURCES[measure.code].recorded_in or SOURCES[measure.code].recorded_in in recorded)
    }
    if replace:
        SummaryFigure.objects.filter(school_year=school_year).delete()
    figures = school_figures_insert(school_year, measures, on_roll_measured, refreshed_at)
    figures += rolled_up_insert(school_year, refreshed_at)
    # The consistency report's counts, from the same roll (ADR 0048).
    consistency_figures_write(period=period, measures=measures, refreshed_at=refreshed_at)
    # Departures from decision support's suggestion, and their kinds, from the same roll.
    departure_figures_write(period=period, refreshed_at=refreshed_at)
    # Looked-after children considered for a co-ordinated support plan (ADR 0049).
    consideration_figures_write(period=period, refreshed_at=refreshed_at)
    _working_rows_delete(school_year)
    MeasureRefresh.objects.update_or_create(
        school_year=school_year,
        defaults={"fingerprint": fingerprint, "refreshed_at": refreshed_at},
    )
    return figures


def measures_refresh(
    *, actor: SystemProcess, full: bool = False, today: date | None = None
) -> RefreshResult:
    """Refreshes the summary figures: every school year with source rows when `full`, otherwise
    those whose rows changed and the current one. Only Stagewise itself runs it (the task or
    `stagewise refresh_measures`): it reads every learner's records."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own task refreshes the summary figures.")
    began = clock.perf_counter()
    today = today or timezone.localdate()
    current = school_year_of(today)
    fingerprints = source_fingerprints()
    years = {year for year in fingerprints if year <= current} | {current}
    stored = dict(MeasureRefresh.objects.values_list("school_year", "fingerprint"))
    measures = [measure for measure in Measure.objects.all() if measure.code in SOURCES]
    result = RefreshResult()
    gone = sorted(set(stored) - years)
    if full and connection.vendor == "postgresql":
        result.figures = _figures_rebuilt(
            years=sorted(years), fingerprints=fingerprints, today=today, measures=measures
        )
        result.refreshed = sorted(years)
        if gone:
            MeasureRefresh.objects.filter(school_year__in=gone).delete()
            ConsistencyFigure.objects.filter(school_year__in=gone).delete()
            consideration_figures_forget(gone)
            result.removed = gone
        result.seconds = clock.perf_counter() - began
        return result
    for school_year in sorted(years):
        sources = fingerprints.get(school_year, {})
        fingerprint = json.dumps(sources, sort_keys=True)
        if not full and school_year != current and stored.get(school_year) == fingerprint:
            result.unchanged.append(school_year)
            continue
        result.figures += school_year_refresh(
            school_year=school_year,
            today=today,
            measures=measures,
            fingerprint=fingerprint,
            recorded=set(sources),
        )
        result.refreshed.append(school_year)
    if gone:
        with transaction.atomic():
            SummaryFigure.objects.filter(school_year__in=gone).delete()
            ConsistencyFigure.objects.filter(school_year__in=gone).delete()
            consideration_figures_forget(gone)
            MeasureRefresh.objects.filter(school_year__in=gone).delete()
        result.removed = gone
    _vacuum_figures(result)
    result.seconds = clock.perf_counter() - began
    return result


def _vacuum_figures(result: RefreshResult) -> None:
    """Clears the rows the refresh replaced out of SummaryFigure on PostgreSQL (outside any
    transaction only, as VACUUM must be): every refresh deletes and re-inserts the same keys, and
    left to pile up between autovacuum runs their dead versions slowed the next refresh's
    unique-key checks by half again (ADR 0024)."""
    if not result.refreshed or connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"VACUUM (ANALYZE) {connection.ops.quote_name(SummaryFigure._meta.db_table)}"
        )


# The schema a full refresh builds the new SummaryFigure table in (PostgreSQL), under the same
# name, so that the refresh's statements reach it by the search path, unchanged.
BUILD_SCHEMA = "measurement_refresh_build"


def _figures_rebuilt(
    *,
    years: list[int],
    fingerprints: dict[int, dict[str, list]],
    today: date,
    measures: list[Measure],
) -> int:
    """The full refresh on PostgreSQL: every year's figures written into a new table with no
    index, indexed once at the end and swapped in for the old one, all in one transaction.
    Writing millions of rows into a table whose unique key is larger than the server's buffers,
    then vacuuming the replaced rows out, was most of the refresh (ADR 0024, second amendment);
    one sort per index is far cheaper. Readers see the old figures until the commit, then every
    year's new ones at once."""
    quote = connection.ops.quote_name
    table = quote(SummaryFigure._meta.db_table)
    build = quote(BUILD_SCHEMA)
    figures = 0
    with transaction.atomic():
        _refresh_settings()
        # TRUNCATE of the working tables first: it holds them to the commit, so that no other
        # refresh runs beside this one.
        _working_rows_delete(years[0])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.nspname, current_setting('search_path') FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = %s::regclass",
                [SummaryFigure._meta.db_table],
            )
            schema, search_path = cursor.fetchone()
            live = f"{quote(schema)}.{table}"
            cursor.execute(f"DROP SCHEMA IF EXISTS {build} CASCADE")
            cursor.execute(f"CREATE SCHEMA {build}")
            cursor.execute(
                f"CREATE TABLE {build}.{table} (LIKE {live} INCLUDING DEFAULTS "
                "INCLUDING IDENTITY INCLUDING CONSTRAINTS)"
            )
            cursor.execute(
                "SELECT set_config('search_path', %s, true)", [f"{build}, {search_path}"]
            )
        for school_year in years:
            sources = fingerprints.get(school_year, {})
            figures += _school_year_figures_write(
                school_year=school_year,
                today=today,
                measures=measures,
                fingerprint=json.dumps(sources, sort_keys=True),
                recorded=set(sources),
                replace=False,
            )
        with connection.cursor() as cursor:
            _indexes_copy(cursor, live, f"{build}.{table}")
            cursor.execute(f"ANALYZE {build}.{table}")
            cursor.execute(f"DROP TABLE {live}")
            cursor.execute(f"ALTER TABLE {build}.{table} SET SCHEMA {quote(schema)}")
            cursor.execute(f"DROP SCHEMA {build}")
            cursor.execute("SELECT set_config('search_path', %s, true)", [search_path])
    return figures


def _indexes_copy(cursor, source: str, target: str) -> None:
    """The source table's primary and unique keys and indexes, built on the target under the
    same names (the target is in another schema until it replaces the source)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f', 'x') ORDER BY contype DESC",
        [source],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(
            f"ALTER TABLE {target} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        )
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [source],
    )
    for (definition,) in cursor.fetchall():
        cursor.execute(re.sub(r" ON \S+ USING ", f" ON {target} USING ", definition, count=1))
