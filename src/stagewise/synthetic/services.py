"""Writing the synthetic population: guards, one transaction, bulk writes, sequences after."""

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from stagewise.learners.models import Enrolment, Learner
from stagewise.learners.selectors.list_filters import learner_list_filters_forget
from stagewise.organisations.models import LocalAuthority, Nation, Setting
from stagewise.synthetic.plan import SYNTHETIC_SETTING_PREFIX, population_plan
from stagewise.synthetic.population import population_rows
from stagewise.synthetic.progress import ProgressBar
from stagewise.synthetic.writers import (
    TABLES,
    Writer,
    analyse,
    lock_tables,
    next_ids,
    reset_sequences,
    writer_for_connection,
)

NATION_CHOICES = {
    "scotland": [Nation.SCOTLAND],
    "wales": [Nation.WALES],
    "both": [Nation.SCOTLAND, Nation.WALES],
}


class SyntheticPopulationRefused(Exception):
    """The database is not one the synthetic population may be written into."""


@dataclass
class PopulationReport:
    nations: list[str]
    scale: float
    seed: int
    as_of: date
    first_ids: dict[str, int]
    rows: dict[str, int] = field(default_factory=dict)
    learners: int = 0
    seconds: float = 0.0
    # Of `seconds`: generating and writing, then the commit (PostgreSQL checks the deferred
    # foreign keys of every row then), then refreshing the planner's statistics.
    seconds_writing: float = 0.0
    seconds_committing: float = 0.0
    seconds_analysing: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def synthetic_learner_ids() -> QuerySet[Enrolment, Any]:
    """Learners enrolled at a synthetic setting: the generator's own."""
    return Enrolment.objects.filter(setting__name__startswith=SYNTHETIC_SETTING_PREFIX).values(
        "learner_id"
    )


@contextmanager
def bulk_generation() -> Iterator[None]:
    """Settings for making millions of rows in Python while a thread streams them to the server.

    The rows hold no reference cycles, so the cyclic garbage collector would only re-walk millions
    of live tuples; and a short GIL switch interval hands the COPY thread the interpreter as soon
    as the server is ready for more, instead of after up to 5 ms of generating.
    """
    collecting = gc.isenabled()
    switch_interval = sys.getswitchinterval()
    gc.disable()
    sys.setswitchinterval(0.0005)
    try:
        yield
    finally:
        sys.setswitchinterval(switch_interval)
        if collecting:
            gc.enable()


def population_check(*, nation_codes: list[str], append: bool) -> None:
    """Refuse production, a nation that already has a synthetic population, and real learners."""
    if settings.PRODUCTION:
        raise SyntheticPopulationRefused(
            "Synthetic learners are never written to a production database "
            "(STAGEWISE_ENVIRONMENT=production). Use a separate database for load tests."
        )
    for code in nation_codes:
        existing = Setting.objects.filter(
            authority__nation__code=code, name__startswith=SYNTHETIC_SETTING_PREFIX
        ).count()
        if existing:
            raise SyntheticPopulationRefused(
                f"{Nation.objects.get(code=code).name} already has a synthetic population "
                f"({existing:,} synthetic settings). Generate into a fresh database instead: "
                "create one, point DATABASE_URL at it, run `stagewise migrate`, then "
                "`stagewise synth` again."
            )
    real = Learner.objects.exclude(pk__in=synthetic_learner_ids()).count()
    if real and not append:
        raise SyntheticPopulationRefused(
            f"This database holds {real:,} learners who are not synthetic. The synthetic "
            "population is meant for an empty database: point DATABASE_URL at a new database, "
            "run `stagewise migrate` and `stagewise synth` there. To add synthetic learners "
            "alongside these anyway (never on a live system), add --append."
        )


def population_create(
    *,
    nation: str,
    scale: float,
    seed: int,
    as_of: date | None = None,
    append: bool = False,
    batch_size: int = 20_000,
    copy_method: str = "text",
    progress: TextIO | None = None,
    analyse_after: bool = True,
    writer: Writer | None = None,
) -> PopulationReport:
    """Generate and write the synthetic population of `nation` ("scotland", "wales" or "both").

    Everything is written in one transaction through bulk paths (COPY on PostgreSQL, executemany
    on SQLite): either the whole population is there afterwards or none of it. Deterministic for
    (seed, scale, as_of) on a database without earlier learners.
    """
    if nation not in NATION_CHOICES:
        raise ValueError(f"Choose a nation from {', '.join(NATION_CHOICES)}.")
    nation_codes = NATION_CHOICES[nation]
    as_of = as_of or date.today()
    started = time.perf_counter()
    with transaction.atomic():
        lock_tables()
        population_check(nation_codes=nation_codes, append=append)
        plans = population_plan(nation_codes=nation_codes, scale=scale)
        first_ids = next_ids()
        used_candidate_numbers: set[str] = set()
        if Learner.objects.exists():
            used_candidate_numbers = set(Learner.objects.values_list("candidate_number", flat=True))
        report = PopulationReport(nation_codes, scale, seed, as_of, first_ids)
        report.rows = dict.fromkeys((table.key for table in TABLES), 0)
        writer = writer or writer_for_connection(copy_method)
        bar = None
        if progress is not None:
            label = " and ".join(code.title() for code in nation_codes)
            bar = ProgressBar(sum(plan.learners for plan in plans), label, progress)
        with bulk_generation():
            try:
                for batch, learners in population_rows(
                    plans,
                    seed=seed,
                    as_of=as_of,
                    first_ids=first_ids,
                    batch_size=batch_size,
                    used_candidate_numbers=used_candidate_numbers,
                ):
                    writer.write(batch)
                    for key, rows in batch.items():
                        report.rows[key] += len(rows)
                    report.learners += learners
                    if bar is not None and learners:
                        bar.advance(learners)
            finally:
                # Waits for the last batch; a failed write raises here and rolls everything back.
                writer.close()
        if bar is not None:
            bar.close()
        if progress is not None and connection.vendor == "postgresql":
            progress.write("Committing: PostgreSQL checks every foreign key now...\n")
        reset_sequences()
        # The schools came by COPY, which sends no signal: the learner list's filters of the
        # nations' authorities are read again.
        learner_list_filters_forget(
            authority_ids=set(
                LocalAuthority.objects.filter(nation__code__in=nation_codes).values_list(
                    "pk", flat=True
                )
            )
        )
        written = time.perf_counter()
    committed = time.perf_counter()
    if analyse_after and connection.vendor == "postgresql":
        analyse()
    report.seconds_writing = written - started
    report.seconds_committing = committed - written
    report.seconds_analysing = time.perf_counter() - committed
    report.seconds = time.perf_counter() - started
    return report
