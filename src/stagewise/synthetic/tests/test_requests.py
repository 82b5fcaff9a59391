"""The synthetic population's requests for assistance: at the stated rates per service, every one
shared on a consent or a lawful basis, its dates and history as the request services would leave
them, the same for the same seed."""

import random
import statistics
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, F, Q

from stagewise.coordination.models import (
    SHARING_STATUSES,
    RequestEvent,
    RequestEventKind,
    RequestForAssistance,
    RequestStatus,
    SharingConsent,
)
from stagewise.learners.models import Enrolment, Learner
from stagewise.organisations.models import Agency, AgencyType, Membership, Role
from stagewise.statutory.models import StatutoryProcess
from stagewise.synthetic import requests as synthetic_requests
from stagewise.synthetic.clocks import AgencyHelp
from stagewise.synthetic.plan import agencies_rows, population_plan
from stagewise.synthetic.population import population_rows
from stagewise.synthetic.services import population_create
from stagewise.synthetic.writers import REQUESTS, TABLES

AS_OF = date(2026, 11, 20)
SCALE = 0.01
REQUEST_TABLES = ("requests", "consents", "request_events", "pathways", "users", "memberships")

# Calibration of the generated figures: CI runs it on PostgreSQL only (testing/database_passes.py).
pytestmark = [pytest.mark.django_db, pytest.mark.synthetic_calibration]


@pytest.fixture(scope="module")
def population(django_db_setup, django_db_blocker):
    # Both nations at 1%: about 12,000 learners and 1,200 requests, a few seconds on SQLite.
    with django_db_blocker.unblock(), transaction.atomic():
        yield population_create(nation="both", scale=SCALE, seed=7, as_of=AS_OF)
        transaction.set_rollback(True)


def requests_of(agency_type: str):
    return RequestForAssistance.objects.filter(service__agency_type=agency_type, clock=None)


def test_every_authority_has_one_service_of_each_type_with_a_pathway(population) -> None:
    per_authority = Agency.objects.values("authority").annotate(
        types=Count("agency_type", distinct=True), services=Count("pk")
    )
    assert {(row["types"], row["services"]) for row in per_authority} == {
        (len(AgencyType.values), len(AgencyType.values))
    }
    assert not Agency.objects.filter(pathway__isnull=True).exists()
    assert not RequestForAssistance.objects.filter(
        service__agency_type=AgencyType.THIRD_SECTOR
    ).exists()


def test_requests_come_out_at_the_stated_yearly_rates_per_service(population) -> None:
    pupils = Learner.objects.count()
    for profile in synthetic_requests.PROFILES:
        made = requests_of(profile.agency_type).count()
        if profile.youngest_only:
            youngest = Enrolment.objects.filter(ended_on=None, year_group__in=("P1", "N")).count()
            yearly_per_thousand = 1000 * made / youngest / synthetic_requests.WINDOW_YEARS
            assert yearly_per_thousand == pytest.approx(profile.per_thousand_pupils, rel=0.6)
            continue
        yearly_per_thousand = 1000 * made / pupils / synthetic_requests.WINDOW_YEARS
        assert yearly_per_thousand == pytest.approx(profile.per_thousand_pupils, rel=0.25), (
            profile.agency_type
        )
    # Educational psychology and speech and language therapy are asked most.
    counts = Counter(
        RequestForAssistance.objects.values_list("service__agency_type", flat=True)
    ).most_common(2)
    assert {kind for kind, _count in counts} == {
        AgencyType.EDUCATIONAL_PSYCHOLOGY,
        AgencyType.SPEECH_AND_LANGUAGE_THERAPY,
    }
    # Only learners with needs are the subject of a request.
    assert not RequestForAssistance.objects.filter(learner__needs__isnull=True).exists()


def test_camhs_declines_most_and_keeps_the_longest_waiting_list(population) -> None:
    def declined_share(agency_type: str) -> float:
        answered = requests_of(agency_type).exclude(answered_on=None)
        return answered.filter(status=RequestStatus.DECLINED).count() / answered.count()

    def median_wait(agency_type: str) -> float:
        return statistics.median(
            (AS_OF - since).days
            for since in requests_of(agency_type)
            .filter(status=RequestStatus.WAITING_LIST)
            .values_list("waiting_since", flat=True)
        )

    assert declined_share(AgencyType.CAMHS) > declined_share(AgencyType.EDUCATIONAL_PSYCHOLOGY)
    assert median_wait(AgencyType.CAMHS) > median_wait(AgencyType.EDUCATIONAL_PSYCHOLOGY)
    statuses = set(RequestForAssistance.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values) - {RequestStatus.DRAFT}


def test_every_request_is_shared_on_a_current_consent_or_a_lawful_basis(population) -> None:
    current = Count("consents", filter=Q(consents__withdrawn_at=None))
    requests = RequestForAssistance.objects.annotate(current=current)
    assert not requests.filter(lawful_basis="", current=0).exists()
    assert not requests.exclude(current__lte=1).exists()
    assert not requests.exclude(lawful_basis="").filter(current__gt=0).exists()
    taken_on = RequestForAssistance.objects.filter(status__in=SHARING_STATUSES)
    assert taken_on.sharing().count() == taken_on.count() > 0
    on_lawful_basis = RequestForAssistance.objects.exclude(lawful_basis="").count()
    assert 0 < on_lawful_basis / RequestForAssistance.objects.count() < 0.04
    # A parent's consent names the learner's own carer.
    parental = SharingConsent.objects.exclude(carer=None)
    assert (
        parental.count()
        == parental.filter(carer__learner_links__learner=F("request__learner")).count()
    )
    assert not SharingConsent.objects.filter(given_on__gt=AS_OF).exists()


def test_dates_follow_the_status_as_the_services_would_leave_them(population) -> None:
    requests = RequestForAssistance.objects.all()
    assert not requests.filter(sent_on=None).exists()
    assert not requests.filter(answered_on__lt=F("sent_on")).exists()
    assert not requests.filter(Q(sent_on__gt=AS_OF) | Q(answered_on__gt=AS_OF)).exists()
    assert not requests.filter(sent_on__lt=AS_OF - timedelta(days=549)).exists()
    # Awaiting an answer has none; every answer after it has one.
    assert not requests.filter(status=RequestStatus.SENT).exclude(answered_on=None).exists()
    answered = (
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.WAITING_LIST,
        RequestStatus.IN_PROGRESS,
        RequestStatus.COMPLETED,
    )
    assert not requests.filter(status__in=answered, answered_on=None).exists()
    # On the waiting list, now or before: exactly the requests with that step in their history.
    listed = RequestEvent.objects.filter(kind=RequestEventKind.WAITING_LIST).values("request")
    assert not requests.filter(waiting_since=None, pk__in=listed).exists()
    assert not requests.exclude(waiting_since=None).exclude(pk__in=listed).exists()
    assert not requests.filter(status=RequestStatus.WAITING_LIST, waiting_since=None).exists()
    assert not requests.exclude(waiting_since=None).exclude(waiting_since=F("answered_on")).exists()
    # The service's published response time, or the statutory clock's date.
    for request in requests.filter(clock=None).select_related("service__pathway"):
        weeks = request.service.pathway.response_weeks
        assert request.sent_on is not None
        assert request.due_on == request.sent_on + timedelta(weeks=weeks), request.pk
    # Every agency-help clock times its request (a few nationally: maybe none at 1%).
    help_clocks = StatutoryProcess.objects.filter(rule_key="scotland.agency_help")
    assert requests.exclude(clock=None).count() == help_clocks.count()
    # Completed work has its date; only closed work does.
    assert not requests.filter(status=RequestStatus.COMPLETED, completed_on=None).exists()
    assert not requests.exclude(status=RequestStatus.COMPLETED).exclude(completed_on=None).exists()
    assert not requests.filter(completed_on__lt=F("answered_on")).exists()


def test_work_is_allocated_to_the_services_own_practitioners(population) -> None:
    requests = RequestForAssistance.objects.all()
    worked = (RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED)
    assert not requests.filter(status__in=worked, allocated_to=None).exists()
    assert (
        not requests.exclude(status__in=(*worked, RequestStatus.ACCEPTED))
        .exclude(allocated_to=None)
        .exists()
    )
    assert requests.filter(status=RequestStatus.ACCEPTED, allocated_to=None).exists()
    practitioners = Membership.objects.filter(role=Role.AGENCY_PRACTITIONER)
    for agency_id, user_id in requests.exclude(allocated_to=None).values_list(
        "service", "allocated_to"
    ):
        assert practitioners.filter(agency_id=agency_id, user_id=user_id).exists()
    # The service's requests are addressed within the learner's authority.
    assert not requests.exclude(service__authority=F("authority")).exists()


def test_each_request_has_its_history(population) -> None:
    kinds: dict[int, list[str]] = {}
    for request_id, kind in RequestEvent.objects.order_by("happened_at", "pk").values_list(
        "request", "kind"
    ):
        kinds.setdefault(request_id, []).append(kind)
    first_answer: dict[str, str | None] = {
        RequestStatus.DECLINED: RequestEventKind.DECLINED,
        RequestStatus.WAITING_LIST: RequestEventKind.WAITING_LIST,
        RequestStatus.ACCEPTED: None,
    }
    for request_id, status, waiting in RequestForAssistance.objects.values_list(
        "pk", "status", "waiting_since"
    ):
        history = kinds[request_id]
        assert history[0] == RequestEventKind.DRAFTED
        assert history[2] == RequestEventKind.SENT
        assert history[1] in (
            RequestEventKind.CONSENT_RECORDED,
            RequestEventKind.LAWFUL_BASIS_RECORDED,
        )
        if status in (RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED):
            assert RequestEventKind.ALLOCATED in history
            assert history[-1] == (
                RequestEventKind.IN_PROGRESS
                if status == RequestStatus.IN_PROGRESS
                else RequestEventKind.COMPLETED
            )
        if first_answer.get(status):
            assert history[3] == first_answer[status]
        if status == RequestStatus.WITHDRAWN:
            assert history[-1] == RequestEventKind.WITHDRAWN
        if waiting is not None:
            assert history[3] == RequestEventKind.WAITING_LIST


def generated(seed: int) -> dict[str, list]:
    first_ids = {table.key: 1 for table in TABLES}
    plans = population_plan(nation_codes=["scotland", "wales"], scale=0.002)
    rows: dict[str, list] = {key: [] for key in REQUEST_TABLES}
    for batch, _count in population_rows(plans, seed=seed, as_of=AS_OF, first_ids=first_ids):
        for key in REQUEST_TABLES:
            rows[key] += batch.get(key, [])
    return rows


def test_the_same_seed_gives_the_same_requests_and_another_seed_others(db: None) -> None:
    once = generated(11)
    assert once["requests"] and once["consents"] and once["users"]
    assert once == generated(11)
    assert once["requests"] != generated(12)["requests"]


def test_a_plans_agency_help_clock_has_its_request_awaiting_the_answer(db: None) -> None:
    (plan,) = population_plan(nation_codes=["scotland"], scale=0.001)
    agencies_rows(plan, first_id=1)
    keys = synthetic_requests.StaffKeys(pathways=1, users=1, memberships=1)
    synthetic_requests.staff_rows(plan, seed=1, keys=keys, as_of=AS_OF)
    authority = plan.authorities[0]
    generator = synthetic_requests.AuthorityRequests(
        plan,
        authority,
        random.Random(1),
        synthetic_requests.RequestKeys(requests=1, consents=1, request_events=1),
        AS_OF,
    )
    service = authority.agency_ids[0]
    asked = AS_OF - timedelta(days=20)
    batch: dict[str, list] = {"requests": [], "consents": [], "request_events": []}
    generator.learner(
        batch,
        learner_id=5,
        setting_id=9,
        year_group="P4",
        has_needs=False,
        carers=[(3, "Fiona Kerr")],
        agency_help=AgencyHelp(
            plan_id=4, process_id=8, agency_id=service, asked_on=asked, due_on=AS_OF
        ),
    )
    (row,) = batch["requests"]
    fields = dict(zip(REQUESTS.fields, row, strict=True))
    assert fields["status"] == RequestStatus.SENT
    assert (fields["service_id"], fields["plan_id"], fields["clock_id"]) == (service, 4, 8)
    assert (fields["sent_on"], fields["due_on"]) == (asked.isoformat(), AS_OF.isoformat())
    assert fields["setting_id"] is None  # asked by the authority
    assert fields["answered_on"] is None
    assert [event[2] for event in batch["request_events"]][::2] == ["drafted", "sent"]
