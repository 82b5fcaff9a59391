from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stagewise.audit.services import audit_session
from stagewise.command_database import ensure_migrated
from stagewise.policy import SYSTEM
from stagewise.webhooks.services import webhook_deliveries_requeue
from stagewise.webhooks.tasks import webhook_deliveries_sweep


class Command(BaseCommand):
    help = (
        "Queues again the webhook deliveries that are due but whose task was lost (a worker "
        "stopped mid-attempt). Runs once, now; with --enqueue it is put on the task queue for "
        "`stagewise db_worker` instead. Safe to run again: a delivery is sent once. Schedule it "
        "every ten minutes or so (docs/howto/webhooks.md)."
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
            queued = webhook_deliveries_sweep.enqueue()
            self.stdout.write(f"Webhook deliveries sweep queued as task {queued.id}.")
            return
        with audit_session(path="command:webhook_deliveries_sweep"):
            requeued = webhook_deliveries_requeue(actor=SYSTEM)
        self.stdout.write(f"Webhook deliveries queued again: {requeued}.")
