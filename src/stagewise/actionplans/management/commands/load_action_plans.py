from typing import Any

from django.core.management.base import BaseCommand

from stagewise.actionplans.services import published_plans_load
from stagewise.audit.services import audit_session
from stagewise.command_database import ensure_migrated
from stagewise.policy import SYSTEM


class Command(BaseCommand):
    help = (
        "Load the published national action plans (actionplans/data/published_plans.json): the "
        "bodies they make responsible, the plans, their actions and published progress updates. "
        "Creates only what is missing, so running it again creates nothing twice and leaves the "
        "tracking policy officers have done as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        with audit_session(path="command:load_action_plans"):
            result = published_plans_load(actor=SYSTEM)
        self.stdout.write(result.describe())
