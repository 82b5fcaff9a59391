"""Communicating a finalised plan and the family's response to it."""

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.learners.access import learners_whose_parents_see, require_for_learner
from stagewise.learners.models import ParentPart
from stagewise.planning.models import (
    Plan,
    PlanCommunication,
    PlanResponse,
    PlanResponseRead,
    PlanStatus,
    PlanVersion,
    RecipientKind,
    ResponseKind,
)
from stagewise.planning.services.common import audit_plan, lock_plan, require_plan_editor
from stagewise.policy import Capability

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def latest_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


@transaction.atomic
def plan_communication_record(
    *,
    actor: "Actor",
    plan: Plan,
    recipient: str,
    recipient_kind: str,
    sent_on: date,
    format: str,
    language: str = "",
) -> PlanCommunication:
    require_plan_editor(actor, plan.learner)
    locked = lock_plan(plan)
    version = latest_version(locked)
    if version is None or locked.status == PlanStatus.CLOSED:
        raise ValidationError(_("A plan can be shared once it has been finalised."))
    if recipient_kind == RecipientKind.PARENT and not learners_whose_parents_see(
        [plan.learner_id], ParentPart.PLANS
    ):
        raise ValidationError(
            {
                "recipient_kind": _(
                    "%(name)s has decided that their parents and carers do not see their plans,"
                    " so the plan cannot be shared with them."
                )
                % {"name": plan.learner.display_name}
            }
        )
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date shared cannot be in the future.")})
    if sent_on < timezone.localdate(version.finalised_at):
        raise ValidationError(
            {"sent_on": _("The date shared cannot be before this version was finalised.")}
        )
    communication = PlanCommunication(
        plan=locked,
        version_number=version.number,
        recipient=recipient.strip(),
        recipient_kind=recipient_kind,
        sent_on=sent_on,
        format=format,
        language=language.strip(),
        recorded_by=actor.user,
    )
    communication.full_clean()
    communication.save()
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.CREATE,
        purpose="record plan shared",
        object_type="plan_communication",
        object_id=str(communication.pk),
        changes={"recipient": [None, communication.recipient], "format": [None, format]},
    )
    return communication


@transaction.atomic
def plan_response_record(
    *, actor: "Actor", plan: Plan, response: str, words: str = ""
) -> PlanResponse:
    """A parent's or young person's acknowledgement, agreement or disagreement, in their words."""
    require_for_learner(
        actor, Capability.RESPOND_TO_PLANS, plan.learner, "respond to plan", part=ParentPart.PLANS
    )
    locked = lock_plan(plan)
    version = latest_version(locked)
    if version is None or locked.status == PlanStatus.CLOSED:
        raise ValidationError(_("You can respond once the plan has been finalised."))
    if response == ResponseKind.DISAGREED and not words.strip():
        raise ValidationError(
            {"words": _("Say what you disagree with, so the school can talk it through with you.")}
        )
    recorded = PlanResponse(
        plan=locked,
        version_number=version.number,
        responder=actor.user,
        responder_label=actor.user.full_name,
        responder_role=actor.role,
        response=response,
        # The family's own words, kept as given.
        words=words,
    )
    recorded.full_clean()
    recorded.save()
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.CREATE,
        purpose="respond to plan",
        object_type="plan_response",
        object_id=str(recorded.pk),
        changes={"response": [None, response]},
    )
    return recorded


def plan_responses_mark_read(*, actor: "Actor", plan: Plan) -> int:
    """Records that this member of staff has now read every family response to the plan (they
    opened the plan's page, where the responses are shown), so the responses leave their work
    queue. Returns how many were new to them. Families' own views of a plan mark nothing."""
    require_for_learner(actor, Capability.VIEW_PLAN_HISTORY, plan.learner, "read plan responses")
    unread = plan.responses.exclude(reads__reader=actor.user).values_list("pk", flat=True)
    receipts = [PlanResponseRead(response_id=pk, reader=actor.user) for pk in unread]
    # Two tabs opening the same plan at once must not fail on the second receipt.
    PlanResponseRead.objects.bulk_create(receipts, ignore_conflicts=True)
    return len(receipts)
