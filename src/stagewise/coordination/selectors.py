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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.models import (
    OPEN_REQUEST_STATUSES,
    RequestAttachment,
    RequestEvent,
    RequestForAssistance,
    RequestStatus,
    SharingConsent,
)
from stagewise.keyset import KeysetOrder
from stagewise.learners.access import (
    learner_record_or_404,
    record_or_404,
    refuse,
    visible_learners,
)
from stagewise.learners.models import Learner
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.organisations.models import Agency
from stagewise.planning.models import Plan, PlanStatus
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
        # A service never sees a draft, nor another service's requests.
        membership = actor.membership
        requests = requests.filter(service_id=membership.agency_id if membership else None).exclude(
            status=RequestStatus.DRAFT
        )
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


# The requester's side ----------------------------------------------------------------------------


def services_to_ask(learner: Learner) -> QuerySet[Agency]:
    """The services of the learner's authority that take requests through Stagewise (one with
    no published pathway yet is listed too: it can still be asked)."""
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return Agency.objects.none()
    return (
        Agency.objects.filter(authority_id=enrolment.setting.authority_id)
        .exclude(pathway__accepts_requests=False)
        .select_related("pathway")
        .order_by("agency_type", "name")
    )


def plans_to_request_for(learner: Learner) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(learner=learner)
        .exclude(status=PlanStatus.CLOSED)
        .select_related("plan_type")
        .order_by("plan_type__order", "pk")
    )


@dataclass(frozen=True)
class RequestActions:
    """What the actor may do to the request now, from the policy table and the request's state."""

    edit: bool
    record_consent: bool
    record_lawful_basis: bool
    send: bool
    withdraw: bool
    withdraw_consent: bool


@dataclass(frozen=True)
class RequestDetail:
    request: RequestForAssistance
    consents: list[SharingConsent]
    events: list[RequestEvent]
    attachments: list[RequestAttachment]
    actions: RequestActions

    @property
    def current_consent(self) -> SharingConsent | None:
        return next((consent for consent in self.consents if consent.is_current), None)


def request_detail(*, actor: "Actor", request: RequestForAssistance) -> RequestDetail:
    consents = list(request.consents.select_related("recorded_by", "withdrawn_by"))
    events = list(request.events.all())
    asks = may(actor, Capability.REQUEST_ASSISTANCE)
    draft = request.status == RequestStatus.DRAFT
    has_consent = any(consent.is_current for consent in consents)
    return RequestDetail(
        request=request,
        consents=consents,
        events=events,
        attachments=list(request.attachments.order_by("uploaded_at", "pk")),
        actions=RequestActions(
            edit=asks and draft,
            record_consent=asks and not has_consent and (draft or request.is_open),
            record_lawful_basis=asks and draft and not request.lawful_basis,
            send=asks and draft,
            withdraw=asks and (draft or request.is_open),
            withdraw_consent=asks and has_consent,
        ),
    )


def consent_get(
    *, actor: "Actor", learner: Learner, consent_id: object, purpose: str
) -> SharingConsent:
    """One of the learner's consents (for a learner the actor reached through learners/access),
    or 404."""
    return record_or_404(
        actor=actor,
        records=SharingConsent.objects.select_related("request__service"),
        within={"request__learner": learner},
        learner_path="request__learner",
        purpose=purpose,
        object_type="sharing_consent",
        public_id=consent_id,
    )


# Newest basis first, by cursor (stagewise/keyset.py). A basis is recorded with its time; a row
# without one falls back on when the request was made, so no row has a NULL key. Served by the
# partial index request_shared_without_consent (authority, this key, id).
SHARED_WITHOUT_CONSENT_PAGE_SIZE = 50
SHARED_WITHOUT_CONSENT_ORDER = KeysetOrder(
    keys=(Coalesce("lawful_basis_recorded_at", "created_at"), "pk"), descending=True
)


def shared_without_consent_list(actor: "Actor") -> QuerySet[RequestForAssistance]:
    """Every request of the actor's authority sent on a lawful basis rather than consent, newest
    first (SHARED_WITHOUT_CONSENT_ORDER): the authority's check on sharing without consent."""
    membership = actor.membership
    if not may(actor, Capability.REVIEW_SHARING_WITHOUT_CONSENT) or membership is None:
        return RequestForAssistance.objects.none()
    return (
        RequestForAssistance.objects.filter(
            authority_id=membership.authority_id, learner__in=visible_learners(actor)
        )
        .exclude(lawful_basis="")
        .exclude(status=RequestStatus.DRAFT)
        .select_related("learner", "service", "setting", "lawful_basis_recorded_by")
    )
