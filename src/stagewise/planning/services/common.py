"""What every plan write shares: the lock, the edit-conflict check and the audit entry."""

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from stagewise.audit.services import audit_record
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Learner
from stagewise.planning.models import Plan
from stagewise.policy import Capability

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


class PlanEditConflict(ValidationError):
    """Someone else saved this part of the plan after the editor opened it.

    Carries what is saved now, so the page can show both versions instead of overwriting either.
    """

    def __init__(self, saved: dict[str, Any]) -> None:
        super().__init__(
            _(
                "Someone else changed this part of the plan after you opened it. Your changes"
                " have not been saved. Compare the two versions below, then make your changes"
                " again to the saved version."
            ),
            code="edit_conflict",
        )
        self.saved = saved


def content_fingerprint(values: dict[str, Any]) -> str:
    """A short digest of what an editor was shown, sent back with their changes."""
    encoded = json.dumps(values, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def check_not_changed(*, current: dict[str, Any], based_on: str) -> None:
    if content_fingerprint(current) != based_on:
        raise PlanEditConflict(current)


def lock_plan(plan: Plan) -> Plan:
    """The plan row, locked for this transaction, so check-then-write cannot interleave."""
    return Plan.objects.select_for_update().select_related("plan_type", "learner").get(pk=plan.pk)


def lock_editable_plan(*, actor: "Actor", plan: Plan) -> Plan:
    require_plan_editor(actor, plan.learner)
    locked = lock_plan(plan)
    if not locked.is_editable:
        raise ValidationError(
            _(
                "This version of the plan has been finalised and cannot be changed. Start a"
                " revision to change it."
            )
        )
    return locked


def require_plan_editor(actor: "Actor | None", learner: Learner) -> None:
    """Plans are changed by staff whose role may edit plans, for a learner they can see."""
    require_for_learner(actor, Capability.EDIT_PLANS, learner, "change plan")


def content_changed(plan: Plan) -> None:
    """Every content write moves the revision, so a sign-off names the content it approves."""
    Plan.objects.filter(pk=plan.pk).update(edit_revision=F("edit_revision") + 1)
    plan.edit_revision += 1


def audit_plan(
    *,
    actor: "Actor | None",
    plan: Plan,
    action: str,
    purpose: str,
    object_type: str = "plan",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=plan.learner,
        object_type=object_type,
        object_id=object_id or str(plan.public_id),
        purpose=purpose,
        changes=changes,
    )
