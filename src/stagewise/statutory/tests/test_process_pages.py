"""The pages for a learner's statutory timescales: staff see every clock with days left or how
overdue it is, those who run the clocks start, pause, resume, extend and close them on GOV.UK
forms that say what to fix, and the family sees the dates that must be met and why one moved."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.learners.models import Learner
from stagewise.statutory.models import ProcessEventKind, ProcessStatus, StatutoryProcess
from stagewise.statutory.services import (
    process_close,
    process_extend,
    process_pause,
    process_resume,
    process_start,
)
from stagewise.testing.access_harness import dates
from stagewise.testing.factories import SettingFactory, authority, enrolled_learner
from stagewise.testing.plans import acting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _url(name: str, learner: Learner, process: StatutoryProcess | None = None) -> str:
    kwargs: dict[str, object] = {"learner_id": learner.public_id}
    if process is not None:
        kwargs["process_id"] = process.public_id
    return reverse(f"statutory:{name}", kwargs=kwargs)


def _start(user: User, learner: Learner, rule_key: str, started_on: date) -> StatutoryProcess:
    return process_start(
        actor=acting(user), learner=learner, rule_key=rule_key, started_on=started_on
    )


def _text(response) -> str:
    return response.content.decode()


def test_staff_see_open_clocks_with_days_left_or_how_overdue_and_closed_ones_with_the_outcome(
    signed_in, support_lead: User, learner: Learner
) -> None:
    due_soon = _start(
        support_lead, learner, "scotland.establish_needs_request", TODAY - timedelta(days=50)
    )
    overdue = _start(
        support_lead, learner, "scotland.early_review_request", TODAY - timedelta(weeks=4, days=3)
    )
    closed = _start(
        support_lead, learner, "scotland.tribunal_reference", TODAY - timedelta(days=70)
    )
    process_close(
        actor=acting(support_lead), process=closed, closed_on=TODAY, outcome="done", note=""
    )

    response = signed_in("teacher").get(_url("process_list", learner))

    assert response.status_code == 200
    page = _text(response)
    assert "6 days left" in page
    assert "Overdue by 3 days" in page
    assert "The local authority (Glasgow City)" in page
    opened, closing = page.index("open-timescales"), page.index("closed-timescales")
    assert opened < page.index(str(due_soon.public_id)) < closing
    assert opened < page.index(str(overdue.public_id)) < closing
    assert page.index(str(closed.public_id)) > closing
    assert "Late" in page[closing:]
    assert "Start a statutory timescale" not in page  # a class teacher runs no clocks


def test_the_profile_links_staff_to_the_timescales(signed_in, learner: Learner) -> None:
    response = signed_in("psychologist").get(reverse("learners:profile", args=[learner.public_id]))

    assert _url("process_list", learner) in _text(response)


def test_a_support_lead_starts_a_clock_and_sees_its_computed_due_date(
    signed_in, learner: Learner
) -> None:
    client = signed_in("support_lead")
    start_page = client.get(_url("process_start", learner))
    assert "Prepare a co-ordinated support plan" in _text(start_page)
    assert "individual_development_plan" not in _text(start_page)  # Welsh rules are not offered

    started_on = TODAY - timedelta(days=3)
    response = client.post(
        _url("process_start", learner),
        {
            "rule_key": "scotland.coordinated_support_plan_prepare",
            **dates("started_on", started_on),
            "reason": "The authority decided to prepare a plan.",
        },
        follow=True,
    )

    process = StatutoryProcess.objects.get(learner=learner)
    assert response.redirect_chain[-1][0] == _url("process_detail", learner, process)
    page = _text(response)
    due = started_on + timedelta(weeks=16)
    assert due.strftime("%-d %B %Y") in page
    ceiling = started_on + timedelta(weeks=24)
    assert ceiling.strftime("%-d %B %Y") in page
    assert "The authority decided to prepare a plan." in page


def test_the_start_form_says_what_to_fix_and_starts_nothing(signed_in, learner: Learner) -> None:
    client = signed_in("head")

    empty = client.post(_url("process_start", learner), {})
    assert empty.status_code == 200
    assert "Choose the statutory timescale to start." in _text(empty)
    assert "govuk-error-summary" in _text(empty)

    future = client.post(
        _url("process_start", learner),
        {
            "rule_key": "scotland.establish_needs_request",
            **dates("started_on", TODAY + timedelta(days=5)),
        },
    )
    assert "cannot be in the future" in _text(future)

    wrong_nation = client.post(
        _url("process_start", learner),
        {
            "rule_key": "wales.individual_development_plan_review",
            **dates("started_on", TODAY),
        },
    )
    assert "Choose one of the statutory timescales listed." in _text(wrong_nation)

    counted_back_from_nowhere = client.post(
        _url("process_start", learner),
        {
            "rule_key": "scotland.leaving_seek_views",
            **dates("started_on", date(1, 1, 1)),
            "started_on_2": "0001",
        },
    )
    assert counted_back_from_nowhere.status_code == 200
    assert "must be on or after" in _text(counted_back_from_nowhere)
    assert not StatutoryProcess.objects.exists()


def test_an_agency_clock_asks_which_agency(signed_in, learner: Learner, world) -> None:
    client = signed_in("authority_officer")
    payload = {"rule_key": "scotland.agency_help", **dates("started_on", TODAY)}

    refused = client.post(_url("process_start", learner), payload)
    assert "Choose the agency that was asked for help." in _text(refused)

    client.post(_url("process_start", learner), payload | {"agency": world.agency.pk})
    assert StatutoryProcess.objects.get(learner=learner).agency == world.agency


def test_the_actions_pause_resume_extend_and_close_a_clock(
    signed_in, support_lead: User, learner: Learner
) -> None:
    started = TODAY - timedelta(days=30)
    process = _start(support_lead, learner, "scotland.coordinated_support_plan_prepare", started)
    client = signed_in("support_lead")

    detail = client.get(_url("process_detail", learner, process))
    for action in ("process_pause", "process_extend", "process_close"):
        assert _url(action, learner, process) in _text(detail)

    extend_page = client.get(_url("process_extend", learner, process))
    assert "The family will see the new date and this reason" in _text(extend_page)
    assert (started + timedelta(weeks=24)).strftime("%-d %B %Y") in _text(extend_page)

    past_ceiling = client.post(
        _url("process_extend", learner, process),
        {**dates("new_due_on", started + timedelta(weeks=25)), "reason": "Report late"},
    )
    assert past_ceiling.status_code == 200
    assert "24 weeks" in _text(past_ceiling)

    new_date = started + timedelta(weeks=20)
    client.post(
        _url("process_extend", learner, process),
        {**dates("new_due_on", new_date), "reason": "The health board's report is late."},
    )
    client.post(
        _url("process_pause", learner, process),
        {**dates("paused_on", TODAY - timedelta(days=4)), "reason": "The family asked to wait."},
    )
    process.refresh_from_db()
    assert process.status == ProcessStatus.PAUSED
    assert _url("process_resume", learner, process) in _text(
        client.get(_url("process_detail", learner, process))
    )
    client.post(_url("process_resume", learner, process), dates("resumed_on", TODAY))
    process.refresh_from_db()
    assert process.due_on == new_date + timedelta(days=4)

    missing_note = client.post(
        _url("process_close", learner, process),
        {**dates("closed_on", TODAY), "outcome": "withdrawn"},
    )
    assert "Say why the process is no longer needed." in _text(missing_note)
    client.post(
        _url("process_close", learner, process),
        {**dates("closed_on", TODAY), "outcome": "withdrawn", "note": "The family moved away."},
    )
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED

    history = _text(client.get(_url("process_detail", learner, process)))
    assert "The health board&#x27;s report is late." in history
    assert "The family moved away." in history
    assert f"{(started + timedelta(weeks=16)).strftime('%-d %B %Y')} to" in history
    assert _url("process_pause", learner, process) not in history  # nothing to do once closed


def test_a_refusal_by_the_service_is_shown_on_the_form_never_a_500(
    signed_in, support_lead: User, learner: Learner
) -> None:
    process = _start(support_lead, learner, "scotland.establish_needs_request", TODAY)
    client = signed_in("support_lead")

    resumed = client.post(_url("process_resume", learner, process), dates("resumed_on", TODAY))

    assert resumed.status_code == 200
    assert "Only a paused clock can be resumed." in _text(resumed)


def test_a_class_teacher_reads_a_clock_but_may_not_act_on_it(
    signed_in, support_lead: User, learner: Learner
) -> None:
    process = _start(support_lead, learner, "scotland.establish_needs_request", TODAY)
    client = signed_in("teacher")

    detail = client.get(_url("process_detail", learner, process))
    assert detail.status_code == 200
    assert _url("process_pause", learner, process) not in _text(detail)
    assert client.get(_url("process_pause", learner, process)).status_code == 403
    assert client.get(_url("process_start", learner)).status_code == 403


def test_an_outsider_is_told_nothing_and_the_attempt_is_recorded(
    signed_in, support_lead: User, learner: Learner
) -> None:
    process = _start(support_lead, learner, "scotland.establish_needs_request", TODAY)

    response = signed_in("outsider_teacher").get(_url("process_detail", learner, process))

    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.REFUSED, learner_key__learner=learner
    ).exists()


def test_the_family_sees_each_date_and_why_it_moved_without_staff_names(
    signed_in, authority_officer: User, learner: Learner
) -> None:
    officer = acting(authority_officer)
    started = TODAY - timedelta(days=10)
    process = _start(
        authority_officer, learner, "scotland.coordinated_support_plan_prepare", started
    )
    process_extend(
        actor=officer,
        process=process,
        new_due_on=started + timedelta(weeks=20),
        reason="The health board's report is late.",
    )
    process_pause(actor=officer, process=process, paused_on=TODAY, reason="Holiday closure")
    process_resume(actor=officer, process=process, resumed_on=TODAY)

    response = signed_in("parent").get(reverse("learners:profile", args=[learner.public_id]))

    page = _text(response)
    assert "Dates the school or authority must meet" in page
    assert "Prepare a co-ordinated support plan" in page
    assert "The local authority" in page
    assert (started + timedelta(weeks=20)).strftime("%-d %B %Y") in page
    assert "The health board&#x27;s report is late." in page
    assert "Holiday closure" in page
    assert authority_officer.full_name not in page
    deadlines = page.split('id="family-deadlines"')[1]
    assert "Glasgow City" not in deadlines  # "the local authority", not an organisation's name
    assert _url("process_list", learner) not in page


@pytest.mark.parametrize("who", ["parent", "young_person"])
def test_families_never_reach_the_staff_pages(
    signed_in, support_lead: User, learner: Learner, who: str
) -> None:
    process = _start(support_lead, learner, "scotland.establish_needs_request", TODAY)
    client = signed_in(who)

    for url in (
        _url("process_list", learner),
        _url("process_start", learner),
        _url("process_detail", learner, process),
        _url("process_extend", learner, process),
    ):
        assert client.get(url).status_code == 403


def test_a_welsh_concern_counts_35_school_days_and_says_when_a_calendar_is_missing(
    client,
) -> None:
    from stagewise.conftest import staff_member
    from stagewise.organisations.models import Role

    school = SettingFactory.create(authority=authority("Cardiff"), name="Ysgol Glan Taf")
    pupil = enrolled_learner(school, year_group="Y4")
    alnco = staff_member("alnco@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school)
    client.force_login(alnco)

    start_page = _text(client.get(_url("process_start", pupil)))
    assert "Record a concern: the school decides on ALN and an IDP within 35 school days" in (
        start_page
    )
    assert "scotland." not in start_page

    rule = "wales.individual_development_plan_school_decision"
    client.post(
        _url("process_start", pupil), {"rule_key": rule, **dates("started_on", date(2026, 2, 2))}
    )
    first = StatutoryProcess.objects.get(learner=pupil)
    assert "13 April 2026" in _text(client.get(_url("process_detail", pupil, first)))
    process_close(
        actor=acting(alnco), process=first, closed_on=date(2026, 4, 10), outcome="done", note=""
    )

    later = date(2026, 11, 30)
    if later > TODAY:
        pytest.skip("the 2026/27 calendar question needs today on or after 30 November 2026")
    client.post(_url("process_start", pupil), {"rule_key": rule, **dates("started_on", later)})
    second = StatutoryProcess.objects.get(learner=pupil, status=ProcessStatus.RUNNING)
    page = _text(client.get(_url("process_detail", pupil, second)))
    assert "The 2026/27 calendar for Cardiff is needed to set this date." in page
    assert _url("process_extend", pupil, second) not in page  # no date to move yet


# Query counts ------------------------------------------------------------------------------------


def _clocks(user: User, learner: Learner, count: int) -> list[StatutoryProcess]:
    """`count` clocks, each with a step or two, half of them closed."""
    keys = [
        "scotland.establish_needs_request",
        "scotland.coordinated_support_plan_prepare",
        "scotland.early_review_request",
        "scotland.tribunal_reference",
        "scotland.tribunal_disability_claim",
        "scotland.independent_adjudication_decision",
        "scotland.coordinated_support_plan_review",
        "scotland.leaving_seek_views",
        "scotland.leaving_share_information",
        "scotland.preschool_gather_information",
    ]
    made = []
    for index, key in enumerate(keys[:count]):
        started = (
            TODAY - timedelta(days=5 + index)
            if "leaving" not in key
            else TODAY + timedelta(days=400)
        )
        if "preschool" in key:
            started = TODAY + timedelta(days=300)
        process = _start(user, learner, key, started)
        if index % 2:
            process_close(
                actor=acting(user), process=process, closed_on=TODAY, outcome="done", note=""
            )
        made.append(process)
    return made


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_timescales_page_issues_the_same_queries_for_one_clock_and_ten(
    signed_in, support_lead: User, learner: Learner, other_learner: Learner, world
) -> None:
    few_learner = learner
    many_learner = enrolled_learner(world.school, legal_first_name="Morag")
    _clocks(support_lead, few_learner, 1)
    _clocks(support_lead, many_learner, 10)
    client = signed_in("support_lead")

    few = _queries(client, _url("process_list", few_learner))
    many = _queries(client, _url("process_list", many_learner))

    assert many == few


@pytest.mark.parametrize("who", ["support_lead", "parent"])
def test_the_process_page_and_the_family_view_issue_the_same_queries_for_one_step_and_ten(
    signed_in, support_lead: User, learner: Learner, who: str
) -> None:
    lead = acting(support_lead)
    short = _start(
        support_lead, learner, "scotland.establish_needs_request", TODAY - timedelta(days=40)
    )
    long = _start(
        support_lead,
        learner,
        "scotland.coordinated_support_plan_prepare",
        TODAY - timedelta(days=40),
    )
    for day in range(4, 0, -1):
        process_pause(
            actor=lead, process=long, paused_on=TODAY - timedelta(days=day * 5), reason="Wait"
        )
        process_resume(actor=lead, process=long, resumed_on=TODAY - timedelta(days=day * 5 - 2))

    def later(days: int) -> date:
        assert long.due_on is not None
        return long.due_on + timedelta(days=days)

    process_extend(actor=lead, process=long, new_due_on=later(7), reason="x")
    assert long.events.count() == 10 and short.events.count() == 1
    client = signed_in(who)

    if who == "parent":
        profile = reverse("learners:profile", args=[learner.public_id])
        few = _queries(client, profile)
        for _step in range(3):
            process_extend(actor=lead, process=long, new_due_on=later(1), reason="y")
        assert _queries(client, profile) == few
        return
    few = _queries(client, _url("process_detail", learner, short))
    many = _queries(client, _url("process_detail", learner, long))

    assert many == few
    assert ProcessEventKind.RESUMED in long.events.values_list("kind", flat=True)
