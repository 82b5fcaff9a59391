"""What the departure figures (issue 16 item 4, measurement/refresh_departures.py) add to the
refresh, beside the consistency figures written in the same transaction.

    .venv/bin/python bench/bench_departures.py [--scale 0.1] [--database stagewise_departures_bench]

Drops and re-creates the PostgreSQL database (postgres@127.0.0.1:5432), migrates it, writes the
synthetic population of Scotland and Wales at `--scale` (seed 2026, as bench/bench_measures.py
does; its stage decisions carry suggestions and departures, synthetic/departures.py), runs the
full refresh and prints its time, the part spent writing the consistency figures and the part
spent writing the departure figures, and how many departure rows and decisions were counted.
"""

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_measures import AS_OF
from bench_synth import SEED, recreate_database, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--database", default="stagewise_departures_bench")
    arguments = parser.parse_args()
    recreate_database(arguments.database)
    setup_django(arguments.database)

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum

    from stagewise.measurement import refresh
    from stagewise.measurement.models import DepartureFigure
    from stagewise.policy import SYSTEM
    from stagewise.synthetic.services import population_create

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = population_create(nation="both", scale=arguments.scale, seed=SEED, as_of=AS_OF)
    print(
        f"Population (scale {arguments.scale}): {report.learners:,} learners in "
        f"{time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    seconds: dict[str, list[float]] = {"consistency": [], "departures": []}

    def timed(name: str, write: Callable[..., int]) -> Callable[..., int]:
        def run(**arguments: object) -> int:
            began = time.perf_counter()
            written = write(**arguments)
            seconds[name].append(time.perf_counter() - began)
            return written

        return run

    refresh.consistency_figures_write = timed("consistency", refresh.consistency_figures_write)
    refresh.departure_figures_write = timed("departures", refresh.departure_figures_write)
    began = time.perf_counter()
    refresh.measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    total = time.perf_counter() - began
    print(f"Full refresh: {total:.1f} s over {len(seconds['departures'])} school years")
    for name, spent in seconds.items():
        print(f"  {name} figures: {sum(spent):.2f} s ({100 * sum(spent) / total:.1f}%)")
    nation_rows = DepartureFigure.objects.filter(level="nation")
    print(
        f"Departure figures: {DepartureFigure.objects.count():,} rows; decisions counted "
        f"{nation_rows.aggregate(n=Sum('decisions'))['n'] or 0:,}, of which departed "
        f"{nation_rows.filter(departs=True).aggregate(n=Sum('decisions'))['n'] or 0:,}"
    )


if __name__ == "__main__":
    main()
