"""After a learner moves, the school they left reads, for a configured period, only what its own
staff wrote about them, read only (ADR 0020; learners/access.records_written_here_for).

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell is in
P7 at Riverside Primary School in Glasgow. Her class teacher is linked to her; a colleague at
Riverside is not. Riverside's teacher wrote a chronology entry and identified a need (dyslexia),
its support-for-learning lead wrote a restricted entry and decided her stage, and the Glasgow
authority officer wrote an entry and a stage decision too, all on 1 September 2025. Kirkcaldy
High School in Fife is where she moves; Hillhead Primary, also in Glasgow, is a third school.

The rules: from the day of the move, for SENDING_SCHOOL_ACCESS_DAYS days (the day of the move the
first), Riverside's staff who saw her there the day before read the entries written by people
acting for Riverside (chronology entries, stage decisions, needs identified), and her name;
nothing else of her, and nothing anyone else writes. A
restricted entry only for a role that read restricted entries before (the school's leaders).
Everyone else gets 404, recorded against her, including someone who joined Riverside after she
left. 0 turns the access off.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import staff_member
from stagewise.learners.models import ChronologyEntry, Learner, LearnerMove, Need, StageDecision
from stagewise.learners.services import chronology_record, learner_move, need_record, stage_decide
from stagewise.notifications.models import Notification
from stagewise.organisations.models import Membership, Nation, Role, Setting
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.testing.factories import (
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
    link_staff,
)
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WRITTEN_AT = timezone.make_aware(datetime(2025, 9, 1, 10, 0))

TEACHERS_ENTRY = "Started the small reading group at Riverside."
LEADS_RESTRICTED_ENTRY = "Family circumstances discussed with the lead."
AUTHORITYS_ENTRY = "The authority psychologist observed in class."
NEW_SCHOOLS_ENTRY = "Settling in at Kirkcaldy: buddy assigned."
LEADS_STAGE_RATIONALE = "Riverside lead: reading support planned in class."
AUTHORITYS_STAGE_RATIONALE = "Authority officer: agreed at the joint support team."
NEW_SCHOOLS_STAGE_RATIONALE = "Kirkcaldy lead: small-group literacy from January."
RIVERSIDES_NEED = "Dyslexia"  # reason 11, identified by her class teacher


@dataclass
class SendingWorld:
    users: dict[str, User]
    learner: Learner
    riverside: Setting
    kirkcaldy: Setting

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def move(self, moved_on: date = TODAY) -> LearnerMove:
        return learner_move(
            actor=self.actor("riverside_lead"),
            learner=self.learner,
            to_setting=self.kirkcaldy,
            moved_on=moved_on,
            year_group="S1",
            reason="The family moved to Kirkcaldy.",
        )

    @property
    def records_address(self) -> str:
        return reverse("learners:moved_away_records", args=[self.learner.public_id])


def _build() -> SendingWorld:
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    riverside = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    hillhead = SettingFactory.create(authority=glasgow, name="Hillhead Primary School")
    kirkcaldy = SettingFactory.create(authority=fife, name="Kirkcaldy High School")
    learner = enrolled_learner(
        riverside, year_group="P7", legal_first_name="Ailsa", legal_last_name="Campbell"
    )
    users = {
        "riverside_teacher": staff_member(
            "teacher@example.org", Role.CLASS_TEACHER, setting=riverside
        ),
        "riverside_colleague": staff_member(
            "colleague@example.org", Role.CLASS_TEACHER, setting=riverside
        ),
        "riverside_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=riverside
        ),
        "riverside_head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=riverside),
        "glasgow_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "hillhead_teacher": staff_member(
            "hillhead-teacher@example.org", Role.CLASS_TEACHER, setting=hillhead
        ),
        "hillhead_head": staff_member(
            "hillhead-head@example.org", Role.HEAD_TEACHER, setting=hillhead
        ),
        "kirkcaldy_lead": staff_member(
            "kirkcaldy-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=kirkcaldy
        ),
        "parent": UserFactory.create(email="parent@example.org", full_name="Claire Campbell"),
    }
    link_staff(learner, users["riverside_teacher"])
    link_carer(learner, user=users["parent"])
    for author, summary, restricted in (
        ("riverside_teacher", TEACHERS_ENTRY, False),
        ("riverside_lead", LEADS_RESTRICTED_ENTRY, True),
        ("glasgow_officer", AUTHORITYS_ENTRY, False),
    ):
        chronology_record(
            actor=acting(users[author]),
            learner=learner,
            entry_type="education",
            occurred_on=WRITTEN_AT.date(),
            summary=summary,
            source="Observation",
            restricted=restricted,
        )
    # Written while she was at Riverside, long before any move the tests record.
    ChronologyEntry.objects.filter(learner=learner).update(recorded_at=WRITTEN_AT)
    for decider, rationale in (
        ("riverside_lead", LEADS_STAGE_RATIONALE),
        ("glasgow_officer", AUTHORITYS_STAGE_RATIONALE),
    ):
        stage_decide(
            actor=acting(users[decider]),
            learner=learner,
            stage=LocalStage.objects.get(stage_model__key="glasgow", order=2),
            decided_on=WRITTEN_AT.date(),
            rationale=rationale,
            next_review_on=WRITTEN_AT.date() + timedelta(days=180),
        )
    need_record(
        actor=acting(users["riverside_teacher"]),
        learner=learner,
        reason=ReasonForSupport.objects.get(nation__code=Nation.SCOTLAND, code="11"),
        identified_on=WRITTEN_AT.date(),
    )
    return SendingWorld(users=users, learner=learner, riverside=riverside, kirkcaldy=kirkcaldy)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[SendingWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def sw(module_world: SendingWorld, db: None) -> SendingWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def test_each_entry_is_stamped_with_the_school_its_author_acted_for(sw):
    stamped = dict(
        ChronologyEntry.objects.filter(learner=sw.learner).values_list(
            "summary", "recorded_for_setting"
        )
    )

    assert stamped == {
        TEACHERS_ENTRY: sw.riverside.pk,
        LEADS_RESTRICTED_ENTRY: sw.riverside.pk,
        AUTHORITYS_ENTRY: None,  # an authority officer acts for no school
    }
    decisions = dict(
        StageDecision.objects.filter(learner=sw.learner).values_list(
            "rationale", "decided_for_setting"
        )
    )
    assert decisions == {LEADS_STAGE_RATIONALE: sw.riverside.pk, AUTHORITYS_STAGE_RATIONALE: None}
    assert [need.identified_for_setting for need in Need.objects.filter(learner=sw.learner)] == [
        sw.riverside
    ]


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_her_class_teacher_reads_only_what_riverside_wrote_and_nothing_else_of_her(sw):
    sw.move()
    chronology_record(
        actor=sw.actor("kirkcaldy_lead"),
        learner=sw.learner,
        entry_type="education",
        occurred_on=TODAY,
        summary=NEW_SCHOOLS_ENTRY,
        source="Kirkcaldy",
    )
    stage_decide(
        actor=sw.actor("kirkcaldy_lead"),
        learner=sw.learner,
        stage=LocalStage.objects.get(stage_model__key="fife", order=2),
        decided_on=TODAY,
        rationale=NEW_SCHOOLS_STAGE_RATIONALE,
        next_review_on=TODAY + timedelta(days=180),
    )
    teacher = sw.client("riverside_teacher")
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = teacher.get(sw.records_address)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ailsa Campbell" in page
    for present in (TEACHERS_ENTRY, LEADS_STAGE_RATIONALE, RIVERSIDES_NEED):
        assert present in page
    # Not the restricted entry (a class teacher never read those), not the authority's, not
    # what the new school writes; not where she is now, nor her family's details.
    for absent in (
        LEADS_RESTRICTED_ENTRY,
        AUTHORITYS_ENTRY,
        AUTHORITYS_STAGE_RATIONALE,
        NEW_SCHOOLS_ENTRY,
        NEW_SCHOOLS_STAGE_RATIONALE,
        "Kirkcaldy",
        "Claire Campbell",
        sw.learner.candidate_number,
    ):
        assert absent not in page
    # The ordinary door stays shut: her record, her plans.
    assert teacher.get(reverse("learners:profile", args=[sw.learner.public_id])).status_code == 404
    assert teacher.get(reverse("planning:list", args=[sw.learner.public_id])).status_code == 404
    viewed = AuditEvent.objects.filter(pk__gt=mark, action=AuditAction.VIEW).get()
    assert (viewed.user, viewed.learner, viewed.object_type) == (
        sw.users["riverside_teacher"],
        sw.learner,
        "records_written_here",
    )


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_the_schools_leaders_read_its_restricted_entries_too(sw):
    sw.move()

    page = sw.client("riverside_head").get(sw.records_address).content.decode()

    assert TEACHERS_ENTRY in page and LEADS_RESTRICTED_ENTRY in page
    assert AUTHORITYS_ENTRY not in page


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
@pytest.mark.parametrize(
    ("moved_days_ago", "open"),
    [
        pytest.param(-1, False, id="the-day-before-the-move"),
        pytest.param(0, True, id="the-day-of-the-move"),
        pytest.param(89, True, id="the-last-day-of-the-period"),
        pytest.param(90, False, id="the-day-after-the-period"),
    ],
)
def test_the_school_reads_what_it_wrote_from_the_day_of_the_move_for_the_period(
    sw, moved_days_ago, open
):
    moved_on = TODAY - timedelta(days=moved_days_ago)
    sw.move(moved_on=moved_on)
    lead = sw.client("riverside_lead")

    response = lead.get(sw.records_address)
    listing = lead.get(reverse("learners:moved_away")).content.decode()

    assert response.status_code == (200 if open else 404)
    assert (str(sw.learner.public_id) in listing) == open
    if open:
        last_day = moved_on + timedelta(days=89)
        assert f"{last_day.day} {last_day:%B %Y}" in response.content.decode()


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=0)
def test_no_access_is_kept_when_the_period_is_0(sw):
    sw.move()

    assert sw.client("riverside_lead").get(sw.records_address).status_code == 404
    listing = sw.client("riverside_lead").get(reverse("learners:moved_away")).content.decode()
    assert "Ailsa Campbell" not in listing
    # The family is told the school she leaves no longer sees her record.
    [notice] = Notification.objects.filter(recipient=sw.users["parent"])
    assert "no longer see them" in notice.body


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_the_family_is_told_until_when_the_school_she_leaves_reads_what_it_wrote(sw):
    sw.move()

    [notice] = Notification.objects.filter(recipient=sw.users["parent"])
    last_day = TODAY + timedelta(days=89)
    assert f"Until {last_day.day} {last_day:%B %Y}" in notice.body
    assert "only what they wrote" in notice.body


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
@pytest.mark.parametrize(
    "actor",
    [
        "riverside_colleague",  # at Riverside, but never linked to her
        "hillhead_teacher",  # a third school
        "hillhead_head",
        "glasgow_officer",  # the authority is not the school; she is in Fife's now
        "kirkcaldy_lead",  # the school she moved to reads her whole record the ordinary way
    ],
)
def test_anyone_who_did_not_see_her_at_riverside_gets_404_recorded_against_her(sw, actor):
    sw.move()
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = sw.client(actor).get(sw.records_address)

    assert response.status_code == 404
    assert "Campbell" not in response.content.decode()
    refused = AuditEvent.objects.filter(pk__gt=mark).get()
    assert (refused.action, refused.user, refused.learner) == (
        AuditAction.REFUSED,
        sw.users[actor],
        sw.learner,
    )


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_a_head_who_joined_riverside_after_she_left_gets_404(sw):
    sw.move(moved_on=TODAY - timedelta(days=10))
    newcomer = staff_member("new-head@example.org", Role.HEAD_TEACHER, setting=sw.riverside)
    Membership.objects.filter(user=newcomer).update(started_on=TODAY - timedelta(days=5))
    client = Client()
    client.force_login(newcomer)

    assert client.get(sw.records_address).status_code == 404
    assert sw.client("riverside_head").get(sw.records_address).status_code == 200


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_the_receiving_school_reads_her_whole_record_as_before(sw):
    sw.move()
    kirkcaldy = sw.client("kirkcaldy_lead")

    chronology = kirkcaldy.get(reverse("learners:chronology", args=[sw.learner.public_id]))

    assert chronology.status_code == 200
    for summary in (TEACHERS_ENTRY, LEADS_RESTRICTED_ENTRY, AUTHORITYS_ENTRY):
        assert summary in chronology.content.decode()
    listing = kirkcaldy.get(reverse("learners:moved_away")).content.decode()
    assert "Ailsa Campbell" not in listing
