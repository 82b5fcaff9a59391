"""Recording a review of a plan: the meeting, progress on each target and what was decided."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_value
from stagewise.families.review_views_services import review_views_join_review
from stagewise.planning.models import (
    Plan,
    PlanReview,
    PlanStatus,
    ReviewDecision,
    Target,
    TargetProgress,
    TargetReview,
)
from stagewise.planning.services.common import audit_plan, lock_plan, require_plan_editor
from stagewise.planning.services.plans import require_closer
from stagewise.plausible import limit_of, too_long
from stagewise.statutory.services import plan_clocks_reviewed

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


@dataclass(frozen=True)
class TargetProgressEntry:
    target: Target
    progress: str
    evidence: str


REVIEWABLE = {PlanStatus.FINALISED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW}
# What the plan becomes after each decision.
STATUS_AFTER = {
    ReviewDecision.CONTINUE: PlanStatus.ACTIVE,
    ReviewDecision.CHANGE_SUPPORT: PlanStatus.REVISION,
    ReviewDecision.CHANGE_STAGE: PlanStatus.ACTIVE,
    ReviewDecision.OPEN_OTHER_PLAN: PlanStatus.ACTIVE,
    ReviewDecision.CLOSE: PlanStatus.CLOSED,
}


@transaction.atomic
def plan_review_record(
    *,
    actor: "Actor",
    plan: Plan,
    held_on: date,
    attendees: str,
    views_beforehand: str,
    progress: list[TargetProgressEntry],
    decision: str,
    decision_notes: str = "",
    next_review_on: date | None = None,
) -> PlanReview:
    require_plan_editor(actor, plan.learner)
    locked = lock_plan(plan)
    if locked.status not in REVIEWABLE:
        raise ValidationError(_("Only a finalised or active plan can be reviewed."))
    errors: dict[str, Any] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("The review meeting cannot be in the future; record it once held.")
    if locked.starts_on and held_on < locked.starts_on:
        errors["held_on"] = _("The review cannot be before the plan starts.")
    decision = ReviewDecision(decision)
    if decision == ReviewDecision.CLOSE:
        require_closer(actor, locked)
        next_review_on = None
    elif next_review_on is None:
        errors["next_review_on"] = _("Set the date of the next review.")
    elif next_review_on <= held_on:
        errors["next_review_on"] = _("The next review must be after this review meeting.")
    plan_targets = {target.pk for target in locked.targets.all()}
    reviewed = {entry.target.pk for entry in progress}
    if reviewed != plan_targets:
        errors["progress"] = _("Record progress on every target in the plan.")
    evidence_limit = limit_of(TargetReview, "evidence")
    for number, entry in enumerate(progress, start=1):
        if entry.progress not in TargetProgress.values:
            errors["progress"] = _("Choose the progress made on every target.")
        elif not entry.evidence.strip():
            errors["progress"] = _("Give the evidence for the progress on every target.")
        elif len(entry.evidence.strip()) > evidence_limit:
            errors["progress"] = too_long(
                _("Evidence for target %(number)s") % {"number": number},
                evidence_limit,
                len(entry.evidence.strip()),
            )
    if not attendees.strip():
        errors["attendees"] = _("Say who attended the review.")
    if errors:
        raise ValidationError(errors)

    review = PlanReview(
        plan=locked,
        version_number=locked.version_number,
        held_on=held_on,
        attendees=attendees.strip(),
        views_beforehand=views_beforehand.strip(),
        decision=decision,
        decision_notes=decision_notes.strip(),
        next_review_on=next_review_on,
        recorded_by=actor.user,
    )
    review.full_clean(exclude=["plan", "recorded_by"])
    review.save()
    TargetReview.objects.bulk_create(
        TargetReview(
            review=review,
            target=entry.target,
            target_outcome=entry.target.outcome,
            progress=entry.progress,
            evidence=entry.evidence.strip(),
        )
        for entry in progress
    )
    # The views the family and the child gave before this review become part of it (ADR 0018).
    review_views_join_review(review)
    before = locked.status
    locked.status = STATUS_AFTER[decision]
    locked.next_review_on = next_review_on
    updated = ["status", "next_review_on"]
    if locked.status == PlanStatus.REVISION:
        locked.version_number += 1
        updated.append("version_number")
    if locked.status == PlanStatus.CLOSED:
        locked.closed_on = held_on
        locked.closed_reason = decision_notes.strip() or str(ReviewDecision.CLOSE.label)
        updated += ["closed_on", "closed_reason"]
    locked.save(update_fields=updated)
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.CREATE,
        purpose="record plan review",
        object_type="plan_review",
        object_id=str(review.pk),
        changes={
            "decision": [None, decision.value],
            "status": [before, locked.status],
            "next_review_on": [None, audit_value(next_review_on)],
        },
    )
    plan_clocks_reviewed(
        actor=actor,
        plan=locked,
        held_on=held_on,
        plan_continues=locked.status != PlanStatus.CLOSED,
    )
    return review
