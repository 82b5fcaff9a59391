"""The summary refresh at national scale, against DuckDB computing the same figures.

    .venv/bin/python bench/bench_measures.py [--scale 1.0] [--database stagewise_measures]
        [--reuse] [--profile] [--no-incremental]

1. Drops and re-creates the PostgreSQL database (postgres@127.0.0.1:5432), migrates it and writes
   the synthetic population of Scotland and Wales (`stagewise synth`'s generator, seed 2026, as
   of a fixed day) at `--scale`. `--reuse` keeps a database an earlier run left.
2. Times the full refresh (`measures_refresh(full=True)`: every school year with source rows,
   every measure, school, authority and nation, every breakdown and group). Target at scale 1.0:
   under 5 minutes. `--profile` prints its slowest statements.
3. Exports the source rows the refresh reads (learners, enrolments, needs, stage decisions,
   outcome records, plans, reviews, clocks, requests) and the refresh's figures to Parquet
   (timed apart, not in the ratios). Then DuckDB computes from the source files, by the same
   definitions (measurement/refresh_roll.py, refresh_sources.py), timed each from scratch:
   - the national figures only, checked against the refresh's nation rows;
   - every figure the refresh writes (school, authority and nation, every breakdown and group,
     every school year) into a DuckDB table, checked cell by cell against the refresh's.
   It prints the refresh's time as a ratio of each (goal: within 2x).
"""

# The SQL below is built from this file's own constants and dates, never from input.
# ruff: noqa: S608

import argparse
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_synth import SEED, recreate_database, setup_django

AS_OF = date(2026, 11, 20)

# name: the SELECT exported from PostgreSQL to Parquet.
EXPORTS = {
    "learner": "SELECT id, sex, deprivation_decile, looked_after, home_language "
    "FROM learners_learner",
    "enrolment": "SELECT id, learner_id, setting_id, year_group, started_on, ended_on "
    "FROM learners_enrolment",
    "setting": "SELECT s.id, s.authority_id, s.language_medium, n.code AS nation "
    "FROM organisations_setting s "
    "JOIN organisations_localauthority a ON a.id = s.authority_id "
    "JOIN organisations_nation n ON n.id = a.nation_id",
    "need": "SELECT n.learner_id, r.code, n.identified_on, n.resolved_on FROM learners_need n "
    "JOIN statutory_reasonforsupport r ON r.id = n.reason_id",
    "stage": "SELECT d.id, d.learner_id, d.decided_on, s.national_stage "
    "FROM learners_stagedecision d JOIN statutory_localstage s ON s.id = d.stage_id",
    "attendance": "SELECT learner_id, school_year, attended_sessions, possible_sessions "
    "FROM measurement_attendancerecord",
    "exclusion": "SELECT learner_id, school_year FROM measurement_exclusion",
    "part_time": "SELECT learner_id, school_year, starts_on, ends_on "
    "FROM measurement_parttimetimetable",
    "mainstream": "SELECT learner_id, school_year, mainstream_hours_a_week, "
    "timetabled_hours_a_week FROM measurement_mainstreamtime",
    "judgement": "SELECT learner_id, school_year, expected_level_achieved "
    "FROM measurement_curriculumjudgement",
    "qualification": "SELECT learner_id FROM measurement_qualification",
    "leaver": "SELECT learner_id, school_year, destination FROM measurement_leaverdestination",
    "plan": "SELECT p.id, p.learner_id, p.closed_on, t.key AS plan_type, t.statutory "
    "FROM planning_plan p JOIN planning_plantype t ON t.id = p.plan_type_id",
    "plan_version": "SELECT plan_id, number, finalised_at, "
    "(document->>'next_review_on')::date AS next_review_on FROM planning_planversion",
    "wellbeing_assessment": "SELECT id, learner_id, assessed_on FROM learners_wellbeingassessment",
    "wellbeing_rating": "SELECT assessment_id, level FROM learners_wellbeingrating",
    "review": "SELECT r.id, r.plan_id, p.learner_id, r.held_on, r.version_number, "
    "r.next_review_on FROM planning_planreview r JOIN planning_plan p ON p.id = r.plan_id",
    "target_review": "SELECT t.progress, r.held_on, p.learner_id FROM planning_targetreview t "
    "JOIN planning_planreview r ON r.id = t.review_id JOIN planning_plan p ON p.id = r.plan_id",
    "process": "SELECT learner_id, status, outcome, closed_on, due_on "
    "FROM statutory_statutoryprocess",
    "request": "SELECT id, learner_id, answered_on, due_on, waiting_since "
    "FROM coordination_requestforassistance",
    "request_event": "SELECT id, request_id, kind, happened_at "
    "FROM coordination_requestevent WHERE kind IN ('accepted', 'allocated')",
}

BREAKDOWNS = {
    "all": "''",
    "national_stage": "national_stage",
    "sex": "sex",
    "year_group": "year_group",
    "deprivation_decile": "decile",
    "looked_after": "looked_after",
    "home_language": "home_language",
    "welsh_medium": "medium",
    "plan_type": "plan_type",
}


# PostgreSQL type oids to DuckDB types, so that an empty table still reads with its types.
DUCKDB_TYPES = {
    16: "BOOLEAN",
    20: "BIGINT",
    21: "BIGINT",
    23: "BIGINT",
    1082: "DATE",
    1700: "DOUBLE",
    1184: "TIMESTAMPTZ",
}


def export(directory: Path, database: str, exports: dict[str, str] = EXPORTS) -> float:
    import duckdb
    import psycopg
    from bench_synth import SERVER

    started = time.perf_counter()
    with psycopg.connect(f"{SERVER}/{database}") as source:
        for name, select in exports.items():
            csv_path = directory / f"{name}.csv"
            with source.cursor() as cursor:
                cursor.execute(f"SELECT * FROM ({select}) q LIMIT 0")
                columns = {
                    column.name: DUCKDB_TYPES.get(column.type_code, "VARCHAR")
                    for column in cursor.description or []
                }
            statement = f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)"
            with (
                source.cursor() as cursor,
                csv_path.open("wb") as out,
                cursor.copy(statement) as copy,
            ):
                for chunk in copy:
                    out.write(chunk)
            duckdb.sql(
                f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, columns={columns})) "
                f"TO '{directory / name}.parquet' (FORMAT parquet)"
            )
            csv_path.unlink()
    return time.perf_counter() - started


def _year_sql(year: int, start: date, as_at: date) -> str:
    """The roll and every measure's contributions for one school year, as DuckDB tables."""
    active_need = (
        f"identified_on <= DATE '{as_at}' AND (resolved_on IS NULL OR resolved_on > DATE '{as_at}')"
    )
    in_period = f"BETWEEN DATE '{start}' AND DATE '{as_at}'"
    return f"""
CREATE OR REPLACE TEMP TABLE roll AS
WITH e AS (
  SELECT *, row_number() OVER (PARTITION BY learner_id ORDER BY started_on DESC, id DESC) AS rn
  FROM enrolment
  WHERE started_on <= DATE '{as_at}' AND (ended_on IS NULL OR ended_on >= DATE '{start}')
),
st AS (SELECT learner_id, arg_max(national_stage, (decided_on, id)) AS national_stage
       FROM stage WHERE decided_on <= DATE '{as_at}' GROUP BY learner_id),
nd AS (SELECT DISTINCT learner_id FROM need WHERE {active_need}),
pt AS (SELECT learner_id, arg_max(plan_type, (statutory, id)) AS plan_type FROM plan
       WHERE id IN (SELECT plan_id FROM plan_version
                    WHERE finalised_at < TIMESTAMPTZ '{as_at}' + INTERVAL 1 DAY)
         AND (closed_on IS NULL OR closed_on >= DATE '{start}') GROUP BY learner_id)
SELECT e.learner_id, e.setting_id, s.authority_id, s.nation, e.year_group, l.sex,
  coalesce(CAST(l.deprivation_decile AS VARCHAR), 'unknown') AS decile,
  CASE WHEN l.looked_after THEN 'yes' ELSE 'no' END AS looked_after,
  CASE WHEN lower(trim(coalesce(l.home_language, ''))) IN ('english', 'saesneg') THEN 'english'
       WHEN lower(trim(coalesce(l.home_language, ''))) IN ('welsh', 'cymraeg') THEN 'welsh'
       WHEN trim(coalesce(l.home_language, '')) = '' THEN 'unknown' ELSE 'other' END
    AS home_language,
  s.language_medium AS medium, coalesce(st.national_stage, 'none') AS national_stage,
  nd.learner_id IS NOT NULL AS asn, coalesce(pt.plan_type, 'no_plan') AS plan_type
FROM e JOIN learner l ON l.id = e.learner_id JOIN setting s ON s.id = e.setting_id
LEFT JOIN st ON st.learner_id = e.learner_id LEFT JOIN nd ON nd.learner_id = e.learner_id
LEFT JOIN pt ON pt.learner_id = e.learner_id
WHERE e.rn = 1;

CREATE OR REPLACE TEMP TABLE roll_reason AS
SELECT DISTINCT r.learner_id, n.code FROM roll r JOIN need n ON n.learner_id = r.learner_id
WHERE {
        active_need.replace("identified_on", "n.identified_on").replace(
            "resolved_on", "n.resolved_on"
        )
    };

CREATE OR REPLACE TEMP TABLE first_agreed AS
SELECT learner_id, agreed_on,
  CASE WHEN month(agreed_on) >= 8 THEN year(agreed_on) ELSE year(agreed_on) - 1 END AS plan_year
FROM (SELECT p.learner_id,
        CAST(timezone('Europe/London', min(v.finalised_at)) AS DATE) AS agreed_on
      FROM plan p JOIN plan_version v ON v.plan_id = p.id GROUP BY p.learner_id);

CREATE OR REPLACE TEMP TABLE learner_attendance AS
SELECT learner_id, school_year,
  sum(attended_sessions)::DOUBLE * 100.0 / sum(possible_sessions)::DOUBLE AS rate
FROM attendance GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE wellbeing_score AS
SELECT a.id, a.learner_id, a.assessed_on,
  avg(CASE r.level WHEN 'significant_concern' THEN 0 WHEN 'some_concern' THEN 1
      WHEN 'no_concern' THEN 2 WHEN 'strength' THEN 3 END) AS score
FROM wellbeing_assessment a JOIN wellbeing_rating r ON r.assessment_id = a.id GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE contribution AS
SELECT * FROM (
  SELECT 'attendance_rate' AS m, learner_id, sum(attended_sessions)::DOUBLE AS n,
         sum(possible_sessions)::DOUBLE AS d FROM attendance WHERE school_year = {year}
         GROUP BY learner_id
  UNION ALL SELECT 'exclusions_per_thousand', learner_id, count(*), count(*) FROM exclusion
         WHERE school_year = {year} GROUP BY learner_id
  UNION ALL SELECT DISTINCT 'part_time_timetables', learner_id, 1, 1 FROM part_time
         WHERE starts_on <= DATE '{as_at}' AND (ends_on IS NULL OR ends_on >= DATE '{start}')
  UNION ALL SELECT 'mainstream_time', learner_id, sum(mainstream_hours_a_week),
         sum(timetabled_hours_a_week) FROM mainstream WHERE school_year = {year}
         GROUP BY learner_id
  UNION ALL SELECT 'curriculum_' || CASE WHEN s.nation = 'scotland' THEN 'levels'
         ELSE 'progress' END, j.learner_id, count(*) FILTER (WHERE expected_level_achieved),
         count(*) FROM judgement j JOIN roll r ON r.learner_id = j.learner_id
         JOIN setting s ON s.id = r.setting_id WHERE school_year = {year} GROUP BY ALL
  UNION ALL SELECT 'leavers_with_qualifications', learner_id,
         CASE WHEN learner_id IN (SELECT learner_id FROM qualification) THEN 1 ELSE 0 END, 1
         FROM leaver WHERE school_year = {year}
  UNION ALL SELECT 'positive_destinations', learner_id,
         CASE WHEN destination IN ('higher_education', 'further_education', 'training',
           'employment', 'voluntary_work', 'personal_skills') THEN 1 ELSE 0 END, 1
         FROM leaver WHERE school_year = {year} AND destination <> 'unknown'
  UNION ALL SELECT DISTINCT 'learners_with_a_plan', p.learner_id, 1, 1 FROM plan p
         JOIN plan_version v ON v.plan_id = p.id
         WHERE v.finalised_at < TIMESTAMPTZ '{as_at}' + INTERVAL 1 DAY
           AND (p.closed_on IS NULL OR p.closed_on > DATE '{as_at}')
  UNION ALL SELECT 'reviews_on_time', learner_id, count(*) FILTER (WHERE held_on <= due),
         count(*) FROM (
           SELECT r.learner_id, r.held_on, coalesce(
             lag(r.next_review_on) OVER (PARTITION BY r.plan_id ORDER BY r.held_on, r.id),
             v.next_review_on) AS due
           FROM review r LEFT JOIN plan_version v
             ON v.plan_id = r.plan_id AND v.number = r.version_number)
         WHERE held_on {in_period} AND due IS NOT NULL GROUP BY learner_id
  UNION ALL SELECT 'targets_achieved', learner_id, count(*) FILTER (WHERE progress = 'achieved'),
         count(*) FROM target_review WHERE held_on {in_period}
         AND progress <> 'no_longer_relevant' GROUP BY learner_id
  UNION ALL SELECT 'statutory_timescales_met', learner_id,
         count(*) FILTER (WHERE closed_on <= due_on), count(*) FROM process
         WHERE status = 'closed' AND outcome = 'done' AND closed_on {in_period}
         AND due_on IS NOT NULL GROUP BY learner_id
  UNION ALL SELECT 'requests_answered_in_time', learner_id,
         count(*) FILTER (WHERE answered_on <= due_on), count(*) FROM request
         WHERE answered_on {in_period} AND due_on IS NOT NULL GROUP BY learner_id
  UNION ALL SELECT 'attendance_change_since_plan', r.learner_id,
         round(now.rate - before.rate, 2), 1
         FROM roll r JOIN first_agreed f ON f.learner_id = r.learner_id
         JOIN learner_attendance before
           ON before.learner_id = r.learner_id AND before.school_year = f.plan_year - 1
         JOIN learner_attendance now
           ON now.learner_id = r.learner_id AND now.school_year = {year}
         WHERE r.asn AND f.plan_year < {year}
  UNION ALL SELECT 'wellbeing_change_since_plan', learner_id, round(now - before, 2), 1 FROM (
           SELECT r.learner_id,
             (SELECT score FROM wellbeing_score w WHERE w.learner_id = r.learner_id
                AND w.assessed_on <= f.agreed_on ORDER BY w.assessed_on DESC, w.id DESC
                LIMIT 1) AS before,
             (SELECT score FROM wellbeing_score w WHERE w.learner_id = r.learner_id
                AND w.assessed_on > f.agreed_on AND w.assessed_on {in_period}
                ORDER BY w.assessed_on DESC, w.id DESC LIMIT 1) AS now
           FROM roll r JOIN first_agreed f ON f.learner_id = r.learner_id
           WHERE r.asn AND f.agreed_on <= DATE '{as_at}')
         WHERE before IS NOT NULL AND now IS NOT NULL
  UNION ALL SELECT 'waiting_list_days', learner_id, sum(taken_on - waiting_since), count(*)
         FROM (SELECT r.learner_id, r.waiting_since,
                 CAST(timezone('Europe/London', min(e.happened_at)) AS DATE) AS taken_on
               FROM request r JOIN request_event e ON e.request_id = r.id
               WHERE r.waiting_since IS NOT NULL GROUP BY r.id, r.learner_id, r.waiting_since)
         WHERE taken_on {in_period} GROUP BY learner_id
) c WHERE learner_id IN (SELECT learner_id FROM roll);
"""


ON_ROLL = {
    "exclusions_per_thousand": "exclusion",
    "part_time_timetables": "part_time",
    "learners_with_a_plan": "",
}


def _row(*cell: object) -> tuple:
    """A national figure: its cell and learners, then the two sums rounded to hundredths."""
    *head, numerator, denominator = cell
    return (*head, round(float(numerator), 2), round(float(denominator), 2))  # type: ignore[arg-type]


def national_figures(connection, year: int) -> set[tuple]:
    """(nation, measure, breakdown, value, needs, learners, numerator, denominator) rows."""
    rows: set[tuple] = set()
    measured = _measured(connection, year)
    for breakdown, column in [*BREAKDOWNS.items(), ("reason", "x.code")]:
        join = "JOIN roll_reason x ON x.learner_id = r.learner_id" if breakdown == "reason" else ""
        sums = connection.execute(
            f"SELECT r.nation, c.m, {column} AS v, r.asn, count(*), sum(c.n), sum(c.d) "
            f"FROM contribution c JOIN roll r ON r.learner_id = c.learner_id {join} GROUP BY ALL"
        ).fetchall()
        roll = connection.execute(
            f"SELECT r.nation, {column} AS v, r.asn, count(*) FROM roll r {join} GROUP BY ALL"
        ).fetchall()
        numerators = {}
        for nation, code, value, needs, learners, numerator, denominator in sums:
            if code in ON_ROLL:
                numerators[(nation, code, value, needs)] = numerator
            else:
                rows.add(
                    _row(nation, code, breakdown, value, needs, learners, numerator, denominator)
                )
        for code in measured:
            for nation, value, needs, count in roll:
                if code == "learners_with_a_plan" and not needs:
                    continue
                numerator = numerators.get((nation, code, value, needs), 0)
                rows.add(_row(nation, code, breakdown, value, needs, count, numerator, count))
    return rows


def _measured(connection, year: int) -> set[str]:
    """The measures over the roll that have figures in the year (ON_ROLL)."""
    return {
        code
        for code, table in ON_ROLL.items()
        if not table
        or connection.execute(
            f"SELECT count(*) FROM {table} WHERE school_year = {year}"
        ).fetchall()[0][0]
    }


def _duckdb_connection(directory: Path):
    import duckdb

    connection = duckdb.connect()
    for name in EXPORTS:
        connection.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{directory / name}.parquet')"
        ).fetchall()
    return connection


def _each_year(connection, year: int) -> None:
    from stagewise.measurement.periods import school_year_bounds
    from stagewise.measurement.refresh_roll import as_at_date

    start, _end = school_year_bounds(year)
    connection.execute(_year_sql(year, start, as_at_date(year, AS_OF))).fetchall()


def duckdb_national_figures(directory: Path, years: list[int]) -> tuple[float, set[tuple]]:
    """The national figures only, straight from the roll: what the first comparison timed."""
    started = time.perf_counter()
    connection = _duckdb_connection(directory)
    found = set()
    for year in years:
        _each_year(connection, year)
        found |= {(year, *row) for row in national_figures(connection, year)}
    return time.perf_counter() - started, found


FIGURE_KEY = [
    "school_year",
    "level",
    "setting_id",
    "authority_id",
    "nation",
    "measure",
    "breakdown",
    "value",
    "asn",
]


# The columns of `figure` in the order the school rows are selected.
SCHOOL_COLUMNS = (
    "school_year, level, setting_id, authority_id, nation, measure, asn, breakdown, value, "
    "learners, numerator, denominator"
)


def _single_valued_sql(year: int) -> str:
    """Every school's figures for all learners and each single-valued breakdown, in one pass
    (GROUPING SETS, each grouped row labelled by GROUPING())."""
    columns = [column for breakdown, column in BREAKDOWNS.items() if breakdown != "all"]
    keys = "r.setting_id, r.authority_id, r.nation, c.m, r.asn"
    sets = ", ".join([f"({keys})", *(f"({keys}, r.{column})" for column in columns)])
    label = " ".join(
        f"WHEN GROUPING(r.{column}) = 0 THEN '{breakdown}'"
        for breakdown, column in BREAKDOWNS.items()
        if breakdown != "all"
    )
    values = ", ".join(f"CAST(r.{column} AS VARCHAR)" for column in columns)
    return (
        f"INSERT INTO figure ({SCHOOL_COLUMNS}) SELECT {year}, 'school', {keys}, "
        f"CASE {label} ELSE 'all' END, "
        f"coalesce({values}, ''), count(*), sum(c.n), sum(c.d) "
        f"FROM cell c JOIN roll r ON r.learner_id = c.learner_id GROUP BY GROUPING SETS ({sets})"
    )


def _full_year_sql(year: int, measured: set[str]) -> str:
    """Every figure the refresh writes for the year: each learner's cells (a measure over the
    roll gives every learner on it a cell, with a numerator of 0 where they contributed
    nothing), grouped per school by every breakdown, then added up per authority and nation."""
    over_roll = ", ".join(f"('{code}', {code == 'learners_with_a_plan'})" for code in measured)
    every = ", ".join(f"'{code}'" for code in ON_ROLL)
    rolled_up = "r.authority_id, r.nation, c.m, r.asn"
    return f"""
CREATE OR REPLACE TEMP TABLE cell AS
SELECT learner_id, m, n, d FROM contribution WHERE m NOT IN ({every})
UNION ALL
SELECT r.learner_id, o.m, coalesce(c.n, 0), 1
FROM roll r JOIN (VALUES {over_roll}) o(m, needs_only) ON r.asn OR NOT o.needs_only
LEFT JOIN contribution c ON c.learner_id = r.learner_id AND c.m = o.m;

{_single_valued_sql(year)};

INSERT INTO figure ({SCHOOL_COLUMNS})
SELECT {year}, 'school', r.setting_id, {rolled_up}, 'reason', x.code,
  count(*), sum(c.n), sum(c.d)
FROM cell c JOIN roll r ON r.learner_id = c.learner_id
JOIN roll_reason x ON x.learner_id = c.learner_id GROUP BY ALL;

INSERT INTO figure SELECT school_year, 'authority', NULL, authority_id, nation, measure,
  breakdown, value, asn, sum(learners), sum(numerator), sum(denominator)
FROM figure WHERE level = 'school' AND school_year = {year} GROUP BY ALL;

INSERT INTO figure SELECT school_year, 'nation', NULL, NULL, nation, measure,
  breakdown, value, asn, sum(learners), sum(numerator), sum(denominator)
FROM figure WHERE level = 'authority' AND school_year = {year} GROUP BY ALL;
"""


def duckdb_all_figures(directory: Path, years: list[int]):
    """Every figure the refresh writes (school, authority and nation, every breakdown and
    group), into the DuckDB table `figure`; returns the seconds and the connection."""
    started = time.perf_counter()
    connection = _duckdb_connection(directory)
    connection.execute(
        "CREATE TABLE figure (school_year INTEGER, level VARCHAR, setting_id BIGINT, "
        "authority_id BIGINT, nation VARCHAR, measure VARCHAR, breakdown VARCHAR, "
        "value VARCHAR, asn BOOLEAN, learners BIGINT, numerator DOUBLE, denominator DOUBLE)"
    )
    for year in years:
        _each_year(connection, year)
        connection.execute(_full_year_sql(year, _measured(connection, year))).fetchall()
    return time.perf_counter() - started, connection


# The refresh's figures, exported after it (not timed) to be compared with DuckDB's.
REFRESH_FIGURES = (
    "SELECT f.school_year, f.level, f.setting_id, f.authority_id, n.code AS nation, "
    "m.code AS measure, f.breakdown, f.breakdown_value AS value, "
    "f.additional_support_needs AS asn, f.learners, f.numerator, f.denominator "
    "FROM measurement_summaryfigure f JOIN measurement_measure m ON m.id = f.measure_id "
    "JOIN organisations_nation n ON n.id = f.nation_id"
)


def compare_all_figures(connection, directory: Path) -> dict[str, int]:
    """Cell by cell, every figure of the refresh against DuckDB's: the same learners, and the
    same sums up to rounding (the refresh keeps each learner's contribution to the hundredth, so
    its sum may differ from DuckDB's unrounded one by half a hundredth per learner)."""
    # An empty breakdown value (all learners) comes back from the CSV export as NULL.
    same_key = " AND ".join(
        f"coalesce(r.{key}, '') = d.{key}"
        if key == "value"
        else f"r.{key} IS NOT DISTINCT FROM d.{key}"
        for key in FIGURE_KEY
    )
    agree = (
        "r.learners = d.learners AND abs(r.numerator - d.numerator) <= 0.005 * r.learners "
        "+ 1e-6 AND abs(r.denominator - d.denominator) <= 0.005 * r.learners + 1e-6"
    )
    counts = connection.execute(
        f"SELECT count(*) FILTER (WHERE d.level IS NULL), count(*) FILTER (WHERE r.level IS "
        f"NULL), count(*) FILTER (WHERE r.level IS NOT NULL AND d.level IS NOT NULL AND {agree}),"
        " count(*) FILTER (WHERE r.level IS NOT NULL AND d.level IS NOT NULL AND NOT "
        f"({agree})), count(*) FILTER (WHERE r.level IS NOT NULL) "
        f"FROM read_parquet('{directory}/refresh_figure.parquet') r FULL JOIN figure d "
        f"ON {same_key}"
    ).fetchall()[0]
    names = ["refresh only", "DuckDB only", "agree", "differ", "refresh"]
    result = dict(zip(names, counts, strict=True))
    if result["agree"] != result["refresh"]:
        for row in connection.execute(
            f"SELECT r.*, d.learners, d.numerator, d.denominator "
            f"FROM read_parquet('{directory}/refresh_figure.parquet') r FULL JOIN figure d "
            f"ON {same_key} WHERE r.level IS NULL OR d.level IS NULL OR NOT ({agree}) LIMIT 5"
        ).fetchall():
            print(f"  differs: {row}")
    return result


def refresh_nation_rows() -> set[tuple]:
    from stagewise.measurement.models import SummaryFigure

    rows = SummaryFigure.objects.filter(level="nation").values_list(
        "school_year",
        "nation__code",
        "measure__code",
        "breakdown",
        "breakdown_value",
        "additional_support_needs",
        "learners",
        "numerator",
        "denominator",
    )
    return {
        (
            year,
            nation,
            code,
            breakdown,
            value,
            needs,
            learners,
            round(float(n), 2),
            round(float(d), 2),
        )
        for year, nation, code, breakdown, value, needs, learners, n, d in rows
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", default="stagewise_measures")
    parser.add_argument("--reuse", action="store_true", help="Keep the database a run left.")
    parser.add_argument(
        "--profile", action="store_true", help="Time each statement of the full refresh."
    )
    parser.add_argument(
        "--no-incremental", action="store_true", help="Skip the incremental refresh."
    )
    arguments = parser.parse_args()
    if not arguments.reuse:
        recreate_database(arguments.database)
    setup_django(arguments.database)

    from django.core.management import call_command
    from django.db import connection

    from stagewise.measurement.refresh import measures_refresh
    from stagewise.policy import SYSTEM
    from stagewise.synthetic.services import population_create

    if not arguments.reuse:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        report = population_create(nation="both", scale=arguments.scale, seed=SEED, as_of=AS_OF)
        print(
            f"Population (scale {arguments.scale}): {report.learners:,} learners written in "
            f"{time.perf_counter() - started:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    with statement_timings(connection, arguments.profile) as timings:
        result = measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    print(f"Full refresh: {result.describe()}")
    print(f"Full refresh time: {result.seconds:.1f} s (target at scale 1.0: under 300 s)")
    for seconds, statement in sorted(timings, reverse=True)[:12]:
        print(f"  {seconds:6.1f} s  {statement}")
    if not arguments.no_incremental:
        again = measures_refresh(actor=SYSTEM, full=False, today=AS_OF)
        print(f"Incremental refresh straight after: {again.describe()}")

    with tempfile.TemporaryDirectory(prefix="bench-measures-") as folder:
        directory = Path(folder)
        exported = export(directory, arguments.database)
        print(f"Parquet export of the source rows: {exported:.1f} s (not in the ratios)")
        export(directory, arguments.database, {"refresh_figure": REFRESH_FIGURES})
        national_seconds, found = duckdb_national_figures(directory, result.refreshed)
        all_seconds, duck = duckdb_all_figures(directory, result.refreshed)
        compared = compare_all_figures(duck, directory)
    print(f"DuckDB, the national figures only: {national_seconds:.1f} s")
    print(f"DuckDB, every figure the refresh writes: {all_seconds:.1f} s")
    expected = refresh_nation_rows()
    missing, extra = expected - found, found - expected
    print(
        f"National figures: {len(expected):,} from the refresh; DuckDB agrees on "
        f"{len(expected & found):,}, differs on {len(missing):,} (and has {len(extra):,} "
        "the refresh has not)"
    )
    for row in sorted(missing, key=str)[:5]:
        print(f"  refresh only: {row}")
    for row in sorted(extra, key=str)[:5]:
        print(f"  DuckDB only:  {row}")
    print(
        f"Every figure: {compared['refresh']:,} from the refresh; DuckDB agrees on "
        f"{compared['agree']:,}, differs on {compared['differ']:,}; the refresh alone has "
        f"{compared['refresh only']:,}, DuckDB alone {compared['DuckDB only']:,}"
    )
    print(
        f"Refresh time / DuckDB time, national figures only: "
        f"{result.seconds / national_seconds:.2f}; every figure: "
        f"{result.seconds / all_seconds:.2f} (goal: within 2)"
    )


@contextmanager
def statement_timings(connection, enabled: bool):
    """With --profile: each statement the refresh runs, timed (the list filled as it runs)."""
    timings: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - began, " ".join(sql.split())[:110]))

    if not enabled:
        yield timings
        return
    with connection.execute_wrapper(timed):
        yield timings


if __name__ == "__main__":
    main()
