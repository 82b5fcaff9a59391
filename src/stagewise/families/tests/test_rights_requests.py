"""A family's rights, used as requests (ADR 0016).

The world (built once for this module; each test's changes are rolled back):
- Ailsa Campbell, 14, at Riverside Primary in Glasgow. Her mother Claire (parental
  responsibility) has an account; so does Ailsa herself; and so does Gordon, a relative recorded
  with neither parental responsibility nor care of her.
- Rory Kerr, 9, at the same school, with his own account.
- Megan Jones, at Ysgol y Bont in Cardiff, whose 2025/26 calendar is loaded; her father Rhys has
  an account.
- Staff: the Glasgow school's support-for-learning lead, a Glasgow authority officer, the
  Cardiff school's ALNCo.

A request starts (or joins) its statutory clock on the day it was received, due on the date the
clock services compute on the learner's school calendar; it reaches the work queue of whoever
must act, with what was asked; recording the decision closes the clock and tells the family.
Someone who does not hold the right, and a second open request of the same kind, are refused
with the reason, and nothing is written.
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
from stagewise.accounts.work_queue import work_queue_get
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.services import audit_session
from stagewise.conftest import staff_member
from stagewise.families.models import (
    RequesterCapacity,
    RightsRequest,
    RightsRequestOutcome,
)
from stagewise.families.services import (
    DuplicateRightsRequest,
    Requester,
    capacity_assessment_record,
    rights_request_decide,
    rights_request_make,
    rights_request_record,
)
from stagewise.learners.models import Learner, LearnerCarer
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Role
from stagewise.statutory.models import ProcessOutcome, ProcessStatus, StatutoryProcess
from stagewise.statutory.selectors import timescale_in_force
from stagewise.statutory.services import compute_due
from stagewise.testing.factories import (
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
)
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# A Monday in Cardiff's spring term 2025/26, whose calendar is loaded.
CARDIFF_SCHOOL_DAY = date(2026, 3, 2)
WORDS = {"what": "An educational psychologist's assessment.", "why": "Reading has stalled."}


@dataclass
class RightsWorld:
    users: dict[str, User]
    ailsa: Learner
    rory: Learner
    megan: Learner
    links: dict[str, LearnerCarer]

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


def _build() -> RightsWorld:
    glasgow_school = SettingFactory.create(
        authority=authority("Glasgow City"), name="Riverside Primary School"
    )
    cardiff_school = SettingFactory.create(authority=authority("Cardiff"), name="Ysgol y Bont")
    ailsa = enrolled_learner(
        glasgow_school,
        year_group="S3",
        legal_first_name="Ailsa",
        legal_last_name="Campbell",
        date_of_birth=TODAY.replace(year=TODAY.year - 14) - timedelta(days=30),
    )
    rory = enrolled_learner(
        glasgow_school,
        legal_first_name="Rory",
        legal_last_name="Kerr",
        date_of_birth=TODAY.replace(year=TODAY.year - 9) - timedelta(days=30),
    )
    megan = enrolled_learner(
        cardiff_school,
        year_group="Y5",
        legal_first_name="Megan",
        legal_last_name="Jones",
        date_of_birth=date(2016, 1, 10),
    )
    users = {
        "claire": UserFactory.create(email="claire@example.org", full_name="Claire Campbell"),
        "gordon": UserFactory.create(email="gordon@example.org", full_name="Gordon Campbell"),
        "ailsa": UserFactory.create(email="ailsa@example.org", full_name="Ailsa Campbell"),
        "rory": UserFactory.create(email="rory@example.org", full_name="Rory Kerr"),
        "rhys": UserFactory.create(
            email="rhys@example.org", full_name="Rhys Jones", preferred_language="cy"
        ),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=glasgow_school
        ),
        "officer": staff_member(
            "officer@example.org",
            Role.LOCAL_AUTHORITY_OFFICER,
            authority=authority("Glasgow City"),
        ),
        "alnco": staff_member(
            "alnco@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=cardiff_school
        ),
    }
    links = {
        "claire": link_carer(ailsa, user=users["claire"]),
        "gordon": link_carer(
            ailsa, user=users["gordon"], parental_responsibility=False, lives_with_learner=False
        ),
        "rhys": link_carer(megan, user=users["rhys"]),
    }
    for learner, name in ((ailsa, "ailsa"), (rory, "rory")):
        learner.young_person_account = users[name]
        learner.save(update_fields=["young_person_account"])
    return RightsWorld(users=users, ailsa=ailsa, rory=rory, megan=megan, links=links)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[RightsWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def rw(module_world: RightsWorld, db: None) -> RightsWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def expected_due(learner: Learner, rule_key: str, started_on: date) -> date | None:
    """The date the clock services compute for the rule on the learner's school calendar."""
    enrolment = learner.enrolments.get(ended_on__isnull=True)
    return compute_due(
        timescale=timescale_in_force(rule_key, started_on),
        start=started_on,
        authority=enrolment.setting.authority,
        setting=enrolment.setting,
    ).due_on


def queue_items(rw: RightsWorld, actor: str, learner: Learner) -> list[Any]:
    queue = work_queue_get(actor=rw.actor(actor))
    assert queue is not None
    return [
        item
        for group in queue.groups
        for item in group.items
        if item.learner_id == learner.public_id
    ]


def row_counts() -> tuple[int, int]:
    return RightsRequest.objects.count(), StatutoryProcess.objects.count()


# Making a request starts its clock -------------------------------------------------------------


def test_a_parents_request_starts_its_clock_today_and_reaches_the_authoritys_queue(rw):
    made = rights_request_make(
        actor=rw.actor("claire"), learner=rw.ailsa, kind="specific_assessment", **WORDS
    )

    clock = made.process
    assert clock is not None
    assert made.capacity == RequesterCapacity.PARENT_CARER
    assert made.requester_name == "Claire Campbell"
    assert clock.rule_key == "scotland.specific_assessment_request"
    assert clock.started_on == made.received_on == TODAY
    assert clock.due_on == expected_due(rw.ailsa, clock.rule_key, TODAY)
    assert clock.due_on == TODAY + timedelta(weeks=8)
    # The authority must act: it is in the officer's queue, saying what the family asked and
    # leading to where the decision is recorded; the school's lead is not asked to act on it.
    officer_items = queue_items(rw, "officer", rw.ailsa)
    assert [item.note for item in officer_items] == [
        "The family asked: An educational psychologist's assessment."
    ]
    assert officer_items[0].url == reverse(
        "rights_requests:decide", args=[rw.ailsa.public_id, made.public_id]
    )
    assert queue_items(rw, "support_lead", rw.ailsa) == []


def test_a_welsh_request_by_letter_counts_school_days_from_the_day_it_was_received(rw):
    recorded = rights_request_record(
        actor=rw.actor("alnco"),
        learner=rw.megan,
        kind="school_decide_additional_learning_needs",
        requester=Requester(carer_link=rw.links["rhys"]),
        channel="letter",
        received_on=CARDIFF_SCHOOL_DAY,
        **WORDS,
    )

    clock = recorded.process
    assert clock is not None
    assert recorded.channel == "letter"
    assert clock.rule_key == "wales.individual_development_plan_school_decision"
    assert clock.started_on == CARDIFF_SCHOOL_DAY
    assert clock.due_on is not None
    assert clock.due_on == expected_due(rw.megan, clock.rule_key, CARDIFF_SCHOOL_DAY)
    # The school must decide: the request is in the ALNCo's queue.
    alnco_items = queue_items(rw, "alnco", rw.megan)
    assert len(alnco_items) == 1
    assert "The family asked" in alnco_items[0].note


def test_each_nation_offers_its_own_rights_in_plain_words(rw):
    welsh_form = rw.client("rhys").get(reverse("rights_requests:new", args=[rw.megan.public_id]))
    scottish_form = rw.client("claire").get(
        reverse("rights_requests:new", args=[rw.ailsa.public_id])
    )

    welsh = welsh_form.content.decode()
    scottish = scottish_form.content.decode()
    assert 'value="authority_take_over_plan"' in welsh
    # Rhys reads Stagewise in Welsh: the rights are explained in Welsh too.
    assert "Gofyn i&#x27;r cyngor gymryd y CDU drosodd" in welsh
    assert 'value="specific_assessment"' not in welsh
    assert 'value="early_review"' in scottish
    assert 'value="authority_reconsider_school_decision"' not in scottish
    assert "You cannot choose who carries it out." in scottish


# Who holds the right ---------------------------------------------------------------------------


def _refused(actor: Any, learner: Learner, expected: str, **extra: Any) -> None:
    before = row_counts()
    refusals = AuditEvent.objects.filter(action=AuditAction.REFUSED).count()
    with audit_session(), pytest.raises(ValidationError) as refused:
        if extra:
            arguments: dict[str, Any] = {**extra, **WORDS}
            rights_request_record(actor=actor, learner=learner, **arguments)
        else:
            rights_request_make(actor=actor, learner=learner, kind="specific_assessment", **WORDS)
    assert expected in " ".join(refused.value.messages)
    assert row_counts() == before
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED).count() == refusals + 1


def test_a_child_under_12_is_refused_and_told_a_parent_can_ask(rw):
    _refused(rw.actor("rory"), rw.rory, "A child under 12 cannot make this request themself")


def test_a_child_of_14_is_refused_until_a_capacity_assessment_finds_she_can(rw):
    _refused(rw.actor("ailsa"), rw.ailsa, "once a capacity and wellbeing assessment has found")
    capacity_assessment_record(
        actor=rw.actor("support_lead"),
        learner=rw.ailsa,
        assessed_on=TODAY,
        capable=False,
        assessed_by_name="Dr Shona Reid, educational psychologist",
    )
    _refused(rw.actor("ailsa"), rw.ailsa, "once a capacity and wellbeing assessment has found")
    capacity_assessment_record(
        actor=rw.actor("support_lead"),
        learner=rw.ailsa,
        assessed_on=TODAY,
        capable=True,
        assessed_by_name="Dr Shona Reid, educational psychologist",
    )

    made = rights_request_make(
        actor=rw.actor("ailsa"), learner=rw.ailsa, kind="specific_assessment", **WORDS
    )

    assert made.capacity == RequesterCapacity.CHILD
    assert made.carer is None


def test_a_carer_without_parental_responsibility_or_care_of_the_child_is_refused(rw):
    _refused(rw.actor("gordon"), rw.ailsa, "has neither")
    # Staff recording his letter are refused the same way.
    _refused(
        rw.actor("support_lead"),
        rw.ailsa,
        "has neither",
        kind="specific_assessment",
        requester=Requester(carer_link=rw.links["gordon"]),
        channel="letter",
        received_on=TODAY,
    )


def test_a_second_open_request_of_the_same_kind_is_refused_with_a_link_to_the_first(rw):
    first = rights_request_make(
        actor=rw.actor("claire"), learner=rw.ailsa, kind="specific_assessment", **WORDS
    )
    before = row_counts()

    with pytest.raises(DuplicateRightsRequest) as refused:
        rights_request_record(
            actor=rw.actor("support_lead"),
            learner=rw.ailsa,
            kind="specific_assessment",
            requester=Requester(carer_link=rw.links["claire"]),
            channel="telephone",
            received_on=TODAY,
            **WORDS,
        )
    page = rw.client("claire").post(
        reverse("rights_requests:new", args=[rw.ailsa.public_id]),
        {"kind": "specific_assessment", **WORDS},
    )

    assert refused.value.open_request == first
    assert row_counts() == before
    assert page.status_code == 200
    html = page.content.decode()
    assert "This has already been asked for" in html
    open_link = reverse("rights_requests:list", args=[rw.ailsa.public_id])
    assert f'href="{open_link}#request-{first.public_id}"' in html


# The decision ----------------------------------------------------------------------------------


def test_recording_the_decision_closes_the_clock_and_tells_the_family(rw):
    made = rights_request_make(
        actor=rw.actor("claire"), learner=rw.ailsa, kind="specific_assessment", **WORDS
    )

    response = rw.client("officer").post(
        reverse("rights_requests:decide", args=[rw.ailsa.public_id, made.public_id]),
        {
            "outcome": RightsRequestOutcome.AGREED,
            "decided_on_0": TODAY.day,
            "decided_on_1": TODAY.month,
            "decided_on_2": TODAY.year,
            "note": "A psychologist will see Ailsa this term.",
        },
    )

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.process_id is not None
    clock = StatutoryProcess.objects.get(pk=made.process_id)
    assert made.outcome == RightsRequestOutcome.AGREED
    assert made.decided_on == TODAY
    assert (clock.status, clock.outcome, clock.closed_on) == (
        ProcessStatus.CLOSED,
        ProcessOutcome.DONE,
        TODAY,
    )
    told = Notification.objects.filter(kind=NotificationKind.RIGHTS_REQUEST_DECIDED)
    # Claire (the parent with portal access) and Ailsa's own account; Gordon too has portal
    # access, as his link records.
    assert set(told.values_list("recipient__email", flat=True)) == {
        "claire@example.org",
        "gordon@example.org",
        "ailsa@example.org",
    }
    family_page = rw.client("claire").get(
        reverse("rights_requests:list", args=[rw.ailsa.public_id])
    )
    assert "A psychologist will see Ailsa this term." in family_page.content.decode()


def test_two_requests_on_one_clock_close_it_only_when_both_are_decided(rw):
    needs = rights_request_make(
        actor=rw.actor("claire"),
        learner=rw.ailsa,
        kind="establish_additional_support_needs",
        **WORDS,
    )
    plan = rights_request_make(
        actor=rw.actor("claire"),
        learner=rw.ailsa,
        kind="establish_coordinated_support_plan",
        **WORDS,
    )
    assert needs.process_id is not None
    assert needs.process_id == plan.process_id

    decide: dict[str, Any] = {
        "outcome": RightsRequestOutcome.REFUSED,
        "decided_on": TODAY,
        "note": "Not now.",
    }
    rights_request_decide(actor=rw.actor("officer"), request=needs, **decide)
    assert StatutoryProcess.objects.get(pk=needs.process_id).status == ProcessStatus.RUNNING
    rights_request_decide(actor=rw.actor("officer"), request=plan, **decide)
    assert StatutoryProcess.objects.get(pk=needs.process_id).status == ProcessStatus.CLOSED


def test_a_decision_is_refused_before_the_request_was_received_and_when_already_made(rw):
    made = rights_request_make(
        actor=rw.actor("claire"), learner=rw.ailsa, kind="early_review", **WORDS
    )
    with pytest.raises(ValidationError) as early:
        rights_request_decide(
            actor=rw.actor("officer"),
            request=made,
            outcome="agreed",
            decided_on=TODAY - timedelta(days=1),
            note="Agreed.",
        )
    assert "cannot come before the request" in early.value.messages[0]
    rights_request_decide(
        actor=rw.actor("officer"), request=made, outcome="agreed", decided_on=TODAY, note="Yes."
    )
    with pytest.raises(ValidationError) as again:
        rights_request_decide(
            actor=rw.actor("officer"), request=made, outcome="refused", decided_on=TODAY, note="No."
        )
    assert "already been recorded" in again.value.messages[0]


# What the family typed, shown as typed -----------------------------------------------------------


def test_the_familys_words_are_kept_as_typed_and_escaped_everywhere_shown(rw):
    typed = '<script>alert("x")</script> & "quotes"\nSecond line'
    made = rights_request_make(
        actor=rw.actor("claire"),
        learner=rw.ailsa,
        kind="specific_assessment",
        what=typed,
        why=typed,
    )
    made.refresh_from_db()
    assert made.what == typed

    pages = [
        rw.client("claire").get(reverse("rights_requests:list", args=[rw.ailsa.public_id])),
        rw.client("officer").get(reverse("rights_requests:list", args=[rw.ailsa.public_id])),
        rw.client("officer").get(
            reverse("rights_requests:decide", args=[rw.ailsa.public_id, made.public_id])
        ),
        rw.client("officer").get(reverse("home")),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_parent_does_not_read_the_words_of_another_family_members_request(rw):
    rights_request_make(actor=rw.actor("claire"), learner=rw.ailsa, kind="early_review", **WORDS)

    gordon_page = rw.client("gordon").get(
        reverse("rights_requests:list", args=[rw.ailsa.public_id])
    )

    html = gordon_page.content.decode()
    assert "Another member of the family" in html
    assert WORDS["why"] not in html


def test_the_list_costs_the_same_number_of_queries_however_many_requests(rw):
    address = reverse("rights_requests:list", args=[rw.ailsa.public_id])
    client = rw.client("officer")
    rights_request_make(actor=rw.actor("claire"), learner=rw.ailsa, kind="early_review", **WORDS)
    with CaptureQueriesContext(connection) as one:
        client.get(address)
    for kind in ("specific_assessment", "establish_additional_support_needs"):
        rights_request_make(actor=rw.actor("claire"), learner=rw.ailsa, kind=kind, **WORDS)
    with CaptureQueriesContext(connection) as three:
        client.get(address)

    assert len(three.captured_queries) == len(one.captured_queries)
