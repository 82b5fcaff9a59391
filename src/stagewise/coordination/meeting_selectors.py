"""Reads of a learner's meetings, scoped to the actor, each reached through a learner the actor
already sees (learners/access.get_learner_for).

- Staff of the school and the authority see every meeting about the learner.
- A service's practitioner or manager sees a meeting one of the service's practitioners is
  invited to, and only while the service sees the learner (ADR 0013, 0014).
- A family sees every meeting about their child, projected: the date, the invitations, the views
  gathered beforehand, and the minutes and actions once shared; never the staff-only notes.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from stagewise.coordination.meeting_models import (
    Meeting,
    MeetingAction,
    MeetingEvent,
    MeetingInvitee,
    MeetingViews,
)
from stagewise.coordination.models import RecordPart
from stagewise.coordination.services.meetings import may_mark_done
from stagewise.learners.access import may_see_part, record_or_404
from stagewise.learners.models import Learner, StaffRelationship, StaffRelationshipKind
from stagewise.planning.models import Plan, PlanStatus
from stagewise.policy import Audience, Capability, LearnerScope, may, policy_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def is_family(actor: "Actor") -> bool:
    return policy_for(actor).audience == Audience.FAMILY


def learner_meetings(actor: "Actor", learner: Learner) -> QuerySet[Meeting]:
    """The learner's meetings this actor may reach, the latest first."""
    meetings = Meeting.objects.filter(learner=learner)
    if policy_for(actor).scope == LearnerScope.AGENCY:
        membership = actor.membership
        if membership is None or membership.agency_id is None:
            return meetings.none()
        invited = MeetingInvitee.objects.filter(
            meeting=OuterRef("pk"), agency_id=membership.agency_id
        )
        meetings = meetings.filter(Exists(invited))
    return meetings


def meeting_list(actor: "Actor", learner: Learner) -> list[Meeting]:
    """The list page's rows: one query, whatever the number of meetings, invitees and actions."""
    return list(
        learner_meetings(actor, learner).annotate(
            invitee_count=Count("invitees", distinct=True),
            open_actions=Count("actions", filter=Q(actions__done_at__isnull=True), distinct=True),
        )
    )


def meeting_get(*, actor: "Actor", learner: Learner, meeting_id: object, purpose: str) -> Meeting:
    """One of the learner's meetings the actor may reach, or 404 (recorded)."""
    return record_or_404(
        actor=actor,
        records=learner_meetings(actor, learner).select_related("plan__plan_type", "learner"),
        within={"learner": learner},
        learner_path="learner",
        purpose=purpose,
        object_type="meeting",
        public_id=meeting_id,
    )


def meeting_action_get(
    *, actor: "Actor", meeting: Meeting, action_id: object, purpose: str
) -> MeetingAction:
    return record_or_404(
        actor=actor,
        records=MeetingAction.objects.select_related("meeting__learner", "learner"),
        within={"meeting": meeting},
        learner_path="learner",
        purpose=purpose,
        object_type="meeting_action",
        public_id=action_id,
    )


@dataclass
class ActionRow:
    action: MeetingAction
    overdue: bool
    may_mark_done: bool


@dataclass
class MeetingDetail:
    """What the meeting's page shows this actor."""

    meeting: Meeting
    family: bool
    invitees: list[MeetingInvitee]
    views: list[MeetingViews]
    # Minutes and actions: for staff always; for the family once shared.
    shows_minutes: bool
    actions: list[ActionRow] = field(default_factory=list)
    may_hold: bool = False
    may_give_views: bool = False
    held: bool = False
    upcoming: bool = False


def meeting_detail(actor: "Actor", meeting: Meeting) -> MeetingDetail:
    today = timezone.localdate()
    family = is_family(actor)
    shows_minutes = not family or meeting.shared_with_family
    actions: list[ActionRow] = []
    if shows_minutes:
        actions = [
            ActionRow(
                action=action,
                overdue=not action.is_done and action.due_on < today,
                may_mark_done=not family and may_mark_done(actor, action),
            )
            for action in meeting.actions.select_related("owner")
        ]
    return MeetingDetail(
        meeting=meeting,
        family=family,
        invitees=list(meeting.invitees.all()),
        views=list(meeting.views.all()),
        shows_minutes=shows_minutes,
        actions=actions,
        may_hold=may(actor, Capability.HOLD_MEETINGS),
        may_give_views=family
        and may(actor, Capability.GIVE_MEETING_VIEWS)
        and meeting.held_on >= today,
        held=meeting.held_on <= today,
        upcoming=meeting.held_on >= today,
    )


def meeting_history(meeting: Meeting) -> list[MeetingEvent]:
    """The meeting's steps, for staff: who did what, and the words agreed minutes replaced."""
    return list(meeting.events.all())


def plans_to_meet_about(learner: Learner) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(learner=learner)
        .exclude(status=PlanStatus.CLOSED)
        .select_related("plan_type", "authority__nation")
        .order_by("plan_type__order", "pk")
    )


NAMED = StaffRelationshipKind.NAMED_PERSON
LEAD = StaffRelationshipKind.LEAD_PROFESSIONAL


@dataclass
class TeamAroundTheChild:
    """The named person and the lead professional for the learner (ADR 0014)."""

    named_people: list[str]
    lead_professionals: list[str]


def team_around_the_child(
    actor: "Actor", learner: Learner, today: date | None = None
) -> TeamAroundTheChild:
    """The named person (a current staff link), and the lead professional: the one named on
    the learner's multi-agency plan that is in force, else a current staff link. The plan's
    word is read only by those who may see the learner's plans (a service: with consent)."""
    links = (
        StaffRelationship.objects.current(today or timezone.localdate())
        .filter(
            learner=learner,
            kind__in=(StaffRelationshipKind.NAMED_PERSON, StaffRelationshipKind.LEAD_PROFESSIONAL),
        )
        .select_related("staff")
        .order_by("kind", "staff__full_name")
    )
    named = [
        link.staff.full_name for link in links if link.kind == StaffRelationshipKind.NAMED_PERSON
    ]
    leads = [
        link.staff.full_name
        for link in links
        if link.kind == StaffRelationshipKind.LEAD_PROFESSIONAL
    ]
    if not may_see_part(actor, learner, RecordPart.PLANS):
        return TeamAroundTheChild(named_people=named, lead_professionals=leads)
    on_plan = (
        Plan.objects.filter(learner=learner, multi_agency=True)
        .exclude(status=PlanStatus.CLOSED)
        .exclude(lead_professional="")
        .order_by("-pk")
        .values_list("lead_professional", flat=True)
        .first()
    )
    if on_plan:
        leads = [on_plan, *(lead for lead in leads if lead != on_plan)]
    return TeamAroundTheChild(named_people=named, lead_professionals=leads)
