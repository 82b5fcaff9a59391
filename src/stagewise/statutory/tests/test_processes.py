"""Statutory processes as tracked cases: each clock starts from an event, is due on a date computed
from the rule on the learner's school calendar, moves only by a pause or an extension with a
reason, never past its ceiling, and keeps every step in its history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.learners.models import Learner
from stagewise.organisations.models import Role
from stagewise.planning.models import ReviewDecision
from stagewise.planning.services import plan_close, plan_review_record
from stagewise.planning.services.reviews import TargetProgressEntry
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.statutory.calendar import add_months
from stagewise.statutory.models import (
    ProcessEventKind,
    ProcessOutcome,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
)
from stagewise.statutory.services import (
    process_close,
    process_extend,
    process_pause,
    process_resume,
    process_start,
)
from stagewise.testing.factories import SettingFactory, authority, enrolled_learner
from stagewise.testing.plans import acting, complete_plan, finalised_plan, started_plan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def welsh_learner(db: None) -> Learner:
    school = SettingFactory.create(authority=authority("Cardiff"), name="Ysgol Glan Taf")
    return enrolled_learner(school, year_group="Y4")


def test_a_request_to_establish_needs_is_due_eight_weeks_after_it_came_in(
    support_lead: User, learner: Learner
) -> None:
    received = TODAY - timedelta(days=10)
    process = process_start(
        actor=acting(support_lead),
        learner=learner,
        rule_key="scotland.establish_needs_request",
        started_on=received,
        reason="Parent asked in writing.",
    )
    assert process.due_on == received + timedelta(weeks=8)
    assert process.first_due_on == process.due_on
    assert process.responsible == Responsible.AUTHORITY
    assert process.authority.name == "Glasgow City"
    assert [event.kind for event in process.events.all()] == [ProcessEventKind.STARTED]
    assert AuditEvent.objects.filter(
        object_type="statutory_process", object_id=str(process.public_id)
    ).exists()


def test_the_welsh_school_decision_counts_35_school_days_on_the_cardiff_calendar(
    support_lead: User, welsh_learner: Learner
) -> None:
    lead = User.objects.create(email="alnco@example.org", full_name="Rhian")
    from stagewise.testing.factories import MembershipFactory

    MembershipFactory.create(
        user=lead,
        role=Role.SUPPORT_FOR_LEARNING_LEAD,
        setting=welsh_learner.enrolments.get().setting,
    )
    process = process_start(
        actor=acting(lead),
        learner=welsh_learner,
        rule_key="wales.individual_development_plan_school_decision",
        started_on=date(2026, 2, 2),
    )
    # CALENDARS.md's worked count: 35 term days after Monday 2 February 2026, skipping the
    # February half-term and Easter, is Monday 13 April 2026.
    assert process.due_on == date(2026, 4, 13)
    assert process.responsible == Responsible.SETTING


def test_a_clock_that_runs_past_the_last_loaded_calendar_says_which_calendar_is_needed(
    welsh_learner: Learner,
) -> None:
    process = process_start(
        actor=SYSTEM,
        learner=welsh_learner,
        rule_key="wales.individual_development_plan_school_decision",
        started_on=date(2026, 6, 15),
    )
    assert process.due_on is None
    assert process.due_problem == "The 2026/27 calendar for Cardiff is needed to set this date."
    assert process.calendar_year_needed == "2026-27"


def test_a_rule_of_the_other_nation_is_refused(support_lead: User, learner: Learner) -> None:
    with pytest.raises(ValidationError, match="not used in Scotland"):
        process_start(
            actor=acting(support_lead),
            learner=learner,
            rule_key="wales.individual_development_plan_review",
            started_on=TODAY,
        )


def test_the_same_clock_cannot_run_twice_for_a_learner(
    support_lead: User, learner: Learner
) -> None:
    for _attempt in range(2):
        try:
            process_start(
                actor=acting(support_lead),
                learner=learner,
                rule_key="scotland.early_review_request",
                started_on=TODAY,
            )
        except ValidationError as error:
            assert "already running" in str(error)
    assert StatutoryProcess.objects.filter(learner=learner).count() == 1


def test_a_clock_cannot_start_in_the_future_unless_it_counts_back_from_the_event(
    support_lead: User, learner: Learner
) -> None:
    with pytest.raises(ValidationError, match="cannot be in the future"):
        process_start(
            actor=acting(support_lead),
            learner=learner,
            rule_key="scotland.establish_needs_request",
            started_on=TODAY + timedelta(days=1),
        )
    leaving = date(TODAY.year + 2, 6, 30)
    process = process_start(
        actor=acting(support_lead),
        learner=learner,
        rule_key="scotland.leaving_seek_views",
        started_on=leaving,
    )
    assert process.due_on == add_months(leaving, -12)


def test_an_extension_needs_a_reason_and_stops_at_the_24_week_ceiling(
    authority_officer: User, learner: Learner
) -> None:
    officer = acting(authority_officer)
    started = TODAY - timedelta(days=3)
    process = process_start(
        actor=officer,
        learner=learner,
        rule_key="scotland.coordinated_support_plan_prepare",
        started_on=started,
    )
    assert process.due_on == started + timedelta(weeks=16)
    assert process.ceiling_on == started + timedelta(weeks=24)
    with pytest.raises(ValidationError, match="Give the reason"):
        process_extend(actor=officer, process=process, new_due_on=process.due_on, reason=" ")
    with pytest.raises(ValidationError) as refused:
        process_extend(
            actor=officer,
            process=process,
            new_due_on=started + timedelta(weeks=24, days=1),
            reason="Health report late",
        )
    message = str(refused.value)
    assert "24 weeks" in message and "Enquire" in message
    process.refresh_from_db()
    assert process.due_on == started + timedelta(weeks=16)

    process_extend(
        actor=officer,
        process=process,
        new_due_on=started + timedelta(weeks=20),
        reason="The health board's report is late.",
    )
    process.refresh_from_db()
    assert process.due_on == started + timedelta(weeks=20)
    step = process.events.get(kind=ProcessEventKind.EXTENDED)
    assert (step.due_before, step.due_after) == (
        started + timedelta(weeks=16),
        started + timedelta(weeks=20),
    )
    assert step.reason == "The health board's report is late."
    with pytest.raises(ValidationError, match="must be later"):
        process_extend(
            actor=officer, process=process, new_due_on=started + timedelta(weeks=18), reason="x"
        )


def test_a_paused_clock_resumes_with_its_date_moved_on_by_the_time_it_stood_still(
    support_lead: User, learner: Learner
) -> None:
    lead = acting(support_lead)
    started = TODAY - timedelta(days=30)
    process = process_start(
        actor=lead,
        learner=learner,
        rule_key="scotland.establish_needs_request",
        started_on=started,
    )
    process_pause(
        actor=lead, process=process, paused_on=TODAY - timedelta(days=20), reason="Parent asked"
    )
    assert process.status == ProcessStatus.PAUSED
    with pytest.raises(ValidationError, match="already paused"):
        process_pause(actor=lead, process=process, paused_on=TODAY, reason="again")
    process_resume(actor=lead, process=process, resumed_on=TODAY - timedelta(days=6))
    assert process.status == ProcessStatus.RUNNING
    assert process.due_on == started + timedelta(weeks=8, days=14)


def test_closing_records_the_outcome_and_whether_it_was_late(
    support_lead: User, learner: Learner
) -> None:
    lead = acting(support_lead)
    process = process_start(
        actor=lead,
        learner=learner,
        rule_key="scotland.early_review_request",
        started_on=TODAY - timedelta(weeks=5),
    )
    with pytest.raises(ValidationError, match="Say why"):
        process_close(
            actor=lead, process=process, closed_on=TODAY, outcome=ProcessOutcome.WITHDRAWN
        )
    process_close(actor=lead, process=process, closed_on=TODAY, outcome=ProcessOutcome.DONE)
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED
    assert process.closed_late
    with pytest.raises(ValidationError, match="closed"):
        process_extend(actor=lead, process=process, new_due_on=TODAY, reason="late")


@pytest.mark.parametrize("who", ["teacher", "psychologist", "parent", "outsider_teacher"])
def test_only_those_who_run_the_clocks_may_start_one(
    who: str, learner: Learner, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(CapabilityRequired):
        process_start(
            actor=acting(user),
            learner=learner,
            rule_key="scotland.establish_needs_request",
            started_on=TODAY,
        )
    assert not StatutoryProcess.objects.exists()


def test_another_authoritys_officer_cannot_touch_the_clock(
    authority_officer: User, other_authority_officer: User, learner: Learner
) -> None:
    process = process_start(
        actor=acting(authority_officer),
        learner=learner,
        rule_key="scotland.establish_needs_request",
        started_on=TODAY,
    )
    with pytest.raises(CapabilityRequired):
        process_pause(
            actor=acting(other_authority_officer), process=process, paused_on=TODAY, reason="x"
        )


def test_a_coordinated_support_plan_runs_its_clocks_from_opening_to_review(
    support_lead: User, authority_officer: User, learner: Learner
) -> None:
    lead = acting(support_lead)
    officer = acting(authority_officer)
    plan = complete_plan(lead, learner, "coordinated_support_plan")
    preparing = StatutoryProcess.objects.get(
        plan=plan, rule_key="scotland.coordinated_support_plan_prepare"
    )
    assert preparing.due_on == TODAY + timedelta(weeks=16)
    assert preparing.responsible == Responsible.AUTHORITY

    from stagewise.planning.services import plan_finalise

    plan_finalise(actor=officer, plan=plan, based_on_revision=plan.edit_revision)
    preparing.refresh_from_db()
    assert preparing.status == ProcessStatus.CLOSED
    assert preparing.outcome == ProcessOutcome.DONE
    review = StatutoryProcess.objects.get(
        plan=plan, rule_key="scotland.coordinated_support_plan_review"
    )
    assert review.due_on == add_months(TODAY, 12)

    plan.refresh_from_db()
    plan_review_record(
        actor=officer,
        plan=plan,
        held_on=TODAY,
        attendees="Parent, class teacher",
        views_beforehand="",
        progress=[
            TargetProgressEntry(target=target, progress="achieved", evidence="Reading record")
            for target in plan.targets.all()
        ],
        decision=ReviewDecision.CONTINUE,
        next_review_on=TODAY + timedelta(days=180),
    )
    review.refresh_from_db()
    assert review.status == ProcessStatus.CLOSED
    following = StatutoryProcess.objects.filter(
        plan=plan, rule_key="scotland.coordinated_support_plan_review", status="running"
    ).get()
    assert following.started_on == TODAY

    plan.refresh_from_db()
    plan_close(actor=officer, plan=plan, closed_on=TODAY, reason="Moved away")
    following.refresh_from_db()
    assert following.status == ProcessStatus.CLOSED
    assert following.outcome == ProcessOutcome.WITHDRAWN


def test_opening_a_plan_joins_the_clock_already_running_from_the_request(
    support_lead: User, learner: Learner
) -> None:
    lead = acting(support_lead)
    request_came_in = TODAY - timedelta(days=20)
    running = process_start(
        actor=lead,
        learner=learner,
        rule_key="scotland.coordinated_support_plan_prepare",
        started_on=request_came_in,
    )
    plan = started_plan(lead, learner, "coordinated_support_plan")
    running.refresh_from_db()
    assert running.plan == plan
    assert StatutoryProcess.objects.filter(learner=learner).count() == 1


def test_a_non_statutory_plan_runs_no_clock(support_lead: User, learner: Learner) -> None:
    finalised_plan(acting(support_lead), learner, "individualised_educational_programme")
    assert not StatutoryProcess.objects.exists()


def test_a_mistyped_year_is_refused_with_a_message_not_an_error(
    support_lead: User, learner: Learner
) -> None:
    with pytest.raises(ValidationError) as refused:
        process_start(
            actor=acting(support_lead),
            learner=learner,
            rule_key="scotland.leaving_seek_views",
            started_on=date(1, 1, 5),
        )
    assert "started_on" in refused.value.message_dict
    assert not StatutoryProcess.objects.exists()
