"""The synthetic population at small scales: deterministic, complete, calibrated, written once."""

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db.models import Count, F, Q, QuerySet

from stagewise.accounts.models import User
from stagewise.audit.models import LearnerAuditKey
from stagewise.coordination.models import (
    RequestEvent,
    RequestForAssistance,
    ServicePathway,
    SharingConsent,
)
from stagewise.learners.models import (
    Carer,
    Enrolment,
    Learner,
    LearnerCarer,
    Need,
    StageDecision,
    WellbeingAssessment,
    WellbeingRating,
)
from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    MainstreamTime,
    PartTimeTimetable,
    Qualification,
)
from stagewise.organisations.models import (
    Agency,
    LocalAuthority,
    Membership,
    Nation,
    Setting,
)
from stagewise.planning.models import Plan, PlanVersion
from stagewise.statutory.models import (
    CoordinatedSupportPlanConsideration,
    NationalStage,
    ProcessEvent,
    StatutoryProcess,
)
from stagewise.statutory.selectors import stage_model_for
from stagewise.synthetic.plan import (
    SYNTHETIC_SETTING_PREFIX,
    population_plan,
)
from stagewise.synthetic.population import population_rows
from stagewise.synthetic.services import PopulationReport, population_create
from stagewise.synthetic.writers import TABLES
from stagewise.testing.worlds import built_once_per_module

AS_OF = date(2026, 11, 20)
# Big enough for the calibration to show through sampling noise, small enough to run in seconds.
CALIBRATION_SCALE = 0.01
TINY_SCALE = 0.001


def current_learners(nation_code: str) -> list[Learner]:
    return list(
        Learner.objects.filter(
            enrolments__ended_on__isnull=True,
            enrolments__setting__authority__nation__code=nation_code,
        )
    )


@pytest.fixture(scope="module")
def scottish_population(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[PopulationReport]:
    """Scotland at the calibration scale, built once for the module and rolled back after it (the
    tests that build populations of their own are in test_population_of_both_nations.py)."""
    with built_once_per_module(
        lambda: population_create(nation="scotland", scale=CALIBRATION_SCALE, seed=7, as_of=AS_OF),
        django_db_blocker,
    ) as report:
        yield report


@pytest.fixture
def scotland(scottish_population: PopulationReport, db: None) -> PopulationReport:
    """The module's population, with this test's changes rolled back when it ends."""
    return scottish_population


def generated(nation: str, scale: float, seed: int, first_ids: dict[str, int]) -> list:
    plans = population_plan(nation_codes=[nation], scale=scale)
    return list(population_rows(plans, seed=seed, as_of=AS_OF, first_ids=first_ids))


def without_audit_keys(batches: list) -> list:
    """The rows but the learners' audit keys, which are random whatever the seed (ADR 0033)."""
    return [
        ({key: rows for key, rows in batch.items() if key != "learner_audit_keys"}, count)
        for batch, count in batches
    ]


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(db: None) -> None:
    first_ids = {table.key: 1 for table in TABLES}
    once = generated("scotland", TINY_SCALE, 11, first_ids)
    again = generated("scotland", TINY_SCALE, 11, first_ids)
    other_seed = generated("scotland", TINY_SCALE, 12, first_ids)
    assert without_audit_keys(once) == without_audit_keys(again)
    assert without_audit_keys(once) != without_audit_keys(other_seed)


def test_the_database_holds_exactly_the_generated_rows(scotland: PopulationReport) -> None:
    expected = generated("scotland", CALIBRATION_SCALE, 7, scotland.first_ids)
    learners = [row for batch, _count in expected for row in batch.get("learners", [])]
    stored = list(Learner.objects.order_by("pk").values_list("pk", "public_id", "candidate_number"))
    assert [(row[0], row[1], row[7]) for row in learners] == [
        (pk, public_id.hex, number) for pk, public_id, number in stored
    ]


def test_every_table_is_written_once(scotland: PopulationReport) -> None:
    assert scotland.rows == {
        "settings": Setting.objects.filter(name__startswith=SYNTHETIC_SETTING_PREFIX).count(),
        "learners": Learner.objects.count(),
        "carers": Carer.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "learner_carers": LearnerCarer.objects.count(),
        "needs": Need.objects.count(),
        "stage_decisions": StageDecision.objects.count(),
        "considerations": CoordinatedSupportPlanConsideration.objects.count(),
        "agencies": Agency.objects.filter(name__startswith=SYNTHETIC_SETTING_PREFIX).count(),
        "plans": Plan.objects.count(),
        "plan_versions": PlanVersion.objects.count(),
        "processes": StatutoryProcess.objects.count(),
        "process_events": ProcessEvent.objects.count(),
        "pathways": ServicePathway.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "requests": RequestForAssistance.objects.count(),
        "consents": SharingConsent.objects.count(),
        "request_events": RequestEvent.objects.count(),
        "attendance": AttendanceRecord.objects.count(),
        "exclusions": Exclusion.objects.count(),
        "part_time": PartTimeTimetable.objects.count(),
        "mainstream_time": MainstreamTime.objects.count(),
        "judgements": CurriculumJudgement.objects.count(),
        "qualifications": Qualification.objects.count(),
        "wellbeing_assessments": WellbeingAssessment.objects.count(),
        "wellbeing_ratings": WellbeingRating.objects.count(),
        "learner_audit_keys": LearnerAuditKey.objects.count(),
    }
    assert scotland.learners == Learner.objects.count()
    # Every learner has their audit key, written in bulk beside them.
    assert not Learner.objects.filter(audit_key__isnull=True).exists()
    # One current enrolment each, and no need recorded twice for a learner.
    assert set(
        Enrolment.objects.filter(ended_on__isnull=True)
        .values("learner")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    ) == {1}
    assert not Need.objects.values("learner", "reason").annotate(n=Count("pk")).filter(n__gt=1)
    # Siblings share carers, but no carer is linked to the same learner twice.
    assert (
        not LearnerCarer.objects.values("learner", "carer").annotate(n=Count("pk")).filter(n__gt=1)
    )


def test_the_keys_continue_after_existing_rows_and_sequences_follow(
    scotland: PopulationReport,
) -> None:
    assert scotland.first_ids["learners"] == 1
    learner = Learner.objects.create(
        legal_first_name="After",
        legal_last_name="Load",
        date_of_birth=date(2015, 1, 1),
        sex="female",
        candidate_number="000000001",
    )
    assert learner.pk == Learner.objects.count()


def test_scotland_is_calibrated_to_the_published_figures(scotland: PopulationReport) -> None:
    learners = current_learners(Nation.SCOTLAND)
    with_needs = set(Need.objects.values_list("learner_id", flat=True))
    rate = len(with_needs) / len(learners)
    assert 0.375 <= rate <= 0.435  # 40.5%
    boys = sum(1 for learner in learners if learner.pk in with_needs and learner.sex == "male")
    assert 0.56 <= boys / len(with_needs) <= 0.64  # ~60%

    learners_with = Counter(
        code for code, _learner in set(Need.objects.values_list("reason__code", "learner_id"))
    )
    learning_difficulty = Need.objects.filter(reason__code__in=["10", "11", "12", "13"])
    share = {code: count / len(with_needs) for code, count in learners_with.items()}
    share["learning difficulty"] = learning_difficulty.values("learner").distinct().count() / len(
        with_needs
    )
    ranking = ["learning difficulty", "26", "41", "48", "44", "28"]
    assert sorted(ranking, key=lambda code: -share[code]) == ranking
    assert share["learning difficulty"] == pytest.approx(0.37, abs=0.04)
    assert share["26"] == pytest.approx(0.26, abs=0.04)
    assert share["25"] == pytest.approx(0.129, abs=0.03)
    assert len(Need.objects.all()) / len(with_needs) > 1.3  # several needs per learner


def test_authority_rates_spread_and_deprivation_and_attendance(scotland: PopulationReport) -> None:
    current = Enrolment.objects.filter(ended_on__isnull=True)
    rates = [
        row["with_needs"] / row["learners"]
        for row in current.values("setting__authority")
        .annotate(
            learners=Count("learner", distinct=True),
            with_needs=Count("learner", filter=Q(learner__needs__isnull=False), distinct=True),
        )
        .filter(learners__gte=100)
    ]
    assert min(rates) < 0.15 and max(rates) > 0.5

    def needs_rate(deciles: list[int]) -> float:
        group = Learner.objects.filter(deprivation_decile__in=deciles)
        return group.filter(needs__isnull=False).distinct().count() / group.count()

    assert needs_rate([1, 2]) > needs_rate([9, 10]) + 0.08

    def mean_attendance(enrolments: QuerySet[Enrolment]) -> float:
        values = [float(e.attendance_percentage or 0) for e in enrolments]
        return sum(values) / len(values)

    with_needs = current.filter(learner__needs__isnull=False).distinct()
    without = current.exclude(learner__needs__isnull=False)
    assert mean_attendance(with_needs) == pytest.approx(87, abs=1.5)
    assert mean_attendance(without) == pytest.approx(92, abs=1.5)


def test_stage_decisions_use_the_learners_authority_model(scotland: PopulationReport) -> None:
    authority_of = dict(
        Enrolment.objects.filter(ended_on__isnull=True).values_list(
            "learner_id", "setting__authority_id"
        )
    )
    models = {
        authority.pk: stage_model_for(authority).pk
        for authority in LocalAuthority.objects.filter(nation__code=Nation.SCOTLAND)
    }
    decisions = StageDecision.objects.select_related("stage")
    assert decisions.exists()
    # Glasgow, Edinburgh, Fife, North Lanarkshire and Aberdeen have their own models: all used.
    assert len({decision.stage.stage_model_id for decision in decisions}) >= 6
    for decision in decisions:
        assert decision.stage.stage_model_id == models[authority_of[decision.learner_id]]
        assert decision.next_review_on > decision.decided_on
        assert decision.decided_on <= AS_OF
        assert decision.stage.national_stage != NationalStage.UNIVERSAL
    decided = set(decisions.values_list("learner_id", flat=True))
    with_needs = set(Need.objects.values_list("learner_id", flat=True))
    assert decided <= with_needs
    assert len(decided) / len(with_needs) > 0.75  # most learners with needs


def test_dates_are_consistent(scotland: PopulationReport) -> None:
    assert not Need.objects.filter(identified_on__gt=AS_OF).exists()
    assert not Need.objects.filter(resolved_on__lt=F("identified_on")).exists()
    assert not Enrolment.objects.filter(started_on__gt=AS_OF).exists()
    assert not Enrolment.objects.filter(ended_on__lt=F("started_on")).exists()
    ages = {
        learner.age_on(AS_OF)
        for learner in Learner.objects.filter(
            enrolments__year_group="P1", enrolments__ended_on__isnull=True
        )
    }
    assert ages <= {4, 5, 6}
    assert not Learner.objects.exclude(staff_notes="").exists()
