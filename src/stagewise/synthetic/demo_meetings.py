"""The demo's meetings about the story learner (the parent's first child at Riverside Primary):
a team around the child held three weeks ago, with views gathered beforehand, minutes agreed and
shared with the family, and actions (one done, one overdue, one due soon); and a child planning
meeting in a fortnight, the family's views already in.

Everything goes through the meeting services, as staff would. A meeting can only be arranged for
a day not yet past, so the held meeting is arranged for today and then moved to its day, as if it
had been arranged then."""

from datetime import date, time, timedelta
from typing import Any

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.coordination.models import Attendance, Meeting, MeetingAction, MeetingKind
from stagewise.coordination.services.meetings import (
    meeting_action_add,
    meeting_action_done,
    meeting_arrange,
    meeting_attendance_record,
    meeting_invite,
    meeting_minutes_write,
    meeting_views_record,
)
from stagewise.learners.models import Carer, Learner, StaffRelationshipKind
from stagewise.learners.services import staff_relationship_start

HELD_DAYS_AGO = 21


def add_demo_meetings(
    *,
    staff: dict[str, tuple[User, str, dict[str, Any], str]],
    story_learner: Learner,
    today: date,
) -> None:
    lead = actors_for(staff["support_lead"][0])[0]
    teacher_user = staff["teacher"][0]
    therapist_user = staff["agency_practitioner"][0]
    head_user = staff["head"][0]
    parent_user = User.objects.get(email__startswith="parent@")
    parent = actors_for(parent_user)[0]
    carer = Carer.objects.get(user=parent_user)
    staff_relationship_start(
        actor=lead,
        learner=story_learner,
        staff=head_user,
        kind=StaffRelationshipKind.NAMED_PERSON,
        started_on=today - timedelta(days=200),
    )

    held = meeting_arrange(
        actor=lead,
        learner=story_learner,
        kind=MeetingKind.TEAM_AROUND_THE_CHILD,
        held_on=today,
        starts_at=time(15, 30),
        place="Riverside Primary School, the family room",
        purpose="Agree how school, home and speech and language therapy help her be understood.",
        staff_notes="Mum has asked that letters go by email, not in the school bag.",
    )
    for user in (teacher_user, therapist_user):
        meeting_invite(actor=lead, meeting=held, user=user)
    meeting_invite(actor=lead, meeting=held, carer=carer)
    meeting_invite(actor=lead, meeting=held, young_person=True)
    meeting_views_record(
        actor=lead,
        meeting=held,
        whose="child",
        words='I like telling stories. I don\'t like it when people say "what?" lots of times.',
    )
    meeting_views_record(
        actor=parent,
        meeting=held,
        words="She talks all the time at home. We would like ideas to practise her sounds.",
    )
    meeting_attendance_record(
        actor=lead,
        meeting=held,
        attendance={
            invitee.pk: (
                Attendance.APOLOGIES if invitee.user_id == teacher_user.pk else Attendance.ATTENDED
            )
            for invitee in held.invitees.all()
        },
    )
    owners = {"teacher": teacher_user, "therapist": therapist_user, "lead": lead.user}
    actions = {
        name: meeting_action_add(
            actor=lead, meeting=held, description=description, owner=owners[name], due_on=due
        )
        for name, description, due in (
            ("therapist", "Send sound practice cards home each week.", today + timedelta(days=1)),
            ("teacher", "Give her a talking partner for group work.", today + timedelta(days=10)),
            ("lead", "Ask the family how the practice cards are going.", today),
        )
    }
    meeting_action_done(actor=lead, action=actions["lead"])
    meeting_minutes_write(
        actor=lead,
        meeting=held,
        minutes=(
            "Present: the support-for-learning lead, the speech and language therapist, mum and"
            " Ailsa for the first part. Apologies: the class teacher.\n\n"
            "The therapist's assessment shows a speech sound difficulty that is improving."
            " Everyone agreed that practice little and often, at home and in school, is what helps"
            " most, and that classmates should wait for her to finish."
        ),
        agreed=True,
        share_with_family=True,
    )
    # Moved to its day, three weeks ago; one action left overdue since.
    Meeting.objects.filter(pk=held.pk).update(held_on=today - timedelta(days=HELD_DAYS_AGO))
    MeetingAction.objects.filter(pk=actions["teacher"].pk).update(due_on=today - timedelta(days=4))

    upcoming = meeting_arrange(
        actor=lead,
        learner=story_learner,
        kind=MeetingKind.CHILD_PLANNING,
        held_on=today + timedelta(days=14),
        starts_at=time(9, 15),
        place="Online: the link is in the invitation email",
        online=True,
        purpose="Review her progress and decide whether the therapy continues next term.",
    )
    for user in (teacher_user, therapist_user):
        meeting_invite(actor=lead, meeting=upcoming, user=user)
    meeting_invite(actor=lead, meeting=upcoming, carer=carer)
    meeting_views_record(
        actor=parent,
        meeting=upcoming,
        words="The cards have helped. She is more confident answering the phone.",
    )
