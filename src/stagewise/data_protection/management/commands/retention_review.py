from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stagewise.audit.services import audit_session
from stagewise.command_database import ensure_migrated
from stagewise.data_protection.services import retention_review_run
from stagewise.data_protection.tasks import retention_review
from stagewise.policy import SYSTEM


class Command(BaseCommand):
    help = (
        "The daily retention review: lists, for each authority's data protection officer, the "
        "learners whose records have passed their retention period, by record type. Deletes "
        "nothing held about a learner; removes, past their schedule, records about no one "
        "learner (old roll imports). Runs once, now; with --enqueue it is put on the task queue "
        "for `stagewise db_worker` instead. Schedule it daily beside the deadline sweep."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the review for the worker rather than running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        if options["enqueue"]:
            queued = retention_review.enqueue()
            self.stdout.write(f"Retention review queued as task {queued.id}.")
            return
        with audit_session(path="command:retention_review"):
            result = retention_review_run(actor=SYSTEM)
        self.stdout.write(result.describe())
