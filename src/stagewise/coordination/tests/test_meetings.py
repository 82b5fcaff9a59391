"""Meetings around a learner: a team around the child, with invitees from several organisations,
the child's and the family's views beforehand, minutes, and agreed actions in their owners' work
queues.

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell
attends Riverside Primary in Glasgow. Her head teacher is her named person. Glasgow Speech and
Language Therapy ("the service") works with her, with her parent's consent; Tam
(`practitioner`) is allocated. Glasgow Occupational Therapy worked with her too, and Oona
(`closed_practitioner`) was invited to the meeting, but that work is now complete. Glasgow CAMHS
(`other_agency`) has never been asked. A team around the child meeting is arranged for next week
by the support-for-learning lead, with Tam, Oona and Ailsa's parent invited; her child's plan is
a multi-agency plan naming a lead professional.

The rules: only those who hold meetings arrange and run them; a service's practitioner is invited
only while their service works with the learner with consent, and reaches the meeting only while
that holds; an action's owner is one of the staff invited and its date is not before the meeting;
each open action is in its owner's work queue; families see the meeting, their invitation and
views, and the minutes and actions once shared, never the staff-only notes.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.accounts.work_queue import ItemKind, work_queue_get
from stagewise.conftest import staff_member
from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    Meeting,
    MeetingAction,
    MeetingEventKind,
    MeetingKind,
    RecordPart,
    RequestForAssistance,
    SharingConsent,
)
from stagewise.coordination.services import (
    consent_record,
    consent_withdraw,
    request_accept,
    request_complete,
    request_draft,
    request_send,
    request_start,
)
from stagewise.coordination.services.meetings import (
    meeting_action_add,
    meeting_arrange,
    meeting_invite,
    meeting_minutes_write,
    meeting_views_record,
)
from stagewise.learners.models import Carer, Learner, StaffRelationshipKind
from stagewise.organisations.models import Agency, Role
from stagewise.planning.models import Plan
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.testing.factories import (
    AgencyFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
    link_staff,
)
from stagewise.testing.plans import acting, complete_plan
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_WEEK = TODAY + timedelta(days=7)


@dataclass
class MeetingWorld:
    users: dict[str, User]
    learner: Learner
    service: Agency
    request: RequestForAssistance
    meeting: Meeting
    carer: Carer

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def url(self, name: str, **ids: object) -> str:
        kwargs: dict[str, object] = {"learner_id": self.learner.public_id}
        if name not in ("meetings:list", "meetings:new"):
            kwargs["meeting_id"] = self.meeting.public_id
        return reverse(name, kwargs=kwargs | ids)


def _request(lead: Any, learner: Learner, service: Agency, practitioner: User) -> Any:
    request = request_draft(
        actor=lead,
        learner=learner,
        service=service,
        reason="Hard to follow spoken instructions.",
        tried="Visual prompts.",
        tried_for="Two terms",
        learner_views="Would like help.",
        family_views="Agree.",
    )
    consent_record(
        actor=lead,
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="Claire Campbell",
        given_on=date(2025, 9, 1),
        method=ConsentMethod.IN_WRITING,
        parts=[RecordPart.NEEDS, RecordPart.PLANS],
    )
    request_send(actor=lead, request=request)
    request = request_accept(actor=SYSTEM, request=request, practitioner=practitioner)
    return request_start(actor=acting(practitioner), request=request)


def _build() -> MeetingWorld:
    glasgow = authority("Glasgow City")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    service = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    occupational = AgencyFactory.create(authority=glasgow, name="Glasgow Occupational Therapy")
    camhs = AgencyFactory.create(authority=glasgow, name="Glasgow CAMHS")
    learner = enrolled_learner(
        school, year_group="P6", legal_first_name="Ailsa", legal_last_name="Campbell"
    )
    users = {
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
        "head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=school),
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "practitioner": staff_member("tam@example.org", Role.AGENCY_PRACTITIONER, agency=service),
        "manager": staff_member("manager@example.org", Role.SERVICE_MANAGER, agency=service),
        "closed_practitioner": staff_member(
            "oona@example.org", Role.AGENCY_PRACTITIONER, agency=occupational
        ),
        "other_agency": staff_member("camhs@example.org", Role.AGENCY_PRACTITIONER, agency=camhs),
        "parent": UserFactory.create(email="parent@example.org", full_name="Claire Campbell"),
        "young_person": UserFactory.create(email="ailsa@example.org", full_name="Ailsa Campbell"),
    }
    carer = link_carer(learner, user=users["parent"]).carer
    learner.young_person_account = users["young_person"]
    learner.save(update_fields=["young_person_account"])
    link_staff(learner, users["head"], kind=StaffRelationshipKind.NAMED_PERSON)
    link_staff(learner, users["teacher"])
    lead = acting(users["support_lead"])
    childs_plan = complete_plan(lead, learner, "childs_plan")
    Plan.objects.filter(pk=childs_plan.pk).update(
        multi_agency=True, lead_professional="Dr Rhona Baird, health visitor, NHS Glasgow"
    )
    request = _request(lead, learner, service, users["practitioner"])
    occupational_request = _request(lead, learner, occupational, users["closed_practitioner"])
    meeting = meeting_arrange(
        actor=lead,
        learner=learner,
        kind=MeetingKind.TEAM_AROUND_THE_CHILD,
        held_on=NEXT_WEEK,
        starts_at=time(15, 30),
        place="Riverside Primary School, room 4",
        purpose="Agree who does what to help Ailsa in class.",
        staff_notes="Staff only: ask about the bus.",
    )
    for name in ("practitioner", "closed_practitioner", "teacher"):
        meeting_invite(actor=lead, meeting=meeting, user=users[name])
    meeting_invite(actor=lead, meeting=meeting, carer=carer)
    # Oona's part is done: her service's involvement closes.
    request_complete(
        actor=acting(users["closed_practitioner"]), request=occupational_request, note="Done."
    )
    return MeetingWorld(
        users=users,
        learner=learner,
        service=service,
        request=RequestForAssistance.objects.get(pk=request.pk),
        meeting=Meeting.objects.get(pk=meeting.pk),
        carer=carer,
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[MeetingWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def mw(module_world: MeetingWorld, db: None) -> MeetingWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def _held(mw: MeetingWorld, days_ago: int = 0) -> Meeting:
    """Time passes: the meeting's day has come (or gone)."""
    Meeting.objects.filter(pk=mw.meeting.pk).update(held_on=TODAY - timedelta(days=days_ago))
    return Meeting.objects.get(pk=mw.meeting.pk)


def _action(mw: MeetingWorld, owner: str = "teacher", **changes: Any) -> MeetingAction:
    fields: dict[str, Any] = {
        "description": "Try a visual timetable in class.",
        "owner": mw.users[owner],
        "due_on": NEXT_WEEK + timedelta(days=14),
    } | changes
    return meeting_action_add(actor=mw.actor("support_lead"), meeting=mw.meeting, **fields)


def _meeting_actions_queued(mw: MeetingWorld, actor: str) -> list[str]:
    queue = work_queue_get(actor=mw.actor(actor))
    assert queue is not None
    return [
        item.action
        for group in queue.groups
        for item in group.items
        if item.kind == ItemKind.MEETING_ACTION
    ]


def _dates(name: str, day: date) -> dict[str, object]:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


# Arranging and inviting -----------------------------------------------------------------------


def test_a_lead_arranges_a_meeting_and_is_invited_to_it(mw: MeetingWorld) -> None:
    response = mw.client("support_lead").post(
        mw.url("meetings:new"),
        {
            "kind": MeetingKind.JOINT_SUPPORT_TEAM,
            **_dates("held_on", NEXT_WEEK),
            "starts_at": "09:30",
            "place": "Online",
            "online": "true",
            "purpose": "Plan the move to secondary school.",
            "plan": "",
        },
    )

    meeting = Meeting.objects.filter(learner=mw.learner).exclude(pk=mw.meeting.pk).get()
    assert response.status_code == 302
    assert (meeting.kind, meeting.starts_at, meeting.online) == (
        "joint_support_team",
        time(9, 30),
        True,
    )
    assert list(meeting.invitees.values_list("user", flat=True)) == [mw.users["support_lead"].pk]


def test_a_meeting_in_the_past_is_refused_with_a_message_saying_what_to_fix(
    mw: MeetingWorld,
) -> None:
    response = mw.client("support_lead").post(
        mw.url("meetings:new"),
        {
            "kind": MeetingKind.CHILD_PLANNING,
            **_dates("held_on", TODAY - timedelta(days=1)),
            "starts_at": "25:00",
            "place": "Room 4",
            "purpose": "",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the time as hours and minutes on the 24-hour clock, like 14:30." in page
    assert "Say what the meeting is for." in page
    assert Meeting.objects.filter(learner=mw.learner).count() == 1
    with pytest.raises(ValidationError) as refused:
        meeting_arrange(
            actor=mw.actor("support_lead"),
            learner=mw.learner,
            kind=MeetingKind.CHILD_PLANNING,
            held_on=TODAY - timedelta(days=1),
            starts_at=time(10),
            place="Room 4",
            purpose="Review.",
        )
    assert "must be today or in the future" in str(refused.value.message_dict["held_on"])


def test_a_class_teacher_or_a_practitioner_may_not_arrange_a_meeting(mw: MeetingWorld) -> None:
    for name in ("teacher", "practitioner"):
        with pytest.raises(CapabilityRequired):
            meeting_arrange(
                actor=mw.actor(name),
                learner=mw.learner,
                kind=MeetingKind.CHILD_PLANNING,
                held_on=NEXT_WEEK,
                starts_at=time(10),
                place="Room 4",
                purpose="Review.",
            )


def test_only_a_practitioner_of_a_service_working_with_the_learner_with_consent_is_invited(
    mw: MeetingWorld,
) -> None:
    lead = mw.actor("support_lead")
    for outsider in ("other_agency", "closed_practitioner"):
        meeting = meeting_arrange(
            actor=lead,
            learner=mw.learner,
            kind=MeetingKind.CHILD_PLANNING,
            held_on=NEXT_WEEK,
            starts_at=time(10),
            place="Room 4",
            purpose="Review.",
        )
        with pytest.raises(ValidationError) as refused:
            meeting_invite(actor=lead, meeting=meeting, user=mw.users[outsider])
        assert "Choose someone from the list" in str(refused.value.message_dict["person"])

    invited = meeting_invite(actor=lead, meeting=meeting, user=mw.users["practitioner"])
    assert (invited.kind, invited.agency) == ("service", mw.service)


def test_the_invitation_page_offers_the_school_the_service_and_the_family(mw: MeetingWorld) -> None:
    page = mw.client("support_lead").get(mw.url("meetings:invite")).content.decode()

    assert "Head@Example.Org" in page or mw.users["head"].full_name in page
    assert mw.users["manager"].full_name in page  # the involved service's manager
    assert mw.users["other_agency"].full_name not in page
    assert mw.users["closed_practitioner"].full_name not in page  # invited already, and closed
    assert "Ailsa Campbell, the child or young person" in page

    response = mw.client("support_lead").post(mw.url("meetings:invite"), {"person": "young_person"})
    assert response.status_code == 302
    assert mw.meeting.invitees.filter(kind="young_person", user=mw.users["young_person"]).exists()


# Who reaches the meeting ----------------------------------------------------------------------

NEW_PAGES = (
    "meetings:list",
    "meetings:detail",
    "meetings:invite",
    "meetings:attendance",
    "meetings:views",
    "meetings:minutes",
    "meetings:action_add",
)


def test_an_invited_practitioner_reaches_the_meeting_and_loses_it_when_consent_is_withdrawn(
    mw: MeetingWorld,
) -> None:
    client = mw.client("practitioner")
    assert client.get(mw.url("meetings:detail")).status_code == 200
    assert mw.client("manager").get(mw.url("meetings:detail")).status_code == 200

    consent = SharingConsent.objects.get(request=mw.request, withdrawn_at=None)
    consent_withdraw(actor=mw.actor("parent"), consent=consent, note="We changed our minds.")

    assert client.get(mw.url("meetings:detail")).status_code == 404
    assert client.get(mw.url("meetings:list")).status_code == 404


def test_a_practitioner_whose_involvement_closed_or_of_another_service_gets_404_everywhere(
    mw: MeetingWorld,
) -> None:
    action = _action(mw)
    for actor in ("closed_practitioner", "other_agency"):
        client = mw.client(actor)
        for name in NEW_PAGES:
            assert client.get(mw.url(name)).status_code == 404, (actor, name)
        done = mw.url("meetings:action_done", action_id=action.public_id)
        assert client.post(done).status_code == 404, actor
    assert not MeetingAction.objects.get(pk=action.pk).is_done


def test_a_service_not_invited_does_not_see_the_meeting_though_it_sees_the_learner(
    mw: MeetingWorld,
) -> None:
    other = meeting_arrange(
        actor=mw.actor("support_lead"),
        learner=mw.learner,
        kind=MeetingKind.CHILD_PLANNING,
        held_on=NEXT_WEEK,
        starts_at=time(10),
        place="Room 4",
        purpose="School only.",
    )
    client = mw.client("practitioner")

    listing = client.get(mw.url("meetings:list")).content.decode()
    assert client.get(mw.url("meetings:detail", meeting_id=other.public_id)).status_code == 404
    assert listing.count("meetings/") and str(other.public_id) not in listing


# Views, minutes and what the family sees ------------------------------------------------------


def test_the_family_gives_its_own_views_shown_in_their_words_escaped(mw: MeetingWorld) -> None:
    response = mw.client("parent").post(
        mw.url("meetings:views"), {"words": "She <b>loves</b> art & music."}
    )
    meeting_views_record(
        actor=mw.actor("support_lead"),
        meeting=mw.meeting,
        whose="child",
        words="I like drawing.",
    )

    views = list(mw.meeting.views.order_by("pk"))
    page = mw.client("teacher").get(mw.url("meetings:detail")).content.decode()
    assert response.status_code == 302
    assert [(v.whose, v.on_their_behalf) for v in views] == [("family", False), ("child", True)]
    assert "She &lt;b&gt;loves&lt;/b&gt; art &amp; music." in page
    assert "Recorded on their behalf by" in page


def test_views_are_gathered_before_the_meeting_and_minutes_written_after(mw: MeetingWorld) -> None:
    lead = mw.actor("support_lead")
    with pytest.raises(ValidationError, match="from the day of the meeting"):
        meeting_minutes_write(actor=lead, meeting=mw.meeting, minutes="Too soon.")

    meeting = _held(mw, days_ago=1)

    with pytest.raises(ValidationError, match="views are gathered before it"):
        meeting_views_record(actor=lead, meeting=meeting, whose="child", words="Late.")


def test_empty_minutes_are_refused_on_the_page(mw: MeetingWorld) -> None:
    _held(mw)

    response = mw.client("support_lead").post(mw.url("meetings:minutes"), {"minutes": "  "})

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Write the minutes: what was discussed and what was decided." in page


def test_agreed_minutes_change_only_with_a_reason_and_the_old_words_are_kept(
    mw: MeetingWorld,
) -> None:
    lead = mw.actor("support_lead")
    meeting = _held(mw)
    meeting_minutes_write(actor=lead, meeting=meeting, minutes="First words.", agreed=True)

    with pytest.raises(ValidationError) as refused:
        meeting_minutes_write(actor=lead, meeting=meeting, minutes="Second words.")
    meeting_minutes_write(
        actor=lead, meeting=meeting, minutes="Second words.", reason="A name was misspelt."
    )

    assert "say why they are being changed" in str(refused.value.message_dict["reason"])
    amended = meeting.events.get(kind=MeetingEventKind.MINUTES_AMENDED)
    assert (amended.previous, amended.note) == ("First words.", "A name was misspelt.")


def test_the_family_sees_the_minutes_and_actions_only_once_shared_and_never_staff_notes(
    mw: MeetingWorld,
) -> None:
    lead = mw.actor("support_lead")
    meeting = _held(mw)
    _action(mw, description="Share the timetable with home.", due_on=TODAY + timedelta(days=3))
    meeting_minutes_write(actor=lead, meeting=meeting, minutes="Agreed the timetable.", agreed=True)
    client = mw.client("parent")

    before = client.get(mw.url("meetings:detail")).content.decode()
    meeting_minutes_write(
        actor=lead,
        meeting=meeting,
        minutes="Agreed the timetable.",
        share_with_family=True,
    )
    after = client.get(mw.url("meetings:detail")).content.decode()

    assert "Riverside Primary School, room 4" in before
    assert "Agreed the timetable." not in before
    assert "Share the timetable with home." not in before
    assert "Agreed the timetable." in after and "Share the timetable with home." in after
    assert "ask about the bus" not in before + after
    assert "Mark as done" not in after
    assert (
        "ask about the bus" in mw.client("teacher").get(mw.url("meetings:detail")).content.decode()
    )


def test_minutes_are_not_shared_before_they_are_agreed(mw: MeetingWorld) -> None:
    meeting = _held(mw)
    with pytest.raises(ValidationError) as refused:
        meeting_minutes_write(
            actor=mw.actor("support_lead"),
            meeting=meeting,
            minutes="Draft.",
            share_with_family=True,
        )
    assert "Agree the minutes before sharing them" in str(
        refused.value.message_dict["share_with_family"]
    )


# Agreed actions ---------------------------------------------------------------------------------


def test_an_action_owner_must_be_invited_staff_and_its_date_not_before_the_meeting(
    mw: MeetingWorld,
) -> None:
    response = mw.client("support_lead").post(
        mw.url("meetings:action_add"),
        {
            "description": "Observe in class.",
            "owner": str(mw.users["head"].pk),  # not invited
            **_dates("due_on", NEXT_WEEK - timedelta(days=1)),
        },
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Choose who will do it from the staff invited to the meeting." in page

    with pytest.raises(ValidationError) as refused:
        _action(mw, owner="head", due_on=NEXT_WEEK - timedelta(days=1))
    errors = refused.value.message_dict
    assert "Choose who will do it" in errors["owner"][0]
    assert "must be on or after the day of the meeting" in errors["due_on"][0]
    with pytest.raises(ValidationError, match="Choose who will do it"):
        _action(mw, owner="parent")  # invited, but family
    assert not MeetingAction.objects.filter(meeting=mw.meeting).exists()


def test_an_open_action_is_in_its_owners_work_queue_flagged_when_overdue_until_done(
    mw: MeetingWorld,
) -> None:
    action = _action(mw, owner="practitioner")
    MeetingAction.objects.filter(pk=action.pk).update(due_on=TODAY - timedelta(days=2))

    queue = work_queue_get(actor=mw.actor("practitioner"))
    assert queue is not None
    overdue = next(group for group in queue.groups if group.key == "overdue")
    item = next(item for item in overdue.items if item.kind == ItemKind.MEETING_ACTION)
    assert (item.action, item.days_overdue) == ("Try a visual timetable in class.", 2)
    assert item.url == mw.url("meetings:detail")
    detail = mw.client("practitioner").get(item.url).content.decode()
    assert "Overdue" in detail

    response = mw.client("practitioner").post(
        mw.url("meetings:action_done", action_id=action.public_id)
    )

    assert response.status_code == 302
    assert MeetingAction.objects.get(pk=action.pk).is_done
    assert _meeting_actions_queued(mw, "practitioner") == []


def test_someone_else_may_not_mark_an_action_done_unless_they_hold_meetings(
    mw: MeetingWorld,
) -> None:
    action = _action(mw, owner="practitioner")
    done = mw.url("meetings:action_done", action_id=action.public_id)

    assert mw.client("teacher").post(done).status_code == 403
    assert mw.client("manager").post(done).status_code == 403
    assert mw.client("support_lead").post(done).status_code == 302


def test_a_practitioner_loses_their_actions_from_the_queue_when_the_involvement_closes(
    mw: MeetingWorld,
) -> None:
    _action(mw, owner="practitioner")
    consent = SharingConsent.objects.get(request=mw.request, withdrawn_at=None)
    consent_withdraw(actor=mw.actor("support_lead"), consent=consent, note="Parent told us.")

    assert _meeting_actions_queued(mw, "practitioner") == []


# The team around the child ----------------------------------------------------------------------


def test_the_named_person_and_lead_professional_show_on_the_meetings_and_the_childs_plan(
    mw: MeetingWorld,
) -> None:
    plan = Plan.objects.get(learner=mw.learner, multi_agency=True)
    client = mw.client("support_lead")

    for address in (
        mw.url("meetings:list"),
        mw.url("meetings:detail"),
        reverse("planning:detail", args=[mw.learner.public_id, plan.public_id]),
    ):
        page = client.get(address).content.decode()
        assert "Named person" in page, address
        assert mw.users["head"].full_name in page, address
        assert "Dr Rhona Baird, health visitor, NHS Glasgow" in page, address


def test_a_service_whose_consent_does_not_cover_plans_is_not_told_the_plans_lead_professional(
    mw: MeetingWorld,
) -> None:
    mw.request.consents.update(parts=[RecordPart.NEEDS])
    client = mw.client("practitioner")

    for address in (mw.url("meetings:list"), mw.url("meetings:detail")):
        page = client.get(address)
        assert page.status_code == 200, address
        assert mw.users["head"].full_name in page.content.decode(), address
        assert "Dr Rhona Baird" not in page.content.decode(), address


# What the pages cost ----------------------------------------------------------------------------


def _queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_the_meetings_list_and_the_work_queue_cost_the_same_however_many_meetings(
    mw: MeetingWorld,
) -> None:
    lead = mw.actor("support_lead")
    client = mw.client("practitioner")
    _action(mw, owner="practitioner")
    one_list = _queries(client, mw.url("meetings:list"))
    one_home = _queries(client, reverse("home"))

    for number in range(5):
        meeting = meeting_arrange(
            actor=lead,
            learner=mw.learner,
            kind=MeetingKind.CHILD_PLANNING,
            held_on=NEXT_WEEK,
            starts_at=time(9 + number),
            place="Room 4",
            purpose=f"Meeting {number}.",
        )
        meeting_invite(actor=lead, meeting=meeting, user=mw.users["practitioner"])
        meeting_action_add(
            actor=lead,
            meeting=meeting,
            description=f"Action {number}.",
            owner=mw.users["practitioner"],
            due_on=NEXT_WEEK,
        )

    assert _queries(client, mw.url("meetings:list")) == one_list
    assert _queries(client, reverse("home")) == one_home
    assert "Action 4." in client.get(reverse("home")).content.decode()
