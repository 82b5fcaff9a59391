from datetime import date
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagewise.command_database import ensure_migrated
from stagewise.synthetic.services import (
    NATION_CHOICES,
    SyntheticPopulationRefused,
    population_create,
)
from stagewise.synthetic.writers import UnknownFieldError


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Give the date as YYYY-MM-DD, like 2026-09-01, not {value!r}."
        ) from None


class Command(BaseCommand):
    help = (
        "Generate a synthetic national population calibrated to the published figures "
        "(RULES.md section 7): every authority, settings, learners, families, needs and stage "
        "decisions, plans and statutory clocks, services with their pathways and practitioners, "
        "and requests for assistance with their consents and histories. Scale 1.0 is national "
        "size (about 702,000 learners in Scotland, 470,000 in Wales). Deterministic for a seed "
        "and reference date; refuses a database with real learners."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--nation", choices=list(NATION_CHOICES), default="scotland")
        parser.add_argument(
            "--scale", type=float, default=0.01, help="1.0 is national size (default 0.01)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--as-of",
            type=iso_date,
            default=None,
            help="The day the population is as of (YYYY-MM-DD; default today). Dates of birth, "
            "enrolments and decisions are placed relative to it.",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add synthetic learners even though the database holds real ones.",
        )
        parser.add_argument("--batch-size", type=int, default=20_000, help="Learners per write.")
        parser.add_argument(
            "--copy-method",
            choices=["text", "write_row"],
            default="text",
            help="PostgreSQL only: format COPY text in Python, or use psycopg's write_row.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Stop, saying what to run, if the database is not migrated (by default the "
            "command migrates it first, except in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("The scale must be above 0 (1.0 is national size).")
        ensure_migrated(self, migrate=not options["no_migrate"])
        try:
            report = population_create(
                nation=options["nation"],
                scale=options["scale"],
                seed=options["seed"],
                as_of=options["as_of"],
                append=options["append"],
                batch_size=options["batch_size"],
                copy_method=options["copy_method"],
                # The raw stream: Django's wrapper would end every redraw with a newline.
                progress=None if options["no_progress"] else cast(TextIO, self.stderr._out),
            )
        except (SyntheticPopulationRefused, UnknownFieldError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic population written: {report.learners:,} learners, "
                f"{report.total_rows:,} rows in {report.seconds:.1f}s "
                f"({report.total_rows / max(report.seconds, 1e-9):,.0f} rows/s)."
            )
        )
        for key, count in report.rows.items():
            self.stdout.write(f"  {key.replace('_', ' '):<16} {count:>10,}")
