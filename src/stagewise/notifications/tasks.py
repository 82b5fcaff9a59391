"""Background tasks on Django's tasks framework, worked by `stagewise db_worker`."""

from dataclasses import asdict

from django.conf import settings
from django.tasks import task

from stagewise.audit.services import audit_session
from stagewise.notifications.deadlines import deadline_sweep_run
from stagewise.policy import SYSTEM


@task
def deadline_sweep() -> dict[str, int]:
    """The daily deadline sweep (notifications/deadlines.py), as Stagewise itself."""
    with audit_session(path="task:deadline_sweep"):
        result = deadline_sweep_run(actor=SYSTEM, site_url=settings.SITE_URL)
    return asdict(result)
