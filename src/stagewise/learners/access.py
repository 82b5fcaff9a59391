"""The one door to learner data: who may see which learner, decided in one place.

Every view, fragment and export reaches a learner through `get_learner_for` or lists them through
`visible_learners`; everything else about a learner (plans, requests, reviews) is reached through
the learner, so this module is the rule to get right, test and audit. Which learners a role may
see, and what it may do to them, is read from `stagewise.policy`; services call
`require_for_learner` so that a command, a task or an API cannot skip the check.

There is one deliberate second door, at the end of this module: after a learner moves away, the
school they left may read, for a configured period, only what its own staff wrote about them
(`records_written_here_for`). It opens nothing else of the learner, and only the pages of what
the school wrote use it (the records here, the plans it agreed in planning).
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import BigIntegerField, Exists, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.models import RecordPart, RequestForAssistance
from stagewise.data_protection.models import (
    LEARNERS_OWN_RECORD,
    OUTLIVES_THE_LEARNER,
    RetentionDue,
)
from stagewise.learners.models import (
    Enrolment,
    Learner,
    LearnerCarer,
    LearnerMove,
    ParentPart,
    ParentSharing,
    ParentSharingDecision,
    StaffRelationship,
)
from stagewise.notifications.models import NotificationKind
from stagewise.organisations.models import Setting
from stagewise.policy import (
    Capability,
    CapabilityRequired,
    LearnerScope,
    SystemProcess,
    may,
    policy_for,
    require,
)

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def visible_learners(actor: "Actor | None") -> QuerySet[Learner]:
    """The learners this actor may see today, as one queryset."""
    if actor is None:
        return Learner.objects.none()
    scope = policy_for(actor).scope
    membership = actor.membership
    today = timezone.localdate()
    current_enrolments = Enrolment.objects.current(today)

    if scope == LearnerScope.LINKED_AT_SETTING and membership is not None:
        # Learners linked to this member of staff and enrolled where they are acting from.
        linked = StaffRelationship.objects.current(today).filter(staff=actor.user)
        enrolled_here = current_enrolments.filter(setting_id=membership.setting_id)
        return Learner.objects.filter(pk__in=linked.values("learner_id")).filter(
            pk__in=enrolled_here.values("learner_id")
        )
    if scope == LearnerScope.SETTING and membership is not None:
        enrolled_here = current_enrolments.filter(setting_id=membership.setting_id)
        return Learner.objects.filter(pk__in=enrolled_here.values("learner_id"))
    if scope == LearnerScope.AUTHORITY and membership is not None:
        in_authority = current_enrolments.filter(setting__authority_id=membership.authority_id)
        return Learner.objects.filter(pk__in=in_authority.values("learner_id"))
    if scope == LearnerScope.AGENCY and membership is not None:
        # Only through a request to their service that it has taken on, while a consent (or a
        # recorded lawful basis) covers it: withdrawing consent closes the door at once.
        sharing = RequestForAssistance.objects.sharing().filter(service_id=membership.agency_id)
        return Learner.objects.filter(pk__in=sharing.values("learner_id"))
    if scope == LearnerScope.OWN_CHILDREN:
        own_children = LearnerCarer.objects.filter(carer__user=actor.user, portal_access=True)
        # A young person who decided their parents see nothing is not their parents' to see.
        return Learner.objects.filter(pk__in=own_children.values("learner_id")).exclude(
            pk__in=hidden_from_parents().values("learner_id")
        )
    if scope == LearnerScope.OWN_RECORD:
        return Learner.objects.filter(young_person_account=actor.user)
    # National analysts see figures, never individuals; administrators configure, never read.
    return Learner.objects.none()


def visible_through_enrolments(actor: "Actor | None", prefix: str = "enrolments__") -> Q | None:
    """For staff who see learners by where they are enrolled today (a school's, an authority's):
    `visible_learners` as conditions on an enrolment, its fields named after `prefix` (a
    learner's `enrolments__` by default, "" on Enrolment itself), to be applied in one
    `filter()` so that they join the enrolments rather than test each learner against them. A
    learner enrolled twice in the scope comes twice from such a join. An authority is read from
    the enrolment's own copy of its setting's authority (ADR 0050), which the enrolment's index
    for the authority's list leads with. None for every other scope."""
    if actor is None or actor.membership is None:
        return None
    scope = policy_for(actor).scope
    today = timezone.localdate()
    current = Q(**{f"{prefix}started_on__lte": today}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": today})
    )
    if scope == LearnerScope.SETTING:
        return current & Q(**{f"{prefix}setting_id": actor.membership.setting_id})
    if scope == LearnerScope.AUTHORITY:
        # Compared as the column's own type (bigint): PostgreSQL's btree_gin, which puts the
        # authority in the name search's trigram index, has no bigint = integer operator, and
        # would leave the authority out of that index's reading.
        authority = Cast(Value(actor.membership.authority_id), BigIntegerField())
        return current & Q(**{f"{prefix}authority_id": authority})
    return None


# Parts a parent reads that no consent to a service names: a service reaches them (a meeting it
# is invited to) by its role and its invitations, never by consent, so consent does not cut them.
PARTS_OUTSIDE_CONSENT = frozenset(ParentPart.values) - frozenset(RecordPart.values)


def hidden_from_parents() -> QuerySet[ParentSharingDecision]:
    """The decisions in force by which a young person's parents see nothing of their record."""
    return ParentSharingDecision.objects.current().filter(sharing=ParentSharing.NOTHING)


def parts_parents_see(learner_ids: list[int]) -> dict[int, frozenset[str] | None]:
    """For each learner, the parts (ParentPart) their parents and carers see under the young
    person's decision in force: None (or absent) where nothing is cut. One query for them all."""
    decisions = ParentSharingDecision.objects.current().filter(learner_id__in=learner_ids)
    return {decision.learner_id: decision.shared_parts for decision in decisions}


def learners_whose_parents_see(learner_ids: list[int], part: str | None = None) -> set[int]:
    """Those of the learners whose parents and carers may be told about `part` (a ParentPart),
    or, with no part, may see the record at all: who a notice or an email to parents may
    name, so that what the young person keeps from them never reaches them another way."""
    parts = parts_parents_see(learner_ids)
    return {
        learner_id
        for learner_id in learner_ids
        if (seen := parts.get(learner_id)) is None
        or (part in seen if part is not None else bool(seen))
    }


# The part of the record each kind of notice to a family is about; a kind not named is about the
# record itself (a move of school), withheld only when the parents see nothing.
NOTICE_PARTS: dict[str, str] = {
    NotificationKind.DATE_CHANGED: ParentPart.REQUESTS,
    NotificationKind.RIGHTS_REQUEST_DECIDED: ParentPart.REQUESTS,
    NotificationKind.REVIEW_VIEWS_INVITED: ParentPart.PLANS,
    NotificationKind.ROUTE_DEADLINE: ParentPart.REQUESTS,
}


def notices_withheld_from_parents() -> Q:
    """Notices (a filter on notifications) their recipient received as a parent or carer about a
    part their young person now keeps from them: sent before the decision, they are no longer
    theirs to read or to be emailed. Subqueries on each notice's learner and recipient, so no
    query of its own, whoever the recipients."""
    decisions = ParentSharingDecision.objects.current().filter(
        learner_id=OuterRef("learner_id"),
        learner__carer_links__carer__user_id=OuterRef("recipient_id"),
    )
    withheld = Q(Exists(decisions.filter(sharing=ParentSharing.NOTHING)))
    for part in set(NOTICE_PARTS.values()):
        # Each part's value is a word no other part's contains, so a text match is exact.
        lacking = decisions.filter(sharing=ParentSharing.CHOSEN_PARTS).exclude(
            parts__icontains=part
        )
        kinds = [kind for kind, about in NOTICE_PARTS.items() if about == part]
        withheld |= Q(kind__in=kinds) & Q(Exists(lacking))
    return withheld


def notices_withheld_from(user_id: int) -> Q | None:
    """notices_withheld_from_parents() for one recipient, as a plain filter: the decisions of the
    young people they are a parent or carer of are read first (one query, empty for staff), so
    counting their unread notices on every page needs no subquery per notice. None: nothing of
    theirs is withheld."""
    decisions = ParentSharingDecision.objects.current().filter(
        learner__carer_links__carer__user_id=user_id
    )
    withheld: Q | None = None
    for decision in decisions.exclude(sharing=ParentSharing.EVERYTHING).distinct():
        parts = decision.shared_parts
        if parts is None:
            continue
        if parts:
            kinds = [kind for kind, part in NOTICE_PARTS.items() if part not in parts]
            if not kinds:
                continue
            about = Q(learner_id=decision.learner_id, kind__in=kinds)
        else:
            about = Q(learner_id=decision.learner_id)
        withheld = about if withheld is None else withheld | about
    return withheld


def shared_parts(actor: "Actor | None", learner: Learner) -> frozenset[str] | None:
    """The parts of the learner's record an actor may see, where something cuts them. A service
    (coordination.RecordPart): those the current consents name, or all of them for a request
    sent on a recorded lawful basis. A parent or carer (ParentPart): those the young person's
    decision leaves them. None for everyone else, and for a parent of a learner with no such
    decision: their role decides."""
    scope = policy_for(actor).scope
    if actor is not None and scope == LearnerScope.OWN_CHILDREN:
        return parts_parents_see([learner.pk]).get(learner.pk)
    if actor is None or scope != LearnerScope.AGENCY:
        return None
    membership = actor.membership
    if membership is None:
        return frozenset()
    parts: set[str] = set()
    requests = RequestForAssistance.objects.sharing().filter(
        service_id=membership.agency_id, learner=learner
    )
    for request in requests.prefetch_related("consents"):
        if request.lawful_basis:
            return frozenset(RecordPart.values)
        for consent in request.consents.all():
            if consent.is_current:
                parts.update(consent.parts)
    return frozenset(parts)


def may_see_part(actor: "Actor | None", learner: Learner, part: str) -> bool:
    parts = shared_parts(actor, learner)
    if parts is None or part in parts:
        return True
    return policy_for(actor).scope == LearnerScope.AGENCY and part in PARTS_OUTSIDE_CONSENT


def get_learner_for(
    actor: "Actor | None",
    learner_id: object,
    purpose: str,
    capability: Capability = Capability.VIEW_LEARNER,
    part: str | None = None,
) -> Learner:
    """The learner, if this actor may see them, with the access recorded; otherwise 404.

    `part` names the part of the record the page shows (coordination.RecordPart, or for the
    pages only a family reads learners.ParentPart): a service whose consent does not cover it,
    or a parent whose young person keeps it from them, gets a 404, as if it did not exist.

    A refused attempt is recorded too, against the learner if they exist, so that the people
    responsible for a record see who tried to open it. The refusal itself says nothing. Someone
    who may see the learner but whose role lacks `capability` gets a 403, recorded as a refusal
    of that purpose.
    """
    public_id = public_id_or_404(learner_id)
    # With the audit key, so that recording the look costs no query of its own.
    learner = (
        visible_learners(actor).filter(public_id=public_id).select_related("audit_key").first()
    )
    if learner is None:
        if actor is not None:
            refuse_by_address(actor=actor, public_id=public_id, purpose=purpose)
        raise Http404
    if part is not None and not may_see_part(actor, learner, part):
        refuse(actor=actor, learner=learner, purpose=purpose)
        raise Http404
    if not may(actor, capability):
        refuse(actor=actor, learner=learner, purpose=purpose)
        raise CapabilityRequired(capability)
    record_look(actor=actor, learner=learner, purpose=purpose)
    return learner


def record_look(*, actor: "Actor | None", learner: Learner, purpose: str) -> None:
    """Record that the actor was shown the learner, for this purpose."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=learner,
        object_type="learner",
        object_id=str(learner.public_id),
        purpose=purpose,
    )


def refuse(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner | None,
    purpose: str,
    object_type: str = "learner",
    object_id: str = "",
) -> None:
    """Record a refusal against the learner whose record was actually asked for."""
    audit_record(
        actor=actor,
        action=AuditAction.REFUSED,
        learner=learner,
        object_type=object_type,
        object_id=object_id or (str(learner.public_id) if learner else ""),
        purpose=purpose,
    )


def public_id_or_404(learner_id: object) -> uuid.UUID:
    """The learner's public id from an address; 404 for anything that is not one."""
    try:
        return uuid.UUID(str(learner_id))
    except ValueError:
        raise Http404 from None


def refuse_by_address(
    *, actor: "Actor | SystemProcess | None", public_id: uuid.UUID, purpose: str
) -> None:
    """Record a refusal against the learner the address names, if there is one."""
    refuse(
        actor=actor,
        learner=Learner.objects.filter(public_id=public_id).select_related("audit_key").first(),
        purpose=purpose,
        object_id=str(public_id),
    )


def learner_record_or_404[RecordT: Model](
    *,
    actor: "Actor | None",
    records: QuerySet[RecordT],
    learner: Learner,
    purpose: str,
    object_type: str,
    **lookup: object,
) -> RecordT:
    """One of this learner's records (a need, an assessment, a plan), or 404."""
    return record_or_404(
        actor=actor,
        records=records,
        within={"learner": learner},
        learner_path="learner",
        purpose=purpose,
        object_type=object_type,
        **lookup,
    )


def record_or_404[RecordT: Model](
    *,
    actor: "Actor | None",
    records: QuerySet[RecordT],
    within: dict[str, object],
    learner_path: str,
    purpose: str,
    object_type: str,
    **lookup: object,
) -> RecordT:
    """The record `lookup` names, if it lies `within` what the address reached (this learner,
    this plan), or 404.

    A record that exists elsewhere (asked for under the wrong learner's or plan's address) is
    refused on the record's own learner, found along `learner_path`, never logged against the
    one in the address; the request's view of that learner is not recorded either (audit
    middleware).
    """
    record = records.filter(**within, **lookup).first()
    if record is not None:
        return record
    elsewhere = records.model._default_manager.filter(**lookup).select_related(learner_path).first()
    owner: object = elsewhere
    for step in learner_path.split("__"):
        owner = getattr(owner, step, None)
    refuse(
        actor=actor,
        learner=owner if isinstance(owner, Learner) else None,
        purpose=purpose,
        object_type=object_type,
        object_id=str(next(iter(lookup.values()), "")),
    )
    raise Http404


def require_for_learner(
    actor: "Actor | SystemProcess | None",
    capability: Capability,
    learner: Learner,
    purpose: str = "",
    part: str | None = None,
) -> None:
    """What every service that touches a learner calls first: the actor's role must carry the
    capability and the learner must be one the actor may see (and, with `part`, that part of
    their record, as `get_learner_for`). A refusal is recorded and raised (PermissionDenied),
    whoever the caller: a view, the admin, a command, a task or an API."""
    if isinstance(actor, SystemProcess):
        return
    if (
        not may(actor, capability)
        or not visible_learners(actor).filter(pk=learner.pk).exists()
        or (part is not None and not may_see_part(actor, learner, part))
    ):
        refuse(actor=actor, learner=learner, purpose=purpose or capability.value)
        raise CapabilityRequired(capability)


def require_for_setting(
    actor: "Actor | SystemProcess | None", capability: Capability, setting: Setting
) -> None:
    """For a write about a setting rather than a learner (enrolling someone there): the role must
    carry the capability and act for that setting or its authority."""
    if isinstance(actor, SystemProcess):
        return
    require(actor, capability)
    membership = actor.membership if actor is not None else None
    if membership is None or not (
        membership.setting_id == setting.pk
        or (membership.authority_id is not None and membership.authority_id == setting.authority_id)
    ):
        raise CapabilityRequired(capability)


# The second door: what the sending school wrote, after the learner has moved away (ADR 0020) ----
#
# From the day of a move the school a learner left no longer sees them through the door above. For
# settings.SENDING_SCHOOL_ACCESS_DAYS days from that day (0: never) those who saw the learner there
# the day before (a class teacher linked to them, the school's leaders: their role's scope at that
# school) may read, read-only, the records written by people acting for that school, and the
# learner's name. Nothing else: not where the learner is now, not their details, not what anyone
# else writes. Only `records_written_here_for` lets anyone through, and it records every look.


@dataclass(frozen=True)
class MovedAway:
    """A learner who moved away from the actor's school, as far as the second door shows them."""

    learner: Learner
    move: LearnerMove

    @property
    def open_until(self) -> date:
        """The last day the school may read what it wrote."""
        return sending_school_access_ends(self.move.moved_on)


def sending_school_access_ends(moved_on: date) -> date:
    """The last day of the sending school's access: the day of the move counts as the first."""
    return moved_on + timedelta(days=settings.SENDING_SCHOOL_ACCESS_DAYS - 1)


def moves_away_from_here(actor: "Actor | None") -> QuerySet[LearnerMove]:
    """The moves away from the actor's school whose learner the actor may still read what the
    school wrote about: within the period, and seen by the actor the day before the move."""
    days = settings.SENDING_SCHOOL_ACCESS_DAYS
    if actor is None or days <= 0 or not may(actor, Capability.READ_RECORDS_WRITTEN_HERE):
        return LearnerMove.objects.none()
    membership = actor.membership
    if membership is None or membership.setting_id is None:
        return LearnerMove.objects.none()
    today = timezone.localdate()
    # Moved on or before today (a move dated later leaves the learner behind the ordinary door
    # until then), and no more than `days` days ago, the day of the move being the first.
    # The actor held this role at the school on the day before the move: someone who joined
    # it since never saw the learner there.
    moves = LearnerMove.objects.filter(
        from_setting_id=membership.setting_id,
        moved_on__lte=today,
        moved_on__gt=today - timedelta(days=days),
    ).filter(moved_on__gt=membership.started_on)
    scope = policy_for(actor).scope
    if scope == LearnerScope.SETTING:
        return moves
    if scope == LearnerScope.LINKED_AT_SETTING:
        # Linked to the learner on the last day they were at the school: the move ends every
        # link the day before it, so a link in force that day is one the teacher had then.
        # Compared in Python (a school's moves in the period are few) to stay clear of date
        # arithmetic that SQLite and PostgreSQL spell differently.
        candidates = list(moves.values_list("pk", "learner_id", "moved_on"))
        links = list(
            StaffRelationship.objects.filter(
                staff=actor.user,
                learner_id__in={learner_id for _pk, learner_id, _on in candidates},
            ).values_list("learner_id", "started_on", "ended_on")
        )
        in_force_the_day_before = {
            pk
            for pk, learner_id, moved_on in candidates
            for linked_id, started_on, ended_on in links
            if linked_id == learner_id
            and started_on < moved_on
            and (ended_on is None or ended_on >= moved_on - timedelta(days=1))
        }
        return moves.filter(pk__in=in_force_the_day_before)
    return LearnerMove.objects.none()


def moved_away_list(actor: "Actor | None") -> list[MovedAway]:
    """Every learner the actor's school may still read its own records of, most recent move
    first; one row per learner (their latest move away from here)."""
    rows: dict[int, MovedAway] = {}
    for move in moves_away_from_here(actor).select_related("learner").order_by("-moved_on", "-pk"):
        rows.setdefault(move.learner_id, MovedAway(learner=move.learner, move=move))
    return list(rows.values())


def records_written_here_for(actor: "Actor | None", learner_id: object, purpose: str) -> MovedAway:
    """The only way through the second door: a learner who moved away from the actor's school
    within the period, if the actor saw them there, with the look recorded; otherwise 404 (the
    attempt recorded against the learner, as at the first door). What the caller may then read
    is cut by learners/selectors/moves.records_written_here and planning/agreed_here: what was
    written or agreed for this school, nothing else."""
    public_id = public_id_or_404(learner_id)
    move = (
        moves_away_from_here(actor)
        .filter(learner__public_id=public_id)
        .select_related("learner__audit_key")
        .order_by("-moved_on", "-pk")
        .first()
    )
    if move is None:
        if actor is not None:
            refuse_by_address(actor=actor, public_id=public_id, purpose=purpose)
        raise Http404
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=move.learner,
        object_type="records_written_here",
        object_id=str(move.learner.public_id),
        purpose=purpose,
        detail={"move": str(move.public_id)},
    )
    return MovedAway(learner=move.learner, move=move)


# The third door: a subject access request (ADR 0032) ---------------------------------------------
#
# An authority's data protection officer reads no record page; they reach a learner only to
# export everything held about them, and only a learner ever enrolled at one of their authority's
# schools (one who has left included: a request often comes after). Anyone else asking is sent to
# the first door, so someone who sees the learner is refused (403) and anyone else gets 404.

SUBJECT_ACCESS_PURPOSE = "subject access request"


def subject_access_learners(actor: "Actor | None") -> QuerySet[Learner]:
    """The learners whose record this actor may export for a subject access request."""
    if actor is None or not may(actor, Capability.EXPORT_SUBJECT_ACCESS):
        return Learner.objects.none()
    membership = actor.membership
    if membership is None or membership.authority_id is None:
        return Learner.objects.none()
    enrolled = Enrolment.objects.filter(setting__authority_id=membership.authority_id)
    return Learner.objects.filter(pk__in=enrolled.values("learner_id"))


def learner_for_subject_access(actor: "Actor | None", learner_id: object) -> Learner:
    """The learner, if this actor may export their record; otherwise 403 or 404 as at the first
    door, the attempt recorded. The export itself is recorded by the service that makes it."""
    if not may(actor, Capability.EXPORT_SUBJECT_ACCESS):
        get_learner_for(
            actor, learner_id, SUBJECT_ACCESS_PURPOSE, capability=Capability.EXPORT_SUBJECT_ACCESS
        )
        raise Http404  # never reached: the first door refuses whoever lacks the capability
    public_id = public_id_or_404(learner_id)
    learner = (
        subject_access_learners(actor)
        .filter(public_id=public_id)
        .select_related("audit_key")
        .first()
    )
    if learner is None:
        refuse_by_address(actor=actor, public_id=public_id, purpose=SUBJECT_ACCESS_PURPOSE)
        raise Http404
    return learner


def require_for_subject_access(actor: "Actor | SystemProcess | None", learner: Learner) -> None:
    """What the export service calls first: the actor may export this learner's record."""
    if isinstance(actor, SystemProcess):
        return
    if not subject_access_learners(actor).filter(pk=learner.pk).exists():
        refuse(actor=actor, learner=learner, purpose=SUBJECT_ACCESS_PURPOSE)
        raise CapabilityRequired(Capability.EXPORT_SUBJECT_ACCESS)


# The fourth door: erasure under a retention schedule (ADR 0033) ----------------------------------
#
# An authority's data protection officer may erase a learner whose own record (the registry's
# learners.Learner type) the daily retention review found due, in their authority: the report's
# row is the permission. The same goes for one record type of a learner's (their chronology, say)
# found due on its own schedule. Everyone else, and any learner not due, gets 404, the attempt
# recorded. The access trail is never erased this way (ADR 0038: whole months, by a task).

ERASURE_PURPOSE = "erasure under a retention schedule"
# The record type whose schedule decides that the whole record may go: the learner's own.
ERASURE_RECORD_TYPE = LEARNERS_OWN_RECORD


def erasure_due(
    actor: "Actor | None", learner: Learner, record_type: str | None = None
) -> RetentionDue | None:
    """The retention review's row by which this actor may erase this learner, or, given a
    `record_type`, their records of that type alone, if there is one: due for review, in the
    actor's authority, and the actor's role may erase. The learner's own record goes only whole,
    and the access trail never this way."""
    if actor is None or not may(actor, Capability.ERASE_LEARNER):
        return None
    if record_type in (ERASURE_RECORD_TYPE, OUTLIVES_THE_LEARNER):
        return None
    membership = actor.membership
    if membership is None or membership.authority_id is None:
        return None
    return (
        RetentionDue.objects.filter(
            learner=learner,
            authority_id=membership.authority_id,
            schedule__record_type=record_type or ERASURE_RECORD_TYPE,
        )
        .select_related("schedule")
        .order_by("due_since", "pk")
        .first()
    )


def learner_for_erasure(
    actor: "Actor | None", learner_id: object, record_type: str | None = None
) -> tuple[Learner, RetentionDue]:
    """The learner and the review's row that makes them (or, given a `record_type`, their records
    of that type) due, if this actor may erase them; otherwise 404, the attempt recorded against
    the learner the address names."""
    public_id = public_id_or_404(learner_id)
    learner = Learner.objects.filter(public_id=public_id).select_related("audit_key").first()
    due = erasure_due(actor, learner, record_type) if learner is not None else None
    if learner is None or due is None:
        if actor is not None:
            refuse(actor=actor, learner=learner, purpose=ERASURE_PURPOSE, object_id=str(public_id))
        raise Http404
    return learner, due


def require_for_erasure(
    actor: "Actor | SystemProcess | None", learner: Learner, record_type: str | None = None
) -> RetentionDue:
    """What the erasure services call first: the actor may erase this learner (or, given a
    `record_type`, their records of that type alone) now. Stagewise itself never erases: a
    person decides, on the review's finding."""
    due = None if isinstance(actor, SystemProcess) else erasure_due(actor, learner, record_type)
    if due is None:
        refuse(actor=actor, learner=learner, purpose=ERASURE_PURPOSE)
        raise CapabilityRequired(Capability.ERASE_LEARNER)
    return due
