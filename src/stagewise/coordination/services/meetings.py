"""Meetings around a learner: arranging one, inviting people from the school, the authority, the
services working with the learner and the family, gathering views beforehand, recording who came,
the minutes, and the actions agreed with their owners and due dates.

Every write is guarded like any write about a learner (`require_for_learner`): the organiser's
steps need HOLD_MEETINGS; a family gives its own views with GIVE_MEETING_VIEWS; an action's owner
marks it done. A service's practitioner may be invited only while their service sees the learner
(a request it has taken on, covered by consent: ADR 0013); when that ends they lose the meeting
with the learner, because the meeting is reached only through the learner.

Agreed minutes are never silently rewritten: changing them needs a reason, and the event keeps
the words replaced.
"""

from datetime import date, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.meeting_models import (
    STAFF_INVITEE_KINDS,
    Attendance,
    InviteeKind,
    Meeting,
    MeetingAction,
    MeetingEvent,
    MeetingEventKind,
    MeetingInvitee,
    MeetingKind,
    MeetingViews,
    ViewsOf,
)
from stagewise.coordination.models import RequestForAssistance
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Carer, Learner, LearnerCarer, ParentPart
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.organisations.models import Membership, Role
from stagewise.policy import Audience, Capability, SystemProcess, may, policy_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User
    from stagewise.planning.models import Plan

    AnyActor = Actor | SystemProcess

# School and authority roles who may be invited as staff; a service's roles are invited as its
# practitioners, and only while it sees the learner.
SCHOOL_AND_AUTHORITY_ROLES = (
    Role.CLASS_TEACHER,
    Role.SUPPORT_FOR_LEARNING_LEAD,
    Role.HEAD_TEACHER,
    Role.LOCAL_AUTHORITY_OFFICER,
    Role.EDUCATIONAL_PSYCHOLOGIST,
)
SERVICE_ROLES = (Role.AGENCY_PRACTITIONER, Role.SERVICE_MANAGER)


def _user(actor: "AnyActor") -> "User | None":
    return None if isinstance(actor, SystemProcess) else actor.user


def _label(actor: "AnyActor") -> str:
    if isinstance(actor, SystemProcess):
        return "Stagewise"
    return f"{actor.user.full_name}, {actor.label}"[:300]


def _event(
    actor: "AnyActor", meeting: Meeting, kind: str, note: str = "", previous: str = ""
) -> None:
    MeetingEvent.objects.create(
        meeting=meeting,
        kind=kind,
        note=note[:2_000],
        previous=previous,
        actor=_user(actor),
        actor_label=_label(actor),
    )


def _audit(
    actor: "AnyActor",
    meeting: Meeting,
    purpose: str,
    changes: dict[str, Any] | None = None,
    action: str = AuditAction.UPDATE,
    object_type: str = "meeting",
    object_id: str = "",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=meeting.learner,
        object_type=object_type,
        object_id=object_id or str(meeting.public_id),
        purpose=purpose,
        changes=changes or {},
    )


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("learner").get(pk=meeting.pk)
    )


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _meeting_fields(
    learner: Learner,
    *,
    kind: str,
    held_on: date | None,
    starts_at: time | None,
    place: str,
    purpose: str,
    plan: "Plan | None",
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = _(
            "Choose the kind of meeting: a child planning meeting, a team around the child or"
            " a joint support team."
        )
    today = timezone.localdate()
    if held_on is None:
        errors["held_on"] = _("Enter the date of the meeting.")
    elif held_on < today:
        errors["held_on"] = _(
            "The date of the meeting must be today or in the future: a meeting is arranged"
            " before it is held."
        )
    if starts_at is None:
        errors["starts_at"] = _("Enter the time the meeting starts, for example 14:30.")
    if not place:
        errors["place"] = _("Say where the meeting is, or how to join it online.")
    if not purpose:
        errors["purpose"] = _("Say what the meeting is for.")
    if plan is not None and plan.learner_id != learner.pk:
        errors["plan"] = _("Choose one of this learner's plans.")
    return errors


@transaction.atomic
def meeting_arrange(
    *,
    actor: "AnyActor",
    learner: Learner,
    kind: str,
    held_on: date | None,
    starts_at: time | None,
    place: str,
    purpose: str,
    online: bool = False,
    plan: "Plan | None" = None,
    staff_notes: str = "",
) -> Meeting:
    """Arranges a meeting about the learner, on a day not yet past. The organiser is invited."""
    require_for_learner(actor, Capability.HOLD_MEETINGS, learner, "arrange a meeting")
    place, purpose = (place or "").strip(), (purpose or "").strip()
    errors = _meeting_fields(
        learner,
        kind=kind,
        held_on=held_on,
        starts_at=starts_at,
        place=place,
        purpose=purpose,
        plan=plan,
    )
    if errors:
        raise ValidationError(errors)
    assert held_on is not None and starts_at is not None
    meeting = Meeting(
        learner=learner,
        kind=kind,
        held_on=held_on,
        starts_at=starts_at,
        place=place,
        online=online,
        purpose=purpose,
        plan=plan,
        organised_by=_user(actor),
        organiser_label=_label(actor),
        staff_notes=(staff_notes or "").strip(),
    )
    meeting.full_clean(exclude=["learner", "plan", "organised_by"])
    meeting.save()
    _event(actor, meeting, MeetingEventKind.ARRANGED, meeting.get_kind_display())
    _audit(
        actor,
        meeting,
        "arrange a meeting",
        {"kind": [None, kind], "held_on": [None, str(held_on)]},
        action=AuditAction.CREATE,
    )
    if not isinstance(actor, SystemProcess):
        _invite_user(actor, meeting, actor.user)
    return meeting


# Invitations -----------------------------------------------------------------------------------


def school_and_authority_staff(learner: Learner) -> list[Membership]:
    """The current memberships of staff at the learner's school or its authority, by name."""
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return []
    setting = enrolment.setting
    return list(
        Membership.objects.current()
        .filter(role__in=SCHOOL_AND_AUTHORITY_ROLES, user__is_active=True)
        .filter(Q(setting=setting) | Q(setting__isnull=True, authority_id=setting.authority_id))
        .select_related("user", "setting", "authority")
        .order_by("user__full_name", "pk")
    )


def involved_service_staff(learner: Learner) -> list[Membership]:
    """The practitioners and managers of the services that see the learner now: a request to
    the service taken on and covered by consent or a lawful basis (ADR 0013)."""
    sharing = RequestForAssistance.objects.sharing().filter(learner=learner)
    return list(
        Membership.objects.current()
        .filter(
            role__in=SERVICE_ROLES, agency_id__in=sharing.values("service_id"), user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("agency__name", "user__full_name", "pk")
    )


def _membership_of(learner: Learner, user: "User") -> Membership | None:
    for membership in school_and_authority_staff(learner) + involved_service_staff(learner):
        if membership.user_id == user.pk:
            return membership
    return None


def _invite_user(actor: "AnyActor", meeting: Meeting, user: "User") -> MeetingInvitee:
    membership = _membership_of(meeting.learner, user)
    if membership is None:
        raise ValidationError(
            {
                "person": _(
                    "Choose someone from the list: staff of the learner's school or authority,"
                    " or a practitioner of a service that works with the learner with consent."
                )
            }
        )
    if meeting.invitees.filter(user=user).exists():
        raise ValidationError({"person": _("%(name)s is already invited.") % {"name": user}})
    kind = InviteeKind.SERVICE if membership.agency_id else InviteeKind.STAFF
    invitee = MeetingInvitee.objects.create(
        meeting=meeting,
        kind=kind,
        user=user,
        agency_id=membership.agency_id,
        name=user.full_name[:300],
        organisation_label=str(membership)[:300],
    )
    _invited(actor, meeting, invitee)
    return invitee


def _invited(actor: "AnyActor", meeting: Meeting, invitee: MeetingInvitee) -> None:
    _event(actor, meeting, MeetingEventKind.INVITED, invitee.name)
    _audit(
        actor,
        meeting,
        "invite to a meeting",
        {"invitee": [None, invitee.name], "kind": [None, invitee.kind]},
        action=AuditAction.CREATE,
        object_type="meeting_invitee",
        object_id=str(invitee.public_id),
    )


@transaction.atomic
def meeting_invite(
    *,
    actor: "AnyActor",
    meeting: Meeting,
    user: "User | None" = None,
    carer: Carer | None = None,
    young_person: bool = False,
) -> MeetingInvitee:
    """Invites one person: a member of staff or a service's practitioner (`user`), a parent or
    carer of the learner (`carer`), or the child or young person themselves."""
    require_for_learner(actor, Capability.HOLD_MEETINGS, meeting.learner, "invite to a meeting")
    locked = _lock(meeting)
    if user is not None:
        return _invite_user(actor, locked, user)
    learner = locked.learner
    if carer is not None:
        if not LearnerCarer.objects.filter(learner=learner, carer=carer).exists():
            raise ValidationError({"person": _("Choose one of the learner's parents or carers.")})
        if locked.invitees.filter(carer=carer).exists():
            raise ValidationError(
                {"person": _("%(name)s is already invited.") % {"name": carer.full_name}}
            )
        invitee = MeetingInvitee.objects.create(
            meeting=locked, kind=InviteeKind.PARENT, carer=carer, name=carer.full_name[:300]
        )
    elif young_person:
        if locked.invitees.filter(kind=InviteeKind.YOUNG_PERSON).exists():
            raise ValidationError(
                {"person": _("%(name)s is already invited.") % {"name": learner.display_name}}
            )
        invitee = MeetingInvitee.objects.create(
            meeting=locked,
            kind=InviteeKind.YOUNG_PERSON,
            user=learner.young_person_account,
            name=learner.display_name[:300],
        )
    else:
        raise ValidationError({"person": _("Choose who to invite.")})
    _invited(actor, locked, invitee)
    return invitee


@transaction.atomic
def meeting_attendance_record(
    *, actor: "AnyActor", meeting: Meeting, attendance: dict[int, str]
) -> Meeting:
    """Who attended and who sent apologies, by invitee; once the meeting's day has come."""
    require_for_learner(actor, Capability.HOLD_MEETINGS, meeting.learner, "record attendance")
    locked = _lock(meeting)
    if locked.held_on > timezone.localdate():
        raise ValidationError(
            _("Attendance can be recorded from the day of the meeting, %(day)s.")
            % {"day": _day(locked.held_on)}
        )
    invitees = {invitee.pk: invitee for invitee in locked.invitees.all()}
    changes: dict[str, Any] = {}
    for pk, value in attendance.items():
        invitee = invitees.get(pk)
        if invitee is None or value not in Attendance.values:
            raise ValidationError(_("Say for each person whether they attended."))
        if invitee.attendance != value:
            changes[invitee.name] = [invitee.attendance, value]
            invitee.attendance = value
            invitee.save(update_fields=["attendance"])
    if changes:
        _event(actor, locked, MeetingEventKind.ATTENDANCE)
        _audit(actor, locked, "record attendance", changes)
    return locked


# Views beforehand ------------------------------------------------------------------------------


def _family_whose(actor: "Actor") -> str:
    """A family member gives the views of who they are: the young person their own, a parent
    the family's."""
    if actor.role == Role.YOUNG_PERSON:
        return ViewsOf.CHILD
    return ViewsOf.FAMILY


@transaction.atomic
def meeting_views_record(
    *, actor: "AnyActor", meeting: Meeting, words: str, whose: str = ""
) -> MeetingViews:
    """Views gathered before the meeting, up to its day: the parent or young person's own, or
    recorded by the organiser's side on the child's or the family's behalf."""
    family = not isinstance(actor, SystemProcess) and policy_for(actor).audience == Audience.FAMILY
    capability = Capability.GIVE_MEETING_VIEWS if family else Capability.HOLD_MEETINGS
    require_for_learner(
        actor,
        capability,
        meeting.learner,
        "record views before a meeting",
        part=ParentPart.MEETINGS,
    )
    locked = _lock(meeting)
    if family:
        whose = _family_whose(actor)  # type: ignore[arg-type]
    errors: dict[str, str] = {}
    if whose not in ViewsOf.values:
        errors["whose"] = _("Say whose views these are: the child's or the family's.")
    words = (words or "").strip()
    if not words:
        errors["words"] = _("Write the views, in the person's own words where you can.")
    if errors:
        raise ValidationError(errors)
    if locked.held_on < timezone.localdate():
        raise ValidationError(
            _("The meeting was held on %(day)s: views are gathered before it.")
            % {"day": _day(locked.held_on)}
        )
    views = MeetingViews(
        meeting=locked,
        whose=whose,
        words=words,
        recorded_by=_user(actor),
        recorded_by_label=_label(actor),
        on_their_behalf=not family,
    )
    views.full_clean(exclude=["meeting", "recorded_by"])
    views.save()
    _event(actor, locked, MeetingEventKind.VIEWS, views.get_whose_display())
    _audit(
        actor,
        locked,
        "record views before a meeting",
        {"whose": [None, whose]},
        action=AuditAction.CREATE,
        object_type="meeting_views",
        object_id=str(views.public_id),
    )
    return views


# Minutes ---------------------------------------------------------------------------------------


@transaction.atomic
def meeting_minutes_write(
    *,
    actor: "AnyActor",
    meeting: Meeting,
    minutes: str,
    agreed: bool = False,
    share_with_family: bool = False,
    reason: str = "",
) -> Meeting:
    """The minutes, written from the day of the meeting. Once agreed, they change only with a
    reason, and the words they replace are kept. Shared with the family (with the agreed
    actions) only once agreed."""
    require_for_learner(actor, Capability.HOLD_MEETINGS, meeting.learner, "write the minutes")
    locked = _lock(meeting)
    minutes, reason = (minutes or "").strip(), (reason or "").strip()
    errors: dict[str, str] = {}
    if locked.held_on > timezone.localdate():
        raise ValidationError(
            _("The minutes can be written from the day of the meeting, %(day)s.")
            % {"day": _day(locked.held_on)}
        )
    if not minutes:
        errors["minutes"] = _("Write the minutes: what was discussed and what was decided.")
    changed = minutes != locked.minutes
    if locked.minutes_agreed and changed and not reason:
        errors["reason"] = _(
            "These minutes were agreed: say why they are being changed, for the record."
        )
    if share_with_family and not (agreed or locked.minutes_agreed):
        errors["share_with_family"] = _(
            "Agree the minutes before sharing them with the family: tick 'The minutes are agreed'."
        )
    if errors:
        raise ValidationError(errors)
    previous = locked.minutes
    now = timezone.now()
    if changed:
        locked.minutes = minutes
        locked.full_clean(exclude=["learner", "plan", "organised_by"])
        if locked.minutes_agreed:
            _event(actor, locked, MeetingEventKind.MINUTES_AMENDED, reason, previous=previous)
        else:
            _event(actor, locked, MeetingEventKind.MINUTES_WRITTEN)
    if agreed and not locked.minutes_agreed:
        locked.minutes_agreed_at = now
        _event(actor, locked, MeetingEventKind.MINUTES_AGREED)
    if share_with_family and not locked.shared_with_family:
        locked.shared_with_family_at = now
        _event(actor, locked, MeetingEventKind.SHARED)
    locked.save(update_fields=["minutes", "minutes_agreed_at", "shared_with_family_at"])
    _audit(
        actor,
        locked,
        "write the minutes",
        {
            "minutes": [previous, minutes] if changed else None,
            "agreed": locked.minutes_agreed,
            "shared_with_family": locked.shared_with_family,
            "reason": reason or None,
        },
    )
    return locked


# Agreed actions --------------------------------------------------------------------------------


def action_owners(meeting: Meeting) -> list[MeetingInvitee]:
    """Who may own an action: the staff and practitioners invited, each with an account."""
    return list(
        meeting.invitees.filter(kind__in=STAFF_INVITEE_KINDS, user__isnull=False).select_related(
            "user"
        )
    )


@transaction.atomic
def meeting_action_add(
    *,
    actor: "AnyActor",
    meeting: Meeting,
    description: str,
    owner: "User | None",
    due_on: date | None,
) -> MeetingAction:
    """An action the meeting agreed: what, who (one of the staff invited), and by when (on or
    after the day of the meeting)."""
    require_for_learner(actor, Capability.HOLD_MEETINGS, meeting.learner, "agree an action")
    locked = _lock(meeting)
    description = (description or "").strip()
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = _("Say what is to be done.")
    invitee = next(
        (invitee for invitee in action_owners(locked) if owner and invitee.user_id == owner.pk),
        None,
    )
    if invitee is None:
        errors["owner"] = _(
            "Choose who will do it from the staff invited to the meeting. Invite them first if"
            " they are not listed."
        )
    if due_on is None:
        errors["due_on"] = _("Enter the date it is due by.")
    elif due_on < locked.held_on:
        errors["due_on"] = _(
            "The due date must be on or after the day of the meeting, %(day)s."
        ) % {"day": _day(locked.held_on)}
    if errors:
        raise ValidationError(errors)
    assert invitee is not None and owner is not None and due_on is not None
    action = MeetingAction(
        meeting=locked,
        learner=locked.learner,
        description=description,
        owner=owner,
        owner_label=f"{invitee.name}, {invitee.organisation_label}"[:300],
        due_on=due_on,
    )
    action.full_clean(exclude=["meeting", "learner", "owner"])
    action.save()
    _event(actor, locked, MeetingEventKind.ACTION_AGREED, description)
    _audit(
        actor,
        locked,
        "agree an action",
        {"description": [None, description], "owner": [None, invitee.name]},
        action=AuditAction.CREATE,
        object_type="meeting_action",
        object_id=str(action.public_id),
    )
    return action


@transaction.atomic
def meeting_action_done(*, actor: "AnyActor", action: MeetingAction) -> MeetingAction:
    """Marks the action done: its owner, or whoever holds the meeting."""
    locked = (
        MeetingAction.objects.select_for_update(of=("self",))
        .select_related("meeting__learner")
        .get(pk=action.pk)
    )
    meeting = locked.meeting
    is_owner = not isinstance(actor, SystemProcess) and locked.owner_id == actor.user.pk
    if is_owner:
        require_for_learner(
            actor, Capability.VIEW_PROFESSIONAL_RECORD, meeting.learner, "mark an action done"
        )
    else:
        require_for_learner(actor, Capability.HOLD_MEETINGS, meeting.learner, "mark an action done")
    if locked.is_done:
        raise ValidationError(_("This action is already done."))
    locked.done_at = timezone.now()
    locked.done_by = _user(actor)
    locked.save(update_fields=["done_at", "done_by"])
    _event(actor, meeting, MeetingEventKind.ACTION_DONE, locked.description)
    _audit(
        actor,
        meeting,
        "mark an action done",
        {"done": [False, True]},
        object_type="meeting_action",
        object_id=str(locked.public_id),
    )
    return locked


def may_mark_done(actor: "Actor", action: MeetingAction) -> bool:
    return not action.is_done and (
        action.owner_id == actor.user.pk or may(actor, Capability.HOLD_MEETINGS)
    )


__all__ = [
    "action_owners",
    "involved_service_staff",
    "may_mark_done",
    "meeting_action_add",
    "meeting_action_done",
    "meeting_arrange",
    "meeting_attendance_record",
    "meeting_invite",
    "meeting_minutes_write",
    "meeting_views_record",
    "school_and_authority_staff",
]
