"""The consistency report at national scale: each report page against the account settings page,
measured side by side in the same run, and what the consistency figures add to the refresh.

    .venv/bin/python bench/bench_consistency.py [--scale 1.0] [--database stagewise_consistency]
                                                [--reuse] [--requests 100]

1. Unless `--reuse`: drops and re-creates the PostgreSQL database (postgres@127.0.0.1:5432),
   migrates it, writes the synthetic population of Scotland and Wales at `--scale` (seed 2026, as
   bench/bench_measures.py does) and runs the full refresh, printing its time and the part of it
   spent writing the consistency figures (measurement/refresh_consistency.py).
2. Adds, idempotently, a national analyst for Scotland and one for Wales and an officer for
   Glasgow City, each with an authenticator app; then requests, through django.test.Client with
   force_login (middleware, views, templates and the audit writes; no network), each report page
   and `/me/` (account settings) alternately, `--requests` times each after warm-up, and prints
   p50 and p95 in milliseconds, the queries one request makes, and each page's p95 as a ratio to
   the settings page's. Goal (issue 16): within 3x.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboards import bench_person, pages_against_settings_page
from bench_measures import AS_OF
from bench_synth import SEED, recreate_database, setup_django

REPORT = "/measures/consistency/"


def build(scale: float) -> None:
    from django.core.management import call_command
    from django.db import connection

    from stagewise.measurement import refresh
    from stagewise.measurement.models import ConsistencyFigure
    from stagewise.policy import SYSTEM
    from stagewise.synthetic.services import population_create

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = population_create(nation="both", scale=scale, seed=SEED, as_of=AS_OF)
    print(
        f"Population (scale {scale}): {report.learners:,} learners in "
        f"{time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    consistency_seconds: list[float] = []
    write = refresh.consistency_figures_write

    def timed(**arguments: object) -> int:
        began = time.perf_counter()
        written = write(**arguments)  # type: ignore[arg-type]
        consistency_seconds.append(time.perf_counter() - began)
        return written

    refresh.consistency_figures_write = timed  # type: ignore[assignment]
    result = refresh.measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    print(f"Full refresh: {result.describe()}")
    print(
        f"  of which the consistency figures: {sum(consistency_seconds):.1f} s "
        f"({ConsistencyFigure.objects.count():,} rows, "
        f"{', '.join(f'{s:.1f}' for s in consistency_seconds)} s a year)"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", default="stagewise_consistency")
    parser.add_argument("--reuse", action="store_true", help="Keep the database a run left.")
    parser.add_argument("--requests", type=int, default=100)
    arguments = parser.parse_args()
    if not arguments.reuse:
        recreate_database(arguments.database)
    setup_django(arguments.database)
    if not arguments.reuse:
        build(arguments.scale)
    from django.core.management import call_command

    # The report's figures are kept in the database cache (ADR 0048), as in production.
    call_command("createcachetable", verbosity=0)

    from stagewise.learners.models import Learner
    from stagewise.measurement.models import ConsistencyFigure
    from stagewise.organisations.models import LocalAuthority, Nation, Role

    print(
        f"Learners: {Learner.objects.count():,}; consistency figures: "
        f"{ConsistencyFigure.objects.count():,}"
    )

    analyst = bench_person(
        "bench-consistency-analyst@synthetic.invalid",
        Role.NATIONAL_ANALYST,
        nation=Nation.objects.get(code="scotland"),
    )
    welsh_analyst = bench_person(
        "bench-consistency-welsh-analyst@synthetic.invalid",
        Role.NATIONAL_ANALYST,
        nation=Nation.objects.get(code="wales"),
    )
    officer = bench_person(
        "bench-consistency-officer@synthetic.invalid",
        Role.LOCAL_AUTHORITY_OFFICER,
        authority=LocalAuthority.objects.get(name="Glasgow City"),
    )
    pages = [
        ("analyst, Scotland: report", analyst, REPORT),
        ("analyst, Scotland: a narrower profile", analyst, f"{REPORT}?attendance=80_to_90"),
        ("analyst, Scotland: CSV", analyst, f"{REPORT}?format=csv"),
        ("analyst, Wales: report", welsh_analyst, REPORT),
        ("officer, Glasgow: schools compared", officer, REPORT),
    ]
    pages_against_settings_page(pages, analyst, arguments.requests)
    print("goal: every report page's p95 within 3x the settings page's")


if __name__ == "__main__":
    main()
