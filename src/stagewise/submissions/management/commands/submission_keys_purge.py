from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stagewise.command_database import ensure_migrated
from stagewise.submissions.keys import KEYS_KEPT_FOR, saved_submissions_purge
from stagewise.submissions.tasks import submission_keys_purge


class Command(BaseCommand):
    help = (
        f"Forgets the one-time keys of forms saved more than {KEYS_KEPT_FOR.days} days ago "
        "(a form sent again after that is saved again). Runs once, now; with --enqueue it is put "
        "on the task queue for `stagewise db_worker` instead. Schedule it daily beside the "
        "deadline sweep."
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
            queued = submission_keys_purge.enqueue()
            self.stdout.write(f"Submission keys purge queued as task {queued.id}.")
            return
        forgotten = saved_submissions_purge()
        self.stdout.write(f"Forgot {forgotten} submission keys.")
