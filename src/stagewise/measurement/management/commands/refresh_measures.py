from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stagewise.audit.services import audit_session
from stagewise.command_database import ensure_migrated
from stagewise.measurement.refresh import measures_refresh
from stagewise.measurement.tasks import refresh_measures
from stagewise.policy import SYSTEM


class Command(BaseCommand):
    help = (
        "Refreshes the summary figures every measures dashboard reads: per school, authority and "
        "nation, school year, breakdown and group. By default only the school years whose "
        "records changed since their last refresh, and the current one; --full recomputes every "
        "year (schedule it nightly). With --enqueue it is put on the task queue for "
        "`stagewise db_worker` instead of running here. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full", action="store_true", help="Recompute every school year, changed or not."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the refresh for the worker rather than running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        if options["enqueue"]:
            queued = refresh_measures.enqueue(full=options["full"])
            self.stdout.write(f"Refresh of the measures queued as task {queued.id}.")
            return
        with audit_session(path="command:refresh_measures"):
            result = measures_refresh(actor=SYSTEM, full=options["full"])
        self.stdout.write(result.describe())
