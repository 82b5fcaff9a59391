"""A young person's decision about what their parents and carers see (ADR 0021).

The world (built once for this module; each test's changes are rolled back):
- Eilidh Ross, who turned 16 a month ago, at Riverside High School in Glasgow, with her own
  account; her mother Claire has an account too. Eilidh is at Glasgow's Stage 2; her
  individualised educational programme is agreed and shared with her mother; a child planning
  meeting is arranged for next week; a rights request her mother made by letter is open.
- Callum Ross, her brother, 16 tomorrow, with his own account: not yet a young person who decides.
- The school's support-for-learning lead and a class teacher.

A decision is the young person's: they make it themselves, or the school's leaders record what
the young person told them. Parents lose exactly the parts withheld (404, as a service without
consent), without a word saying so; "nothing" takes the learner off their list altogether; no
notice or shared plan reaches them about a part they no longer see.
"""

import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.services import audit_session
from stagewise.conftest import staff_member
from stagewise.coordination.meeting_models import Meeting, MeetingKind
from stagewise.coordination.services.meetings import meeting_arrange
from stagewise.disagreements.services import disagreement_move, disagreement_record
from stagewise.families.models import RightsRequest
from stagewise.families.services import Requester, rights_request_decide, rights_request_record
from stagewise.learners.access import visible_learners
from stagewise.learners.models import (
    DecisionGivenBy,
    Learner,
    LearnerCarer,
    ParentPart,
    ParentSharing,
    ParentSharingDecision,
)
from stagewise.learners.services import stage_decide
from stagewise.learners.services.sharing import parent_sharing_decide, parent_sharing_record
from stagewise.notifications.models import Notification
from stagewise.notifications.selectors import (
    notification_get,
    notification_list,
    notification_unread_count,
)
from stagewise.notifications.services import notifications_email_pending
from stagewise.organisations.models import Role
from stagewise.planning.models import CommunicationFormat, Plan, RecipientKind
from stagewise.planning.services import plan_communication_record
from stagewise.policy import SYSTEM
from stagewise.statutory.models import LocalStage
from stagewise.testing.factories import (
    JUDGED_BEYOND_THE_RECORD,
    JUDGED_BEYOND_THE_RECORD_KIND,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
    link_staff,
)
from stagewise.testing.plans import acting, finalised_plan
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STAFF_ONLY = ["RECORD-NOTE: staff only", "PLAN-NOTE: staff only", "MEETING-NOTE: staff only"]


@dataclass
class SharingWorld:
    users: dict[str, User]
    eilidh: Learner
    callum: Learner
    plan: Plan
    meeting: Meeting
    rights_request: RightsRequest

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


def _born(years: int, days_ago: int) -> Any:
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=days_ago)


def _build() -> SharingWorld:
    school = SettingFactory.create(authority=authority("Glasgow City"), name="Riverside High")
    eilidh = enrolled_learner(
        school,
        "S5",
        legal_first_name="Eilidh",
        legal_last_name="Ross",
        date_of_birth=_born(16, 30),
        staff_notes=STAFF_ONLY[0],
    )
    callum = enrolled_learner(
        school, "S4", legal_first_name="Callum", legal_last_name="Ross", date_of_birth=_born(16, -1)
    )
    users = {
        "claire": UserFactory.create(email="claire@example.org", full_name="Claire Ross"),
        "eilidh": UserFactory.create(email="eilidh@example.org", full_name="Eilidh Ross"),
        "callum": UserFactory.create(email="callum@example.org", full_name="Callum Ross"),
        "lead": staff_member("lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school),
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
    }
    link = link_carer(eilidh, user=users["claire"])
    LearnerCarer.objects.create(learner=callum, carer=link.carer, relationship=link.relationship)
    link_staff(eilidh, users["teacher"])
    for learner in (eilidh, callum):
        learner.young_person_account = users[learner.legal_first_name.lower()]
        learner.save(update_fields=["young_person_account"])
    lead = acting(users["lead"])
    stage_decide(
        actor=lead,
        learner=eilidh,
        stage=LocalStage.objects.get(stage_model__key="glasgow", order=2),
        decided_on=TODAY - timedelta(days=20),
        rationale="Written for staff.",
        next_review_on=TODAY + timedelta(days=160),
        departure_reason=JUDGED_BEYOND_THE_RECORD,
        departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
    )
    plan = finalised_plan(lead, eilidh, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(staff_notes=STAFF_ONLY[1])
    plan_communication_record(
        actor=lead,
        plan=plan,
        recipient="Claire Ross",
        recipient_kind=RecipientKind.PARENT,
        sent_on=TODAY,
        format=CommunicationFormat.FAMILY_PORTAL,
    )
    meeting = meeting_arrange(
        actor=lead,
        learner=eilidh,
        kind=MeetingKind.CHILD_PLANNING,
        held_on=TODAY + timedelta(days=7),
        starts_at=time(10, 0),
        place="The library",
        purpose="To plan next term's support.",
        staff_notes=STAFF_ONLY[2],
    )
    rights_request = rights_request_record(
        actor=SYSTEM,
        learner=eilidh,
        kind="specific_assessment",
        requester=Requester(carer_link=link),
        channel="letter",
        received_on=TODAY,
        what="A psychological assessment",
        why="Reading is not improving",
    )
    return SharingWorld(users, eilidh, callum, plan, meeting, rights_request)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[SharingWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def sw(module_world: SharingWorld, db: None) -> SharingWorld:
    return module_world


def page_text(response: Any) -> str:
    """What a reader of the page reads: its words, without the markup."""
    return html.unescape(" ".join(strip_tags(response.content.decode()).split()))


def decide(sw: SharingWorld, sharing: str, parts: list[str] | None = None) -> Any:
    return parent_sharing_decide(
        actor=sw.actor("eilidh"), learner=sw.eilidh, sharing=sharing, parts=parts or []
    )


def parent_pages(sw: SharingWorld) -> dict[str, int]:
    """The status of each page of Eilidh's record her mother could open."""
    learner = sw.eilidh.public_id
    addresses = {
        "profile": reverse("learners:profile", args=[learner]),
        "plans": reverse("planning:list", args=[learner]),
        "plan": reverse("planning:detail", args=[learner, sw.plan.public_id]),
        "meetings": reverse("meetings:list", args=[learner]),
        "meeting": reverse("meetings:detail", args=[learner, sw.meeting.public_id]),
        "rights requests": reverse("rights_requests:list", args=[learner]),
        "disagreements": reverse("disagreements:list", args=[learner]),
    }
    client = sw.client("claire")
    return {name: client.get(address).status_code for name, address in addresses.items()}


# The decision ------------------------------------------------------------------------------------


def test_a_young_person_decides_and_a_new_decision_supersedes_the_last_which_is_kept(sw):
    first = decide(sw, ParentSharing.CHOSEN_PARTS, [ParentPart.PLANS])
    second = decide(sw, ParentSharing.NOTHING)

    assert first.parts == [ParentPart.PLANS]
    assert first.given_by == DecisionGivenBy.IN_STAGEWISE
    assert first.recorded_by == sw.users["eilidh"]
    assert list(ParentSharingDecision.objects.filter(learner=sw.eilidh)) == [second, first]
    assert list(ParentSharingDecision.objects.current().filter(learner=sw.eilidh)) == [second]
    assert (
        AuditEvent.objects.filter(
            object_type="parent_sharing_decision", action=AuditAction.CREATE
        ).count()
        == 2
    )


def test_under_16_is_refused_with_the_reason_and_nothing_is_saved(sw):
    # A command or task runs its work in an audit session, as every request does.
    with audit_session(), pytest.raises(ValidationError) as refused:
        parent_sharing_decide(
            actor=sw.actor("callum"), learner=sw.callum, sharing=ParentSharing.NOTHING
        )

    assert "Only a young person aged 16 or over decides" in str(refused.value)
    assert "Callum Ross is under 16" in str(refused.value)
    assert not ParentSharingDecision.objects.filter(learner=sw.callum).exists()
    assert AuditEvent.objects.filter(
        learner_key__learner=sw.callum, action=AuditAction.REFUSED, purpose__contains="under age"
    ).exists()


@pytest.mark.parametrize(
    ("sharing", "parts", "field"),
    [
        (ParentSharing.CHOSEN_PARTS, [], "parts"),
        (ParentSharing.CHOSEN_PARTS, ["wellbeing"], "parts"),
        ("some", [], "sharing"),
    ],
)
def test_a_decision_that_says_nothing_clear_is_refused_on_its_field(sw, sharing, parts, field):
    with pytest.raises(ValidationError) as refused:
        decide(sw, sharing, parts)

    assert field in refused.value.message_dict
    assert not ParentSharingDecision.objects.exists()


def test_staff_record_a_decision_the_young_person_told_them_but_not_one_before_16(sw):
    lead = sw.actor("lead")
    recorded = parent_sharing_record(
        actor=lead,
        learner=sw.eilidh,
        sharing=ParentSharing.CHOSEN_PARTS,
        parts=[ParentPart.NEEDS],
        decided_on=TODAY - timedelta(days=3),
        given_by=DecisionGivenBy.LETTER,
    )
    assert recorded.recorded_by == sw.users["lead"]

    refused = [
        # (decided on, how she told them)
        (TODAY - timedelta(days=40), DecisionGivenBy.IN_PERSON),  # before her 16th birthday
        (TODAY - timedelta(days=10), DecisionGivenBy.IN_PERSON),  # before the decision in force
        (TODAY, DecisionGivenBy.IN_STAGEWISE),  # as if she had made it herself
    ]
    for decided_on, given_by in refused:
        with pytest.raises(ValidationError):
            parent_sharing_record(
                actor=lead,
                learner=sw.eilidh,
                sharing=ParentSharing.NOTHING,
                decided_on=decided_on,
                given_by=given_by,
            )
    assert ParentSharingDecision.objects.filter(learner=sw.eilidh).count() == 1


@pytest.mark.parametrize(
    ("who", "service"),
    [
        ("claire", "decide"),  # a parent never decides it for the young person
        ("lead", "decide"),  # staff record it, saying how they were told
        ("teacher", "record"),  # a class teacher does not hold the capability
        ("eilidh", "record"),  # the young person decides on her own page
    ],
)
def test_only_the_young_person_decides_and_only_leaders_record(sw, who, service):
    with pytest.raises(PermissionDenied):
        if service == "decide":
            parent_sharing_decide(
                actor=sw.actor(who), learner=sw.eilidh, sharing=ParentSharing.NOTHING
            )
        else:
            parent_sharing_record(
                actor=sw.actor(who),
                learner=sw.eilidh,
                sharing=ParentSharing.NOTHING,
                decided_on=TODAY,
                given_by=DecisionGivenBy.LETTER,
            )
    assert not ParentSharingDecision.objects.exists()


# What the parent sees ---------------------------------------------------------------------------


def test_a_parent_loses_exactly_the_parts_withheld_with_no_word_of_it(sw):
    assert set(parent_pages(sw).values()) == {200}

    decide(sw, ParentSharing.CHOSEN_PARTS, [ParentPart.NEEDS])

    assert parent_pages(sw) == {
        "profile": 200,
        "plans": 404,
        "plan": 404,
        "meetings": 404,
        "meeting": 404,
        "rights requests": 404,
        "disagreements": 404,
    }
    profile = page_text(
        sw.client("claire").get(reverse("learners:profile", args=[sw.eilidh.public_id]))
    )
    home = sw.client("claire").get(reverse("home"))
    card = next(child for child in home.context["home"].children if child.learner == sw.eilidh)
    assert "Stage 2" in profile
    assert "Plans, and your views on them" not in profile
    assert card.shows_stage and not card.shows_plans
    assert card.plans == [] and card.waiting == []
    for hint in ("cannot see", "kept from", "chose", "hidden", "not shown"):
        assert hint not in page_text(home)
        assert hint not in profile
    # Eilidh herself, and the school, still see everything.
    assert (
        sw.client("eilidh").get(reverse("planning:list", args=[sw.eilidh.public_id])).status_code
        == 200
    )
    assert (
        sw.client("lead").get(reverse("planning:list", args=[sw.eilidh.public_id])).status_code
        == 200
    )


def test_a_parent_kept_from_disagreements_cannot_take_one_further_either(sw):
    """The family's own page for the route they took, and the service behind it, are refused
    like the list of disagreements once the young person keeps disagreements from her parents."""
    disagreement = disagreement_record(
        actor=sw.actor("claire"),
        learner=sw.eilidh,
        subject="support",
        about="The reading support stopped.",
        family_wants="Reading support again.",
        opened_on=TODAY - timedelta(days=7),
    )
    route_taken = reverse(
        "disagreements:route_taken", args=[sw.eilidh.public_id, disagreement.public_id]
    )
    assert sw.client("claire").get(route_taken).status_code == 200

    decide(sw, ParentSharing.CHOSEN_PARTS, [ParentPart.NEEDS, ParentPart.PLANS])

    assert sw.client("claire").get(route_taken).status_code == 404
    with pytest.raises(PermissionDenied):
        disagreement_move(
            actor=sw.actor("claire"),
            disagreement=disagreement,
            route_key="scotland.mediation",
            moved_on=TODAY,
            step_outcome="We asked for mediation.",
        )
    # Eilidh, whose disagreement it also is, may still take it further herself.
    assert sw.client("eilidh").get(route_taken).status_code == 200


def test_when_parents_see_nothing_the_learner_leaves_their_list_and_every_page_is_404(sw):
    decide(sw, ParentSharing.NOTHING)

    assert set(parent_pages(sw).values()) == {404}
    home = sw.client("claire").get(reverse("home"))
    assert [child.learner for child in home.context["home"].children] == [sw.callum]
    assert list(visible_learners(sw.actor("claire"))) == [sw.callum]


def test_no_notice_or_shared_plan_reaches_a_parent_about_a_part_withheld(sw):
    decide(sw, ParentSharing.CHOSEN_PARTS, [ParentPart.NEEDS])

    rights_request_decide(
        actor=sw.actor("lead"),
        request=sw.rights_request,
        outcome="agreed",
        decided_on=TODAY,
        note="An assessment will be arranged.",
    )
    with pytest.raises(ValidationError) as refused:
        plan_communication_record(
            actor=sw.actor("lead"),
            plan=sw.plan,
            recipient="Claire Ross",
            recipient_kind=RecipientKind.PARENT,
            sent_on=TODAY,
            format=CommunicationFormat.EMAIL,
        )

    told = set(Notification.objects.filter(learner=sw.eilidh).values_list("recipient", flat=True))
    assert told == {sw.users["eilidh"].pk}
    assert "do not see their plans" in str(refused.value)


def test_a_notice_sent_before_the_decision_is_neither_listed_nor_emailed_to_the_parent(sw):
    rights_request_decide(
        actor=sw.actor("lead"),
        request=sw.rights_request,
        outcome="agreed",
        decided_on=TODAY,
        note="An assessment will be arranged.",
    )
    claire, eilidh = sw.users["claire"], sw.users["eilidh"]
    sent = Notification.objects.get(recipient=claire, learner=sw.eilidh)
    assert list(notification_list(user=claire)) == [sent]

    decide(sw, ParentSharing.CHOSEN_PARTS, [ParentPart.NEEDS, ParentPart.PLANS])
    notifications_email_pending()

    assert list(notification_list(user=claire)) == []
    assert notification_unread_count(user=claire) == 0
    with pytest.raises(Http404):
        notification_get(user=claire, notification_id=sent.pk)
    assert notification_unread_count(user=eilidh) == 1
    assert [message.to for message in mail.outbox] == [[eilidh.email]]


def test_staff_only_notes_reach_no_family_page_print_or_notice(sw):
    learner, plan = sw.eilidh.public_id, sw.plan.public_id
    addresses = [
        reverse("home"),
        reverse("learners:profile", args=[learner]),
        reverse("planning:detail", args=[learner, plan]),
        reverse("planning:print", args=[learner, plan]),
        reverse("meetings:detail", args=[learner, sw.meeting.public_id]),
    ]
    for who in ("claire", "eilidh"):
        for address in addresses:
            response = sw.client(who).get(address)
            assert response.status_code == 200
            assert not [note for note in STAFF_ONLY if note in response.content.decode()]
    notices = Notification.objects.filter(learner=sw.eilidh).values_list("subject", "body")
    assert not [note for note in STAFF_ONLY for words in notices if note in " ".join(words)]


# The pages --------------------------------------------------------------------------------------


def test_the_young_person_reads_what_parents_see_and_changes_it_on_her_page(sw):
    client = sw.client("eilidh")
    address = reverse("learners:parent_sharing", args=[sw.eilidh.public_id])
    before = page_text(client.get(address))
    assert "Your parents and carers can see: Needs and stage of support" in before

    response = client.post(address, {"sharing": "chosen_parts", "parts": ["plans"]}, follow=True)

    text = page_text(response)
    assert "Your decision is saved" in text
    assert "They cannot see: Needs and stage of support" in text
    home = page_text(client.get(reverse("home")))
    assert "What your parents and carers can see" in home


def test_the_young_person_reads_her_page_in_welsh(sw):
    sw.users["eilidh"].preferred_language = "cy"
    sw.users["eilidh"].save(update_fields=["preferred_language"])

    response = sw.client("eilidh").get(
        reverse("learners:parent_sharing", args=[sw.eilidh.public_id])
    )

    text = page_text(response)
    assert "Beth all eich rhieni a'ch gofalwyr ei weld" in text
    assert "Gall eich rhieni a'ch gofalwyr weld: Anghenion a cham y cymorth" in text


def test_under_16_the_page_says_from_when_and_offers_no_choice(sw):
    response = sw.client("callum").get(
        reverse("learners:parent_sharing", args=[sw.callum.public_id])
    )

    text = page_text(response)
    birthday = date_format(TODAY + timedelta(days=1), "j F Y")
    assert f"From {birthday}, when you are old enough to decide" in text
    assert "Save my decision" not in text


def test_the_school_lead_records_a_decision_and_reads_every_one_kept(sw):
    decide(sw, ParentSharing.NOTHING)
    address = reverse("learners:parent_sharing_record", args=[sw.eilidh.public_id])
    day = TODAY
    response = sw.client("lead").post(
        address,
        {
            "sharing": "everything",
            "decided_on_0": day.day,
            "decided_on_1": day.month,
            "decided_on_2": day.year,
            "given_by": "letter",
        },
        follow=True,
    )

    text = page_text(response)
    assert "The young person's decision is recorded" in text
    assert len(response.context["sharing"].history) == 2
    assert sw.client("teacher").get(address).status_code == 403
    assert sw.client("claire").get(address).status_code == 403


# The young person is told, and reads it on "who has looked" -----------------------------------


def _record(sw: SharingWorld, sharing: str, parts: list[str] | None = None) -> Any:
    return parent_sharing_record(
        actor=sw.actor("lead"),
        learner=sw.eilidh,
        sharing=sharing,
        parts=parts or [],
        decided_on=TODAY,
        given_by=DecisionGivenBy.LETTER,
    )


def test_the_young_person_is_told_what_parents_now_see_when_staff_record_her_decision(sw):
    _record(sw, ParentSharing.CHOSEN_PARTS, [ParentPart.NEEDS, ParentPart.MEETINGS])

    notice = Notification.objects.get(kind="parent_sharing")
    assert notice.recipient == sw.users["eilidh"]
    assert "Eilidh" not in notice.subject
    assert "Your parents and carers can now see: needs and stage of support; meetings" in (
        notice.body
    )
    assert "You can change it at any time" in notice.body
    assert notice.link_url == reverse("learners:parent_sharing", args=[sw.eilidh.public_id])
    # Her own decision, made in Stagewise, needs no notice; her mother is never told.
    decide(sw, ParentSharing.NOTHING)
    assert Notification.objects.filter(kind="parent_sharing").count() == 1
    assert not Notification.objects.filter(recipient=sw.users["claire"]).exists()


def test_the_notice_is_in_the_young_persons_language(sw):
    sw.users["eilidh"].preferred_language = "cy"
    sw.users["eilidh"].save(update_fields=["preferred_language"])

    _record(sw, ParentSharing.NOTHING)

    notice = Notification.objects.get(kind="parent_sharing")
    assert notice.subject == "Mae penderfyniad am yr hyn y gall eich rhieni ei weld wedi'i gofnodi"
    assert "Ni all eich rhieni a'ch gofalwyr weld eich cofnod o gwbl bellach." in notice.body


def test_who_has_looked_tells_the_young_person_of_the_decision_in_words_and_a_parent_nothing_new(
    sw,
):
    _record(sw, ParentSharing.CHOSEN_PARTS, [ParentPart.PLANS])
    decide(sw, ParentSharing.EVERYTHING)
    address = reverse("who_has_looked", args=[sw.eilidh.public_id])

    own = page_text(sw.client("eilidh").get(address))
    mothers = page_text(sw.client("claire").get(address))

    assert "A support-for-learning lead" in own
    assert "recorded your decision about what your parents and carers can see" in own
    assert "You changed what your parents and carers can see" in own
    assert "parents and carers can see" not in mothers
    assert "added to or changed the record" in mothers
