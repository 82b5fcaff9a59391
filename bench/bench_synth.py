"""Synthetic population benchmark: the generator against a plain COPY of the same rows.

    .venv/bin/python bench/bench_synth.py [--nation scotland] [--scale 1.0] [--copy-method text]

1. Drops and re-creates the PostgreSQL database `stagewise_bench` (postgres@127.0.0.1:5432) and
   migrates it.
2. Times the generator end to end: plan, generate, format, COPY, sequences, commit (which runs the
   deferred foreign-key checks). The final ANALYZE is timed separately.
3. Generates the same rows again into in-memory COPY text (timed: that is the generator's own
   cost), TRUNCATEs the tables, and times a plain COPY of those buffers in one transaction with
   the same indexes and constraints, commit included.
4. Prints rows per second for both and their ratio (target: the generator at least half as fast as
   the plain COPY; all of Scotland in under five minutes on two cores).

The database is left holding the national dataset for bench/bench_pages.py.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
# The PostgreSQL server benchmarks use; STAGEWISE_BENCH_POSTGRESQL names another (a private
# cluster, say, that a fault test may restart without disturbing anyone else's databases).
SERVER = os.environ.get("STAGEWISE_BENCH_POSTGRESQL", "postgres://postgres@127.0.0.1:5432")
# A fixed reference day, so every run writes exactly the same rows.
AS_OF = date(2026, 11, 20)
SEED = 2026
COPY_CHUNK = 1 << 20


def recreate_database(name: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    # DEBUG would keep every query in memory; the benchmark measures the code, not the debugger.
    os.environ["STAGEWISE_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagewise.settings")
    sys.path.insert(0, str(PROJECT / "src"))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nation", default="scotland", choices=["scotland", "wales", "both"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--copy-method", default="text", choices=["text", "write_row"])
    parser.add_argument("--batch-size", type=int, default=20_000, help="Learners per batch.")
    parser.add_argument("--database", default="stagewise_bench")
    arguments = parser.parse_args()

    recreate_database(arguments.database)
    setup_django(arguments.database)

    from django.core.management import call_command
    from django.db import connection, transaction

    from stagewise.synthetic.plan import population_plan
    from stagewise.synthetic.population import population_rows
    from stagewise.synthetic.services import (
        NATION_CHOICES,
        bulk_generation,
        population_create,
    )
    from stagewise.synthetic.writers import TABLES, TextBufferWriter, analyse

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]

    print(
        f"Generating {arguments.nation} at scale {arguments.scale} into {arguments.database} "
        f"(PostgreSQL {server_version}, COPY method {arguments.copy_method}, "
        f"{arguments.batch_size:,} learners a batch)...",
        flush=True,
    )
    report = population_create(
        nation=arguments.nation,
        scale=arguments.scale,
        seed=SEED,
        as_of=AS_OF,
        copy_method=arguments.copy_method,
        batch_size=arguments.batch_size,
        progress=sys.stderr,
        analyse_after=False,
    )
    generator_seconds = report.seconds
    rows = report.total_rows

    # The same rows again, into memory: the generator's cost without a database.
    started = time.perf_counter()
    buffers = TextBufferWriter()
    plans = population_plan(nation_codes=NATION_CHOICES[arguments.nation], scale=arguments.scale)
    with bulk_generation():
        for batch, _learners in population_rows(
            plans, seed=SEED, as_of=AS_OF, first_ids=report.first_ids
        ):
            buffers.write(batch)
    generation_seconds = time.perf_counter() - started
    if buffers.rows != report.rows:
        raise SystemExit(f"The second generation differs: {buffers.rows} != {report.rows}")

    tables = ", ".join(connection.ops.quote_name(table.db_table) for table in TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            for table in TABLES:
                text = buffers.buffers[table.key].getvalue()
                statement = (
                    f"COPY {connection.ops.quote_name(table.db_table)} "
                    f"({table.quoted_columns()}) FROM STDIN"
                )
                with cursor.copy(statement) as copy:
                    for offset in range(0, len(text), COPY_CHUNK):
                        copy.write(text[offset : offset + COPY_CHUNK])
        copied = time.perf_counter()
    copy_seconds = time.perf_counter() - started
    copy_commit_seconds = started + copy_seconds - copied

    started = time.perf_counter()
    analyse()
    analyse_seconds = time.perf_counter() - started

    generator_rate = rows / generator_seconds
    copy_rate = rows / copy_seconds
    print()
    print(f"{arguments.nation.title()} at scale {arguments.scale}: {report.learners:,} learners")
    for key, count in report.rows.items():
        print(f"  {key.replace('_', ' '):<16} {count:>10,}")
    print(f"  {'all rows':<16} {rows:>10,}")
    print()
    print(
        f"generator (plan, generate, COPY, commit):  {generator_seconds:7.1f} s  "
        f"{generator_rate:>10,.0f} rows/s"
    )
    print(
        f"  of which writing {report.seconds_writing:.1f} s, "
        f"commit (deferred foreign-key checks) {report.seconds_committing:.1f} s"
    )
    print(
        f"plain COPY of the same rows (commit):       {copy_seconds:7.1f} s  "
        f"{copy_rate:>10,.0f} rows/s"
    )
    print(
        f"  of which COPY {copy_seconds - copy_commit_seconds:.1f} s, "
        f"commit (deferred foreign-key checks) {copy_commit_seconds:.1f} s"
    )
    print(
        f"ratio generator / plain COPY:               {generator_rate / copy_rate:7.2f}   "
        "(target at least 0.50)"
    )
    print(
        f"generation alone, into memory:             {generation_seconds:7.1f} s  "
        f"{rows / generation_seconds:>10,.0f} rows/s"
    )
    print(f"ANALYZE afterwards (not in either figure):  {analyse_seconds:7.1f} s")
    print(
        f"All of it under five minutes: {'yes' if generator_seconds < 300 else 'NO'} "
        f"({generator_seconds / 60:.1f} min)"
    )


if __name__ == "__main__":
    main()
