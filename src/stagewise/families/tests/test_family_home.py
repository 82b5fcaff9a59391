"""The family home page and "who has looked at this record" (ADR 0019).

The world (built once for this module; each test's changes are rolled back):
- Ailsa Campbell, 14, and her brother Rory, 9, at Riverside Primary School in Glasgow. Their
  mother Claire has an account; Ailsa has her own; Gordon, Ailsa's father, lives apart, has an
  account too, and his telephone number and email address are on her record.
- Ailsa is at Glasgow's Stage 2 (targeted), decided with a rationale written for staff. Her
  individualised educational programme has been agreed and shared with her mother, who has not
  answered yet; a child planning meeting is arranged for next week; the speech and language
  therapy service has taken on a request about her, with consent; her class teacher is Morag
  Teacher; a statutory date of hers moved, and the family has been told why.
- Rory's personal learning plan has been agreed, shared and answered by his mother.
- Ailsa's move to another school is planned for two months from now, with the family's part
  written down; Rory's move up to secondary is planned, with nothing written yet for the family.
- Staff notes are written on Ailsa's record, her plan and the meeting: none reaches a family.

The family home shows each child a family member may see, and only those: the stage in plain
words and in the authority's own name, the plans, the people and services working with them,
and what is waiting for the family. The record's access history reaches the family as roles and
organisations, never a member of staff's name or contact details; their own entries are "You".
"""

import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent, learner_audit_key
from stagewise.audit.services import audit_record
from stagewise.conftest import staff_member
from stagewise.coordination.meeting_models import Meeting, MeetingKind
from stagewise.coordination.services.meetings import meeting_arrange, meeting_views_record
from stagewise.families.review_views_forms import question_labels
from stagewise.families.review_views_models import ViewsFormVersion
from stagewise.families.review_views_services import (
    Answers,
    review_views_give,
    review_views_invite,
)
from stagewise.learners.models import (
    CarerRelationship,
    Learner,
    LearnerCarer,
    StaffRelationshipKind,
    Transition,
    TransitionKind,
)
from stagewise.learners.services import stage_decide, transition_plan
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Role
from stagewise.planning.models import CommunicationFormat, Plan, RecipientKind, ResponseKind
from stagewise.planning.services import plan_communication_record, plan_response_record
from stagewise.statutory.models import LocalStage
from stagewise.testing.factories import (
    JUDGED_BEYOND_THE_RECORD,
    JUDGED_BEYOND_THE_RECORD_KIND,
    AgencyFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    involve_agency,
    link_carer,
    link_staff,
)
from stagewise.testing.keyset_pages import walk_pages
from stagewise.testing.plans import acting, finalised_plan
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SCHOOL = "Riverside Primary School"
STAFF_ONLY = [
    "RECORD-NOTE: staff only",
    "PLAN-NOTE: staff only",
    "MEETING-NOTE: staff only",
    "RATIONALE: written for staff",
]
GORDONS_DETAILS = ["07700 955555", "gordon@example.org"]
AILSAS_PART = "Visit the new school with Ailsa on a Friday afternoon."
IEP = "individualised_educational_programme"
PLP = "personal_learning_plan"


@dataclass
class HomeWorld:
    users: dict[str, User]
    ailsa: Learner
    rory: Learner
    ailsa_plan: Plan

    def actor(self, name: str, role: str | None = None) -> Any:
        return acting(self.users[name], role)

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


def shared_with_the_family(lead: Any, plan: Plan) -> None:
    plan_communication_record(
        actor=lead,
        plan=plan,
        recipient="Claire Campbell",
        recipient_kind=RecipientKind.PARENT,
        sent_on=TODAY,
        format=CommunicationFormat.FAMILY_PORTAL,
    )


def also_child_of(child: Learner, user: User) -> None:
    """A carer already on one child's record, linked to another child of theirs."""
    LearnerCarer.objects.create(
        learner=child, carer=user.carer, relationship=CarerRelationship.MOTHER
    )


def _build() -> HomeWorld:
    glasgow = authority("Glasgow City")
    school = SettingFactory.create(authority=glasgow, name=SCHOOL)
    ailsa = enrolled_learner(
        school,
        year_group="S3",
        legal_first_name="Ailsa",
        legal_last_name="Campbell",
        date_of_birth=TODAY.replace(year=TODAY.year - 14) - timedelta(days=30),
        staff_notes=STAFF_ONLY[0],
    )
    rory = enrolled_learner(
        school,
        legal_first_name="Rory",
        legal_last_name="Campbell",
        date_of_birth=TODAY.replace(year=TODAY.year - 9) - timedelta(days=30),
    )
    users = {
        "claire": UserFactory.create(email="claire@example.org", full_name="Claire Campbell"),
        "gordon": UserFactory.create(email="gordon@example.org", full_name="Gordon Campbell"),
        "ailsa": UserFactory.create(email="ailsa@example.org", full_name="Ailsa Campbell"),
        "teacher": staff_member("morag.teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "lead": staff_member("lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school),
    }
    users["teacher"].full_name = "Morag Teacher"
    users["teacher"].save(update_fields=["full_name"])
    link_carer(ailsa, user=users["claire"])
    also_child_of(rory, users["claire"])
    gordon = link_carer(ailsa, user=users["gordon"], lives_with_learner=False).carer
    gordon.telephone, gordon.email = GORDONS_DETAILS
    gordon.save()
    ailsa.young_person_account = users["ailsa"]
    ailsa.save(update_fields=["young_person_account"])
    link_staff(ailsa, users["teacher"], StaffRelationshipKind.CLASS_TEACHER)
    lead = acting(users["lead"])

    stage_decide(
        actor=lead,
        learner=ailsa,
        stage=LocalStage.objects.get(stage_model__key="glasgow", order=2),
        decided_on=TODAY - timedelta(days=20),
        rationale=STAFF_ONLY[3],
        next_review_on=TODAY + timedelta(days=160),
        departure_reason=JUDGED_BEYOND_THE_RECORD,
        departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
    )
    ailsa_plan = finalised_plan(lead, ailsa, IEP)
    Plan.objects.filter(pk=ailsa_plan.pk).update(staff_notes=STAFF_ONLY[1])
    shared_with_the_family(lead, ailsa_plan)
    rory_plan = finalised_plan(lead, rory, PLP)
    shared_with_the_family(lead, rory_plan)
    plan_response_record(
        actor=acting(users["claire"]), plan=rory_plan, response=ResponseKind.AGREED
    )
    meeting_arrange(
        actor=lead,
        learner=ailsa,
        kind=MeetingKind.CHILD_PLANNING,
        held_on=TODAY + timedelta(days=7),
        starts_at=time(10, 0),
        place="Riverside Primary School, the library",
        purpose="To plan next term's support.",
        staff_notes=STAFF_ONLY[2],
    )
    therapy = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    involve_agency(ailsa, therapy)
    Notification.objects.create(
        recipient=users["claire"],
        learner=ailsa,
        kind=NotificationKind.DATE_CHANGED,
        subject="A statutory date has changed: request to establish needs",
        body="The date has changed to 3 March.\n\nReason: The school was closed by snow.",
        link_url=reverse("learners:profile", args=[ailsa.public_id]),
        dedupe_key="home-test-date-changed",
    )
    transition_plan(
        actor=lead,
        learner=ailsa,
        kind=TransitionKind.MOVING_SCHOOL,
        planned_on=TODAY + timedelta(days=60),
        plan="Hand over the record; the new school's lead visits first.",
        family_part=AILSAS_PART,
    )
    transition_plan(
        actor=lead,
        learner=rory,
        kind=TransitionKind.PRIMARY_TO_SECONDARY,
        planned_on=TODAY + timedelta(days=200),
        plan="Enhanced transition: three extra visits.",
    )
    # One planned earlier whose day has passed: no longer coming up.
    Transition.objects.create(
        learner=ailsa,
        kind=TransitionKind.STARTING_SCHOOL,
        planned_on=TODAY - timedelta(days=1),
        plan="Done.",
    )
    return HomeWorld(users=users, ailsa=ailsa, rory=rory, ailsa_plan=ailsa_plan)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[HomeWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def hw(module_world: HomeWorld, db: None) -> HomeWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def page_text(response: Any) -> str:
    return html.unescape(" ".join(response.content.decode().split()))


def card(response: Any, learner: Learner) -> Any:
    home = response.context["home"]
    return next(child for child in home.children if child.learner == learner)


# The family home page ----------------------------------------------------------------------------


def test_a_parent_sees_each_child_with_stage_plans_people_and_what_is_waiting(hw):
    response = hw.client("claire").get(reverse("home"))

    assert response.status_code == 200
    assert "families/home/home.html" in [template.name for template in response.templates]
    text = page_text(response)
    assert [child.learner for child in response.context["home"].children] == [hw.ailsa, hw.rory]
    # The stage in plain words, and what Glasgow calls it.
    assert "Targeted support: the school has extra help in place" in text
    assert "What Glasgow City calls it" in text
    assert "Stage 2" in text
    # Her plan, its status in plain words, and the people and services working with her.
    ailsa = card(response, hw.ailsa)
    assert [plan.type_name for plan in ailsa.plans] == ["Individualised educational programme"]
    assert ailsa.plans[0].status_words == "Agreed: the support in it is about to start"
    assert [(person.role, person.name) for person in ailsa.people] == [
        ("Class teacher", "Morag Teacher")
    ]
    assert [service.service for service in ailsa.services] == [
        "Glasgow Speech and Language Therapy"
    ]
    assert "Has agreed to help" in text
    # Waiting for her mother: the plan to answer, views before the meeting, a date that moved.
    assert [item.kind for item in ailsa.waiting] == ["plan", "meeting", "date_changed"]
    assert "Read the plan and tell the school what you think" in text
    assert "Give your views before the meeting: Child planning meeting" in text
    assert "Reason: The school was closed by snow." in text
    # Rory's plan was answered: nothing waits for him.
    assert card(response, hw.rory).waiting == []
    assert card(response, hw.rory).stage.local_name == ""
    assert "No other stage of support has been decided." in text
    assert reverse("who_has_looked", args=[hw.rory.public_id]) in text


def test_nothing_staff_only_and_no_other_carers_details_reach_the_family_home(hw):
    for name in ("claire", "gordon", "ailsa"):
        text = page_text(hw.client(name).get(reverse("home")))

        for secret in [*STAFF_ONLY, "morag.teacher@example.org", "lead@example.org"]:
            assert secret not in text, (name, secret)
        if name != "gordon":
            for detail in GORDONS_DETAILS:
                assert detail not in text, (name, detail)


def test_a_young_person_sees_only_their_own_record_and_what_waits_for_them(hw):
    meeting = Meeting.objects.get(learner=hw.ailsa)
    meeting_views_record(
        actor=hw.actor("claire"), meeting=meeting, words="She would like more time in class."
    )

    mother = hw.client("claire").get(reverse("home"))
    herself = hw.client("ailsa").get(reverse("home"))

    # Her mother gave the family's views; Ailsa's own are still to come. The plan was shared
    # with her mother, not with her, and the notice of the moved date is her mother's.
    assert [item.kind for item in card(mother, hw.ailsa).waiting] == ["plan", "date_changed"]
    assert [child.learner for child in herself.context["home"].children] == [hw.ailsa]
    assert [item.kind for item in card(herself, hw.ailsa).waiting] == ["meeting"]
    assert "Rory" not in page_text(herself)
    assert "Here is the support planned for you" in page_text(herself)


def test_an_answered_plan_and_a_read_notice_are_no_longer_waiting(hw):
    plan_response_record(
        actor=hw.actor("claire"), plan=hw.ailsa_plan, response=ResponseKind.ACKNOWLEDGED
    )
    Notification.objects.filter(recipient=hw.users["claire"]).update(read_at=timezone.now())

    response = hw.client("claire").get(reverse("home"))

    assert [item.kind for item in card(response, hw.ailsa).waiting] == ["meeting"]


def test_a_parent_sees_the_transitions_planned_ahead_with_the_date_and_their_part(hw):
    response = hw.client("claire").get(reverse("home"))

    text = page_text(response)
    moving_on = TODAY + timedelta(days=60)
    ailsas = card(response, hw.ailsa).transitions
    assert [(t.what, t.planned_on, t.family_part) for t in ailsas] == [
        ("Moving to another school", moving_on, AILSAS_PART)
    ]
    assert f"Planned for {moving_on.day} {moving_on:%B %Y}" in text
    assert AILSAS_PART in text
    assert "Starting school" not in text  # its day has passed
    assert [t.what for t in card(response, hw.rory).transitions] == [
        "Moving up from primary to secondary school"
    ]
    assert "Nothing is written down yet about your part." in text


def test_a_review_asking_for_views_waits_for_each_person_asked_until_they_give_them(hw):
    review_on = TODAY + timedelta(days=14)
    Plan.objects.filter(pk=hw.ailsa_plan.pk).update(next_review_on=review_on)
    hw.ailsa_plan.refresh_from_db()
    review_views_invite(actor=hw.actor("lead"), plan=hw.ailsa_plan)
    views = reverse("review_views:detail", args=[hw.ailsa.public_id, hw.ailsa_plan.public_id])

    for name in ("ailsa", "claire"):
        waiting = card(hw.client(name).get(reverse("home")), hw.ailsa).waiting
        asked = [item for item in waiting if item.kind == "review_views"]
        assert [(item.url, item.due_on) for item in asked] == [(views, review_on)], name
        assert asked[0].text == (
            "Give your views before the review: Individualised educational programme"
        )

    review_views_give(
        actor=hw.actor("ailsa"),
        plan=hw.ailsa_plan,
        answers=Answers(going_well="The reading group."),
        version=ViewsFormVersion.CHILD,
        labels=question_labels(ViewsFormVersion.CHILD),
    )

    # Ailsa has answered; her mother, asked too, has not.
    herself = card(hw.client("ailsa").get(reverse("home")), hw.ailsa)
    mother = card(hw.client("claire").get(reverse("home")), hw.ailsa)
    assert "review_views" not in [item.kind for item in herself.waiting]
    assert "review_views" in [item.kind for item in mother.waiting]


def test_the_family_home_is_in_welsh_for_a_welsh_reader(hw):
    client = hw.client("claire")
    client.post(reverse("accounts:language"), {"language": "cy"})

    text = page_text(client.get(reverse("home")))

    assert "Yn aros amdanoch chi" in text
    assert "Cymorth wedi'i dargedu" in text
    assert "Newidiadau i ddod" in text
    assert "Symud i ysgol arall" in text


def test_staff_home_pages_are_unchanged(hw):
    response = hw.client("lead").get(reverse("home"))

    assert "accounts/home.html" in [template.name for template in response.templates]
    assert "families/home/home.html" not in [template.name for template in response.templates]


def test_the_home_page_costs_the_same_for_one_child_as_for_several_with_many_plans(hw):
    client = hw.client("claire")
    client.get(reverse("home"))  # the session and the role are settled on the first visit
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse("home")).status_code == 200

    lead = hw.actor("lead")
    school = hw.ailsa.enrolments.get().setting
    for first_name in ("Iona", "Calum"):
        child = enrolled_learner(school, legal_first_name=first_name, legal_last_name="Campbell")
        also_child_of(child, hw.users["claire"])
        link_staff(child, hw.users["teacher"], StaffRelationshipKind.CLASS_TEACHER)
        for key in (IEP, PLP):
            shared_with_the_family(lead, finalised_plan(lead, child, key))
        involve_agency(child, AgencyFactory.create(authority=school.authority))
    # New children are a change of Claire's roles: the first visit after works them out again
    # and keeps them in the session (ADR 0037).
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("home"))

    assert len(response.context["home"].children) == 4
    assert len(after) == len(before), [query["sql"] for query in after.captured_queries]


# Who has looked at this record -----------------------------------------------------------------


def looked_at(hw: HomeWorld, who: str, learner: Learner, action: str = AuditAction.VIEW) -> None:
    audit_record(actor=hw.actor(who), action=action, learner=learner, purpose="view profile")


def test_who_has_looked_shows_roles_and_organisations_never_names_and_the_family_as_you(hw):
    looked_at(hw, "teacher", hw.ailsa)
    looked_at(hw, "teacher", hw.ailsa)
    looked_at(hw, "lead", hw.ailsa, AuditAction.UPDATE)
    looked_at(hw, "gordon", hw.ailsa)
    client = hw.client("claire")
    client.get(reverse("learners:profile", args=[hw.ailsa.public_id]))

    response = client.get(reverse("who_has_looked", args=[hw.ailsa.public_id]))

    assert response.status_code == 200
    text = page_text(response)
    assert f"A class teacher at {SCHOOL} looked at the record (2 times)" in text
    assert f"A support-for-learning lead at {SCHOOL} added to or changed the record" in text
    assert "A parent or carer looked at the record" in text
    # Her own visit to the record is read back as hers.
    assert "You looked at the record" in text
    for private in [
        "Morag Teacher",
        "morag.teacher@example.org",
        "lead@example.org",
        "Gordon",
        "gordon@example.org",
        "127.0.0.1",
    ]:
        assert private not in text, private


def test_who_has_looked_is_the_familys_page_and_no_one_elses(hw):
    url = reverse("who_has_looked", args=[hw.ailsa.public_id])

    assert hw.client("ailsa").get(url).status_code == 200
    assert hw.client("lead").get(url).status_code == 403
    rorys = reverse("who_has_looked", args=[hw.rory.public_id])
    assert hw.client("claire").get(rorys).status_code == 200
    outsider = UserFactory.create(email="outsider@example.org")
    link_carer(hw.rory, user=outsider)
    assert Client().get(url).status_code == 302
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get(url).status_code == 404


def test_who_has_looked_costs_the_same_for_a_few_events_as_for_many(hw):
    client = hw.client("claire")
    url = reverse("who_has_looked", args=[hw.ailsa.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    now = timezone.now()
    teacher, lead = hw.actor("teacher"), hw.actor("lead")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            occurred_at=now - timedelta(days=day, minutes=minute),
            user=actor.user,
            user_label=f"{actor.user.full_name} <{actor.user.email}>",
            role=actor.role,
            organisation_label=SCHOOL,
            action=AuditAction.VIEW,
            learner_key_id=learner_audit_key(hw.ailsa),
        )
        for day in range(40)
        for minute, actor in enumerate((teacher, lead, teacher))
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    pages = walk_pages(client, url)

    assert len(many) == len(few)
    # The last page costs what the first does, and each line is on one page only, newest first.
    assert len(pages) == 2
    assert {page.queries for page in pages} == {len(few)}
    lines = [
        (day.day, entry.sentence)
        for page in pages
        for day in page.response.context["looked"].days
        for entry in day.entries
    ]
    assert len(lines) == len(set(lines))
    assert [day for day, _ in lines] == sorted((day for day, _ in lines), reverse=True)
