"""The deadline board: a school's or an authority's open clocks by how soon they fall due, and
the clocks closed as done in a period, on time or late, with the median days late."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.learners.models import Learner
from stagewise.policy import CapabilityRequired
from stagewise.statutory.deadline_board import (
    DeadlineBoard,
    academic_year_start,
    deadline_board_get,
)
from stagewise.statutory.models import (
    ProcessOutcome,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
    StatutoryTimescale,
)
from stagewise.testing.factories import enrolled_learner
from stagewise.testing.plans import acting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEEDS = "scotland.establish_needs_request"
REVIEW = "scotland.early_review_request"


def clock(
    learner: Learner,
    *,
    due_in: int | None,
    rule_key: str = NEEDS,
    responsible: str = Responsible.SETTING,
    closed_in: int | None = None,
    outcome: str = ProcessOutcome.DONE,
    status: str = ProcessStatus.RUNNING,
) -> StatutoryProcess:
    """A clock due `due_in` days from today; closed `closed_in` days from today if given."""
    setting = learner.enrolments.get(ended_on__isnull=True).setting
    due_on = None if due_in is None else TODAY + timedelta(days=due_in)
    closed = closed_in is not None
    return StatutoryProcess.objects.create(
        learner=learner,
        timescale=StatutoryTimescale.objects.filter(key=rule_key).earliest("pk"),
        rule_key=rule_key,
        authority=setting.authority,
        setting=setting,
        responsible=responsible,
        started_on=TODAY - timedelta(days=200),
        due_on=due_on,
        status=ProcessStatus.CLOSED if closed else status,
        closed_on=None if closed_in is None else TODAY + timedelta(days=closed_in),
        outcome=outcome if closed else "",
    )


def board_for(user: User, **choices: object) -> DeadlineBoard:
    period = {"period_from": TODAY - timedelta(days=60), "period_to": TODAY} | choices
    return deadline_board_get(actor=acting(user), today=TODAY, **period)  # type: ignore[arg-type]


@pytest.fixture
def known_set(world: World, learner: Learner) -> None:
    """At Riverside: needs requests 2 overdue, 1 due soon, 1 later, 1 with no date (the school's
    to act on), 1 overdue and 1 paused due later (the authority's); closed as done in the last
    60 days: 2 on time (one 5 days ago), 3 late by 2, 5 and 10 days (20 days ago); a late one
    withdrawn and one closed before the period, which are not counted; an early review closed 10
    days late. At Hillhead, one overdue."""
    for due_in in (-1, -30, 10, 29, None):
        clock(learner, due_in=due_in)
    clock(learner, due_in=-5, responsible=Responsible.AUTHORITY)
    clock(learner, due_in=50, responsible=Responsible.AUTHORITY, status=ProcessStatus.PAUSED)
    for due_in, closed_in in ((-3, -5), (-20, -20), (-22, -20), (-25, -20), (-30, -20)):
        clock(learner, due_in=due_in, closed_in=closed_in)
    clock(learner, due_in=-40, closed_in=-20, outcome=ProcessOutcome.WITHDRAWN)
    clock(learner, due_in=-100, closed_in=-90)
    clock(learner, due_in=-40, closed_in=-30, rule_key=REVIEW)
    clock(enrolled_learner(world.other_school), due_in=-3)


def test_open_clocks_are_counted_per_process_and_per_who_must_act(
    known_set: None, support_lead: User
) -> None:
    board = board_for(support_lead)

    rows = {(row.rule_key, row.responsible): row for row in board.open_rows}
    school = rows[(NEEDS, str(Responsible.SETTING.label))]
    authority = rows[(NEEDS, str(Responsible.AUTHORITY.label))]
    assert (school.overdue, school.due_soon, school.later, school.no_date) == (2, 1, 1, 1)
    assert (authority.overdue, authority.due_soon, authority.later) == (1, 0, 1)
    assert school.label.startswith("Respond to a request to establish")


def test_closed_clocks_are_counted_on_time_or_late_with_the_median_days_late(
    known_set: None, support_lead: User
) -> None:
    board = board_for(support_lead)

    rows = {row.rule_key: row for row in board.closed_rows}
    assert (rows[NEEDS].on_time, rows[NEEDS].late, rows[NEEDS].median_days_late) == (2, 3, 5)
    assert (rows[REVIEW].on_time, rows[REVIEW].late, rows[REVIEW].median_days_late) == (
        0,
        1,
        10,
    )


def test_a_period_that_leaves_the_late_ones_out_has_no_median(
    known_set: None, support_lead: User
) -> None:
    board = board_for(support_lead, period_from=TODAY - timedelta(days=10))

    [row] = board.closed_rows
    assert (row.on_time, row.late, row.median_days_late) == (1, 0, None)


def test_the_authority_board_counts_every_school_or_the_one_chosen(
    world: World, known_set: None, authority_officer: User
) -> None:
    everywhere = board_for(authority_officer)
    at_hillhead = board_for(authority_officer, school=world.other_school)

    assert sum(row.overdue for row in everywhere.open_rows) == 4
    assert [(row.overdue, row.total) for row in at_hillhead.open_rows] == [(1, 1)]
    assert at_hillhead.closed_rows == []


def test_another_authoritys_officer_counts_none_of_these_clocks(
    known_set: None, other_authority_officer: User
) -> None:
    board = board_for(other_authority_officer)

    assert (board.open_rows, board.closed_rows) == ([], [])


@pytest.mark.parametrize("who", ["teacher", "psychologist", "agency_practitioner", "parent"])
def test_only_school_leaders_and_authority_officers_have_the_board(
    who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(CapabilityRequired):
        board_for(request.getfixturevalue(who))


def test_the_default_period_is_the_academic_year_from_1_august() -> None:
    assert academic_year_start(date(2026, 11, 30)) == date(2026, 8, 1)
    assert academic_year_start(date(2027, 7, 31)) == date(2026, 8, 1)
    assert academic_year_start(date(2027, 8, 1)) == date(2027, 8, 1)


# The page ---------------------------------------------------------------------------------------


BOARD_ROLES = {"support_lead": 200, "head": 200, "authority_officer": 200}
EVERY_ACTOR = [
    "teacher",
    "colleague",
    "support_lead",
    "head",
    "authority_officer",
    "other_authority_officer",
    "psychologist",
    "agency_practitioner",
    "other_agency",
    "parent",
    "other_parent",
    "young_person",
    "analyst",
    "administrator",
    "outsider_teacher",
]


@pytest.mark.parametrize("who", EVERY_ACTOR)
def test_the_board_opens_for_those_who_run_clocks_and_is_refused_to_everyone_else(
    who: str, client: Client, known_set: None, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("deadline_board"))

    expected = {"support_lead", "head", "authority_officer", "other_authority_officer"}
    assert response.status_code == (200 if who in expected else 403)
    home = client.get(reverse("home")).content.decode()
    assert (reverse("deadline_board") in home) == (who in expected)


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("deadline_board"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_shows_the_counts_and_names_no_learner(
    client: Client, known_set: None, learner: Learner, support_lead: User
) -> None:
    client.force_login(support_lead)

    page = client.get(reverse("deadline_board")).content.decode()

    assert "Median days late" in page
    assert learner.legal_last_name not in page
    assert f"1 August {academic_year_start(TODAY).year}" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"from_0": "1", "from_1": "9", "from_2": "2026", "to_0": "1", "to_1": "8"},
            "Enter a day, month and year.",
        ),
        (
            {"from_0": "31", "from_1": "2", "from_2": "2026"},
            "Enter a real date, with the year as four digits, like 27 3 2015.",
        ),
        (
            {
                "from_0": "2",
                "from_1": "9",
                "from_2": "2025",
                "to_0": "1",
                "to_1": "9",
                "to_2": "2025",
            },
            "The end of the period must be the same as or after its start.",
        ),
        (
            {"to_0": "1", "to_1": "1", "to_2": "2100"},
            "The end of the period cannot be in the future.",
        ),
        ({"school": "999999"}, "Choose a school from the list."),
    ],
)
def test_a_period_or_school_that_cannot_be_used_says_what_to_fix(
    client: Client, authority_officer: User, query: dict[str, str], message: str
) -> None:
    client.force_login(authority_officer)

    response = client.get(reverse("deadline_board"), query)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert response.context["board"] is None


def test_a_chosen_period_and_school_are_used(
    client: Client, world: World, known_set: None, authority_officer: User
) -> None:
    client.force_login(authority_officer)
    start = TODAY - timedelta(days=10)

    response = client.get(
        reverse("deadline_board"),
        {
            "from_0": start.day,
            "from_1": start.month,
            "from_2": start.year,
            "school": world.school.pk,
        },
    )

    board = response.context["board"]
    assert (board.period_from, board.period_to, board.school) == (start, TODAY, world.school)
    assert [(row.on_time, row.late) for row in board.closed_rows] == [(1, 0)]


def _board_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("deadline_board")).status_code == 200
    return len(queries)


def test_the_board_costs_the_same_for_one_clock_or_twenty(
    client: Client, learner: Learner, support_lead: User
) -> None:
    client.force_login(support_lead)
    clock(learner, due_in=-3)
    clock(learner, due_in=-3, closed_in=-1, rule_key=REVIEW)
    one = _board_queries(client)

    for number in range(19):
        clock(learner, due_in=number - 5, rule_key=NEEDS if number % 2 else REVIEW)
        clock(learner, due_in=-number - 2, closed_in=-1, rule_key=REVIEW)

    assert _board_queries(client) == one
