"""The data protection officer's exports and the daily retention review: every one guarded."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.data_protection.models import RetentionDue
from stagewise.data_protection.retention import retention_due_rows
from stagewise.data_protection.subject_access import SubjectAccessBundle, subject_access_bundle
from stagewise.learners.access import SUBJECT_ACCESS_PURPOSE, require_for_subject_access
from stagewise.learners.models import Learner
from stagewise.policy import SystemProcess

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def subject_access_export(
    *, actor: "Actor | SystemProcess | None", learner: Learner, file_format: str
) -> SubjectAccessBundle:
    """Everything held about the learner, for a subject access request. The export is recorded
    first, so the bundle's own access trail ends with it."""
    require_for_subject_access(actor, learner)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        learner=learner,
        object_type="subject_access",
        object_id=str(learner.public_id),
        purpose=SUBJECT_ACCESS_PURPOSE,
        detail={"format": file_format},
    )
    person = actor.user if actor else None
    exported_by = (
        f"{person.full_name}, {actor.organisation_label}"  # type: ignore[union-attr]
        if person
        else "Stagewise"
    )
    return subject_access_bundle(learner, exported_by=exported_by)


def _require_stagewise_itself(actor: object) -> None:
    """The report covers every authority, so only Stagewise's own task makes it."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own daily task reviews retention.")


@dataclass(frozen=True)
class RetentionReviewResult:
    reported_on: date
    learners: int
    rows: int

    def describe(self) -> str:
        return (
            f"Retention review {self.reported_on}: {self.rows} record types due for review "
            f"across {self.learners} learners. Nothing was deleted."
        )


def retention_review_run(
    *, actor: SystemProcess, today: date | None = None
) -> RetentionReviewResult:
    """Replace the report of what is due for review with today's. Deletes nothing held about
    any learner: only the previous report's rows."""
    _require_stagewise_itself(actor)
    today = today or timezone.localdate()
    rows = retention_due_rows(today)
    with transaction.atomic():
        RetentionDue.objects.all().delete()
        RetentionDue.objects.bulk_create(rows, batch_size=2000)
    return RetentionReviewResult(
        reported_on=today, learners=len({row.learner_id for row in rows}), rows=len(rows)
    )
