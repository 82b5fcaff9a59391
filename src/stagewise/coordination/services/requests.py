"""Requests for assistance: a school or authority asks a service about a learner, with consent
(or a recorded lawful basis); the service answers (accept, decline, waiting list), allocates a
practitioner, who starts and completes the work. Every step is a `RequestEvent` the requester
reads, and an audit event.

The requester's steps are guarded like any write about a learner (`require_for_learner`). The
service's steps cannot be: until it takes a request on, the service does not see the learner. They
are guarded instead by the capability and by the request being addressed to the actor's own
service (`_require_own_service`), refused and recorded otherwise.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.models import (
    OPEN_REQUEST_STATUSES,
    RequestEvent,
    RequestEventKind,
    RequestForAssistance,
    RequestStatus,
    Urgency,
)
from stagewise.learners.access import refuse, require_for_learner
from stagewise.learners.models import Learner
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.organisations.models import Agency, Membership, Role, Setting
from stagewise.policy import Capability, CapabilityRequired, SystemProcess, may
from stagewise.statutory.models import OPEN_PROCESS_STATUSES, ProcessOutcome, StatutoryProcess
from stagewise.statutory.services.processes import _close, _start
from stagewise.webhooks.events import webhook_event_emit
from stagewise.webhooks.models import EventType

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User
    from stagewise.planning.models import Plan

    AnyActor = Actor | SystemProcess

# The one plan type whose requests run the statutory clock (SSI 2005/264: an appropriate agency
# answers an authority's request for help with a co-ordinated support plan within 10 weeks).
STATUTORY_CLOCK_PLAN_TYPE = "coordinated_support_plan"
STATUTORY_CLOCK_RULE = "scotland.agency_help"
# The requester's words: every one of them the service needs, none optional.
REQUEST_TEXT_FIELDS = ("reason", "tried", "tried_for", "learner_views", "family_views")


def _today() -> date:
    return timezone.localdate()


def _user(actor: "AnyActor") -> "User | None":
    return None if isinstance(actor, SystemProcess) else actor.user


def _event(actor: "AnyActor", request: RequestForAssistance, kind: str, note: str = "") -> None:
    label = (
        "Stagewise"
        if isinstance(actor, SystemProcess)
        else f"{actor.user.full_name}, {actor.label}"
    )
    RequestEvent.objects.create(
        request=request, kind=kind, note=note, actor=_user(actor), actor_label=label[:300]
    )


def _audit(
    actor: "AnyActor",
    request: RequestForAssistance,
    purpose: str,
    changes: dict[str, Any] | None = None,
    action: str = AuditAction.UPDATE,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=request.learner,
        object_type="request_for_assistance",
        object_id=str(request.public_id),
        purpose=purpose,
        changes=changes,
    )


def _status_changed(request: RequestForAssistance) -> None:
    """Tells the integrations that see the learner (ADR 0054): the ids, never the status or
    the words; they fetch the request to read them."""
    webhook_event_emit(
        event_type=EventType.REQUEST_STATUS_CHANGED,
        learner=request.learner,
        data={"request": str(request.public_id)},
    )


def _lock(request: RequestForAssistance) -> RequestForAssistance:
    """The request, locked for this transaction: two people answering at once cannot both win."""
    return (
        RequestForAssistance.objects.select_for_update(of=("self",))
        .select_related("learner", "service__authority", "plan__plan_type")
        .get(pk=request.pk)
    )


def _require_status(request: RequestForAssistance, allowed: tuple[str, ...], message: str) -> None:
    if request.status not in allowed:
        raise ValidationError(message)


def _clean_words(fields: dict[str, str]) -> dict[str, str]:
    return {name: (value or "").strip() for name, value in fields.items()}


def _validate_service(service: Agency, learner: Learner) -> None:
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("%(learner)s is not enrolled anywhere, so no service can be asked.")
            % {"learner": learner}
        )
    if service.authority_id != enrolment.setting.authority_id:
        raise ValidationError(
            {
                "service": _("Choose a service that works in %(authority)s.")
                % {"authority": enrolment.setting.authority}
            }
        )
    pathway = getattr(service, "pathway", None)
    if pathway is not None and not pathway.accepts_requests:
        raise ValidationError(
            {
                "service": _(
                    "%(service)s does not take requests through Stagewise: its pathway says how"
                    " to contact it."
                )
                % {"service": service}
            }
        )


def _validate_plan(plan: "Plan | None", learner: Learner) -> None:
    if plan is not None and plan.learner_id != learner.pk:
        raise ValidationError({"plan": _("Choose one of this learner's plans.")})


@transaction.atomic
def request_draft(
    *,
    actor: "AnyActor",
    learner: Learner,
    service: Agency,
    reason: str,
    tried: str,
    tried_for: str,
    learner_views: str,
    family_views: str,
    urgency: str = Urgency.ROUTINE,
    plan: "Plan | None" = None,
) -> RequestForAssistance:
    """A draft request from the actor's school or authority. Nothing reaches the service yet."""
    require_for_learner(
        actor, Capability.REQUEST_ASSISTANCE, learner, "draft request for assistance"
    )
    _validate_service(service, learner)
    _validate_plan(plan, learner)
    enrolment = learner_current_enrolment(learner)
    assert enrolment is not None  # _validate_service refused otherwise
    # Asked by the actor's school, or by the authority itself (an officer has no school).
    setting: Setting | None
    if isinstance(actor, SystemProcess):
        setting = enrolment.setting
    else:
        assert actor.membership is not None  # REQUEST_ASSISTANCE is held through a membership
        setting = actor.membership.setting
    request = RequestForAssistance(
        learner=learner,
        service=service,
        authority=enrolment.setting.authority,
        setting=setting,
        requested_by=_user(actor),
        plan=plan,
        urgency=urgency,
        **_clean_words(
            {
                "reason": reason,
                "tried": tried,
                "tried_for": tried_for,
                "learner_views": learner_views,
                "family_views": family_views,
            }
        ),
    )
    request.full_clean(exclude=["learner", "service", "authority", "setting", "plan"])
    request.save()
    _event(actor, request, RequestEventKind.DRAFTED)
    _audit(
        actor,
        request,
        "draft request for assistance",
        {"service": [None, service.name], "status": [None, request.status]},
        action=AuditAction.CREATE,
    )
    return request


@transaction.atomic
def request_update(
    *, actor: "AnyActor", request: RequestForAssistance, **fields: Any
) -> RequestForAssistance:
    """Changes a draft's words, urgency, service or plan; once sent, the request is as sent."""
    require_for_learner(
        actor, Capability.REQUEST_ASSISTANCE, request.learner, "edit request for assistance"
    )
    locked = _lock(request)
    _require_status(
        locked,
        (RequestStatus.DRAFT,),
        _("This request has been sent: it can no longer be changed, only withdrawn."),
    )
    allowed = {*REQUEST_TEXT_FIELDS, "urgency", "service", "plan"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"request_update does not change {sorted(unknown)}")
    if "service" in fields:
        _validate_service(fields["service"], locked.learner)
    if "plan" in fields:
        _validate_plan(fields["plan"], locked.learner)
    changes = {}
    for name, value in fields.items():
        if name in REQUEST_TEXT_FIELDS:
            value = (value or "").strip()
        before = getattr(locked, name)
        if before != value:
            changes[name] = [str(before) if before else None, str(value) if value else None]
            setattr(locked, name, value)
    locked.full_clean(exclude=["learner", "service", "authority", "setting", "plan"])
    locked.save()
    if changes:
        _audit(actor, locked, "edit request for assistance", changes)
    return locked


@transaction.atomic
def lawful_basis_record(
    *, actor: "AnyActor", request: RequestForAssistance, lawful_basis: str
) -> RequestForAssistance:
    """Records why this request may be shared without consent. It is audited and listed for the
    authority's officers, who check every such request."""
    require_for_learner(
        actor, Capability.REQUEST_ASSISTANCE, request.learner, "record lawful basis for sharing"
    )
    locked = _lock(request)
    _require_status(
        locked,
        (RequestStatus.DRAFT,),
        _("This request has been sent: the basis it was sent on cannot change."),
    )
    lawful_basis = (lawful_basis or "").strip()
    if not lawful_basis:
        raise ValidationError(
            {
                "lawful_basis": _(
                    "Say what allows sharing without consent, such as a risk of significant"
                    " harm to the child, and the law or guidance you rely on."
                )
            }
        )
    locked.lawful_basis = lawful_basis
    locked.lawful_basis_recorded_by = _user(actor)
    locked.lawful_basis_recorded_at = timezone.now()
    locked.full_clean(exclude=["learner", "service", "authority", "setting", "plan"])
    locked.save(
        update_fields=["lawful_basis", "lawful_basis_recorded_by", "lawful_basis_recorded_at"]
    )
    _event(actor, locked, RequestEventKind.LAWFUL_BASIS_RECORDED, lawful_basis)
    _audit(
        actor,
        locked,
        "share without consent on a lawful basis",
        {"lawful_basis": [None, lawful_basis]},
    )
    return locked


def _has_sharing_basis(request: RequestForAssistance) -> bool:
    return bool(request.lawful_basis) or request.consents.filter(withdrawn_at__isnull=True).exists()


def _clock_for(actor: "AnyActor", request: RequestForAssistance) -> StatutoryProcess | None:
    """The statutory 10-week clock for a request made for a co-ordinated support plan: one the
    authority already started for this agency and plan is joined, not doubled."""
    plan = request.plan
    if plan is None or plan.plan_type.key != STATUTORY_CLOCK_PLAN_TYPE:
        return None
    running = StatutoryProcess.objects.filter(
        learner=request.learner,
        rule_key=STATUTORY_CLOCK_RULE,
        agency=request.service,
        status__in=OPEN_PROCESS_STATUSES,
    ).first()
    if running is not None and not hasattr(running, "request_for_assistance"):
        return running
    return _start(
        actor=actor,
        learner=request.learner,
        rule_key=STATUTORY_CLOCK_RULE,
        started_on=request.sent_on or _today(),
        reason=_("Request for assistance to %(service)s") % {"service": request.service},
        plan=plan,
        agency=request.service,
    )


@transaction.atomic
def request_send(*, actor: "AnyActor", request: RequestForAssistance) -> RequestForAssistance:
    """Sends a draft to the service. Refused without a current consent or a recorded lawful
    basis. Starts the answer clock: the statutory 10 weeks for a co-ordinated support plan, the
    service's published response time otherwise."""
    require_for_learner(
        actor, Capability.REQUEST_ASSISTANCE, request.learner, "send request for assistance"
    )
    locked = _lock(request)
    _require_status(locked, (RequestStatus.DRAFT,), _("This request has already been sent."))
    if not _has_sharing_basis(locked):
        raise ValidationError(
            _(
                "Record the consent of the parent or young person to share this request, or the"
                " lawful basis for sharing it without consent, before sending it."
            )
        )
    missing = [name for name in REQUEST_TEXT_FIELDS if not getattr(locked, name)]
    if missing:
        raise ValidationError(_("Complete the request before sending it."))
    _validate_service(locked.service, locked.learner)
    locked.status = RequestStatus.SENT
    locked.sent_on = _today()
    clock = _clock_for(actor, locked)
    if clock is not None:
        locked.clock = clock
        locked.due_on = clock.due_on
    else:
        pathway = getattr(locked.service, "pathway", None)
        if pathway is not None:
            locked.due_on = locked.sent_on + timedelta(weeks=pathway.response_weeks)
    locked.save(update_fields=["status", "sent_on", "clock", "due_on"])
    _event(actor, locked, RequestEventKind.SENT)
    _audit(
        actor,
        locked,
        "send request for assistance",
        {"status": [RequestStatus.DRAFT, RequestStatus.SENT]},
    )
    _status_changed(locked)
    return locked


def _close_clock(actor: "AnyActor", request: RequestForAssistance, outcome: str, note: str) -> None:
    clock = request.clock
    if clock is not None and clock.status in OPEN_PROCESS_STATUSES:
        _close(actor=actor, process=clock, closed_on=_today(), outcome=outcome, note=note)


@transaction.atomic
def request_withdraw(
    *, actor: "AnyActor", request: RequestForAssistance, reason: str
) -> RequestForAssistance:
    """The requester no longer needs the service: the request closes and the service loses
    access through it."""
    require_for_learner(
        actor, Capability.REQUEST_ASSISTANCE, request.learner, "withdraw request for assistance"
    )
    locked = _lock(request)
    _require_status(
        locked,
        (RequestStatus.DRAFT, *OPEN_REQUEST_STATUSES),
        _("This request is closed already."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is withdrawn.")})
    before = locked.status
    locked.status = RequestStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    _close_clock(actor, locked, ProcessOutcome.WITHDRAWN, reason)
    _event(actor, locked, RequestEventKind.WITHDRAWN, reason)
    _audit(actor, locked, "withdraw request for assistance", {"status": [before, locked.status]})
    _status_changed(locked)
    return locked


# The service's side ---------------------------------------------------------------------------


def _require_own_service(
    actor: "AnyActor", request: RequestForAssistance, capability: Capability, purpose: str
) -> None:
    """The actor's role must carry the capability and the request be addressed to their own
    service; otherwise refused and recorded (a service cannot answer another's requests)."""
    if isinstance(actor, SystemProcess):
        return
    membership = actor.membership if actor is not None else None
    if (
        not may(actor, capability)
        or membership is None
        or membership.agency_id != request.service_id
    ):
        refuse(
            actor=actor,
            learner=request.learner,
            purpose=purpose,
            object_type="request_for_assistance",
            object_id=str(request.public_id),
        )
        raise CapabilityRequired(capability)


def _answer(
    actor: "AnyActor",
    request: RequestForAssistance,
    *,
    status: str,
    kind: str,
    note: str,
    purpose: str,
    allowed: tuple[str, ...],
) -> RequestForAssistance:
    """The service's first answer (or a later one, from its waiting list). The caller guards."""
    locked = _lock(request)
    _require_status(
        locked,
        allowed,
        _("This request is %(status)s: it cannot be answered that way now.")
        % {"status": locked.get_status_display().lower()},
    )
    before = locked.status
    locked.status = status
    if locked.answered_on is None:
        locked.answered_on = _today()
        # The service has answered: the statutory clock stops, met or late.
        _close_clock(actor, locked, ProcessOutcome.DONE, note)
    locked.save(update_fields=["status", "answered_on"])
    _event(actor, locked, kind, note)
    _audit(actor, locked, purpose, {"status": [before, status]})
    _status_changed(locked)
    return locked


@transaction.atomic
def request_accept(
    *,
    actor: "AnyActor",
    request: RequestForAssistance,
    note: str = "",
    practitioner: "User | None" = None,
) -> RequestForAssistance:
    """The service takes the request on, and may allocate a practitioner at once."""
    _require_own_service(
        actor, request, Capability.TRIAGE_REQUESTS, "accept request for assistance"
    )
    accepted = _answer(
        actor,
        request,
        status=RequestStatus.ACCEPTED,
        kind=RequestEventKind.ACCEPTED,
        note=(note or "").strip(),
        purpose="accept request for assistance",
        allowed=(RequestStatus.SENT, RequestStatus.WAITING_LIST),
    )
    if practitioner is not None:
        return _allocate(actor, accepted, practitioner)
    return accepted


@transaction.atomic
def request_waiting_list(
    *, actor: "AnyActor", request: RequestForAssistance, note: str = ""
) -> RequestForAssistance:
    """The service will take the request on when it can: it joins the waiting list today."""
    _require_own_service(
        actor,
        request,
        Capability.TRIAGE_REQUESTS,
        "put request for assistance on the waiting list",
    )
    listed = _answer(
        actor,
        request,
        status=RequestStatus.WAITING_LIST,
        kind=RequestEventKind.WAITING_LIST,
        note=(note or "").strip(),
        purpose="put request for assistance on the waiting list",
        allowed=(RequestStatus.SENT,),
    )
    listed.waiting_since = _today()
    listed.save(update_fields=["waiting_since"])
    return listed


@transaction.atomic
def request_decline(
    *,
    actor: "AnyActor",
    request: RequestForAssistance,
    reason: str,
    suggested_service: Agency | None = None,
    suggestion: str = "",
) -> RequestForAssistance:
    """The service will not take the request on: it says why, and where to go instead."""
    _require_own_service(
        actor, request, Capability.TRIAGE_REQUESTS, "decline request for assistance"
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"decline_reason": _("Say why the request is declined, so the school can act on it.")}
        )
    if suggested_service is not None and suggested_service.pk == request.service_id:
        raise ValidationError({"suggested_service": _("Suggest another service, not this one.")})
    declined = _answer(
        actor,
        request,
        status=RequestStatus.DECLINED,
        kind=RequestEventKind.DECLINED,
        note=reason,
        purpose="decline request for assistance",
        allowed=(RequestStatus.SENT, RequestStatus.WAITING_LIST),
    )
    declined.decline_reason = reason
    declined.suggested_service = suggested_service
    declined.suggestion = (suggestion or "").strip()
    declined.full_clean(exclude=["learner", "service", "authority", "setting", "plan"])
    declined.save(update_fields=["decline_reason", "suggested_service", "suggestion"])
    return declined


def _allocate(
    actor: "AnyActor", request: RequestForAssistance, practitioner: "User"
) -> RequestForAssistance:
    works_here = (
        Membership.objects.current()
        .filter(user=practitioner, agency_id=request.service_id, role=Role.AGENCY_PRACTITIONER)
        .filter(user__is_active=True)
        .exists()
    )
    if not works_here:
        raise ValidationError(
            {
                "practitioner": _("Choose a practitioner who works for %(service)s.")
                % {"service": request.service}
            }
        )
    before = request.status
    request.allocated_to = practitioner
    request.status = RequestStatus.ACCEPTED
    request.save(update_fields=["allocated_to", "status"])
    _event(actor, request, RequestEventKind.ALLOCATED, practitioner.full_name)
    _audit(
        actor,
        request,
        "allocate request for assistance",
        {"allocated_to": [None, practitioner.full_name], "status": [before, request.status]},
    )
    if before != request.status:
        _status_changed(request)
    return request


@transaction.atomic
def request_allocate(
    *, actor: "AnyActor", request: RequestForAssistance, practitioner: "User"
) -> RequestForAssistance:
    """Gives an accepted or waiting request to one of the service's practitioners (taking it
    off the waiting list)."""
    _require_own_service(
        actor, request, Capability.TRIAGE_REQUESTS, "allocate request for assistance"
    )
    locked = _lock(request)
    _require_status(
        locked,
        (RequestStatus.ACCEPTED, RequestStatus.WAITING_LIST),
        _("Only an accepted request, or one on the waiting list, can be allocated."),
    )
    return _allocate(actor, locked, practitioner)


def _require_allocated(actor: "AnyActor", request: RequestForAssistance, purpose: str) -> None:
    """The practitioner the request is allocated to, read from the row as it is now (the caller
    holds its lock): a colleague of the same service may read it but not act on it."""
    _require_own_service(actor, request, Capability.WORK_ON_REQUESTS, purpose)
    if isinstance(actor, SystemProcess):
        return
    if request.allocated_to_id != actor.user.pk:
        refuse(
            actor=actor,
            learner=request.learner,
            purpose=purpose,
            object_type="request_for_assistance",
            object_id=str(request.public_id),
        )
        raise ValidationError(_("This request is allocated to someone else."))


@transaction.atomic
def request_start(
    *, actor: "AnyActor", request: RequestForAssistance, note: str = ""
) -> RequestForAssistance:
    """The practitioner it was allocated to takes it on: the work is in progress."""
    locked = _lock(request)
    _require_allocated(actor, locked, "start work on request for assistance")
    _require_status(
        locked, (RequestStatus.ACCEPTED,), _("Only an accepted request can be started.")
    )
    locked.status = RequestStatus.IN_PROGRESS
    locked.save(update_fields=["status"])
    _event(actor, locked, RequestEventKind.IN_PROGRESS, (note or "").strip())
    _audit(
        actor,
        locked,
        "start work on request for assistance",
        {"status": [RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS]},
    )
    _status_changed(locked)
    return locked


@transaction.atomic
def request_complete(
    *, actor: "AnyActor", request: RequestForAssistance, note: str
) -> RequestForAssistance:
    """The work is done. The involvement closes: the service keeps only what it wrote."""
    locked = _lock(request)
    _require_allocated(actor, locked, "complete request for assistance")
    _require_status(
        locked, (RequestStatus.IN_PROGRESS,), _("Only work in progress can be completed.")
    )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done and what happens next.")})
    locked.status = RequestStatus.COMPLETED
    locked.completed_on = _today()
    locked.save(update_fields=["status", "completed_on"])
    _event(actor, locked, RequestEventKind.COMPLETED, note)
    _audit(
        actor,
        locked,
        "complete request for assistance",
        {"status": [RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED]},
    )
    _status_changed(locked)
    return locked
