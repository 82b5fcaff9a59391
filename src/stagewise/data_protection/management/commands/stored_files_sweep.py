from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stagewise.command_database import ensure_migrated
from stagewise.data_protection.stored_files import ORPHAN_GRACE, stored_files_sweep
from stagewise.data_protection.tasks import stored_files_sweep as stored_files_sweep_task


class Command(BaseCommand):
    help = (
        "Deletes stored files (request attachments, action plan evidence, printed plans) that "
        f"no record names and that are older than {ORPHAN_GRACE.days} day: files left behind "
        "when the write that stored them was rolled back. Runs once, now; with --enqueue it is "
        "put on the task queue for `stagewise db_worker` instead. Schedule it daily beside the "
        "deadline sweep."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the sweep for the worker rather than running it here.",
        )
        group.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be deleted, and delete nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        if options["enqueue"]:
            queued = stored_files_sweep_task.enqueue()
            self.stdout.write(f"Stored files sweep queued as task {queued.id}.")
            return
        result = stored_files_sweep(dry_run=options["dry_run"])
        verb = "would be deleted" if options["dry_run"] else "deleted"
        self.stdout.write(
            f"{result.examined} stored files examined, {result.orphaned} named by no record: "
            f"{result.deleted} {verb}, {result.too_recent} kept as too recent to tell."
        )
