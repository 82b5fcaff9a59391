"""Reads of requests for assistance, each scoped to the actor asking.

Two doors, one rule each:
- the requester's side reaches a request through its learner (`learner_request_get`): anyone
  who may see the learner's professional record sees the learner's requests;
- the service's side reaches a request through the service it is addressed to
  (`service_request_get`): its manager sees every request sent to it (to triage it before the
  learner is visible to the service), its practitioners those the service has taken on while a
  consent or lawful basis covers them. Anyone else gets a 404 and a refusal in the audit.
"""

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.models import (
    OPEN_REQUEST_STATUSES,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.learners.access import learner_record_or_404, refuse
from stagewise.learners.models import Learner
from stagewise.policy import Capability, LearnerScope, may, policy_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def learner_request_list(*, actor: "Actor", learner: Learner) -> QuerySet[RequestForAssistance]:
    """The learner's requests, newest first, for a learner the actor already reached through
    learners/access. A service sees only those addressed to it."""
    requests = learner.requests_for_assistance.select_related(
        "service", "requested_by", "allocated_to", "setting", "authority"
    )
    if policy_for(actor).scope == LearnerScope.AGENCY:
        membership = actor.membership
        requests = requests.filter(service_id=membership.agency_id if membership else None)
    return requests


def learner_request_get(
    *, actor: "Actor", learner: Learner, request_id: object, purpose: str
) -> RequestForAssistance:
    """One of the learner's requests (a service: one addressed to it), or 404."""
    return learner_record_or_404(
        actor=actor,
        records=learner_request_list(actor=actor, learner=learner),
        learner=learner,
        purpose=purpose,
        object_type="request_for_assistance",
        public_id=request_id,
    )


def service_requests(actor: "Actor") -> QuerySet[RequestForAssistance]:
    """The requests the actor's service may read from its own side: all sent to it for its
    manager (triage), those taken on and shared for its practitioners; nothing for anyone else."""
    membership = actor.membership if actor is not None else None
    if membership is None or membership.agency_id is None:
        return RequestForAssistance.objects.none()
    addressed = RequestForAssistance.objects.filter(service_id=membership.agency_id)
    if may(actor, Capability.TRIAGE_REQUESTS):
        # Never a draft: the service does not know of it until it is sent.
        return addressed.exclude(status=RequestStatus.DRAFT).filter(
            Q(status__in=OPEN_REQUEST_STATUSES) | Q(answered_on__isnull=False)
        )
    if may(actor, Capability.WORK_ON_REQUESTS):
        return addressed.sharing()
    return RequestForAssistance.objects.none()


def service_request_get(
    *, actor: "Actor", request_id: object, purpose: str
) -> RequestForAssistance:
    """A request from the service's side, with the access recorded against its learner; 404
    (and a refusal recorded, against the learner if the request exists) for anyone else."""
    try:
        public_id = uuid.UUID(str(request_id))
    except ValueError:
        raise Http404 from None
    request = (
        service_requests(actor)
        .select_related("learner", "service", "setting", "authority", "allocated_to", "plan")
        .filter(public_id=public_id)
        .first()
    )
    if request is None:
        existing = (
            RequestForAssistance.objects.filter(public_id=public_id)
            .select_related("learner")
            .first()
        )
        refuse(
            actor=actor,
            learner=existing.learner if existing else None,
            purpose=purpose,
            object_type="request_for_assistance",
            object_id=str(public_id),
        )
        raise Http404
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=request.learner,
        object_type="request_for_assistance",
        object_id=str(request.public_id),
        purpose=purpose,
    )
    return request
