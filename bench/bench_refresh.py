"""The full summary refresh alone, on a database bench_measures.py or bench_consistency.py left,
timed by phase, with its figures checked against a snapshot of an earlier run's.

    .venv/bin/python bench/bench_refresh.py --database stagewise_refresh3
        [--snapshot NAME] [--compare NAME] [--slowest 15]

1. Runs `measures_refresh(full=True)` as of bench_measures.AS_OF, timing every statement, and
   prints the total, the time per phase summed over the school years (the roll, its reasons,
   each measure's contributions, the school rows, the authority and nation rows, the
   consistency figures, the new table's keys, ANALYZE, the rest) and the slowest statements,
   with the load average at the start and the end.
2. `--snapshot NAME` keeps every figure the refresh wrote (SummaryFigure and ConsistencyFigure,
   every column but the id and the time of the refresh) in the tables bench_NAME_summary and
   bench_NAME_consistency of the same database; `--compare NAME` checks, after the refresh,
   that it wrote exactly the rows of that snapshot (each table's rows in one and not the
   other, both ways), so a change to the refresh can be shown to leave every figure as it was.
"""

# The SQL below is built from table and column names read from the database, never from input.
# ruff: noqa: S608

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_measures import AS_OF
from bench_synth import setup_django

FIGURE_TABLES = {
    "summary": "measurement_summaryfigure",
    "consistency": "measurement_consistencyfigure",
}
NOT_COMPARED = {"id", "refreshed_at"}


def phase_of(sql: str, params: object, measures: dict[int, str]) -> str:
    """The refresh's phase a statement belongs to, from its text (and, for a contribution, the
    measure among its parameters)."""
    head = " ".join(sql.split())[:200]
    if head.startswith("INSERT INTO"):
        table = head.split()[2].strip('"')
        if table == "measurement_learneryearcontribution":
            measure = params[1] if isinstance(params, list | tuple) and len(params) > 1 else None
            return f"contributions: {measures.get(measure, measure)}"  # type: ignore[arg-type]
        if table == "measurement_summaryfigure":
            return summary_rows_phase(sql)
        return {
            "measurement_learneryear": "roll",
            "measurement_learneryearreason": "roll: reasons",
            "measurement_consistencyfigure": "consistency figures",
        }.get(table, f"insert: {table}")
    if head.startswith("ALTER TABLE") or head.startswith("CREATE UNIQUE INDEX"):
        return "new table: keys and indexes"
    if head.startswith("CREATE INDEX"):
        return "new table: keys and indexes"
    if head.startswith("ANALYZE"):
        return "ANALYZE"
    if head.startswith("DELETE") and "consistencyfigure" in head:
        return "consistency figures"
    return "other"


def summary_rows_phase(sql: str) -> str:
    if 'FROM "measurement_summaryfigure"' in sql:
        return "summary rows: authority and nation"
    if "GROUPING SETS" in sql:
        if "LATERAL" in sql:
            return "summary rows: school, measures over the roll (grouping sets)"
        return "summary rows: school, contributions (grouping sets)"
    return "summary rows: school, by reason"


def snapshot(cursor, name: str) -> None:
    for part, table in FIGURE_TABLES.items():
        columns = figure_columns(cursor, table)
        cursor.execute(f"DROP TABLE IF EXISTS bench_{name}_{part}")
        cursor.execute(f"CREATE TABLE bench_{name}_{part} AS SELECT {columns} FROM {table}")
        cursor.execute(f"SELECT count(*) FROM bench_{name}_{part}")
        print(f"Snapshot bench_{name}_{part}: {cursor.fetchone()[0]:,} rows")


def figure_columns(cursor, table: str) -> str:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    )
    return ", ".join(name for (name,) in cursor.fetchall() if name not in NOT_COMPARED)


def compare(cursor, name: str) -> bool:
    same = True
    for part, table in FIGURE_TABLES.items():
        columns = figure_columns(cursor, table)
        counts = []
        for first, second in ((table, f"bench_{name}_{part}"), (f"bench_{name}_{part}", table)):
            cursor.execute(
                f"SELECT count(*) FROM (SELECT {columns} FROM {first} "
                f"EXCEPT ALL SELECT {columns} FROM {second}) d"
            )
            counts.append(cursor.fetchone()[0])
        cursor.execute(f"SELECT count(*) FROM {table}")
        rows = cursor.fetchone()[0]
        print(
            f"{table}: {rows:,} rows; not in snapshot {name}: {counts[0]:,}; "
            f"in the snapshot only: {counts[1]:,}"
        )
        same = same and counts == [0, 0]
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--snapshot", help="Keep this run's figures under this name.")
    parser.add_argument("--compare", help="Check this run's figures against a snapshot.")
    parser.add_argument("--slowest", type=int, default=15)
    parser.add_argument(
        "--no-refresh", action="store_true", help="Only snapshot or compare the figures there."
    )
    arguments = parser.parse_args()
    setup_django(arguments.database)

    from django.db import connection

    from stagewise.measurement.models import Measure
    from stagewise.measurement.refresh import measures_refresh
    from stagewise.policy import SYSTEM

    measures = dict(Measure.objects.values_list("pk", "code"))
    phases: dict[str, float] = defaultdict(float)
    statements: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - began
            phase = phase_of(sql, params, measures)
            phases[phase] += seconds
            statements.append((seconds, f"[{phase}] " + " ".join(sql.split())[:100]))

    if not arguments.no_refresh:
        print(f"Load average at the start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        with connection.execute_wrapper(timed):
            result = measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
        print(f"Load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"Full refresh: {result.describe()}")
        print(f"Full refresh time: {result.seconds:.1f} s (budget: 300 s)")
        print("By phase, summed over the school years:")
        for phase, seconds in sorted(phases.items(), key=lambda item: -item[1]):
            print(f"  {seconds:7.1f} s  {phase}")
        print("Slowest statements:")
        for seconds, statement in sorted(statements, reverse=True)[: arguments.slowest]:
            print(f"  {seconds:6.1f} s  {statement}")
    with connection.cursor() as cursor:
        if arguments.compare:
            same = compare(cursor, arguments.compare)
            print(f"Every figure as in snapshot {arguments.compare}: {'yes' if same else 'NO'}")
        if arguments.snapshot:
            snapshot(cursor, arguments.snapshot)


if __name__ == "__main__":
    main()
