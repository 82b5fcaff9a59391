"""The learner list and the access history turn pages by a signed cursor (stagewise/keyset.py):
forwards and back over learners with the same name, a tampered cursor gives the first page, the
count stops at a cap, search is indexed, and the queries do not grow with the page or the scope."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.conftest import (
    World,
    build_world,
    make_agency_practitioner,
    make_authority_officer,
    make_support_lead,
)
from stagewise.keyset import CappedCount, capped_count, keyset_page
from stagewise.learners.models import Enrolment, Learner
from stagewise.learners.selectors import (
    LearnerFilters,
    learner_list,
    learner_list_count,
    learner_list_order,
    learner_search,
)
from stagewise.testing.factories import enrolled_learner
from stagewise.testing.worlds import built_once_per_module

LEARNER_LINK = re.compile(r'href="/learners/([0-9a-f-]{36})/"')
NEXT_LINK = re.compile(r'href="\?([^"]*)" rel="next"')
PREVIOUS_LINK = re.compile(r'href="\?([^"]*)" rel="prev"')
START = date(2025, 8, 18)
REFUSED = "The link to that page of the list was not valid"


@dataclass
class ListWorld:
    world: World
    support_lead: User
    officer: User
    # The school's learners in the list's order: last name, then first name, case-insensitively,
    # then the order they were added in (the primary key) where both are the same.
    school_order: list[str]


def _build() -> ListWorld:
    world = build_world()
    # Nine Thomsons, most of them called Amy (some written in capitals), so that a page of four
    # ends and starts inside a run of identical names.
    for first_name in ["Amy", "AMY", "amy", "Ben", "Amy", "Amy", "Cal", "Amy", "amy"]:
        enrolled_learner(world.school, legal_first_name=first_name, legal_last_name="Thomson")
    enrolled_learner(world.school, legal_first_name="Dewi", legal_last_name="de Souza")
    enrolled_learner(
        world.school, legal_first_name="Megan", legal_last_name="Zubair", preferred_name="Meg"
    )
    school_learners = Learner.objects.filter(enrolments__setting=world.school)
    ordered = sorted(
        school_learners,
        key=lambda one: (one.legal_last_name.lower(), one.legal_first_name.lower(), one.pk),
    )
    return ListWorld(
        world=world,
        support_lead=make_support_lead(world),
        officer=make_authority_officer(world),
        school_order=[str(one.public_id) for one in ordered],
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ListWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def lw(module_world: ListWorld, db: None) -> ListWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def link_query(link: re.Pattern[str], content: str) -> str:
    """The query of the page's next or previous link."""
    found = link.search(content)
    assert found, "the page has no such link"
    return found.group(1).replace("&amp;", "&")


def cursor_of(link: re.Pattern[str], content: str) -> str:
    return parse_qs(link_query(link, content))["cursor"][0]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def walk(client: Client, address: str, link: re.Pattern[str], first_query: str = "") -> list[str]:
    """Follow `link` (next or previous) from the page at `first_query` to the end of the list,
    each page's learners or events in the order shown, the pages in the order visited."""
    pages: list[list[str]] = []
    query = first_query
    while True:
        content = client.get(f"{address}?{query}").content.decode()
        pages.append(LEARNER_LINK.findall(content))
        if not link.search(content):
            return [item for page in pages for item in page]
        query = link_query(link, content)
        assert len(pages) < 50, "the pages never end"


def test_paging_forwards_and_back_over_identical_names_shows_each_learner_once(lw, settings):
    settings.LEARNER_LIST_PAGE_SIZE = 4
    client = client_for(lw.support_lead)
    address = reverse("learners:list")

    forwards = walk(client, address, NEXT_LINK)
    last_page = client.get(address + "?" + last_query(client, address)).content.decode()
    backwards_query = link_query(PREVIOUS_LINK, last_page)
    backwards = walk(client, address, PREVIOUS_LINK, backwards_query)

    assert forwards == lw.school_order
    # Back from the last page: the four learners before it, the four before those, and so on,
    # each page in the list's order.
    earlier = lw.school_order[: len(lw.school_order) - len(LEARNER_LINK.findall(last_page))]
    pages_back = [earlier[max(end - 4, 0) : end] for end in range(len(earlier), 0, -4)]
    assert backwards == [one for page in pages_back for one in page]


def last_query(client: Client, address: str) -> str:
    query = ""
    while NEXT_LINK.search(content := client.get(f"{address}?{query}").content.decode()):
        query = link_query(NEXT_LINK, content)
    return query


def test_the_previous_page_of_the_second_page_is_the_first(lw, settings):
    settings.LEARNER_LIST_PAGE_SIZE = 4
    client = client_for(lw.support_lead)
    address = reverse("learners:list")
    first = client.get(address).content.decode()
    second = client.get(address + "?" + link_query(NEXT_LINK, first))
    back = link_query(PREVIOUS_LINK, second.content.decode())

    again = client.get(f"{address}?{back}").content.decode()

    assert LEARNER_LINK.findall(again) == LEARNER_LINK.findall(first) == lw.school_order[:4]
    assert 'rel="prev"' not in again


@pytest.mark.parametrize(
    "tamper",
    [
        lambda cursor: cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"),
        lambda cursor: "x" + cursor,
        lambda cursor: "not-a-cursor",
        lambda cursor: "",
    ],
    ids=["altered signature", "altered payload", "garbage", "empty"],
)
def test_a_tampered_cursor_gives_the_first_page_and_says_so(lw, settings, tamper):
    settings.LEARNER_LIST_PAGE_SIZE = 4
    client = client_for(lw.support_lead)
    address = reverse("learners:list")
    first = client.get(address).content.decode()
    cursor = cursor_of(NEXT_LINK, first)

    response = client.get(address, {"cursor": tamper(cursor)})

    assert response.status_code == 200
    content = response.content.decode()
    assert LEARNER_LINK.findall(content) == lw.school_order[:4]
    assert (REFUSED in content) == bool(tamper(cursor))


def test_a_cursor_from_another_list_is_refused(lw):
    officers_list = LearnerFilters(scope="authority")
    other_list = keyset_page(
        learner_list(actor=actors_for(lw.officer)[0], filters=officers_list),
        order=learner_list_order(officers_list),
        cursor=None,
        per_page=1,
        salt="somewhere else",
    )

    response = client_for(lw.support_lead).get(
        reverse("learners:list"), {"cursor": other_list.next_cursor}
    )

    assert REFUSED in response.content.decode()


def test_the_count_is_exact_up_to_the_cap_and_more_than_past_it(lw, monkeypatch):
    client = client_for(lw.support_lead)
    exact = client.get(reverse("learners:list")).content.decode()
    monkeypatch.setattr("stagewise.learners.views.LEARNER_COUNT_CAP", 5)
    capped = client.get(reverse("learners:list")).content.decode()

    assert f"{len(lw.school_order)} learners found" in exact
    assert "More than 5 learners found" in capped
    assert capped_count(Learner.objects.all(), 1000).more is False


def counts(user: User, filters: LearnerFilters, cap: int) -> tuple[CappedCount, CappedCount]:
    """The list's count as the page makes it, and counted as the list is defined."""
    actor = actors_for(user)[0]
    return (
        learner_list_count(actor=actor, filters=filters, cap=cap),
        capped_count(learner_list(actor=actor, filters=filters), cap),
    )


@pytest.mark.parametrize("who", ["officer", "support_lead"])
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"name": "thomson"},
        {"name": "amy thom"},
        {"year_group": "P7"},
        {"name": "nobody"},
    ],
)
@pytest.mark.parametrize("cap", [3, 1000])
def test_the_count_through_enrolments_is_the_count_of_the_list(lw, who, filters, cap):
    user = getattr(lw, who)
    scope = "authority" if who == "officer" else "setting"

    by_enrolments, of_the_list = counts(user, LearnerFilters(scope=scope, **filters), cap)

    assert by_enrolments == of_the_list


def test_a_learner_enrolled_twice_in_the_scope_is_counted_once(lw):
    twice = enrolled_learner(lw.world.school, legal_last_name="Twice")
    Enrolment.objects.create(
        learner=twice, setting=lw.world.other_school, year_group="P7", started_on=START
    )
    everyone = LearnerFilters(scope="authority")
    named = LearnerFilters(scope="authority", name="twice")
    total = counts(lw.officer, everyone, 1000)[1].count

    # At the cap the two rows of one learner would pass it: the list's own count decides.
    assert counts(lw.officer, everyone, total) == (CappedCount(total, False),) * 2
    assert counts(lw.officer, everyone, total - 1) == (CappedCount(total - 1, True),) * 2
    assert counts(lw.officer, named, 1000) == (CappedCount(1, False),) * 2


def test_a_caseload_and_an_agencys_learners_are_counted_as_their_lists(lw):
    practitioner = make_agency_practitioner(lw.world)
    for user, scope in ((lw.support_lead, "mine"), (practitioner, "agency")):
        by_enrolments, of_the_list = counts(user, LearnerFilters(scope=scope), 1000)
        assert by_enrolments == of_the_list


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("thomson", {"Thomson"}),
        ("THOM amy", {"Thomson"}),
        ("souza", {"de Souza"}),
        ("meg", {"Zubair"}),
        ("ailsa campbell", {"Campbell"}),
        ("nobody", set()),
    ],
)
def test_search_matches_any_part_of_a_name_in_any_case(lw, words, expected):
    actor = actors_for(lw.support_lead)[0]
    found = learner_list(actor=actor, filters=LearnerFilters(scope="setting", name=words))

    assert {learner.legal_last_name for learner in found} == expected


def test_search_finds_a_candidate_number_whatever_its_case(lw):
    welsh_learner = enrolled_learner(lw.world.school, candidate_number="A123456789012")
    actor = actors_for(lw.support_lead)[0]

    found = learner_list(actor=actor, filters=LearnerFilters(scope="setting", name="a123456789012"))

    assert [learner.pk for learner in found] == [welsh_learner.pk]


def list_queries(client: Client, query: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("learners:list"), query or {})
    assert response.status_code == 200
    return len(queries)


def test_the_lists_queries_do_not_grow_with_the_page_or_the_scope(lw, settings):
    settings.LEARNER_LIST_PAGE_SIZE = 4
    officer = client_for(lw.officer)
    lead = client_for(lw.support_lead)
    list_queries(officer)  # the first requests fill the filters' cache (test_list_filters.py)
    list_queries(lead)
    first_page = list_queries(officer)
    cursor = cursor_of(NEXT_LINK, officer.get(reverse("learners:list")).content.decode())
    lead_before = list_queries(lead)

    for _ in range(30):
        enrolled_learner(lw.world.other_school)
    settings.LEARNER_LIST_PAGE_SIZE = 20

    assert list_queries(officer) == first_page
    assert list_queries(officer, {"cursor": cursor}) == first_page
    assert list_queries(lead) == lead_before


def test_the_access_history_pages_newest_first_by_cursor(lw, monkeypatch):
    monkeypatch.setattr("stagewise.learners.views.ACCESS_HISTORY_PAGE_SIZE", 3)
    actor = actors_for(lw.support_lead)[0]
    learner = lw.world.learner
    for number in range(8):
        audit_record(
            actor=actor, action=AuditAction.VIEW, learner=learner, purpose=f"read {number}"
        )
    client = client_for(lw.support_lead)
    address = reverse("learners:access_history", args=[learner.public_id])

    pages = []
    query = ""
    while True:
        content = client.get(f"{address}?{query}").content.decode()
        pages.append(re.findall(r"read (\d)", content))
        if not NEXT_LINK.search(content):
            break
        query = link_query(NEXT_LINK, content)

    assert [number for page in pages for number in page] == list("76543210")
    assert all(len(page) <= 3 for page in pages)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
def test_a_schools_first_page_starts_from_its_enrolments_not_the_national_name_index(lw):
    """With the nation far larger than the school, the plan reads the school's enrolments by
    their index and sorts those learners; it never walks the name index of every learner."""
    elsewhere = Learner.objects.bulk_create(
        Learner(
            legal_first_name=f"First{number}",
            legal_last_name=f"Aaron{number:05d}",
            date_of_birth=date(2012, 1, 1),
            sex="male",
            candidate_number=f"{900000000 + number}",
        )
        for number in range(5000)
    )
    Enrolment.objects.bulk_create(
        Enrolment(learner=one, setting=lw.world.fife_school, year_group="P5", started_on=START)
        for one in elsewhere
    )
    actor = actors_for(lw.support_lead)[0]
    filters = LearnerFilters(scope="setting")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE learners_learner")
        cursor.execute("ANALYZE learners_enrolment")
    with CaptureQueriesContext(connection) as queries:
        keyset_page(
            learner_list(actor=actor, filters=filters),
            order=learner_list_order(filters),
            cursor=None,
            per_page=25,
            salt="learners:list",
        )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "learner_name_order_idx" not in plan, plan
    assert re.search(r"Index.* on learners_enrolment", plan), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigram index")
def test_a_name_search_can_be_answered_from_the_trigram_index(lw):
    """With sequential scans ruled out the planner reads the trigram index for the name and the
    unique index for the candidate number: the search's conditions are ones indexes serve (on a
    nation that is the cheap way, not a forced one)."""
    search = Learner.objects.filter(learner_search("thomson amy")).values("pk")
    sql, params = search.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "learner_search_name_trgm_idx" in plan, plan
    assert "learners_learner_candidate_number" in plan, plan
