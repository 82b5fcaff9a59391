"""Measures of requests for assistance: a service's, an authority's and the nation's.

The world (built once for this module; T is today, every date counted back from it): Glasgow
Speech and Language Therapy ("the service") has been sent eleven requests, each with known dates:

    request  sent    due     answered  status          waiting since  taken off  clock due
    r1       T-100   T-58    T-60      completed
    r2       T-84    T-42    T-40      accepted        T-40           T-19 (accepted)
    r3       T-80    T-38    T-70      declined, pointed to Glasgow CAMHS
    r4       T-50    T-8     T-45      waiting list    T-45
    r5       T-30    T+12    T-29      waiting list    T-29
    r6       T-60    T-18    -         sent (unanswered, overdue)
    r7       T-20    T+22    -         withdrawn
    r8       T-400   T-358   T-380     waiting list    T-380
    r9       T-75    T-5     T-10      in progress                               T-5
    r10      T-120   T-50    T-45      declined, no service suggested            T-50
    r11      T-200   T-158   T-190     in progress     T-190          T-100 (allocated)

Glasgow CAMHS has two: c1 sent T-10, due T+32, unanswered; c2 sent T-30, due T+12, accepted
T-25. Glasgow Educational Psychology has none. Fife's one service has three, sent and unanswered.
Each is a learner of its own, none named on any measures page.

Worked by hand, over the last 12 months:
- the service received 10 (all but r8): accepted 4 (r1, r2, r9, r11), on the waiting list 2
  (r4, r5), declined 2 (r3, r10), withdrawn 1 (r7), awaiting an answer 1 (r6);
- on the waiting list today 3 (r4, r5, r8) waiting 29, 45 and 380 days: median (nearest rank)
  45 days, 90th percentile 380 days; taken off the list 2 (r2 after 21 days, r11 after 90):
  median 21, 90th percentile 90;
- answered in the period 8 (r1-r5, r9-r11), within the due time 6 (not r2, r10): 75%; on the
  statutory clock 2 (r9 on time, r10 late): 50%; past due and unanswered today 1 (r6).
Over the last 3 months (from T-89 at the earliest), r1, r10 and r11 were sent before it: 7
received (accepted 2, waiting 2, declined 1, withdrawn 1, awaiting 1); answered 7 (not r11),
5 within the due time (71%); taken off the list 1 (r2, 21 days).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from stagewise.accounts.models import User
from stagewise.conftest import staff_member
from stagewise.coordination.measures import (
    PeriodChoice,
    authority_measures_get,
    measures_period,
    national_measures_get,
    nearest_rank,
    service_measures_get,
)
from stagewise.coordination.models import (
    RequestEvent,
    RequestEventKind,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.disclosure import Figure, Withheld, protected_row, protected_share, small_count
from stagewise.learners.models import Learner, StaffRelationshipKind
from stagewise.organisations.models import Agency, AgencyType, Role
from stagewise.policy import SYSTEM
from stagewise.statutory.services import process_start
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
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

T = timezone.localdate()
MANAGER = "service_manager"
ACTORS_WITHOUT_MEASURES = [
    "agency_practitioner",
    "teacher",
    "support_lead",
    "parent",
    "young_person",
    "administrator",
]


@dataclass
class MeasuresWorld:
    users: dict[str, User]
    service: Agency
    camhs: Agency
    requests: dict[str, RequestForAssistance]
    school: Any
    learner: Learner

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client

    def actor(self, name: str) -> Any:
        return acting(self.users[name])


def day(offset: int | None) -> date | None:
    return None if offset is None else T + timedelta(days=offset)


def at_noon(offset: int) -> datetime:
    return timezone.make_aware(datetime.combine(T + timedelta(days=offset), time(12)))


def make_request(
    service: Agency,
    school: Any,
    status: str,
    *,
    sent: int,
    due: int,
    answered: int | None = None,
    waiting_since: int | None = None,
    taken_off: tuple[str, int] | None = None,
    decline_reason: str = "",
    suggested: Agency | None = None,
    clock_due: int | None = None,
) -> RequestForAssistance:
    """A request as its history left it, with the dates given (days from today)."""
    learner = enrolled_learner(school)
    request = RequestForAssistance.objects.create(
        learner=learner,
        service=service,
        authority=service.authority,
        setting=school,
        reason="Hard to follow spoken instructions.",
        tried="Visual prompts.",
        tried_for="Two terms",
        learner_views="Wants help.",
        family_views="Agree.",
        status=status,
        sent_on=day(sent),
        due_on=day(due),
        answered_on=day(answered),
        waiting_since=day(waiting_since),
        decline_reason=decline_reason,
        suggested_service=suggested,
    )
    if clock_due is not None:
        clock = process_start(
            actor=SYSTEM,
            learner=learner,
            rule_key="scotland.agency_help",
            started_on=day(sent),  # type: ignore[arg-type]
            agency=service,
        )
        type(clock).objects.filter(pk=clock.pk).update(due_on=day(clock_due))
        request.clock = clock
        request.save(update_fields=["clock"])
    if taken_off is not None:
        kind, offset = taken_off
        event = RequestEvent.objects.create(request=request, kind=kind)
        RequestEvent.objects.filter(pk=event.pk).update(happened_at=at_noon(offset))
    return request


def _build() -> MeasuresWorld:
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    fife_school = SettingFactory.create(authority=fife, name="Kirkcaldy Primary School")
    service = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    camhs = AgencyFactory.create(
        authority=glasgow, name="Glasgow CAMHS", agency_type=AgencyType.CAMHS
    )
    AgencyFactory.create(authority=glasgow, name="Glasgow Educational Psychology")
    fife_service = AgencyFactory.create(authority=fife, name="Fife Speech and Language Therapy")
    learner = enrolled_learner(school, legal_first_name="Ailsa", legal_last_name="Campbell")
    users = {
        MANAGER: staff_member("manager@example.org", Role.SERVICE_MANAGER, agency=service),
        "camhs_manager": staff_member(
            "camhs-manager@example.org", Role.SERVICE_MANAGER, agency=camhs
        ),
        "agency_practitioner": staff_member(
            "tam@example.org", Role.AGENCY_PRACTITIONER, agency=service
        ),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "other_authority_officer": staff_member(
            "fife-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife
        ),
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
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

    S = RequestStatus
    ACCEPTED, ALLOCATED = RequestEventKind.ACCEPTED, RequestEventKind.ALLOCATED
    requests = {
        "r1": make_request(service, school, S.COMPLETED, sent=-100, due=-58, answered=-60),
        "r2": make_request(
            service,
            school,
            S.ACCEPTED,
            sent=-84,
            due=-42,
            answered=-40,
            waiting_since=-40,
            taken_off=(ACCEPTED, -19),
        ),
        "r3": make_request(
            service,
            school,
            S.DECLINED,
            sent=-80,
            due=-38,
            answered=-70,
            decline_reason="The needs described are about behaviour rather than speech.",
            suggested=camhs,
        ),
        "r4": make_request(
            service, school, S.WAITING_LIST, sent=-50, due=-8, answered=-45, waiting_since=-45
        ),
        "r5": make_request(
            service, school, S.WAITING_LIST, sent=-30, due=12, answered=-29, waiting_since=-29
        ),
        "r6": make_request(service, school, S.SENT, sent=-60, due=-18),
        "r7": make_request(service, school, S.WITHDRAWN, sent=-20, due=22),
        "r8": make_request(
            service,
            school,
            S.WAITING_LIST,
            sent=-400,
            due=-358,
            answered=-380,
            waiting_since=-380,
        ),
        "r9": make_request(
            service, school, S.IN_PROGRESS, sent=-75, due=-5, answered=-10, clock_due=-5
        ),
        "r10": make_request(
            service,
            school,
            S.DECLINED,
            sent=-120,
            due=-50,
            answered=-45,
            decline_reason="Not a need this service meets.",
            clock_due=-50,
        ),
        "r11": make_request(
            service,
            school,
            S.IN_PROGRESS,
            sent=-200,
            due=-158,
            answered=-190,
            waiting_since=-190,
            taken_off=(ALLOCATED, -100),
        ),
        "c1": make_request(camhs, school, S.SENT, sent=-10, due=32),
        "c2": make_request(camhs, school, S.ACCEPTED, sent=-30, due=12, answered=-25),
    }
    for _ in range(3):
        make_request(fife_service, fife_school, S.SENT, sent=-5, due=37)
    return MeasuresWorld(
        users=users,
        service=service,
        camhs=camhs,
        requests=requests,
        school=school,
        learner=learner,
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[MeasuresWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def mw(module_world: MeasuresWorld, db: None) -> MeasuresWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def last(months: int) -> Any:
    choice = PeriodChoice.LAST_12_MONTHS if months == 12 else PeriodChoice.LAST_3_MONTHS
    return measures_period(choice, today=T)


def values(*figures: Figure) -> list[int | None]:
    return [figure.value for figure in figures]


def waited(waits: Any) -> tuple[int | None, int | None]:
    """The median and 90th-percentile waits, in days."""
    return tuple(  # type: ignore[return-value]
        None if wait is None else wait.total_days for wait in (waits.median, waits.ninetieth)
    )


def text(response: Any) -> str:
    return response.content.decode()


# The period ---------------------------------------------------------------------------------------


def test_the_periods_end_today_and_start_where_their_names_say() -> None:
    today = date(2026, 3, 16)

    assert measures_period("academic_year", today=today).start == date(2025, 8, 1)
    assert measures_period("academic_year", today=date(2026, 8, 1)).start == date(2026, 8, 1)
    assert measures_period("last_12_months", today=today).start == date(2025, 3, 17)
    assert measures_period("last_3_months", today=today).start == date(2025, 12, 17)
    assert measures_period("last_3_months", today=date(2026, 5, 31)).start == date(2026, 3, 1)
    assert {measures_period(choice, today=today).end for choice in PeriodChoice} == {today}


def test_nearest_rank_gives_a_wait_somebody_had() -> None:
    assert nearest_rank([29, 45, 380], 50) == 45
    assert nearest_rank([29, 45, 380], 90) == 380
    assert nearest_rank([21, 90], 50) == 21
    assert nearest_rank([7], 90) == 7
    assert nearest_rank(list(range(1, 11)), 90) == 9
    assert nearest_rank([], 50) is None


# The service's figures, worked by hand ------------------------------------------------------------


def test_the_service_measures_over_the_last_12_months(mw: MeasuresWorld) -> None:
    page = service_measures_get(actor=mw.actor(MANAGER), period=last(12), today=T)
    m = page.measures

    assert page.service == mw.service
    assert values(
        m.received, m.accepted, m.waiting_list, m.declined, m.withdrawn, m.awaiting_answer
    ) == [10, 4, 2, 2, 1, 1]
    assert m.waiting_now.count.value == 3
    assert waited(m.waiting_now) == (45, 380)
    assert m.taken_off.count.value == 2
    assert waited(m.taken_off) == (21, 90)
    assert values(m.answered, m.within_due) == [8, 75]
    assert values(m.statutory_answered, m.statutory_within) == [2, 50]
    assert m.unanswered_overdue.value == 1


def test_the_service_measures_over_the_last_3_months(mw: MeasuresWorld) -> None:
    m = service_measures_get(actor=mw.actor(MANAGER), period=last(3), today=T).measures

    assert values(
        m.received, m.accepted, m.waiting_list, m.declined, m.withdrawn, m.awaiting_answer
    ) == [7, 2, 2, 1, 1, 1]
    assert values(m.answered, m.within_due) == [7, 71]
    assert m.taken_off.count.value == 1
    assert waited(m.taken_off) == (21, 21)
    # Today's waiting list and overdue requests do not depend on the period.
    assert (m.waiting_now.count.value, m.unanswered_overdue.value) == (3, 1)


def test_declines_are_grouped_by_where_they_were_pointed_and_the_latest_reasons_listed(
    mw: MeasuresWorld,
) -> None:
    page = service_measures_get(actor=mw.actor(MANAGER), period=last(12), today=T)

    assert [(g.suggested_service_name, g.count) for g in page.decline_groups] == [
        ("Glasgow CAMHS", 1),
        ("", 1),
    ]
    assert [(d.answered_on, d.reason) for d in page.recent_declines] == [
        (day(-45), "Not a need this service meets."),
        (day(-70), "The needs described are about behaviour rather than speech."),
    ]


def test_the_latest_reasons_are_the_ten_most_recent(mw: MeasuresWorld) -> None:
    for offset in range(12):
        make_request(
            mw.service,
            mw.school,
            RequestStatus.DECLINED,
            sent=-30,
            due=12,
            answered=-offset,
            decline_reason=f"Reason {offset}",
        )

    page = service_measures_get(actor=mw.actor(MANAGER), period=last(12), today=T)

    assert [d.reason for d in page.recent_declines] == [f"Reason {n}" for n in range(10)]


def test_the_service_page_shows_the_figures_and_reasons_but_never_a_learner(
    mw: MeasuresWorld,
) -> None:
    response = mw.client(MANAGER).get(reverse("measures:service"))

    assert response.status_code == 200
    body = text(response)
    assert "75%" in body
    assert "6 weeks, 3 days" in body  # the median wait so far, 45 days
    assert "The needs described are about behaviour rather than speech." in body
    for request in mw.requests.values():
        assert request.learner.legal_last_name not in body
        assert str(request.learner.public_id) not in body
        assert str(request.public_id) not in body


def test_the_period_is_chosen_on_the_page_and_a_wrong_one_is_explained(mw: MeasuresWorld) -> None:
    client = mw.client(MANAGER)

    chosen = client.get(reverse("measures:service"), {"period": "last_3_months"})
    wrong = client.get(reverse("measures:service"), {"period": "forever"})

    assert chosen.context["measures"].measures.received.value == 7
    assert wrong.status_code == 200
    assert wrong.context["measures"] is None
    assert "There is a problem" in text(wrong)
    assert "Choose a period" in text(wrong)


# The authority's figures --------------------------------------------------------------------------


def test_the_authority_has_a_row_per_service_and_its_total(mw: MeasuresWorld) -> None:
    page = authority_measures_get(actor=mw.actor("authority_officer"), period=last(12), today=T)

    rows = {row.label: row.measures for row in page.rows}
    assert list(rows) == [
        "Glasgow CAMHS",
        "Glasgow Educational Psychology",
        "Glasgow Speech and Language Therapy",
        "All the authority's services",
    ]
    assert page.rows[-1].is_total
    camhs, psychology, service, total = rows.values()
    assert values(camhs.received, camhs.accepted, camhs.awaiting_answer) == [2, 1, 1]
    assert values(psychology.received, psychology.answered) == [0, 0]
    assert psychology.within_due.value is None  # nothing answered: no share
    assert values(service.received, service.within_due) == [10, 75]
    assert values(
        total.received, total.accepted, total.waiting_list, total.declined, total.awaiting_answer
    ) == [12, 5, 2, 2, 2]
    assert values(total.answered, total.within_due) == [9, 78]  # 7 of 9
    assert waited(total.waiting_now) == (45, 380)
    assert [(g.service_name, g.suggested_service_name, g.count) for g in page.decline_groups] == [
        ("Glasgow Speech and Language Therapy", "Glasgow CAMHS", 1),
        ("Glasgow Speech and Language Therapy", "", 1),
    ]


def test_inside_the_authority_small_counts_are_shown(mw: MeasuresWorld) -> None:
    response = mw.client("authority_officer").get(reverse("measures:authority"))

    assert response.status_code == 200
    assert "fewer than 5" not in text(response)
    assert "Glasgow Educational Psychology" in text(response)
    # The free-text reasons are the service manager's to read.
    assert "rather than speech" not in text(response)


def test_another_authoritys_officer_sees_only_their_own_services(mw: MeasuresWorld) -> None:
    response = mw.client("other_authority_officer").get(reverse("measures:authority"))

    assert response.status_code == 200
    labels = [row.label for row in response.context["measures"].rows]
    assert labels == ["Fife Speech and Language Therapy", "All the authority's services"]
    assert response.context["measures"].rows[0].measures.received.value == 3
    assert "Glasgow" not in text(response)


def test_the_authority_page_costs_the_same_queries_with_1_or_10_services(
    mw: MeasuresWorld,
) -> None:
    fife = authority("Fife")
    officer = staff_member("fife-two@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife)
    client = Client()
    client.force_login(officer)
    school = SettingFactory.create(authority=fife)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("measures:authority")).status_code == 200
        return len(captured)

    one_service = queries()
    for index in range(9):
        service = AgencyFactory.create(authority=fife, name=f"Fife service {index}")
        make_request(service, school, RequestStatus.SENT, sent=-3, due=30)
        make_request(
            service,
            school,
            RequestStatus.ACCEPTED,
            sent=-60,
            due=-20,
            answered=-30,
            waiting_since=-50,
            taken_off=(RequestEventKind.ACCEPTED, -30),
        )
        make_request(
            service,
            school,
            RequestStatus.WAITING_LIST,
            sent=-40,
            due=-2,
            answered=-35,
            waiting_since=-35,
        )
    ten_services = queries()

    assert ten_services == one_service


def test_the_service_page_costs_the_same_queries_however_many_requests(mw: MeasuresWorld) -> None:
    client = mw.client(MANAGER)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("measures:service")).status_code == 200
        return len(captured)

    few = queries()
    for offset in range(10):
        make_request(
            mw.service,
            mw.school,
            RequestStatus.WAITING_LIST,
            sent=-40,
            due=-2,
            answered=-35,
            waiting_since=-offset,
        )
    assert queries() == few


# The nation's figures -----------------------------------------------------------------------------


def test_the_national_page_withholds_counts_under_5_and_what_would_give_them_back(
    mw: MeasuresWorld,
) -> None:
    page = national_measures_get(actor=mw.actor("analyst"), period=last(12), today=T)

    rows = {row.label: row.measures for row in page.rows}
    assert "Cardiff" not in rows  # the analyst's own nation only
    glasgow, fife = rows["Glasgow City"], rows["Fife"]
    # Glasgow: 12 received; accepted 5 shown, the four small outcomes withheld.
    assert glasgow.received.value == 12
    assert glasgow.accepted.value == 5
    assert [f.withheld for f in (glasgow.waiting_list, glasgow.declined, glasgow.withdrawn)] == [
        Withheld.SMALL
    ] * 3
    # 3 on the list today: the count and the waits are withheld.
    assert glasgow.waiting_now.withheld and glasgow.waiting_now.median is None
    # 9 answered, 7 on time: 2 late would be given back by the percentage.
    assert glasgow.answered.value == 9
    assert glasgow.within_due.withheld is Withheld.SMALL
    # Fife: 3 received, all awaiting an answer; zero is shown as zero.
    assert fife.received.withheld is Withheld.SMALL
    assert fife.awaiting_answer.withheld is Withheld.SMALL
    assert fife.accepted == Figure(0)
    assert rows["Aberdeen City"].received == Figure(0)


def test_the_national_page_says_fewer_than_5_and_names_no_service_or_learner(
    mw: MeasuresWorld,
) -> None:
    response = mw.client("analyst").get(reverse("measures:national"))

    assert response.status_code == 200
    body = text(response)
    assert "fewer than 5" in body
    assert "Glasgow City" in body
    assert "Speech and Language" not in body
    assert "Campbell" not in body


# Who may open which page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "page", "status"),
    [
        (MANAGER, "measures:service", 200),
        ("camhs_manager", "measures:service", 200),
        (MANAGER, "measures:authority", 403),
        (MANAGER, "measures:national", 403),
        ("authority_officer", "measures:authority", 200),
        ("authority_officer", "measures:service", 403),
        ("authority_officer", "measures:national", 403),
        ("analyst", "measures:national", 200),
        ("analyst", "measures:service", 403),
        ("analyst", "measures:authority", 403),
    ]
    + [
        (actor, page, 403)
        for actor in ACTORS_WITHOUT_MEASURES
        for page in ("measures:service", "measures:authority", "measures:national")
    ],
)
def test_each_page_opens_only_for_its_readers(
    mw: MeasuresWorld, actor: str, page: str, status: int
) -> None:
    response = mw.client(actor).get(reverse(page))

    assert response.status_code == status
    if status != 200:
        assert "Requests received from" not in text(response)


def test_a_service_manager_sees_only_their_own_services_figures(mw: MeasuresWorld) -> None:
    response = mw.client("camhs_manager").get(reverse("measures:service"))

    measures = response.context["measures"]
    assert measures.service == mw.camhs
    assert measures.measures.received.value == 2
    assert "rather than speech" not in text(response)


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    for page in ("measures:service", "measures:authority", "measures:national"):
        response = Client().get(reverse(page))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_pages_read_in_welsh(mw: MeasuresWorld) -> None:
    manager = mw.users[MANAGER]
    manager.preferred_language = "cy"
    manager.save(update_fields=["preferred_language"])
    analyst = mw.users["analyst"]
    analyst.preferred_language = "cy"
    analyst.save(update_fields=["preferred_language"])

    service_page = text(mw.client(MANAGER).get(reverse("measures:service")))
    national_page = text(mw.client("analyst").get(reverse("measures:national")))

    assert "Mesurau ceisiadau" in service_page
    assert "Y rhestr aros" in service_page
    assert "Tynnwyd oddi ar y rhestr" in service_page
    assert "llai na 5" in national_page


# Disclosure control -------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10_000))
def test_a_count_from_1_to_4_is_never_shown_and_any_other_is(count: int) -> None:
    figure = small_count(count)

    if 1 <= count <= 4:
        assert figure == Figure(None, Withheld.SMALL)
    else:
        assert figure == Figure(count)


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6))
def test_a_protected_row_never_shows_1_to_4_nor_leaves_one_withheld_part_under_a_shown_total(
    parts: list[int],
) -> None:
    total = sum(parts)

    total_figure, figures = protected_row(total, parts)

    for figure, value in [(total_figure, total), *zip(figures, parts, strict=True)]:
        if figure.shown:
            assert figure.value == value
            assert not 1 <= value <= 4
        else:
            assert figure.value is None
    withheld = [figure for figure in figures if not figure.shown]
    if total_figure.shown:
        # One withheld part would be the total minus the others.
        assert len(withheld) != 1
    assert all(
        figure.withheld is Withheld.SMALL
        for figure, value in zip(figures, parts, strict=True)
        if 1 <= value <= 4
    )


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_a_share_is_withheld_when_it_would_give_back_a_count_from_1_to_4(
    part: int, extra: int
) -> None:
    whole = part + extra

    share = protected_share(part, whole)

    if any(1 <= count <= 4 for count in (part, whole, extra)):
        assert share.withheld is Withheld.SMALL
    elif whole == 0:
        assert share == Figure(None)
    else:
        assert share == Figure(round(100 * part / whole))


def test_a_single_small_part_takes_the_smallest_other_part_with_it() -> None:
    total, parts = protected_row(20, [12, 3, 0, 5])

    assert total == Figure(20)
    assert parts == [
        Figure(12),
        Figure(None, Withheld.SMALL),
        Figure(0),
        Figure(None, Withheld.SECONDARY),
    ]
