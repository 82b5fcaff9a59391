"""A learner moves school, across authorities: the record changes hands through the ordinary
scopes, the receiving school's leaders find the learner in their work queue, and the family is
told (ADR 0020).

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell is in
P7 at Riverside Primary School in Glasgow, since 18 August 2025. Her class teacher and her named
person (the head) are linked to her; she has a finalised individualised educational programme.
Her parent, who reads Stagewise in Welsh, has a portal account. Kirkcaldy High School in Fife
is the school she moves to; its support-for-learning lead and head have never seen her.

The rules: only those who manage the record where the learner is now record a move; the date
must be after the current enrolment began and the school another one; from the day of the move
the sending school's staff and authority no longer see her at all, and the receiving school's
leaders do, with an item in their work queue until one of them opens her moves. A planned
transition is recorded by the same people; planning her leaving school starts the two Scottish
clocks that count back from the leaving date (12 and 6 months).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
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
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import staff_member
from stagewise.learners.access import visible_learners
from stagewise.learners.models import (
    Enrolment,
    Learner,
    LearnerMove,
    StaffRelationship,
    StaffRelationshipKind,
    Transition,
    TransitionKind,
)
from stagewise.learners.services import learner_current_enrolment, learner_move, transition_plan
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Role, Setting, SettingType
from stagewise.planning.models import Plan
from stagewise.policy import CapabilityRequired
from stagewise.statutory.calendar import add_months
from stagewise.statutory.models import ProcessStatus, Responsible, StatutoryProcess
from stagewise.testing.audit import learner_of
from stagewise.testing.factories import (
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


@dataclass
class MoveWorld:
    users: dict[str, User]
    learner: Learner
    plan: Plan
    glasgow_primary: Setting
    fife_secondary: Setting

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def move_to_fife(self, by: str = "glasgow_lead", moved_on: date = TODAY) -> LearnerMove:
        return learner_move(
            actor=self.actor(by),
            learner=self.learner,
            to_setting=self.fife_secondary,
            moved_on=moved_on,
            year_group="S1",
            reason="The family moved to Kirkcaldy.",
        )


def _build() -> MoveWorld:
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    primary = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    secondary = SettingFactory.create(
        authority=fife,
        name="Kirkcaldy High School",
        name_cy="Ysgol Uwchradd Kirkcaldy",
        setting_type=SettingType.SECONDARY,
    )
    learner = enrolled_learner(
        primary, year_group="P7", legal_first_name="Ailsa", legal_last_name="Campbell"
    )
    users = {
        "glasgow_teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=primary),
        "glasgow_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=primary
        ),
        "glasgow_head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=primary),
        "glasgow_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "fife_lead": staff_member(
            "fife-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=secondary
        ),
        "fife_head": staff_member("fife-head@example.org", Role.HEAD_TEACHER, setting=secondary),
        "fife_officer": staff_member(
            "fife-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife
        ),
        "parent": UserFactory.create(
            email="parent@example.org", full_name="Claire Campbell", preferred_language="cy"
        ),
    }
    link_carer(learner, user=users["parent"])
    link_staff(learner, users["glasgow_teacher"])
    link_staff(learner, users["glasgow_head"], kind=StaffRelationshipKind.NAMED_PERSON)
    plan = finalised_plan(
        acting(users["glasgow_teacher"]), learner, "individualised_educational_programme"
    )
    return MoveWorld(
        users=users, learner=learner, plan=plan, glasgow_primary=primary, fife_secondary=secondary
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[MoveWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def mw(module_world: MoveWorld, db: None) -> MoveWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def _sees(mw: MoveWorld, name: str) -> bool:
    return visible_learners(mw.actor(name)).filter(pk=mw.learner.pk).exists()


def _move_form(mw: MoveWorld, **changes: str) -> dict[str, str]:
    return {
        "to_setting": str(mw.fife_secondary.pk),
        "moved_on_0": str(TODAY.day),
        "moved_on_1": str(TODAY.month),
        "moved_on_2": str(TODAY.year),
        "year_group": "S1",
        "reason": "The family moved to Kirkcaldy.",
    } | changes


def test_a_glasgow_primary_learner_moved_to_a_fife_secondary_changes_hands_on_the_day(mw):
    lead = mw.client("glasgow_lead")

    response = lead.post(reverse("learners:move", args=[mw.learner.public_id]), _move_form(mw))

    # The lead no longer sees her, so is sent back to their list.
    assert response.status_code == 302
    assert response.url == reverse("learners:list")
    move = LearnerMove.objects.get(learner=mw.learner)
    assert (move.from_setting, move.to_setting, move.moved_on) == (
        mw.glasgow_primary,
        mw.fife_secondary,
        TODAY,
    )
    # The sending enrolment ended yesterday; the receiving one starts today, in S1.
    enrolments = list(Enrolment.objects.filter(learner=mw.learner).order_by("started_on"))
    assert [(e.setting, e.year_group, e.ended_on) for e in enrolments] == [
        (mw.glasgow_primary, "P7", TODAY - timedelta(days=1)),
        (mw.fife_secondary, "S1", None),
    ]
    assert not StaffRelationship.objects.current(TODAY).filter(learner=mw.learner).exists()

    # Glasgow's teacher and authority no longer see her at all; Fife's leaders and officer do.
    profile = reverse("learners:profile", args=[mw.learner.public_id])
    plans = reverse("planning:list", args=[mw.learner.public_id])
    plan = reverse("planning:detail", args=[mw.learner.public_id, mw.plan.public_id])
    teacher = mw.client("glasgow_teacher")
    for address in (profile, plans, plan):
        assert teacher.get(address).status_code == 404
    assert not _sees(mw, "glasgow_officer")
    assert not _sees(mw, "glasgow_head")
    fife = mw.client("fife_lead")
    for address in (profile, plans, plan):
        assert fife.get(address).status_code == 200
    assert _sees(mw, "fife_head")
    assert _sees(mw, "fife_officer")

    # The audit records the move, against her, by the Glasgow lead.
    recorded = AuditEvent.objects.get(object_type="learner_move", action=AuditAction.CREATE)
    assert learner_of(recorded) == mw.learner
    assert recorded.user == mw.users["glasgow_lead"]
    assert recorded.detail == {"staff_links_ended": 2}
    assert recorded.changes is not None
    assert recorded.changes["setting"] == "changed"  # never the values (ADR 0033)


def test_the_receiving_leads_queue_lists_the_arrival_until_one_of_them_opens_her_moves(mw):
    mw.move_to_fife()

    def arrivals(name: str) -> list[Any]:
        queue = work_queue_get(actor=mw.actor(name))
        assert queue is not None
        return [
            item
            for group in queue.groups
            for item in group.items
            if item.kind == ItemKind.NEW_ARRIVAL
        ]

    for name in ("fife_lead", "fife_head"):
        [item] = arrivals(name)
        assert item.learner_id == mw.learner.public_id
        assert "Riverside Primary School" in item.action
        assert item.url == reverse("learners:moves", args=[mw.learner.public_id])
    assert arrivals("glasgow_lead") == []

    page = mw.client("fife_lead").get(reverse("learners:moves", args=[mw.learner.public_id]))

    assert page.status_code == 200
    assert reverse("planning:list", args=[mw.learner.public_id]) in page.content.decode()
    assert arrivals("fife_lead") == []
    assert arrivals("fife_head") == []
    move = LearnerMove.objects.get(learner=mw.learner)
    assert move.acknowledged_by == mw.users["fife_lead"]


def test_the_work_queue_reads_arrivals_in_one_query_however_many_arrive(mw):
    mw.move_to_fife()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            work_queue_get(actor=mw.actor("fife_lead"))
        return len(captured)

    one = queries()
    for number in range(3):
        other = enrolled_learner(mw.glasgow_primary, legal_last_name=f"Other{number}")
        learner_move(
            actor=mw.actor("glasgow_lead"),
            learner=other,
            to_setting=mw.fife_secondary,
            moved_on=TODAY,
            year_group="S1",
            reason="Moved house.",
        )

    assert queries() == one


def test_the_family_is_told_of_the_new_school_and_date_in_their_language(mw):
    mw.move_to_fife()

    [notice] = Notification.objects.filter(recipient=mw.users["parent"])
    assert notice.kind == NotificationKind.LEARNER_MOVED
    assert notice.learner == mw.learner
    # The parent reads Stagewise in Welsh: the school's Welsh name, the date in Welsh.
    assert "Ysgol Uwchradd Kirkcaldy" in notice.body
    assert "Ailsa Campbell" in notice.body
    assert "Campbell" not in notice.subject


def test_a_move_dated_later_leaves_the_learner_with_the_sending_school_until_then(mw):
    mw.move_to_fife(moved_on=TODAY + timedelta(days=14))

    assert _sees(mw, "glasgow_teacher")
    assert not _sees(mw, "fife_lead")
    queue = work_queue_get(actor=mw.actor("fife_lead"))
    assert queue is not None and queue.total == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"moved_on_2": "2025", "moved_on_1": "8", "moved_on_0": "18"},
            "moved_on",
            "The date of the move must be after 18 August 2025",
        ),
        ({"to_setting": "same"}, "to_setting", "Choose a school other than the one"),
        ({"to_setting": "999999"}, "to_setting", "Choose a school from the list."),
        ({"year_group": "Y9"}, "year_group", "Choose a year group used in Scotland."),
    ],
    ids=["before-the-current-enrolment", "same-school", "unknown-school", "welsh-year-group"],
)
def test_bad_input_is_shown_in_the_error_summary_and_nothing_changes(mw, changes, field, message):
    if changes.get("to_setting") == "same":
        changes = {"to_setting": str(mw.glasgow_primary.pk)}

    response = mw.client("glasgow_lead").post(
        reverse("learners:move", args=[mw.learner.public_id]), _move_form(mw, **changes)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert not LearnerMove.objects.exists()
    assert learner_current_enrolment(mw.learner).setting == mw.glasgow_primary  # type: ignore[union-attr]


def test_a_second_move_cannot_overlap_one_already_recorded(mw):
    mw.move_to_fife(moved_on=TODAY + timedelta(days=14))

    with pytest.raises(ValidationError):
        mw.move_to_fife(moved_on=TODAY + timedelta(days=7))


def test_a_class_teacher_cannot_move_a_learner_nor_the_receiving_school_take_one(mw):
    with pytest.raises(CapabilityRequired):
        mw.move_to_fife(by="glasgow_teacher")
    with pytest.raises(CapabilityRequired):
        mw.move_to_fife(by="fife_lead")

    assert not LearnerMove.objects.exists()
    response = mw.client("glasgow_teacher").get(
        reverse("learners:move", args=[mw.learner.public_id])
    )
    assert response.status_code == 403


# Planned transitions ----------------------------------------------------------------------------


def _transition_form(**changes: str) -> dict[str, str]:
    leaving = TODAY + timedelta(days=400)
    return {
        "kind": TransitionKind.LEAVING_SCHOOL,
        "planned_on_0": str(leaving.day),
        "planned_on_1": str(leaving.month),
        "planned_on_2": str(leaving.year),
        "plan": "Visits to the college in spring; her support worker goes with her.",
        "family_part": "Her parent will come to the open day. Ailsa wants to study art.",
    } | changes


def test_planning_leaving_school_starts_both_clocks_that_count_back_from_the_leaving_date(mw):
    leaving = TODAY + timedelta(days=400)

    response = mw.client("glasgow_lead").post(
        reverse("learners:transition_add", args=[mw.learner.public_id]), _transition_form()
    )

    assert response.status_code == 302
    transition = Transition.objects.get(learner=mw.learner)
    assert (transition.kind, transition.planned_on) == (TransitionKind.LEAVING_SCHOOL, leaving)
    clocks = {
        clock.rule_key: clock
        for clock in StatutoryProcess.objects.filter(
            learner=mw.learner, status=ProcessStatus.RUNNING
        )
    }
    seek_views = clocks["scotland.leaving_seek_views"]
    share = clocks["scotland.leaving_share_information"]
    # Seek views 12 months before leaving, share information 6 months before, the authority's.
    assert seek_views.started_on == share.started_on == leaving
    assert seek_views.due_on is None or seek_views.due_on <= add_months(leaving, -12)
    assert share.due_on is None or share.due_on <= add_months(leaving, -6)
    assert {seek_views.responsible, share.responsible} == {Responsible.AUTHORITY}
    page = mw.client("glasgow_teacher").get(
        reverse("learners:transitions", args=[mw.learner.public_id])
    )
    assert "Ailsa wants to study art." in page.content.decode()
    assert AuditEvent.objects.filter(object_type="transition", action=AuditAction.CREATE).exists()


def test_other_transitions_start_no_clock(mw):
    transition_plan(
        actor=mw.actor("glasgow_head"),
        learner=mw.learner,
        kind=TransitionKind.PRIMARY_TO_SECONDARY,
        planned_on=TODAY + timedelta(days=200),
        plan="Three visits to the high school in June.",
    )

    assert not StatutoryProcess.objects.filter(learner=mw.learner).exists()


def test_a_transition_in_the_past_or_a_second_leaving_clock_is_refused_on_the_form(mw):
    lead = mw.client("glasgow_lead")
    address = reverse("learners:transition_add", args=[mw.learner.public_id])
    yesterday = TODAY - timedelta(days=1)

    past = lead.post(
        address,
        _transition_form(
            planned_on_0=str(yesterday.day),
            planned_on_1=str(yesterday.month),
            planned_on_2=str(yesterday.year),
        ),
    )
    lead.post(address, _transition_form())
    again = lead.post(address, _transition_form())

    assert "The planned date must be today or later." in past.content.decode()
    assert "govuk-error-summary" in again.content.decode()
    # The refused second plan left nothing behind: one transition, one pair of clocks.
    assert Transition.objects.filter(learner=mw.learner).count() == 1
    assert StatutoryProcess.objects.filter(learner=mw.learner).count() == 2


def test_a_class_teacher_reads_transitions_but_does_not_plan_them(mw):
    teacher = mw.actor("glasgow_teacher")

    with pytest.raises(CapabilityRequired):
        transition_plan(
            actor=teacher,
            learner=mw.learner,
            kind=TransitionKind.LEAVING_SCHOOL,
            planned_on=TODAY + timedelta(days=400),
            plan="Visits.",
        )
    assert not Transition.objects.exists()
