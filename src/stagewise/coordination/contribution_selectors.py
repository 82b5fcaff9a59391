"""Reads of contributions (a service's assessment, advice or report about a learner).

Three doors:
- through the request, reached already by its own door (the requester's side through the
  learner, the service's side through the service): every contribution on that request;
- the plan's author choosing a target: the targets of the learner's plans being written or
  revised, the only ones a contribution can be adopted into;
- the author's own: a practitioner reads what they wrote, and nothing else of the learner's
  record but the name, after the involvement has closed.
"""

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.models import Contribution, RequestForAssistance
from stagewise.learners.access import record_or_404, refuse
from stagewise.learners.models import Learner
from stagewise.planning.models import EDITABLE_STATUSES, Target

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def request_contributions(request: RequestForAssistance) -> list[Contribution]:
    """The contributions on a request the actor has already reached, newest first."""
    return list(
        request.contributions.select_related(
            "author", "accepted_by", "accepted_into__target__plan__plan_type"
        )
    )


def contribution_get(
    *,
    actor: "Actor",
    request: RequestForAssistance,
    contribution_id: object,
    purpose: str,
) -> Contribution:
    """One contribution on the request (reached through its learner), or 404; one asked for
    under another request is refused against its own learner."""
    return record_or_404(
        actor=actor,
        records=Contribution.objects.select_related("learner", "author", "request__service"),
        within={"request": request},
        learner_path="learner",
        purpose=purpose,
        object_type="contribution",
        public_id=contribution_id,
    )


def editable_targets(learner: Learner) -> QuerySet[Target]:
    """The targets a contribution may become support for: those of the learner's plans being
    written (a draft) or revised, plan by plan."""
    return (
        Target.objects.filter(plan__learner=learner, plan__status__in=EDITABLE_STATUSES)
        .select_related("plan__plan_type", "plan__authority__nation")
        .order_by("plan__plan_type__order", "plan__pk", "created_at", "pk")
    )


def own_contributions(actor: "Actor") -> QuerySet[Contribution]:
    """What the actor wrote, newest first, whatever has become of the request since."""
    if actor is None:
        return Contribution.objects.none()
    return Contribution.objects.filter(author=actor.user).select_related(
        "learner", "request__service"
    )


def own_contribution_get(*, actor: "Actor", contribution_id: object, purpose: str) -> Contribution:
    """One of the actor's own contributions, or 404 (recorded, against the learner it is
    about) for anyone but its author."""
    try:
        public_id = uuid.UUID(str(contribution_id))
    except ValueError:
        raise Http404 from None
    contribution = own_contributions(actor).filter(public_id=public_id).first()
    if contribution is None:
        existing = (
            Contribution.objects.filter(public_id=public_id).select_related("learner").first()
        )
        refuse(
            actor=actor,
            learner=existing.learner if existing else None,
            purpose=purpose,
            object_type="contribution",
            object_id=str(public_id),
        )
        raise Http404
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=contribution.learner,
        object_type="contribution",
        object_id=str(contribution.public_id),
        purpose=purpose,
    )
    return contribution
