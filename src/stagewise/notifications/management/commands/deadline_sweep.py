from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from stagewise.audit.services import audit_session
from stagewise.command_database import ensure_migrated
from stagewise.notifications.deadlines import deadline_sweep_run
from stagewise.notifications.tasks import deadline_sweep
from stagewise.policy import SYSTEM


class Command(BaseCommand):
    help = (
        "The daily deadline sweep: sets dates waiting for a calendar, reminds the people who must "
        "act before statutory dates, tells authorities which calendars are needed and families "
        "when a date changed, and emails each person a digest. Runs once, now; with --enqueue it "
        "is put on the task queue for `stagewise db_worker` instead. Safe to run again: nothing "
        "is sent twice. Schedule it daily (cron or a systemd timer; see the README)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the sweep for the worker rather than running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        if options["enqueue"]:
            queued = deadline_sweep.enqueue()
            self.stdout.write(f"Deadline sweep queued as task {queued.id}.")
            return
        with audit_session(path="command:deadline_sweep"):
            result = deadline_sweep_run(actor=SYSTEM, site_url=settings.SITE_URL)
        self.stdout.write(result.describe())
