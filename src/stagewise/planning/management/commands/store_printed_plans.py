from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagewise.command_database import ensure_migrated
from stagewise.planning.models import PlanVersion
from stagewise.planning.printed import printed_plans_missing, printed_plans_store
from stagewise.planning.tasks import store_printed_plans
from stagewise.printing import PdfUnavailableError


class Command(BaseCommand):
    help = (
        "Stores the PDFs of every finalised plan version that lacks a current copy, in English "
        "and Welsh, for staff and for the family: run once after upgrading, and after a change "
        "to the printed layout so downloads need not render. With --enqueue each version is put "
        "on the task queue for `stagewise db_worker` instead. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one task per version for the worker rather than rendering here.",
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="Handle at most this many versions."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        missing = printed_plans_missing()[: options["limit"]]
        if options["enqueue"]:
            for version_id in missing:
                store_printed_plans.enqueue(version_id)
            self.stdout.write(f"Printed copies of {len(missing)} plan versions queued.")
            return
        made = 0
        for version in PlanVersion.objects.filter(pk__in=missing).select_related("plan__learner"):
            try:
                made += printed_plans_store(version)
            except PdfUnavailableError as error:
                raise CommandError(f"PDFs cannot be made on this server: {error}") from error
        self.stdout.write(f"{made} printed copies stored for {len(missing)} plan versions.")
