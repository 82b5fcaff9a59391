"""The synthetic population's plans and statutory clocks: at the published rates, with due dates
spread as a real caseload's are, and every clock exactly as the clock services would make it."""

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from stagewise.learners.models import Learner
from stagewise.planning.models import Plan, PlanStatus
from stagewise.statutory.models import (
    ProcessEventKind,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
)
from stagewise.statutory.services import compute_due
from stagewise.synthetic import clocks
from stagewise.synthetic.services import PopulationReport, population_create
from stagewise.testing.worlds import built_once_per_module

AS_OF = date(2026, 11, 20)
SCALE = 0.01

# Calibration of the generated figures: CI runs it on PostgreSQL only (testing/database_passes.py).
pytestmark = [pytest.mark.django_db, pytest.mark.synthetic_calibration]


@pytest.fixture(scope="module")
def population(django_db_setup: None, django_db_blocker: Any) -> Iterator[PopulationReport]:
    # Built once and rolled back after the module: the keys come from the rows present, so the
    # other synthetic tests' sequences are untouched.
    with built_once_per_module(
        lambda: population_create(nation="both", scale=SCALE, seed=7, as_of=AS_OF),
        django_db_blocker,
    ) as report:
        yield report


def with_needs(nation: str) -> int:
    return (
        Learner.objects.filter(
            needs__isnull=False,
            enrolments__ended_on__isnull=True,
            enrolments__setting__authority__nation__code=nation,
        )
        .distinct()
        .count()
    )


def plans_of(key: str, **filters: object) -> int:
    return Plan.objects.filter(plan_type__key=key, **filters).count()


def test_scottish_plans_come_out_at_the_published_shares_of_pupils_with_needs(
    population: PopulationReport,
) -> None:
    pupils = with_needs("scotland")
    assert plans_of("individualised_educational_programme") / pupils == pytest.approx(
        clocks.INDIVIDUALISED_EDUCATIONAL_PROGRAMME_SHARE, abs=0.03
    )
    assert plans_of("childs_plan") / pupils == pytest.approx(clocks.CHILDS_PLAN_SHARE, abs=0.03)
    # 1,215 co-ordinated support plans nationally, 0.4% of pupils with needs: about 11 at 1%.
    finalised = plans_of("coordinated_support_plan", status=PlanStatus.ACTIVE)
    assert 0.002 < finalised / pupils < 0.007


def test_every_coordinated_support_plan_has_one_review_clock_kept_by_the_authority(
    population: PopulationReport,
) -> None:
    for plan in Plan.objects.filter(plan_type__key="coordinated_support_plan"):
        open_clocks = plan.statutory_processes.exclude(status=ProcessStatus.CLOSED)
        expected = (
            "scotland.coordinated_support_plan_review"
            if plan.status == PlanStatus.ACTIVE
            else "scotland.coordinated_support_plan_prepare"
        )
        assert open_clocks.filter(rule_key=expected).count() == 1
        assert {p.responsible for p in open_clocks} <= {Responsible.AUTHORITY, Responsible.AGENCY}
        if plan.status == PlanStatus.ACTIVE:
            review = open_clocks.get(rule_key=expected)
            assert plan.next_review_on == review.due_on


def test_most_welsh_learners_with_additional_learning_needs_have_a_plan_with_a_review_clock(
    population: PopulationReport,
) -> None:
    learners = with_needs("wales")
    plans = plans_of("individual_development_plan_school") + plans_of(
        "individual_development_plan_local_authority"
    )
    assert plans / learners == pytest.approx(clocks.INDIVIDUAL_DEVELOPMENT_PLAN_SHARE, abs=0.03)
    reviews = StatutoryProcess.objects.filter(
        rule_key="wales.individual_development_plan_review", status=ProcessStatus.RUNNING
    )
    assert reviews.count() == plans
    school_kept = reviews.filter(plan__plan_type__key="individual_development_plan_school")
    assert set(school_kept.values_list("responsible", flat=True)) == {Responsible.SETTING}


def test_open_clocks_are_spread_some_overdue_some_due_this_week_most_later(
    population: PopulationReport,
) -> None:
    dated: list[date] = [
        due
        for due in StatutoryProcess.objects.filter(status=ProcessStatus.RUNNING).values_list(
            "due_on", flat=True
        )
        if due is not None
    ]
    overdue = sum(1 for due in dated if due < AS_OF)
    this_week = sum(1 for due in dated if AS_OF <= due < AS_OF + timedelta(days=7))
    later = len(dated) - overdue - this_week
    assert 0.03 < overdue / len(dated) < 0.2
    assert this_week > 0
    assert later > len(dated) / 2


def test_clocks_closed_in_the_last_year_include_some_on_time_and_some_late(
    population: PopulationReport,
) -> None:
    closed = StatutoryProcess.objects.filter(
        status=ProcessStatus.CLOSED, closed_on__gte=AS_OF - timedelta(days=365)
    )
    late = [p for p in closed if p.closed_late]
    on_time = [p for p in closed if p.due_on and not p.closed_late]
    assert late and on_time
    assert len(on_time) > len(late)
    assert not StatutoryProcess.objects.filter(closed_on__gt=AS_OF).exists()


def test_every_clock_is_what_the_clock_services_would_have_computed(
    population: PopulationReport,
) -> None:
    processes = StatutoryProcess.objects.select_related("timescale__nation", "authority", "setting")
    problems: Counter[str] = Counter()
    for process in processes:
        computed = compute_due(
            timescale=process.timescale,
            start=process.started_on,
            authority=process.authority,
            setting=process.setting,
        )
        assert (process.due_on, process.due_problem, process.calendar_year_needed) == (
            computed.due_on,
            computed.problem,
            computed.academic_year_needed,
        ), process
        assert process.first_due_on == process.due_on
        if process.timescale.ceiling_amount:
            assert (
                process.ceiling_on
                == compute_due(
                    timescale=process.timescale,
                    start=process.started_on,
                    authority=process.authority,
                    setting=process.setting,
                    amount=process.timescale.ceiling_amount,
                    unit=process.timescale.ceiling_unit,
                ).due_on
            )
        if process.due_problem:
            problems[process.due_problem] += 1
    # Cardiff's 2025/26 calendar is loaded; 2026/27 is not, so open school decisions say so.
    assert any("2026/27 calendar for Cardiff" in problem for problem in problems)
    assert StatutoryProcess.objects.filter(
        rule_key="wales.individual_development_plan_school_decision",
        authority__name="Cardiff",
        due_on__isnull=False,
    ).exists()


def test_every_clock_has_its_history_and_no_clock_runs_twice(population: PopulationReport) -> None:
    started = Counter(
        StatutoryProcess.objects.filter(events__kind=ProcessEventKind.STARTED).values_list(
            "pk", flat=True
        )
    )
    assert set(started.values()) == {1}
    assert len(started) == StatutoryProcess.objects.count()
    closed = StatutoryProcess.objects.filter(status=ProcessStatus.CLOSED)
    assert closed.filter(events__kind=ProcessEventKind.CLOSED).count() == closed.count()
    assert not (
        StatutoryProcess.objects.exclude(status=ProcessStatus.CLOSED)
        .values("learner", "rule_key", "agency")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    agency_clocks = StatutoryProcess.objects.filter(rule_key="scotland.agency_help")
    assert not agency_clocks.filter(agency__isnull=True).exists()


def test_every_active_plan_is_agreed_on_the_day_it_starts_as_a_document_naming_the_learner(
    population: PopulationReport,
) -> None:
    from stagewise.planning.documents import plan_document_load
    from stagewise.planning.models import PlanVersion

    active = Plan.objects.filter(status=PlanStatus.ACTIVE)
    assert active.exists()
    assert PlanVersion.objects.count() == active.count()
    assert not PlanVersion.objects.filter(plan__status=PlanStatus.DRAFT).exists()
    for version in PlanVersion.objects.select_related("plan__learner")[:50]:
        assert version.number == 1
        assert timezone.localtime(version.finalised_at).date() == version.plan.starts_on
        document = plan_document_load(version.document)
        assert document.learner.name == version.plan.learner.display_name
        assert document.plan_type_key == version.plan.plan_type.key
        assert version.finalised_role in version.plan.plan_type.sign_off_roles


def test_the_impact_of_support_has_figures_on_the_synthetic_population(
    population: PopulationReport,
) -> None:
    """Plans agreed in earlier years, attendance before them and wellbeing before and since:
    the refresh finds learners to measure for both impact measures and for learners with a
    plan, in both nations. On 20 November no term of 2026/27 has ended, so the change in
    attendance is last year's; wellbeing since the plan is this year's."""
    from stagewise.measurement.models import SummaryFigure
    from stagewise.measurement.refresh import measures_refresh
    from stagewise.policy import SYSTEM

    measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    nations = SummaryFigure.objects.filter(
        level="nation", breakdown="all", additional_support_needs=True
    )
    for code, year in (
        ("learners_with_a_plan", 2026),
        ("attendance_change_since_plan", 2025),
        ("wellbeing_change_since_plan", 2026),
    ):
        for nation in ("scotland", "wales"):
            figure = nations.get(measure__code=code, scope=f"nation:{nation}", school_year=year)
            assert figure.learners > 0 and figure.numerator != 0, (code, nation)
    by_type = SummaryFigure.objects.filter(
        level="nation", breakdown="plan_type", measure__code="attendance_rate"
    ).values_list("breakdown_value", flat=True)
    assert {"individualised_educational_programme", "no_plan"} <= set(by_type)


# What the statutory test may have suggested when a plan of each tested type was opened: the type
# itself, no statutory plan, or for a development plan the one kept by the other body.
DEVELOPMENT_PLANS = {
    "individual_development_plan_school",
    "individual_development_plan_local_authority",
}
MAY_HAVE_SUGGESTED = {
    "coordinated_support_plan": {"coordinated_support_plan", "none"},
    **{key: DEVELOPMENT_PLANS | {"none"} for key in DEVELOPMENT_PLANS},
}


def test_plans_carry_the_school_that_opened_them_and_the_statutory_tests_suggestion(
    population: PopulationReport,
) -> None:
    """As plan_create keeps them: every plan names the school the learner was enrolled at when it
    was opened (which moderation samples by), and each co-ordinated support plan or individual
    development plan the statutory test's suggestion, some opened against it with a kind of
    reason and a sentence; the refresh then counts the plan decisions with the stage decisions."""
    from stagewise.learners.models import Enrolment
    from stagewise.measurement.models import DecisionKind, DepartureFigure, ScopeLevel
    from stagewise.measurement.refresh import measures_refresh
    from stagewise.policy import SYSTEM
    from stagewise.statutory.decision_support_plans import TESTED_PLAN_TYPES
    from stagewise.statutory.models import DepartureKind

    schools = dict(
        Enrolment.objects.filter(ended_on__isnull=True).values_list("learner_id", "setting_id")
    )
    plans = list(
        Plan.objects.values_list(
            "learner_id",
            "opened_for_setting_id",
            "plan_type__key",
            "suggested_plan_type",
            "departs_from_suggestion",
            "departure_kind",
            "departure_reason",
        )
    )
    tested = [plan for plan in plans if plan[2] in TESTED_PLAN_TYPES]
    assert {plan[2] for plan in tested} == TESTED_PLAN_TYPES == set(MAY_HAVE_SUGGESTED)
    assert all(opened == schools[learner] for learner, opened, *_rest in plans)
    assert all(plan[3:] == ("", False, "", "") for plan in plans if plan not in tested)
    for _learner, _opened, key, suggested, departs, kind, reason in tested:
        assert departs == (suggested != key)
        assert suggested in MAY_HAVE_SUGGESTED[key]
        assert bool(kind) == bool(reason) == departs
        assert not kind or kind in DepartureKind.values
    departed = [plan for plan in tested if plan[4]]
    assert 0.05 < len(departed) / len(tested) < 0.3
    assert {plan[3] for plan in departed} > {"none"}

    measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    counted = Counter(
        dict(
            DepartureFigure.objects.filter(
                level=ScopeLevel.NATION, school_year=2026, decision=DecisionKind.PLAN
            )
            .values_list("departs")
            .annotate(total=Sum("decisions"))
        )
    )
    assert counted == {False: len(tested) - len(departed), True: len(departed)}
