"""The daily retention review and stored-files sweep on Django's tasks framework, worked by
`stagewise db_worker`."""

from dataclasses import asdict

from django.tasks import task

from stagewise.audit.services import audit_session
from stagewise.data_protection.services import retention_review_run
from stagewise.data_protection.stored_files import stored_files_sweep as stored_files_sweep_run
from stagewise.policy import SYSTEM


@task
def retention_review() -> dict[str, object]:
    """What is due for review under the retention schedules, as Stagewise itself."""
    with audit_session(path="task:retention_review"):
        result = retention_review_run(actor=SYSTEM)
    return {key: str(value) for key, value in asdict(result).items()}


@task
def stored_files_sweep() -> dict[str, object]:
    """Deletes stored files that no record names (left by rolled-back writes), a day after."""
    return asdict(stored_files_sweep_run())
