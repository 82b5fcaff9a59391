"""The service's pages: its manager's queue, a request from the service's side and the actions on
it, and a practitioner's own requests.

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell
attends Riverside Primary in Glasgow. Glasgow Speech and Language Therapy ("the service") has a
manager and two practitioners, Tam (`agency_practitioner`) and Morag (`second_practitioner`);
Glasgow CAMHS has a manager (`other_manager`) and a practitioner (`other_agency`). The school has
sent the service three requests about Ailsa, each with her parent's consent: one not yet answered
(`sent`), one accepted and allocated to Tam (`allocated`), one Tam is working on (`in_progress`);
and one to CAMHS, not yet answered (`camhs_request`).

The rule: a request is reached only through the service it is addressed to. Its manager reads
every request sent to it and answers, lists and allocates them; its practitioners read those it
has taken on while consent covers them, and only the one allocated starts and completes the work.
Anyone else gets 404 (another service, a school, the family) and nothing changes. A role that reads
the request but may not take an action gets 403; a step the request does not allow is refused on
the page, in an error summary, and nothing changes.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.conftest import staff_member
from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    RecordPart,
    RequestEvent,
    RequestEventKind,
    RequestForAssistance,
    RequestStatus,
    Urgency,
)
from stagewise.coordination.queue_selectors import (
    NEW_REQUESTS_ORDER,
    WAITING_LIST_ORDER,
    service_queue_get,
)
from stagewise.coordination.selectors import (
    SHARED_WITHOUT_CONSENT_ORDER,
    shared_without_consent_list,
)
from stagewise.coordination.services import (
    consent_record,
    request_accept,
    request_allocate,
    request_complete,
    request_draft,
    request_send,
    request_start,
    request_waiting_list,
)
from stagewise.keyset import keyset_page
from stagewise.learners.models import Learner, StaffRelationshipKind
from stagewise.organisations.models import Agency, Membership, Role
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.testing.factories import (
    AgencyFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
    link_staff,
    scotland,
)
from stagewise.testing.keyset_pages import page_plan, sorts, walk_pages
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

MANAGER = "service_manager"
ALLOCATED = "agency_practitioner"
COLLEAGUE = "second_practitioner"
# Everyone who is not the service: schools, the authority, the family, another service, the
# nation's analysts, the administrator.
OUTSIDE_THE_SERVICE = [
    "support_lead",
    "teacher",
    "authority_officer",
    "outsider_teacher",
    "other_manager",
    "other_agency",
    "parent",
    "young_person",
    "analyst",
    "administrator",
]
ALL_ACTORS = [MANAGER, ALLOCATED, COLLEAGUE, *OUTSIDE_THE_SERVICE]


# The world, built once per module ----------------------------------------------------------------


@dataclass
class ServiceWorld:
    users: dict[str, User]
    service: Agency
    other_service: Agency
    school_learner: Learner
    requests: dict[str, RequestForAssistance]

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client

    def user(self, actor: str) -> User:
        return self.users[actor]


def sent_request(
    learner: Learner, service: Agency, *, urgency: str = Urgency.ROUTINE
) -> RequestForAssistance:
    """A request from the learner's school with a parent's consent, sent."""
    request = request_draft(
        actor=SYSTEM,
        learner=learner,
        service=service,
        reason="Hard to follow spoken instructions in class.",
        tried="Visual prompts and instructions given one step at a time.",
        tried_for="Two terms",
        learner_views="Would like to understand the teacher first time.",
        family_views="Would like ideas to use at home.",
        urgency=urgency,
    )
    consent_record(
        actor=SYSTEM,
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="Claire Campbell",
        given_on=date(2025, 9, 1),
        method=ConsentMethod.IN_WRITING,
        parts=[RecordPart.NEEDS, RecordPart.PLANS],
    )
    return request_send(actor=SYSTEM, request=request)


def _build() -> ServiceWorld:
    glasgow = authority("Glasgow City")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    other_school = SettingFactory.create(authority=glasgow, name="Hillhead Primary School")
    service = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    other_service = AgencyFactory.create(authority=glasgow, name="Glasgow CAMHS")
    learner = enrolled_learner(
        school, year_group="P6", legal_first_name="Ailsa", legal_last_name="Campbell"
    )
    users = {
        "support_lead": staff_member(
            "support-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "outsider_teacher": staff_member(
            "outsider@example.org", Role.CLASS_TEACHER, setting=other_school
        ),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        MANAGER: staff_member("manager@example.org", Role.SERVICE_MANAGER, agency=service),
        ALLOCATED: staff_member("tam@example.org", Role.AGENCY_PRACTITIONER, agency=service),
        COLLEAGUE: staff_member("morag@example.org", Role.AGENCY_PRACTITIONER, agency=service),
        "other_manager": staff_member(
            "camhs-manager@example.org", Role.SERVICE_MANAGER, agency=other_service
        ),
        "other_agency": staff_member(
            "camhs@example.org", Role.AGENCY_PRACTITIONER, agency=other_service
        ),
        "analyst": staff_member("analyst@example.org", Role.NATIONAL_ANALYST, nation=scotland()),
        "administrator": staff_member("admin@example.org", Role.SYSTEM_ADMINISTRATOR),
        "parent": UserFactory.create(email="parent@example.org", full_name="Claire Campbell"),
        "young_person": UserFactory.create(email="ailsa@example.org", full_name="Ailsa Campbell"),
    }
    link_staff(learner, users["teacher"], kind=StaffRelationshipKind.CLASS_TEACHER)
    link_carer(learner, user=users["parent"])
    learner.young_person_account = users["young_person"]
    learner.save(update_fields=["young_person_account"])

    manager = acting(users[MANAGER])
    tam = acting(users[ALLOCATED])
    allocated = request_accept(
        actor=manager, request=sent_request(learner, service), practitioner=users[ALLOCATED]
    )
    in_progress = request_accept(
        actor=manager, request=sent_request(learner, service), practitioner=users[ALLOCATED]
    )
    request_start(actor=tam, request=in_progress)
    return ServiceWorld(
        users=users,
        service=service,
        other_service=other_service,
        school_learner=learner,
        requests={
            "sent": sent_request(learner, service, urgency=Urgency.SOON),
            "allocated": allocated,
            "in_progress": RequestForAssistance.objects.get(pk=in_progress.pk),
            "camhs_request": sent_request(learner, other_service),
        },
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ServiceWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def sw(module_world: ServiceWorld, db: None) -> ServiceWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def state(request: RequestForAssistance) -> tuple[object, ...]:
    """Everything an action on the request could change."""
    row = RequestForAssistance.objects.get(pk=request.pk)
    return (
        row.status,
        row.allocated_to_id,
        row.answered_on,
        row.waiting_since,
        row.decline_reason,
        row.completed_on,
        RequestEvent.objects.filter(request=row).count(),
    )


def page_url(request: RequestForAssistance, name: str = "services:request") -> str:
    return reverse(name, kwargs={"request_id": request.public_id})


REFUSED = "The link to that page of the list was not valid"


def text(response: Any) -> str:
    return response.content.decode()


# Who reaches which page ---------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_only_a_service_manager_opens_the_queue_and_it_names_only_their_own_services_requests(
    sw: ServiceWorld, actor: str
) -> None:
    response = sw.client(actor).get(reverse("services:queue"))

    if actor not in (MANAGER, "other_manager"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    names_ailsa = str(sw.requests["sent"].public_id) in text(response)
    assert names_ailsa == (actor == MANAGER)
    assert (str(sw.requests["camhs_request"].public_id) in text(response)) == (
        actor == "other_manager"
    )


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_only_a_practitioner_opens_their_requests_and_it_lists_only_those_allocated_to_them(
    sw: ServiceWorld, actor: str
) -> None:
    response = sw.client(actor).get(reverse("services:my_requests"))

    if actor not in (ALLOCATED, COLLEAGUE, "other_agency"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    lists_tams_work = str(sw.requests["allocated"].public_id) in text(response)
    assert lists_tams_work == (actor == ALLOCATED)


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("which", ["sent", "allocated", "in_progress", "camhs_request"])
def test_a_request_opens_only_through_the_service_it_is_addressed_to(
    sw: ServiceWorld, actor: str, which: str
) -> None:
    """Its manager reads every request sent to it; its practitioners those it has taken on;
    everyone else, another service included, gets 404."""
    response = sw.client(actor).get(page_url(sw.requests[which]))

    if which == "camhs_request":
        allowed = actor == "other_manager"
    elif which == "sent":
        allowed = actor == MANAGER
    else:
        allowed = actor in (MANAGER, ALLOCATED, COLLEAGUE)
    assert response.status_code == (200 if allowed else 404)
    if not allowed:
        assert "Campbell" not in text(response)


def test_a_request_unknown_to_everyone_is_not_found(sw: ServiceWorld) -> None:
    response = sw.client(MANAGER).get(
        reverse("services:request", kwargs={"request_id": "00000000-0000-0000-0000-000000000000"})
    )

    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(sw: ServiceWorld) -> None:
    for address in (
        reverse("services:queue"),
        reverse("services:my_requests"),
        page_url(sw.requests["sent"]),
        page_url(sw.requests["sent"], "services:accept"),
    ):
        response = Client().get(address)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# Who may take each action -------------------------------------------------------------------------

# action -> (the request it is tried on, a valid form, the status it leaves).
ACTIONS = {
    "services:accept": ("sent", {"accept-note": "We can help."}, RequestStatus.ACCEPTED),
    "services:waiting_list": ("sent", {"waiting-note": ""}, RequestStatus.WAITING_LIST),
    "services:decline": (
        "sent",
        {"decline-decline_reason": "Not what the service does.", "decline-suggestion": ""},
        RequestStatus.DECLINED,
    ),
    "services:allocate": ("allocated", {}, RequestStatus.ACCEPTED),  # form filled in the test
    "services:start": ("allocated", {"start-note": ""}, RequestStatus.IN_PROGRESS),
    "services:complete": (
        "in_progress",
        {"complete-note": "Advice written for the school."},
        RequestStatus.COMPLETED,
    ),
}
MANAGER_ACTIONS = {
    "services:accept",
    "services:waiting_list",
    "services:decline",
    "services:allocate",
}


def expected_outcome(action: str, actor: str) -> int:
    """404 for anyone who does not read the request; 403 for one who reads it but whose role may
    not take the action; 200 (refused on the page) for the practitioner it is not allocated to;
    302 (done, back to the page) for the one who may."""
    which = ACTIONS[action][0]
    reads = actor == MANAGER or (which != "sent" and actor in (ALLOCATED, COLLEAGUE))
    if not reads:
        return 404
    if action in MANAGER_ACTIONS:
        return 302 if actor == MANAGER else 403
    if actor == MANAGER:
        return 403
    return 302 if actor == ALLOCATED else 200


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_is_taken_only_by_the_service_role_that_may_and_otherwise_changes_nothing(
    sw: ServiceWorld, actor: str, action: str
) -> None:
    which, form, leaves = ACTIONS[action]
    request = sw.requests[which]
    if action == "services:allocate":
        form = {"allocate-practitioner": str(sw.user(COLLEAGUE).pk)}
    before = state(request)

    response = sw.client(actor).post(page_url(request, action), form)

    expected = expected_outcome(action, actor)
    assert response.status_code == expected, text(response)[:2000]
    if expected == 302:
        assert RequestForAssistance.objects.get(pk=request.pk).status == leaves
        return
    assert state(request) == before
    if expected == 200:
        assert "govuk-error-summary" in text(response)
        assert "This request is allocated to someone else." in text(response)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_action_asked_for_by_get_does_nothing(sw: ServiceWorld, action: str) -> None:
    request = sw.requests[ACTIONS[action][0]]
    before = state(request)

    response = sw.client(MANAGER if action in MANAGER_ACTIONS else ALLOCATED).get(
        page_url(request, action)
    )

    assert response.status_code == 405
    assert state(request) == before


def test_a_service_cannot_accept_a_request_addressed_to_another_service(
    sw: ServiceWorld,
) -> None:
    ours = sw.requests["sent"]
    before = state(ours)

    response = sw.client("other_manager").post(page_url(ours, "services:accept"), {})

    assert response.status_code == 404
    assert state(ours) == before
    with pytest.raises(CapabilityRequired):
        request_accept(actor=acting(sw.user("other_manager")), request=ours)
    assert state(ours) == before


# What the pages do --------------------------------------------------------------------------------


def test_the_request_page_shows_the_request_its_consent_its_history_and_the_managers_actions(
    sw: ServiceWorld,
) -> None:
    response = sw.client(MANAGER).get(page_url(sw.requests["sent"]))

    page = text(response)
    for words in (
        "Ailsa Campbell",
        "Riverside Primary School",
        "Hard to follow spoken instructions in class.",
        "Visual prompts and instructions given one step at a time.",
        "Two terms",
        "Would like to understand the teacher first time.",
        "Would like ideas to use at home.",
        "Claire Campbell",
        "In writing",
        "Needs and stage of support",
        "Plans, their targets and support",
    ):
        assert words in page, words
    assert "Wellbeing assessments" not in page
    assert list(response.context["forms"]) == ["accept", "decline", "waiting_list"]
    history = [event.kind for event in response.context["page"].events]
    assert history == [
        RequestEventKind.DRAFTED,
        RequestEventKind.CONSENT_RECORDED,
        RequestEventKind.SENT,
    ]


def test_the_allocated_practitioner_is_offered_the_next_step_and_nobody_else_is(
    sw: ServiceWorld,
) -> None:
    allocated = page_url(sw.requests["allocated"])
    in_progress = page_url(sw.requests["in_progress"])

    assert list(sw.client(ALLOCATED).get(allocated).context["forms"]) == ["start"]
    # Work in progress: advice to add, and the work to complete.
    assert list(sw.client(ALLOCATED).get(in_progress).context["forms"]) == [
        "complete",
        "contribute",
    ]
    assert list(sw.client(COLLEAGUE).get(allocated).context["forms"]) == []
    assert list(sw.client(MANAGER).get(allocated).context["forms"]) == ["allocate"]
    assert list(sw.client(MANAGER).get(in_progress).context["forms"]) == []


def test_declining_without_a_reason_says_what_to_fix_and_changes_nothing(
    sw: ServiceWorld,
) -> None:
    request = sw.requests["sent"]
    before = state(request)

    response = sw.client(MANAGER).post(
        page_url(request, "services:decline"), {"decline-decline_reason": "  "}
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "Say why the request is declined, so the school can act on it." in text(response)
    assert 'href="#id_decline-decline_reason"' in text(response)
    assert state(request) == before


def test_declining_records_the_reason_and_where_to_go_instead(sw: ServiceWorld) -> None:
    request = sw.requests["sent"]

    response = sw.client(MANAGER).post(
        page_url(request, "services:decline"),
        {
            "decline-decline_reason": "The difficulty is with mood, not language.",
            "decline-suggested_service": str(sw.other_service.pk),
            "decline-suggestion": "Or the school nurse.",
        },
        follow=True,
    )

    declined = RequestForAssistance.objects.get(pk=request.pk)
    assert declined.status == RequestStatus.DECLINED
    assert declined.decline_reason == "The difficulty is with mood, not language."
    assert declined.suggested_service == sw.other_service
    assert declined.suggestion == "Or the school nurse."
    assert "govuk-notification-banner--success" in text(response)
    assert "Glasgow CAMHS" in text(response)


def test_suggesting_a_service_not_offered_is_refused_on_the_form(sw: ServiceWorld) -> None:
    request = sw.requests["sent"]
    before = state(request)
    elsewhere = AgencyFactory.create(authority=authority("Fife"), name="Fife Speech Therapy")

    response = sw.client(MANAGER).post(
        page_url(request, "services:decline"),
        {"decline-decline_reason": "Not ours.", "decline-suggested_service": str(elsewhere.pk)},
    )

    assert response.status_code == 200
    assert "Choose a service from the list." in text(response)
    assert state(request) == before


def test_accepting_with_a_practitioner_allocates_at_once(sw: ServiceWorld) -> None:
    request = sw.requests["sent"]
    client = sw.client(MANAGER)

    response = client.post(
        page_url(request, "services:accept"),
        {
            "accept-note": "Morag will contact the school.",
            "accept-practitioner": sw.user(COLLEAGUE).pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(request)
    accepted = RequestForAssistance.objects.get(pk=request.pk)
    assert (accepted.status, accepted.allocated_to) == (RequestStatus.ACCEPTED, sw.user(COLLEAGUE))
    assert list(accepted.events.values_list("kind", flat=True))[-2:] == [
        RequestEventKind.ACCEPTED,
        RequestEventKind.ALLOCATED,
    ]
    page = client.get(response["Location"])
    assert "The request is accepted." in text(page)
    assert "Morag" in text(page)


def test_allocating_someone_who_does_not_work_for_the_service_is_refused(
    sw: ServiceWorld,
) -> None:
    request = sw.requests["allocated"]
    before = state(request)

    response = sw.client(MANAGER).post(
        page_url(request, "services:allocate"),
        {"allocate-practitioner": str(sw.user("other_agency").pk)},
    )

    assert response.status_code == 200
    assert "Choose a practitioner from the list." in text(response)
    assert state(request) == before


def test_a_step_the_status_does_not_allow_is_refused_on_the_page_not_with_an_error(
    sw: ServiceWorld,
) -> None:
    request = sw.requests["in_progress"]
    before = state(request)

    response = sw.client(MANAGER).post(page_url(request, "services:waiting_list"), {})

    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "cannot be answered that way now" in text(response)
    assert state(request) == before


def test_completing_needs_a_note_and_then_leads_back_to_the_practitioners_list(
    sw: ServiceWorld,
) -> None:
    request = sw.requests["in_progress"]
    before = state(request)

    refused = sw.client(ALLOCATED).post(page_url(request, "services:complete"), {})
    done = sw.client(ALLOCATED).post(
        page_url(request, "services:complete"), {"complete-note": "Advice sent."}, follow=True
    )

    assert refused.status_code == 200
    assert "Say what was done and what happens next." in text(refused)
    assert RequestForAssistance.objects.get(pk=request.pk).status == RequestStatus.COMPLETED
    assert state(request) != before
    assert done.redirect_chain[-1][0] == reverse("services:my_requests")
    completed = done.context["own"].recently_completed
    assert [row.pk for row in completed] == [request.pk]
    # Listed as the practitioner's own work, with no way back into the closed involvement.
    assert page_url(request) not in text(done)


# The queue ----------------------------------------------------------------------------------------


def waiting(
    sw: ServiceWorld, name: str, since_days: int, urgency: str = Urgency.ROUTINE
) -> RequestForAssistance:
    learner = enrolled_learner(
        sw.school_learner.enrolments.get().setting, legal_first_name=name, legal_last_name="Test"
    )
    listed = request_waiting_list(
        actor=acting(sw.user(MANAGER)), request=sent_request(learner, sw.service, urgency=urgency)
    )
    RequestForAssistance.objects.filter(pk=listed.pk).update(
        waiting_since=TODAY - timedelta(days=since_days)
    )
    return listed


def test_the_waiting_list_runs_longest_waiting_first_then_most_urgent_with_each_wait(
    sw: ServiceWorld,
) -> None:
    waiting(sw, "Rory", 3)
    waiting(sw, "Skye", 17, Urgency.ROUTINE)
    waiting(sw, "Iona", 17, Urgency.URGENT)
    waiting(sw, "Euan", 17, Urgency.SOON)
    waiting(sw, "Lewis", 70)

    queue = service_queue_get(actor=acting(sw.user(MANAGER)), today=TODAY)
    response = sw.client(MANAGER).get(reverse("services:queue"))

    order = [row.request.learner.legal_first_name for row in queue.waiting_list]
    assert order == ["Lewis", "Iona", "Euan", "Skye", "Rory"]
    assert [(row.weeks, row.days) for row in queue.waiting_list] == [
        (10, 0),
        (2, 3),
        (2, 3),
        (2, 3),
        (0, 3),
    ]
    assert "10 weeks" in text(response)
    assert "2 weeks, 3 days" in text(response)


def test_new_requests_run_oldest_first_with_days_left_or_overdue(sw: ServiceWorld) -> None:
    newer = sw.requests["sent"]
    older = sent_request(sw.school_learner, sw.service)
    RequestForAssistance.objects.filter(pk=older.pk).update(
        sent_on=TODAY - timedelta(days=50), due_on=TODAY - timedelta(days=8)
    )
    RequestForAssistance.objects.filter(pk=newer.pk).update(
        sent_on=TODAY - timedelta(days=2), due_on=TODAY + timedelta(days=40)
    )

    queue = service_queue_get(actor=acting(sw.user(MANAGER)), today=TODAY)
    response = sw.client(MANAGER).get(reverse("services:queue"))

    assert [row.request.pk for row in queue.new_requests] == [older.pk, newer.pk]
    assert [row.days_left for row in queue.new_requests] == [-8, 40]
    assert "Overdue by 8 days" in text(response)
    assert "40 days left" in text(response)


def test_caseloads_count_each_practitioners_accepted_and_in_progress_requests(
    sw: ServiceWorld,
) -> None:
    manager = acting(sw.user(MANAGER))
    for _ in range(2):
        request_accept(
            actor=manager,
            request=sent_request(sw.school_learner, sw.service),
            practitioner=sw.user(COLLEAGUE),
        )
    unallocated = request_accept(actor=manager, request=sent_request(sw.school_learner, sw.service))
    leaver = staff_member("leaver@example.org", Role.AGENCY_PRACTITIONER, agency=sw.service)
    request_accept(
        actor=manager, request=sent_request(sw.school_learner, sw.service), practitioner=leaver
    )
    Membership.objects.filter(user=leaver).update(ended_on=TODAY - timedelta(days=1))

    queue = service_queue_get(actor=manager, today=TODAY)

    counts = {
        caseload.name: (caseload.accepted, caseload.in_progress, caseload.works_here)
        for caseload in queue.caseloads
    }
    assert counts == {
        "Tam": (1, 1, True),
        "Morag": (2, 0, True),
        "Leaver": (1, 0, False),
    }
    assert [request.pk for request in queue.unallocated] == [unallocated.pk]


def test_the_queue_page_costs_the_same_queries_however_long_the_queue(sw: ServiceWorld) -> None:
    client = sw.client(MANAGER)
    manager = acting(sw.user(MANAGER))

    def add_rows(count: int) -> None:
        for index in range(count):
            learner = enrolled_learner(sw.school_learner.enrolments.get().setting)
            sent_request(learner, sw.service)
            waiting(sw, f"Wait{index}", index)
            request_accept(actor=manager, request=sent_request(learner, sw.service))
            request_accept(
                actor=manager,
                request=sent_request(learner, sw.service),
                practitioner=sw.user(COLLEAGUE),
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("services:queue")).status_code == 200
        return len(captured)

    add_rows(2)
    few = queries()
    add_rows(6)
    many = queries()

    assert many == few


def rows_of(response: Any, table_id: str) -> list[str]:
    """The public ids of the requests a table of the queue lists, in order."""
    table = text(response).split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/services/requests/([0-9a-f-]+)/"', table)


def places_of(response: Any) -> list[int]:
    """The place numbers the waiting list's rows show, in order."""
    table = text(response).split('id="waiting-list"', 1)[1].split("</table>", 1)[0]
    return [int(place) for place in re.findall(r'--numeric">(\d+)</td>', table)]


def queue_page(sw: ServiceWorld, query: str = "") -> Any:
    response = sw.client(MANAGER).get(f"{reverse('services:queue')}{query}")
    assert response.status_code == 200
    return response


def section_link(response: Any, heading: str, rel: str) -> str:
    """The query of one section's next or previous link (each lands on its section's heading)."""
    found = re.search(rf'href="\?([^"#]*)#{heading}" rel="{rel}"', text(response))
    assert found, f"no {rel} link for {heading}"
    return found.group(1).replace("&amp;", "&")


def test_the_waiting_list_shows_25_at_a_time_and_each_row_keeps_its_place_in_the_whole_list(
    sw: ServiceWorld,
) -> None:
    # The first listed has waited longest, so the list's order is the order they were made in.
    listed = [str(waiting(sw, f"Wait{index}", 100 - index).public_id) for index in range(30)]

    first = queue_page(sw)
    second = queue_page(sw, "?" + section_link(first, "waiting-list-heading", "next"))
    back = queue_page(sw, "?" + section_link(second, "waiting-list-heading", "prev"))

    assert "Waiting list (30)" in text(first)
    assert rows_of(first, "waiting-list") == listed[:25]
    assert places_of(first) == list(range(1, 26))
    assert rows_of(second, "waiting-list") == listed[25:]
    assert places_of(second) == list(range(26, 31))
    assert "Waiting list (30)" in text(second)
    assert 'rel="next"' not in text(second).split('id="waiting-list"', 1)[1]
    assert rows_of(back, "waiting-list") == listed[:25]
    assert places_of(back) == list(range(1, 26))


def test_each_long_section_pages_on_its_own_and_its_links_keep_the_others_cursor(
    sw: ServiceWorld,
) -> None:
    for _ in range(25):
        sent_request(sw.school_learner, sw.service)
    for index in range(26):
        waiting(sw, f"Wait{index}", 100 - index)
    first = queue_page(sw)
    new_second = section_link(first, "new-requests-heading", "next")
    both_second = section_link(queue_page(sw, "?" + new_second), "waiting-list-heading", "next")

    response = queue_page(sw, "?" + both_second)

    assert "New requests to decide on (26)" in text(response)
    assert "Waiting list (26)" in text(response)
    assert len(rows_of(response, "new-requests")) == 1
    assert len(rows_of(response, "waiting-list")) == 1
    assert places_of(response) == [26]
    # Each section's links turn its own pages and keep the other section's cursor.
    new_back = parse_qs(section_link(response, "new-requests-heading", "prev"))
    waiting_back = parse_qs(section_link(response, "waiting-list-heading", "prev"))
    assert new_back["waiting"] == parse_qs(both_second)["waiting"]
    assert waiting_back["new"] == parse_qs(new_second)["new"]
    assert 'aria-label="Pages of new requests"' in text(response)
    assert 'aria-label="Pages of the waiting list"' in text(response)


# A cursor as the address might carry it (altered, a page number from an old bookmark, not a
# cursor at all): the section starts at its first page and says so, never an error.
CURSORS_THAT_ARE_NOT_CURSORS = [
    "?waiting=abc",
    "?waiting=2",
    "?waiting=",
    "?waiting=99999999999999999999999",
    "?new=%00&waiting=%F0",
]


def test_a_cursor_that_is_not_one_shows_the_first_page_not_an_error(sw: ServiceWorld) -> None:
    for index in range(26):
        waiting(sw, f"Wait{index}", 100 - index)

    pages = {query: queue_page(sw, query) for query in CURSORS_THAT_ARE_NOT_CURSORS}

    assert {query: places_of(page)[0] for query, page in pages.items()} == dict.fromkeys(
        CURSORS_THAT_ARE_NOT_CURSORS, 1
    )
    assert REFUSED in text(pages["?waiting=abc"])
    assert REFUSED not in text(pages["?waiting="])


def test_a_deep_page_of_the_queue_costs_the_queries_of_its_first(sw: ServiceWorld) -> None:
    for _ in range(30):
        sent_request(sw.school_learner, sw.service)
    for index in range(60):
        waiting(sw, f"Wait{index}", 100 - index)
    client = sw.client(MANAGER)

    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{reverse('services:queue')}?{query}").status_code == 200
        return len(captured)

    second = section_link(queue_page(sw), "waiting-list-heading", "next")
    third = section_link(queue_page(sw, "?" + second), "waiting-list-heading", "next")
    deep = section_link(queue_page(sw, "?" + third), "new-requests-heading", "next")

    assert queries(deep) == queries(third) == queries("")


def test_the_headings_count_to_a_cap(sw: ServiceWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(4):
        waiting(sw, f"Wait{index}", 10 - index)
    monkeypatch.setattr("stagewise.coordination.queue_selectors.QUEUE_COUNT_CAP", 3)

    assert "Waiting list (more than 3)" in text(queue_page(sw))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
@pytest.mark.parametrize(
    ("status", "order", "index"),
    [
        (RequestStatus.SENT, NEW_REQUESTS_ORDER, "request_queue_new"),
        (RequestStatus.WAITING_LIST, WAITING_LIST_ORDER, "request_queue_waiting"),
    ],
    ids=["new requests", "waiting list"],
)
def test_a_page_of_a_queue_section_reads_its_index_in_order(
    sw: ServiceWorld, status: str, order: Any, index: str
) -> None:
    for position in range(4):
        waiting(sw, f"Wait{position}", 10 - position)
        sent_request(sw.school_learner, sw.service)
    section = RequestForAssistance.objects.filter(service=sw.service, status=status)
    first = keyset_page(section, order=order, cursor=None, per_page=2, salt="plan")

    for cursor in (None, first.next_cursor):
        plan = page_plan(section, order=order, cursor=cursor, salt="plan")
        assert index in plan, plan
        assert not sorts(plan), plan


def with_lawful_basis(sw: ServiceWorld, days_ago: int) -> RequestForAssistance:
    request = sent_request(sw.school_learner, sw.service)
    RequestForAssistance.objects.filter(pk=request.pk).update(
        lawful_basis="Risk of significant harm.",
        lawful_basis_recorded_at=timezone.now() - timedelta(days=days_ago),
    )
    return request


def test_shared_without_consent_pages_newest_first_by_cursor_at_the_cost_of_its_first(
    sw: ServiceWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "stagewise.coordination.requester_views.SHARED_WITHOUT_CONSENT_PAGE_SIZE", 2
    )
    # Recorded on the same days in pairs, so that pages end inside a day.
    made = [with_lawful_basis(sw, days_ago) for days_ago in (3, 3, 8, 1, 1, 20, 8)]
    officer = sw.client("authority_officer")
    officer.get(reverse("shared_without_consent"))  # warm caches (sessions, rules)

    pages = walk_pages(officer, reverse("shared_without_consent"))

    shown = [row.pk for page in pages for row in page.response.context["page"].object_list]
    newest_first = sorted(
        RequestForAssistance.objects.filter(pk__in=[request.pk for request in made]),
        key=lambda request: (request.lawful_basis_recorded_at, request.pk),
        reverse=True,
    )
    assert shown == [request.pk for request in newest_first]
    assert len(pages) == 4
    assert {page.queries for page in pages} == {pages[0].queries}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
def test_a_page_shared_without_consent_reads_the_authoritys_index_in_order(
    sw: ServiceWorld,
) -> None:
    for days_ago in range(4):
        with_lawful_basis(sw, days_ago)
    officer = acting(sw.user("authority_officer"))
    shared = shared_without_consent_list(officer)
    first = keyset_page(
        shared, order=SHARED_WITHOUT_CONSENT_ORDER, cursor=None, per_page=2, salt="plan"
    )

    for cursor in (None, first.next_cursor):
        plan = page_plan(shared, order=SHARED_WITHOUT_CONSENT_ORDER, cursor=cursor, salt="plan")
        assert "request_shared_no_consent" in plan, plan
        assert not sorts(plan), plan


def test_the_practitioners_list_costs_the_same_queries_however_many_requests(
    sw: ServiceWorld,
) -> None:
    client = sw.client(ALLOCATED)
    manager, tam = acting(sw.user(MANAGER)), acting(sw.user(ALLOCATED))

    def add_rows(count: int) -> None:
        for _ in range(count):
            learner = enrolled_learner(sw.school_learner.enrolments.get().setting)
            request_accept(
                actor=manager,
                request=sent_request(learner, sw.service),
                practitioner=sw.user(ALLOCATED),
            )
            done = request_accept(
                actor=manager,
                request=sent_request(learner, sw.service),
                practitioner=sw.user(ALLOCATED),
            )
            request_start(actor=tam, request=done)
            request_complete(actor=tam, request=done, note="Done.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("services:my_requests")).status_code == 200
        return len(captured)

    add_rows(1)
    few = queries()
    add_rows(4)
    many = queries()

    assert many == few


def test_the_manager_allocates_from_the_waiting_list(sw: ServiceWorld) -> None:
    listed = waiting(sw, "Rory", 10)

    response = sw.client(MANAGER).post(
        page_url(listed, "services:allocate"), {"allocate-practitioner": sw.user(ALLOCATED).pk}
    )

    assert response.status_code == 302
    allocated = RequestForAssistance.objects.get(pk=listed.pk)
    assert (allocated.status, allocated.allocated_to) == (
        RequestStatus.ACCEPTED,
        sw.user(ALLOCATED),
    )
    queue = service_queue_get(actor=acting(sw.user(MANAGER)), today=TODAY)
    assert listed.pk not in [row.request.pk for row in queue.waiting_list]


def test_the_service_pages_read_in_welsh(sw: ServiceWorld) -> None:
    manager = sw.user(MANAGER)
    manager.preferred_language = "cy"
    manager.save(update_fields=["preferred_language"])
    client = sw.client(MANAGER)

    queue = client.get(reverse("services:queue"))
    page = client.get(page_url(sw.requests["sent"]))

    assert "Ceisiadau am gymorth" in text(queue)
    assert "Rhestr aros" in text(queue)
    assert "Derbyn y cais" in text(page)


def test_request_allocate_refuses_a_request_not_yet_answered(sw: ServiceWorld) -> None:
    """The page offers allocation only once the request is taken on; the service agrees."""
    with pytest.raises(ValidationError):
        request_allocate(
            actor=acting(sw.user(MANAGER)),
            request=sw.requests["sent"],
            practitioner=sw.user(ALLOCATED),
        )
