"""A family's rights, used as requests (ADR 0016): made by the family through Stagewise or
recorded by staff from a letter or a call, each starting (or joining) its statutory clock on the
day it was received; decided by staff, which closes the clock and tells the family. And the
capacity and wellbeing assessment a child aged 12 to 15 in Scotland needs to ask themself.

Each service requires its capability for the learner first, runs in one transaction and writes an
audit event. Who holds a right (age, capacity, parental responsibility) is read from the
learner's nation's policy (policy.NATIONS), never decided here by nation.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.families.models import (
    CapacityAssessment,
    RequestChannel,
    RequesterCapacity,
    RightsRequest,
    RightsRequestOutcome,
)
from stagewise.learners.access import learners_whose_parents_see, refuse, require_for_learner
from stagewise.learners.models import Learner, LearnerCarer, ParentPart
from stagewise.learners.services import learner_current_enrolment
from stagewise.notifications.models import NotificationKind
from stagewise.notifications.services import Notice, notifications_create
from stagewise.policy import (
    Capability,
    NationPolicy,
    RightsRequestKind,
    SystemProcess,
    nation_policy,
    policy_for,
)
from stagewise.statutory.models import OPEN_PROCESS_STATUSES, ProcessOutcome, StatutoryProcess
from stagewise.statutory.services.processes import _close, _start, format_day

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

    AnyActor = Actor | SystemProcess


class DuplicateRightsRequest(ValidationError):
    """The same right is already being asked for: the refusal names the open request."""

    def __init__(self, message: str, open_request: RightsRequest) -> None:
        super().__init__({"kind": message})
        self.open_request = open_request


@dataclass(frozen=True)
class Requester:
    """Who asks: a parent or carer (their link to the learner), or the learner themself."""

    carer_link: LearnerCarer | None = None


def _today() -> date:
    return timezone.localdate()


def _label(actor: "AnyActor") -> str:
    if isinstance(actor, SystemProcess):
        return "Stagewise"
    return f"{actor.user.full_name}, {actor.label}"[:300]


def learner_nation(learner: Learner) -> NationPolicy:
    """The rules of the nation the learner is at school in; refused when they are at none."""
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("%(learner)s is not enrolled anywhere, so no request can be made.")
            % {"learner": learner}
        )
    return nation_policy(enrolment.setting.authority.nation.code)


def latest_capacity_assessment(learner: Learner, on: date) -> CapacityAssessment | None:
    return (
        CapacityAssessment.objects.filter(learner=learner, assessed_on__lte=on)
        .order_by("-assessed_on", "-pk")
        .first()
    )


def _capacity(
    actor: "AnyActor",
    nation: NationPolicy,
    learner: Learner,
    requester: Requester,
    received_on: date,
) -> str:
    """In what capacity the requester holds the right on the day it was asked; otherwise the
    refusal, recorded against the learner, saying why they do not."""
    try:
        return _holder(nation, learner, requester, received_on)
    except ValidationError:
        refuse(actor=actor, learner=learner, purpose="rights request: does not hold the right")
        raise


def _holder(nation: NationPolicy, learner: Learner, requester: Requester, received_on: date) -> str:
    link = requester.carer_link
    if link is not None:
        # "Parent" in the Education Acts: whoever has parental responsibility or care of the child.
        if not (link.parental_responsibility or link.lives_with_learner):
            raise ValidationError(
                _(
                    "Only a parent or carer with parental responsibility, or who looks after the"
                    " child, can make this request. The school's record shows that %(name)s has"
                    " neither: if that is wrong, ask the school to correct it."
                )
                % {"name": link.carer.full_name}
            )
        return RequesterCapacity.PARENT_CARER
    age = learner.age_on(received_on)
    if age >= nation.young_person_from_age:
        return RequesterCapacity.YOUNG_PERSON
    if nation.child_rights_from_age is not None and age < nation.child_rights_from_age:
        raise ValidationError(
            _(
                "A child under %(age)s cannot make this request themself: a parent or carer can"
                " make it for them."
            )
            % {"age": nation.child_rights_from_age}
        )
    if nation.child_rights_need_capacity_assessment:
        assessment = latest_capacity_assessment(learner, received_on)
        if assessment is None or not assessment.capable:
            raise ValidationError(
                _(
                    "A child aged %(low)s to %(high)s can make this request themself once a"
                    " capacity and wellbeing assessment has found that they can. None has been"
                    " recorded that found so: ask the school about one, or a parent or carer can"
                    " make the request."
                )
                % {
                    "low": nation.child_rights_from_age,
                    "high": nation.young_person_from_age - 1,
                }
            )
    return RequesterCapacity.CHILD


def _kind(nation: NationPolicy, code: str) -> RightsRequestKind:
    kind = nation.rights_request_kind(code)
    if kind is None:
        raise ValidationError({"kind": _("Choose what you are asking for.")})
    return kind


def _words(what: str, why: str) -> tuple[str, str]:
    what, why = (what or "").strip(), (why or "").strip()
    errors = {}
    if not what:
        errors["what"] = _("Say what you are asking for.")
    if not why:
        errors["why"] = _("Say why you are asking.")
    if errors:
        raise ValidationError(errors)
    return what, why


def _refuse_duplicate(learner: Learner, kind: RightsRequestKind) -> None:
    open_request = (
        RightsRequest.objects.select_for_update(of=("self",))
        .filter(learner=learner, kind=kind.code, decided_on__isnull=True)
        .first()
    )
    if open_request is not None:
        raise DuplicateRightsRequest(
            _(
                "This has already been asked for, on %(day)s, and no decision has been recorded"
                " yet. Follow the open request rather than making another."
            )
            % {"day": format_day(open_request.received_on)},
            open_request,
        )


def _clock(
    actor: "AnyActor", learner: Learner, kind: RightsRequestKind, received_on: date
) -> StatutoryProcess:
    """The statutory clock the request runs: one already running for the same rule (started by
    staff when the letter came, or by the other request the rule covers) is joined, since the
    clock services keep one per rule; its date is never later than this request's own."""
    running = StatutoryProcess.objects.filter(
        learner=learner,
        rule_key=kind.rule_key,
        agency__isnull=True,
        status__in=OPEN_PROCESS_STATUSES,
    ).first()
    if running is not None:
        return running
    return _start(
        actor=actor,
        learner=learner,
        rule_key=kind.rule_key,
        started_on=received_on,
        reason=str(kind.label),
    )


def _received_on(received_on: date) -> date:
    try:
        RightsRequest._meta.get_field("received_on").validate(received_on, None)
    except ValidationError as implausible:
        raise ValidationError({"received_on": implausible.messages}) from None
    if received_on > _today():
        raise ValidationError(
            {"received_on": _("The date it was received cannot be in the future.")}
        )
    return received_on


def _create(
    *,
    actor: "AnyActor",
    learner: Learner,
    kind_code: str,
    requester: Requester,
    channel: str,
    received_on: date,
    what: str,
    why: str,
) -> RightsRequest:
    nation = learner_nation(learner)
    kind = _kind(nation, kind_code)
    what, why = _words(what, why)
    received_on = _received_on(received_on)
    capacity = _capacity(actor, nation, learner, requester, received_on)
    _refuse_duplicate(learner, kind)
    clock = _clock(actor, learner, kind, received_on)
    link = requester.carer_link
    request = RightsRequest(
        learner=learner,
        kind=kind.code,
        capacity=capacity,
        carer=link.carer if link is not None else None,
        requester_name=link.carer.full_name if link is not None else learner.display_name,
        channel=channel,
        received_on=received_on,
        what=what,
        why=why,
        process=clock,
        recorded_by=None if isinstance(actor, SystemProcess) else actor.user,
        recorded_by_label=_label(actor),
    )
    request.full_clean(exclude=["learner", "carer", "process", "recorded_by", "decided_by"])
    request.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="rights_request",
        object_id=str(request.public_id),
        purpose="make rights request"
        if channel == RequestChannel.PORTAL
        else "record rights request",
        changes={"kind": [None, kind.code], "capacity": [None, capacity]},
    )
    return request


def _own_requester(actor: "Actor", learner: Learner) -> Requester:
    """The family member making a request through Stagewise: a parent's link to the learner, or
    the young person or child themself."""
    if policy_for(actor).plan_recipient == "parent":
        link = (
            LearnerCarer.objects.select_related("carer")
            .filter(learner=learner, carer__user=actor.user)
            .first()
        )
        if link is None:  # require_for_learner has already found them linked
            raise ValidationError(_("Your link to this learner is not recorded."))
        return Requester(carer_link=link)
    return Requester()


@transaction.atomic
def rights_request_make(
    *, actor: "Actor", learner: Learner, kind: str, what: str, why: str
) -> RightsRequest:
    """A parent, young person or child asks through Stagewise, today."""
    require_for_learner(
        actor,
        Capability.MAKE_RIGHTS_REQUESTS,
        learner,
        "make rights request",
        part=ParentPart.REQUESTS,
    )
    return _create(
        actor=actor,
        learner=learner,
        kind_code=kind,
        requester=_own_requester(actor, learner),
        channel=RequestChannel.PORTAL,
        received_on=_today(),
        what=what,
        why=why,
    )


@transaction.atomic
def rights_request_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    kind: str,
    requester: Requester,
    channel: str,
    received_on: date,
    what: str,
    why: str,
) -> RightsRequest:
    """Staff record a request the family made by letter, telephone, email or in person; the
    clock starts on the day it was received."""
    require_for_learner(actor, Capability.RECORD_RIGHTS_REQUESTS, learner, "record rights request")
    if channel not in RequestChannel.values or channel == RequestChannel.PORTAL:
        raise ValidationError({"channel": _("Choose how the request was made.")})
    link = requester.carer_link
    if link is not None and link.learner_id != learner.pk:
        raise ValidationError({"requester": _("Choose who made the request.")})
    return _create(
        actor=actor,
        learner=learner,
        kind_code=kind,
        requester=requester,
        channel=channel,
        received_on=received_on,
        what=what,
        why=why,
    )


def _lock(request: RightsRequest) -> RightsRequest:
    return (
        RightsRequest.objects.select_for_update(of=("self",))
        .select_related("learner", "process")
        .get(pk=request.pk)
    )


@transaction.atomic
def rights_request_decide(
    *,
    actor: "AnyActor",
    request: RightsRequest,
    outcome: str,
    decided_on: date,
    note: str,
) -> RightsRequest:
    """Records what was decided. The statutory clock closes (met or late), unless another open
    request still runs on it; the family is told."""
    require_for_learner(
        actor, Capability.DECIDE_RIGHTS_REQUESTS, request.learner, "decide rights request"
    )
    locked = _lock(request)
    if not locked.is_open:
        raise ValidationError(_("A decision on this request has already been recorded."))
    if outcome not in RightsRequestOutcome.values:
        raise ValidationError({"outcome": _("Choose what was decided.")})
    try:
        RightsRequest._meta.get_field("decided_on").validate(decided_on, None)
    except ValidationError as implausible:
        raise ValidationError({"decided_on": implausible.messages}) from None
    if decided_on > _today():
        raise ValidationError(
            {"decided_on": _("The date of the decision cannot be in the future.")}
        )
    if decided_on < locked.received_on:
        raise ValidationError(
            {
                "decided_on": _("The decision cannot come before the request, on %(day)s.")
                % {"day": format_day(locked.received_on)}
            }
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was decided and why: the family will see it.")})
    locked.outcome = outcome
    locked.outcome_note = note
    locked.decided_on = decided_on
    locked.decided_by = None if isinstance(actor, SystemProcess) else actor.user
    locked.decided_by_label = _label(actor)
    locked.full_clean(exclude=["learner", "carer", "process", "recorded_by", "decided_by"])
    locked.save(
        update_fields=["outcome", "outcome_note", "decided_on", "decided_by", "decided_by_label"]
    )
    clock = locked.process
    others_waiting = (
        clock is not None
        and RightsRequest.objects.filter(process=clock, decided_on__isnull=True).exists()
    )
    if clock is not None and clock.is_open and not others_waiting:
        _close(
            actor=actor,
            process=clock,
            closed_on=decided_on,
            outcome=ProcessOutcome.WITHDRAWN
            if outcome == RightsRequestOutcome.WITHDRAWN
            else ProcessOutcome.DONE,
            note=note,
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        learner=locked.learner,
        object_type="rights_request",
        object_id=str(locked.public_id),
        purpose="decide rights request",
        changes={"outcome": ["", outcome]},
    )
    _tell_family(locked)
    return locked


def _tell_family(request: RightsRequest) -> None:
    """A notice to each family member with an account: the carers with portal access and the
    learner's own account. Written in each one's language; the subject names no learner."""
    learner = request.learner
    people: list[tuple[int, str]] = list(
        LearnerCarer.objects.filter(
            learner_id__in=learners_whose_parents_see([learner.pk], ParentPart.REQUESTS),
            portal_access=True,
            carer__user__isnull=False,
        ).values_list("carer__user_id", "carer__user__preferred_language")
    )
    account = learner.young_person_account
    if account is not None:
        people.append((account.pk, account.preferred_language))
    link = reverse("rights_requests:list", args=[learner.public_id])
    notices: list[Notice] = []
    for user_id, language in people:
        with translation.override(language or "en"):
            notices.append(
                Notice(
                    recipient_id=user_id,
                    dedupe_key=f"rights-request-decided:{request.public_id}:{user_id}",
                    kind=NotificationKind.RIGHTS_REQUEST_DECIDED,
                    subject=_("A decision has been made on your request"),
                    body=_(
                        "A decision has been recorded on the request received on %(day)s: open"
                        " your requests to see what was decided and why."
                    )
                    % {"day": format_day(request.received_on)},
                    link_url=f"{link}#request-{request.public_id}",
                    learner_id=learner.pk,
                )
            )
    notifications_create(notices=notices)


@transaction.atomic
def capacity_assessment_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    assessed_on: date,
    capable: bool,
    assessed_by_name: str,
    notes: str = "",
) -> CapacityAssessment:
    """Staff record a capacity and wellbeing assessment of a child aged 12 to 15."""
    require_for_learner(
        actor, Capability.RECORD_RIGHTS_REQUESTS, learner, "record capacity assessment"
    )
    nation = learner_nation(learner)
    if nation.child_rights_from_age is None or not nation.child_rights_need_capacity_assessment:
        raise ValidationError(
            _("Children here use their rights without a capacity and wellbeing assessment.")
        )
    assessment = CapacityAssessment(
        learner=learner,
        assessed_on=assessed_on,
        capable=capable,
        assessed_by_name=(assessed_by_name or "").strip(),
        notes=(notes or "").strip(),
        recorded_by=None if isinstance(actor, SystemProcess) else actor.user,
    )
    assessment.full_clean(exclude=["learner", "recorded_by"])
    if assessed_on > _today():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    age = learner.age_on(assessed_on)
    if not nation.child_rights_from_age <= age < nation.young_person_from_age:
        raise ValidationError(
            {
                "assessed_on": _(
                    "A capacity and wellbeing assessment is for a child aged %(low)s to %(high)s;"
                    " on that day %(learner)s was %(age)s."
                )
                % {
                    "low": nation.child_rights_from_age,
                    "high": nation.young_person_from_age - 1,
                    "learner": learner,
                    "age": age,
                }
            }
        )
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="capacity_assessment",
        object_id=str(assessment.public_id),
        purpose="record capacity assessment",
        changes={"capable": [None, capable]},
    )
    return assessment


__all__ = [
    "DuplicateRightsRequest",
    "Requester",
    "capacity_assessment_record",
    "rights_request_decide",
    "rights_request_make",
    "rights_request_record",
]
