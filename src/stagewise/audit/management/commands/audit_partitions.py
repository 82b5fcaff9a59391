from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stagewise.audit.partitions import MONTHS_AHEAD
from stagewise.audit.tasks import audit_partitions, audit_partitions_maintain
from stagewise.command_database import ensure_migrated


class Command(BaseCommand):
    help = (
        f"Creates the audit log's monthly partitions (PostgreSQL) for this month and the next "
        f"{MONTHS_AHEAD}, where missing, and removes whole the months the access trail's retention "
        "schedule no longer keeps; does nothing on SQLite. Runs once, now; with --enqueue "
        "it is put on the task queue for `stagewise db_worker` instead. Schedule it daily beside "
        "the deadline sweep: a missed month is not lost (its events go to the default partition)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker rather than running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        if options["enqueue"]:
            queued = audit_partitions.enqueue()
            self.stdout.write(f"Audit partitions queued as task {queued.id}.")
            return
        result = audit_partitions_maintain()
        self.stdout.write(f"Created: {', '.join(result['created']) or 'none'}.")
        if result["left_in_default"]:
            self.stdout.write(
                "Left in the default partition (events arrived before their month's partition): "
                + ", ".join(result["left_in_default"])
            )
        self.stdout.write(f"Removed: {', '.join(result['removed']) or 'none'}.")
