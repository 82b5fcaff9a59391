"""A member of staff's home page is a work queue: what needs them, grouped by how soon it falls
due, each item about a learner they may see and linked to the place to act on it."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from stagewise.accounts.models import User
from stagewise.accounts.work_queue import (
    ItemKind,
    WorkGroupKey,
    WorkItem,
    WorkQueue,
    work_queue_get,
)
from stagewise.conftest import World
from stagewise.families.review_views_services import (
    Answers,
    review_views_give,
    review_views_invite,
)
from stagewise.learners.models import Learner
from stagewise.organisations.models import Agency, LocalAuthority, Setting
from stagewise.planning.models import Plan, PlanStatus, ResponseKind
from stagewise.planning.services import (
    TargetProgressEntry,
    plan_response_record,
    plan_review_record,
    plan_support_in_place,
)
from stagewise.statutory.calendar import add_months
from stagewise.statutory.models import (
    ProcessOutcome,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
    StatutoryTimescale,
)
from stagewise.testing.factories import (
    UserFactory,
    add_wellbeing_assessment,
    enrolled_learner,
    link_carer,
    link_staff,
)
from stagewise.testing.plans import acting, finalised_plan, started_plan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def clock(
    learner: Learner,
    *,
    due_in: int | None,
    responsible: str = Responsible.SETTING,
    rule_key: str = "scotland.establish_needs_request",
    agency: Agency | None = None,
    status: str = ProcessStatus.RUNNING,
    due_problem: str = "",
) -> StatutoryProcess:
    """A clock for the learner at their school, due `due_in` days from today (None: no date)."""
    setting = learner.enrolments.get(ended_on__isnull=True).setting
    due_on = None if due_in is None else TODAY + timedelta(days=due_in)
    return StatutoryProcess.objects.create(
        learner=learner,
        timescale=StatutoryTimescale.objects.filter(key=rule_key).earliest("pk"),
        rule_key=rule_key,
        authority=setting.authority,
        setting=setting,
        agency=agency,
        responsible=responsible,
        started_on=TODAY - timedelta(days=30),
        first_due_on=due_on,
        due_on=due_on,
        due_problem=due_problem,
        status=status,
        closed_on=TODAY if status == ProcessStatus.CLOSED else None,
        outcome=ProcessOutcome.DONE if status == ProcessStatus.CLOSED else "",
    )


def queue_of(user: User, school_id: str = "") -> WorkQueue:
    queue = work_queue_get(actor=acting(user), school_id=school_id)
    assert queue is not None
    return queue


def group(queue: WorkQueue, key: WorkGroupKey) -> list[WorkItem]:
    return next(g for g in queue.groups if g.key == key).items


def learners_in(queue: WorkQueue) -> set[str]:
    return {item.learner_name for g in queue.groups for item in g.items}


def items(queue: WorkQueue) -> list[WorkItem]:
    return [item for g in queue.groups for item in g.items]


# Statutory clocks -------------------------------------------------------------------------------


def test_the_support_leads_queue_holds_the_schools_running_clocks_by_how_soon_they_fall_due(
    world: World, learner: Learner, support_lead: User
) -> None:
    overdue = clock(learner, due_in=-3)
    this_week = clock(learner, due_in=7)
    next_weeks = clock(learner, due_in=20)
    clock(learner, due_in=40)  # later than four weeks
    clock(learner, due_in=None, due_problem="The 2026/27 calendar for Glasgow City is needed.")
    clock(learner, due_in=-10, status=ProcessStatus.PAUSED)  # waits on someone else
    clock(learner, due_in=-10, status=ProcessStatus.CLOSED)
    clock(learner, due_in=-10, responsible=Responsible.AUTHORITY)  # the authority's to act on
    clock(enrolled_learner(world.other_school), due_in=-10)  # another school's

    queue = queue_of(support_lead)

    [late] = group(queue, WorkGroupKey.OVERDUE)
    assert (late.due_on, late.days_overdue) == (overdue.due_on, 3)
    assert late.kind == ItemKind.CLOCK
    assert late.learner_name == learner.display_name
    assert late.url == reverse(
        "statutory:process_detail", args=[learner.public_id, overdue.public_id]
    )
    assert late.action == overdue.timescale.display_label
    assert [item.due_on for item in group(queue, WorkGroupKey.THIS_WEEK)] == [this_week.due_on]
    assert [item.due_on for item in group(queue, WorkGroupKey.NEXT_FOUR_WEEKS)] == [
        next_weeks.due_on
    ]
    [no_date] = group(queue, WorkGroupKey.NEEDS_CALENDAR)
    assert no_date.note == "The 2026/27 calendar for Glasgow City is needed."
    assert queue.total == 4


def test_the_head_teacher_sees_the_same_school_clocks(learner: Learner, head: User) -> None:
    clock(learner, due_in=-1)

    assert [item.days_overdue for item in group(queue_of(head), WorkGroupKey.OVERDUE)] == [1]


def test_the_authority_officer_sees_the_clocks_the_authority_must_act_on_in_every_school(
    world: World, learner: Learner, authority_officer: User
) -> None:
    hillhead = enrolled_learner(world.other_school, legal_last_name="Docherty")
    clock(learner, due_in=-2, responsible=Responsible.AUTHORITY)
    clock(hillhead, due_in=5, responsible=Responsible.AUTHORITY)
    clock(learner, due_in=-2, responsible=Responsible.SETTING)  # the school's to act on

    everywhere = queue_of(authority_officer)
    at_hillhead = queue_of(authority_officer, school_id=str(world.other_school.pk))

    assert len(items(everywhere)) == 2
    assert learners_in(at_hillhead) == {hillhead.display_name}
    assert at_hillhead.school == world.other_school
    assert {s.label for s in everywhere.schools} == {
        "Riverside Primary School",
        "Hillhead Primary School",
    }


def test_a_school_of_another_authority_is_refused_with_a_message_and_filters_nothing(
    world: World, learner: Learner, authority_officer: User
) -> None:
    clock(learner, due_in=-2, responsible=Responsible.AUTHORITY)

    queue = queue_of(authority_officer, school_id=str(world.fife_school.pk))

    assert queue.school is None
    assert queue.school_error == "Choose a school from the list."
    assert len(items(queue)) == 1


def test_another_authoritys_officer_sees_none_of_its_clocks(
    learner: Learner, other_learner: Learner, other_authority_officer: User
) -> None:
    clock(learner, due_in=-2, responsible=Responsible.AUTHORITY)
    fife = clock(other_learner, due_in=-2, responsible=Responsible.AUTHORITY)

    queue = queue_of(other_authority_officer)

    assert [item.learner_name for item in items(queue)] == [fife.learner.display_name]


def test_a_class_teacher_sees_every_clock_of_their_linked_learners_and_no_one_elses(
    world: World, learner: Learner, teacher: User
) -> None:
    classmate = enrolled_learner(world.school, legal_last_name="Murray")
    clock(learner, due_in=-2, responsible=Responsible.AUTHORITY)
    clock(learner, due_in=3, responsible=Responsible.SETTING)
    clock(classmate, due_in=-2)

    queue = queue_of(teacher)

    assert learners_in(queue) == {learner.display_name}
    assert len(items(queue)) == 2


def test_an_agency_practitioner_sees_the_clocks_their_agency_must_act_on(
    world: World, learner: Learner, agency_practitioner: User, other_agency: User
) -> None:
    clock(learner, due_in=4, responsible=Responsible.AGENCY, agency=world.agency)
    clock(learner, due_in=4, responsible=Responsible.AGENCY, agency=world.other_agency)
    clock(learner, due_in=4, responsible=Responsible.SETTING)

    [item] = items(queue_of(agency_practitioner))
    assert item.due_on == TODAY + timedelta(days=4)
    # The other agency is not involved with the learner, so cannot see her at all.
    assert items(queue_of(other_agency)) == []


def test_a_learner_who_has_left_the_school_leaves_its_queue(
    learner: Learner, support_lead: User
) -> None:
    clock(learner, due_in=-2)
    learner.enrolments.update(ended_on=TODAY - timedelta(days=1))

    assert items(queue_of(support_lead)) == []


@pytest.mark.parametrize("who", ["parent", "young_person", "analyst", "administrator"])
def test_families_analysts_and_administrators_have_no_work_queue(
    who: str, learner: Learner, request: pytest.FixtureRequest
) -> None:
    clock(learner, due_in=-2)

    assert work_queue_get(actor=acting(request.getfixturevalue(who))) is None


# Plans ------------------------------------------------------------------------------------------


def test_drafts_the_actors_role_may_sign_off_wait_for_them(
    learner: Learner, support_lead: User, teacher: User, authority_officer: User
) -> None:
    school_plan = started_plan(acting(teacher), learner, "individualised_educational_programme")

    for who in (teacher, support_lead):
        [item] = [i for i in items(queue_of(who)) if i.kind == ItemKind.SIGN_OFF]
        assert item.url == reverse(
            "planning:detail", args=[learner.public_id, school_plan.public_id]
        )
        assert item.due_on is None
        assert item in group(queue_of(who), WorkGroupKey.WAITING)
    # Only teachers, support leads and heads sign off a school's programme.
    assert not [i for i in items(queue_of(authority_officer)) if i.kind == ItemKind.SIGN_OFF]


def test_a_coordinated_support_plan_waits_for_the_officer_due_when_its_clock_is(
    learner: Learner, support_lead: User, authority_officer: User
) -> None:
    plan = started_plan(acting(authority_officer), learner, "coordinated_support_plan")
    preparation = StatutoryProcess.objects.get(plan=plan)

    [sign_off] = [i for i in items(queue_of(authority_officer)) if i.kind == ItemKind.SIGN_OFF]
    assert sign_off.due_on == preparation.due_on
    assert not [i for i in items(queue_of(support_lead)) if i.kind == ItemKind.SIGN_OFF]


def test_reviews_falling_due_within_four_weeks_are_listed_with_their_date(
    learner: Learner, support_lead: User
) -> None:
    plan = finalised_plan(acting(support_lead), learner, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY - timedelta(days=5))

    [review] = [i for i in items(queue_of(support_lead)) if i.kind == ItemKind.REVIEW]
    assert (review.due_on, review.days_overdue) == (TODAY - timedelta(days=5), 5)

    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY + timedelta(days=60))
    assert not [i for i in items(queue_of(support_lead)) if i.kind == ItemKind.REVIEW]


def test_a_plan_whose_review_is_already_one_of_the_actors_clocks_is_listed_once(
    learner: Learner, authority_officer: User
) -> None:
    plan = finalised_plan(acting(authority_officer), learner, "coordinated_support_plan")
    review_clock = StatutoryProcess.objects.get(plan=plan, status=ProcessStatus.RUNNING)
    StatutoryProcess.objects.filter(pk=review_clock.pk).update(due_on=TODAY + timedelta(days=3))
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY + timedelta(days=3))

    kinds = [i.kind for i in items(queue_of(authority_officer))]

    assert ItemKind.CLOCK in kinds
    assert ItemKind.REVIEW not in kinds


def test_a_familys_disagreement_waits_for_each_plan_lead_until_they_open_the_plan(
    client: Client, learner: Learner, support_lead: User, head: User, parent: User
) -> None:
    plan = finalised_plan(acting(support_lead), learner, "individualised_educational_programme")
    plan_response_record(
        actor=acting(parent),
        plan=plan,
        response=ResponseKind.DISAGREED,
        words="The reading support is too short.",
    )

    [item] = [i for i in items(queue_of(support_lead)) if i.kind == ItemKind.FAMILY_RESPONSE]
    assert item.disagreement
    assert item.action == f"{parent.full_name} disagrees with the {plan.display_type_name}"
    assert item in group(queue_of(support_lead), WorkGroupKey.WAITING)

    client.force_login(support_lead)
    assert client.get(item.url).status_code == 200

    assert not [i for i in items(queue_of(support_lead)) if i.kind == ItemKind.FAMILY_RESPONSE]
    # Another lead of the plan has still to read it.
    assert [i for i in items(queue_of(head)) if i.kind == ItemKind.FAMILY_RESPONSE]


# Wellbeing --------------------------------------------------------------------------------------


def test_wellbeing_is_due_again_after_the_authoritys_refresh_interval(
    world: World, learner: Learner, support_lead: User
) -> None:
    recent = enrolled_learner(world.school, legal_last_name="Recent")
    soon = enrolled_learner(world.school, legal_last_name="Soon")
    never = enrolled_learner(world.school, legal_last_name="Never")
    add_wellbeing_assessment(learner, assessed_on=add_months(TODAY, -13))
    add_wellbeing_assessment(learner, assessed_on=add_months(TODAY, -14))  # an older one
    add_wellbeing_assessment(recent, assessed_on=add_months(TODAY, -6))
    add_wellbeing_assessment(soon, assessed_on=add_months(TODAY, -12) + timedelta(days=10))
    assert never.display_name  # never assessed: not on a timetable, so not listed

    queue = queue_of(support_lead)

    [late] = [i for i in group(queue, WorkGroupKey.OVERDUE) if i.kind == ItemKind.WELLBEING]
    assert late.learner_name == learner.display_name
    assert late.due_on == add_months(add_months(TODAY, -13), 12)
    assert late.url == reverse("learners:wellbeing_add", args=[learner.public_id])
    [coming] = [i for i in group(queue, WorkGroupKey.NEXT_FOUR_WEEKS) if i.kind == "wellbeing"]
    assert coming.learner_name == soon.display_name

    LocalAuthority.objects.filter(pk=world.school.authority_id).update(wellbeing_refresh_months=6)
    assert {i.learner_name for i in items(queue_of(support_lead))} >= {recent.display_name}


# Scope and cost ---------------------------------------------------------------------------------


def test_the_queue_never_names_a_learner_the_actor_cannot_see(
    learner: Learner, outsider_teacher: User, colleague: User
) -> None:
    clock(learner, due_in=-2)
    clock(learner, due_in=-2, responsible=Responsible.AUTHORITY)
    add_wellbeing_assessment(learner, assessed_on=date(2020, 1, 1))

    assert items(queue_of(outsider_teacher)) == []
    assert items(queue_of(colleague)) == []


def test_a_long_queue_lists_the_most_urgent_of_each_kind_and_says_so(
    client: Client, world: World, learner: Learner, authority_officer: User, monkeypatch
) -> None:
    monkeypatch.setattr("stagewise.accounts.work_queue.MOST_PER_KIND", 2)
    for due_in in (5, -9, -1):
        clock(learner, due_in=due_in, responsible=Responsible.AUTHORITY)

    queue = queue_of(authority_officer)

    assert queue.truncated
    assert [item.days_overdue for item in items(queue)] == [9, 1]
    client.force_login(authority_officer)
    page = client.get(reverse("home")).content.decode()
    assert "the 2 most urgent of each kind are listed" in page
    assert "Choose a school to see the rest." in page


def _home_queries(client: Client, user: User) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


def _busy_school(school: Setting, lead: User, count: int) -> None:
    for number in range(count):
        pupil = enrolled_learner(school, legal_last_name=f"Pupil{number}")
        link_staff(pupil, lead)
        clock(pupil, due_in=number - 10)
        add_wellbeing_assessment(pupil, assessed_on=add_months(TODAY, -13))


def test_the_home_page_costs_the_same_for_one_item_or_twenty(
    client: Client, world: World, support_lead: User, learner: Learner
) -> None:
    _busy_school(world.school, support_lead, 1)
    finalised_plan(acting(support_lead), learner, "individualised_educational_programme")
    one = _home_queries(client, support_lead)

    _busy_school(world.school, support_lead, 19)
    twenty = _home_queries(client, support_lead)

    assert twenty == one
    assert "Pupil18" in client.get(reverse("home")).content.decode()


def test_the_home_page_shows_groups_days_overdue_and_the_calendar_problem(
    client: Client, learner: Learner, support_lead: User
) -> None:
    clock(learner, due_in=-3)
    clock(learner, due_in=None, due_problem="The 2026/27 calendar for Glasgow City is needed.")
    client.force_login(support_lead)

    page = client.get(reverse("home")).content.decode()

    assert "Overdue (1)" in page
    assert "3 days overdue" in page
    assert "Needs a calendar to set the date (1)" in page
    assert "The 2026/27 calendar for Glasgow City is needed." in page
    assert learner.display_name in page
    assert reverse("deadline_board") in page


def test_the_authority_officers_school_filter_says_what_to_fix(
    client: Client, world: World, authority_officer: User
) -> None:
    client.force_login(authority_officer)

    page = client.get(reverse("home"), {"school": "nonsense"}).content.decode()

    assert "There is a problem" in page
    assert "Choose a school from the list." in page


def test_a_plan_page_opened_by_a_family_marks_nothing_read(
    client: Client, learner: Learner, support_lead: User, parent: User
) -> None:
    plan = finalised_plan(acting(support_lead), learner, "individualised_educational_programme")
    plan.status = PlanStatus.ACTIVE
    plan_response_record(actor=acting(parent), plan=plan, response=ResponseKind.AGREED)
    client.force_login(parent)

    client.get(reverse("planning:detail", args=[learner.public_id, plan.public_id]))

    assert [i for i in items(queue_of(support_lead)) if i.kind == ItemKind.FAMILY_RESPONSE]


# Views given before a review that has not been recorded -------------------------------------------


def _views_given_before_review(lead: User, parent: User, learner: Learner, overdue: int) -> Plan:
    """An agreed plan whose family was asked for views before its review, and whose parent gave
    them; its review was due `overdue` days ago and nothing has been recorded."""
    plan = finalised_plan(acting(lead), learner, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY + timedelta(days=14))
    plan.refresh_from_db()
    review_views_invite(actor=acting(lead), plan=plan)
    review_views_give(
        actor=acting(parent),
        plan=plan,
        answers=Answers(going_well="Reading with Mrs Lewis.", worries="Playtimes."),
        version="parent",
        labels={"going_well": "What is going well?", "worries": "What is worrying you?"},
    )
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY - timedelta(days=overdue))
    plan.refresh_from_db()
    return plan


def test_views_given_before_a_review_that_passed_unrecorded_wait_for_the_plans_leads(
    learner: Learner, support_lead: User, head: User, parent: User, outsider_teacher: User
) -> None:
    plan = _views_given_before_review(support_lead, parent, learner, overdue=3)

    for lead in (support_lead, head):
        queue = queue_of(lead)
        [waiting] = [i for i in items(queue) if i.kind == ItemKind.VIEWS_AWAITING_REVIEW]
        assert waiting.action == (
            f"Record the review of the {plan.display_type_name}: views given before it are waiting"
        )
        assert (waiting.due_on, waiting.days_overdue) == (TODAY - timedelta(days=3), 3)
        assert waiting.note == f"Views given {date_format(TODAY, 'j F Y')}"
        assert waiting.url == reverse("planning:detail", args=[learner.public_id, plan.public_id])
        assert waiting in group(queue, WorkGroupKey.OVERDUE)
        # The plain "review" item for the same plan is not listed as well.
        assert not [i for i in items(queue) if i.kind == ItemKind.REVIEW]
    assert not [
        i for i in items(queue_of(outsider_teacher)) if i.kind == ItemKind.VIEWS_AWAITING_REVIEW
    ]


def test_the_item_waits_only_while_the_review_is_overdue_and_unrecorded(
    learner: Learner, support_lead: User, parent: User
) -> None:
    plan = _views_given_before_review(support_lead, parent, learner, overdue=0)

    def waiting() -> list[WorkItem]:
        return [
            i for i in items(queue_of(support_lead)) if i.kind == ItemKind.VIEWS_AWAITING_REVIEW
        ]

    # Due today: not passed yet, so it is an ordinary review.
    assert waiting() == []
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY - timedelta(days=1))
    assert len(waiting()) == 1

    actor = acting(support_lead)
    plan = plan_support_in_place(actor=actor, plan=plan, in_place_on=TODAY)
    plan_review_record(
        actor=actor,
        plan=plan,
        held_on=TODAY,
        attendees="Support lead, parent",
        views_beforehand="",
        progress=[
            TargetProgressEntry(target=target, progress="partly_achieved", evidence="Reading.")
            for target in plan.targets.order_by("pk")
        ],
        decision="continue",
        next_review_on=TODAY + timedelta(days=180),
    )
    assert waiting() == []


def test_an_overdue_review_without_views_is_an_ordinary_review(
    learner: Learner, support_lead: User
) -> None:
    plan = finalised_plan(acting(support_lead), learner, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY - timedelta(days=3))

    kinds = [i.kind for i in items(queue_of(support_lead))]

    assert ItemKind.REVIEW in kinds
    assert ItemKind.VIEWS_AWAITING_REVIEW not in kinds


def test_views_awaiting_review_are_read_in_the_same_queries_however_many(
    world: World, learner: Learner, support_lead: User, parent: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            queue_of(support_lead)
        return len(captured)

    _views_given_before_review(support_lead, parent, learner, overdue=3)
    one = queries()
    for number in range(2):
        pupil = enrolled_learner(world.school, legal_last_name=f"Pupil{number}")
        their_parent = UserFactory.create(email=f"parent{number}@example.org")
        link_carer(pupil, user=their_parent, portal_access=True)
        _views_given_before_review(support_lead, their_parent, pupil, overdue=number + 1)

    assert queries() == one
    assert (
        len([i for i in items(queue_of(support_lead)) if i.kind == ItemKind.VIEWS_AWAITING_REVIEW])
        == 3
    )
