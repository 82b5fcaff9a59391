"""After a learner moves, the school they left reads, for a configured period, only what its own
staff wrote about them, read only (ADR 0020; learners/access.records_written_here_for).

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell is in
P7 at Riverside Primary School in Glasgow. Her class teacher is linked to her; a colleague at
Riverside is not. Riverside's teacher wrote a chronology entry and identified a need (dyslexia),
its support-for-learning lead wrote a restricted entry and decided her stage, and the Glasgow
authority officer wrote an entry and a stage decision too, all on 1 September 2025. That day
Riverside's lead also signed off her individualised educational programme (version 1), with
staff-only notes. Kirkcaldy High School in Fife is where she moves; Hillhead Primary, also in
Glasgow, is a third school.

The rules: from the day of the move, for SENDING_SCHOOL_ACCESS_DAYS days (the day of the move the
first), Riverside's staff who saw her there the day before read the entries written by people
acting for Riverside (chronology entries, stage decisions, needs identified, and each plan as
Riverside last signed it off before she left), and her name; nothing else of her (not her
family's details in the plan), and nothing anyone else writes. A restricted entry, and a plan's
staff-only notes, only for a role that read restricted entries before (the school's leaders).
Everyone else gets 404, recorded against her, including someone who joined Riverside after she
left. 0 turns the access off.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

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
from stagewise.planning.models import Plan, PlanVersion
from stagewise.planning.services import (
    content_fingerprint,
    plan_finalise,
    plan_revise,
    plan_staff_notes_update,
)
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.testing.audit import learner_of
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
from stagewise.testing.plans import acting, complete_plan, write_section
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
# Her individualised educational programme: what Riverside signed off, and what Kirkcaldy wrote
# into the next version after she arrived.
RIVERSIDES_PLAN_NEEDS = "Riverside: Ailsa reads best with coloured overlays."
RIVERSIDES_STAFF_NOTES = "Riverside staff note: mum prefers a phone call after 4pm."
RIVERSIDES_TARGET = "Target outcome 1: read a short text aloud"
RIVERSIDES_SUPPORT = "Small-group reading support 1"
RIVERSIDES_LAST_DAY_PLAN_NEEDS = "Riverside, on her last day: a reader for tests."
KIRKCALDYS_PLAN_NEEDS = "Kirkcaldy: a laptop with text-to-speech from January."
KIRKCALDYS_STAFF_NOTES = "Kirkcaldy staff note: settling in well."
CARERS_EMAIL = "claire.campbell@example.net"
CARERS_ADDRESS = "12 Clyde View, Glasgow"
CARERS_TELEPHONE = "07700 900123"  # every factory carer's


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

    @property
    def plans_address(self) -> str:
        return reverse("plans_agreed_here", args=[self.learner.public_id])

    @property
    def plan(self) -> Plan:
        return Plan.objects.get(learner=self.learner)

    def kirkcaldy_revises_the_plan(self) -> None:
        """After the move her new school's lead writes and signs off version 2."""
        lead = self.actor("kirkcaldy_lead")
        plan = plan_revise(actor=lead, plan=self.plan)
        write_section(lead, plan, "additional_support_needs", KIRKCALDYS_PLAN_NEEDS)
        plan_staff_notes_update(
            actor=lead,
            plan=plan,
            staff_notes=KIRKCALDYS_STAFF_NOTES,
            based_on=content_fingerprint({"staff_notes": RIVERSIDES_STAFF_NOTES}),
        )
        plan.refresh_from_db()
        plan_finalise(actor=lead, plan=plan, based_on_revision=plan.edit_revision)


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
    carer = link_carer(learner, user=users["parent"]).carer
    carer.email, carer.address = CARERS_EMAIL, CARERS_ADDRESS
    carer.save(update_fields=["email", "address"])
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
            departure_reason=JUDGED_BEYOND_THE_RECORD,
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        )
    need_record(
        actor=acting(users["riverside_teacher"]),
        learner=learner,
        reason=ReasonForSupport.objects.get(nation__code=Nation.SCOTLAND, code="11"),
        identified_on=WRITTEN_AT.date(),
    )
    lead = acting(users["riverside_lead"])
    plan = complete_plan(lead, learner, "individualised_educational_programme", targets=1)
    write_section(lead, plan, "additional_support_needs", RIVERSIDES_PLAN_NEEDS)
    plan_staff_notes_update(
        actor=lead,
        plan=plan,
        staff_notes=RIVERSIDES_STAFF_NOTES,
        based_on=content_fingerprint({"staff_notes": ""}),
    )
    plan.refresh_from_db()
    # Signed off that day too: a finalised version cannot be changed afterwards, even by a test.
    with mock.patch.object(timezone, "now", return_value=WRITTEN_AT):
        plan_finalise(actor=lead, plan=plan, based_on_revision=plan.edit_revision)
    return SendingWorld(users=users, learner=learner, riverside=riverside, kirkcaldy=kirkcaldy)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[SendingWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def sw(module_world: SendingWorld, db: None) -> SendingWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def _opens_for(sw: SendingWorld, actor: str, address: str) -> tuple[str, AuditEvent]:
    """The page `actor` reads at `address`, which must open, and the one look it recorded."""
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = sw.client(actor).get(address)
    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(pk__gt=mark, action=AuditAction.VIEW).get()
    return response.content.decode(), viewed


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
        departure_reason=JUDGED_BEYOND_THE_RECORD,
        departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
    )
    page, viewed = _opens_for(sw, "riverside_teacher", sw.records_address)

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
    teacher = sw.client("riverside_teacher")
    assert teacher.get(reverse("learners:profile", args=[sw.learner.public_id])).status_code == 404
    assert teacher.get(reverse("planning:list", args=[sw.learner.public_id])).status_code == 404
    assert (viewed.user, learner_of(viewed), viewed.object_type) == (
        sw.users["riverside_teacher"],
        sw.learner,
        "records_written_here",
    )


def test_each_plan_version_is_stamped_with_the_school_its_signer_acted_for(sw):
    sw.move()
    sw.kirkcaldy_revises_the_plan()

    stamped = list(
        PlanVersion.objects.filter(plan__learner=sw.learner)
        .order_by("number")
        .values_list("number", "finalised_for_setting", "staff_notes")
    )

    assert stamped == [
        (1, sw.riverside.pk, RIVERSIDES_STAFF_NOTES),
        (2, sw.kirkcaldy.pk, KIRKCALDYS_STAFF_NOTES),
    ]


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_her_class_teacher_reads_the_plan_as_riverside_agreed_it_not_as_kirkcaldy_changed_it(sw):
    sw.move()
    sw.kirkcaldy_revises_the_plan()

    page, viewed = _opens_for(sw, "riverside_teacher", sw.plans_address)

    assert "Ailsa Campbell" in page
    assert "version 1" in page
    for present in (RIVERSIDES_PLAN_NEEDS, RIVERSIDES_TARGET, RIVERSIDES_SUPPORT):
        assert present in page
    # Not Kirkcaldy's version, not her family's details or words, not where she is now, not
    # the staff-only notes (a class teacher is not one of the school's leaders).
    for absent in (
        KIRKCALDYS_PLAN_NEEDS,
        KIRKCALDYS_STAFF_NOTES,
        RIVERSIDES_STAFF_NOTES,
        "Kirkcaldy",
        "Claire Campbell",
        CARERS_EMAIL,
        CARERS_ADDRESS,
        CARERS_TELEPHONE,
        "I like maths",
        sw.learner.candidate_number,
    ):
        assert absent not in page
    assert (viewed.user, learner_of(viewed), viewed.object_type, viewed.purpose) == (
        sw.users["riverside_teacher"],
        sw.learner,
        "records_written_here",
        "read plans agreed here",
    )


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_the_schools_leaders_read_the_staff_notes_as_they_stood_when_riverside_signed_off(sw):
    sw.move()
    sw.kirkcaldy_revises_the_plan()

    page = sw.client("riverside_head").get(sw.plans_address).content.decode()

    assert RIVERSIDES_STAFF_NOTES in page
    assert KIRKCALDYS_STAFF_NOTES not in page


@override_settings(SENDING_SCHOOL_ACCESS_DAYS=90)
def test_a_version_riverside_signed_off_on_the_day_she_left_is_not_the_one_it_reads(sw):
    """Only what was agreed before the day of the move: on that day she is Kirkcaldy's."""
    lead = sw.actor("riverside_lead")
    plan = plan_revise(actor=lead, plan=sw.plan)
    write_section(lead, plan, "additional_support_needs", RIVERSIDES_LAST_DAY_PLAN_NEEDS)
    plan.refresh_from_db()
    plan_finalise(actor=lead, plan=plan, based_on_revision=plan.edit_revision)
    sw.move()

    page = sw.client("riverside_lead").get(sw.plans_address).content.decode()

    assert RIVERSIDES_PLAN_NEEDS in page and "version 1" in page
    assert RIVERSIDES_LAST_DAY_PLAN_NEEDS not in page


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
    plans = lead.get(sw.plans_address)
    listing = lead.get(reverse("learners:moved_away")).content.decode()

    assert response.status_code == (200 if open else 404)
    assert plans.status_code == (200 if open else 404)
    assert (RIVERSIDES_PLAN_NEEDS in plans.content.decode()) == open
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
@pytest.mark.parametrize("address", ["records_address", "plans_address"])
def test_anyone_who_did_not_see_her_at_riverside_gets_404_recorded_against_her(sw, actor, address):
    sw.move()
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = sw.client(actor).get(getattr(sw, address))

    assert response.status_code == 404
    assert "Campbell" not in response.content.decode()
    refused = AuditEvent.objects.filter(pk__gt=mark).get()
    assert (refused.action, refused.user, learner_of(refused)) == (
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
