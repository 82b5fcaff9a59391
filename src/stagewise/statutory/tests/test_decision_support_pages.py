"""Decision support on the stage decision and plan decision pages (ADR 0047): the professional
sees what is evidenced and the suggestion, decides, and gives a reason when departing from it,
which is kept with the suggestion that was shown."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.audit.models import AuditEvent
from stagewise.conftest import World
from stagewise.learners.models import Learner, StageDecision
from stagewise.learners.services import stage_decide
from stagewise.planning.models import Plan, PlanReview, SupportProvision, Target
from stagewise.planning.services import plan_create
from stagewise.statutory.decision_support_selectors import stage_decision_support_get
from stagewise.statutory.models import (
    AdditionalLearningProvisionOffer,
    LocalStage,
    StageSuggestionRule,
)
from stagewise.statutory.models.departures import DepartureKind
from stagewise.testing.factories import (
    SettingFactory,
    add_need,
    add_wellbeing_assessment,
    authority,
    enrolled_learner,
    involve_agency,
    staff_for,
)
from stagewise.testing.plans import acting, plan_type, started_plan

TODAY = date.today()


def glasgow_stage(order: int) -> LocalStage:
    return LocalStage.objects.get(stage_model__key="glasgow", order=order)


def test_the_stage_decision_page_shows_each_descriptor_evidenced_or_not_and_the_suggestion(
    signed_in, learner: Learner
) -> None:
    add_need(learner, "11", factor_groups=["learning_environment"])

    page = (
        signed_in("support_lead")
        .get(reverse("learners:stage_decision_add", args=[learner.public_id]))
        .content.decode()
    )

    assert "Decision support" in page and "Suggested stage" in page
    assert "Evidenced" in page and "Not evidenced" in page
    assert "Universal is suggested" not in page and "universal is suggested" in page
    # The agency the world's learner is involved with is linked as evidence.
    assert "Glasgow Speech and Language Therapy" in page
    assert reverse("learners:profile", args=[learner.public_id]) in page


def _record_of_size(learner: Learner, lead, world: World, size: int, plan_key: str) -> None:
    for number in range(size):
        add_need(learner, ["11", "25", "26"][number % 3], factor_groups=["social_and_emotional"])
        add_wellbeing_assessment(learner, assessed_on=date(2025, 10, 1) + timedelta(days=number))
        involve_agency(learner, world.other_agency)
    plan = started_plan(acting(lead), learner, plan_key)
    for number in range(size):
        target = Target.objects.create(plan=plan, outcome=f"Target {number}")
        SupportProvision.objects.create(
            target=target,
            description="Speech therapy",
            provider_agency=world.agency,
            provider_label="SLT",
            frequency="Weekly",
            starts_on=TODAY,
        )
        PlanReview.objects.create(
            plan=plan,
            version_number=1,
            held_on=TODAY - timedelta(days=number),
            attendees="Team",
            decision="change_support",
        )


def test_the_suggestion_follows_the_nations_rule_as_an_administrator_sets_it(
    learner: Learner,
) -> None:
    add_need(learner, "11", factor_groups=["learning_environment"])
    as_loaded = stage_decision_support_get(learner)
    StageSuggestionRule.objects.filter(nation__code="scotland").update(descriptors_needed=1)

    support = stage_decision_support_get(learner)

    assert as_loaded is not None and as_loaded.suggestion.national_stage == "universal"
    assert support is not None and support.suggestion.national_stage == "targeted"
    assert "at least 1 are needed" in support.suggestion.why


def test_decision_support_reads_the_record_in_a_fixed_number_of_queries(
    world: World, learner: Learner, support_lead
) -> None:
    _record_of_size(learner, support_lead, world, 1, "individualised_educational_programme")
    with CaptureQueriesContext(connection) as few:
        stage_decision_support_get(learner)
    _record_of_size(learner, support_lead, world, 4, "childs_plan")
    with CaptureQueriesContext(connection) as many:
        support = stage_decision_support_get(learner)

    assert support is not None
    assert len(support.facts.needs) == 5 and len(support.facts.plans) == 2
    assert len(many) == len(few)


def test_a_departure_is_refused_without_a_reason_or_its_kind_and_kept_with_the_suggestion_shown(
    learner: Learner, support_lead
) -> None:
    decision: dict[str, Any] = {
        "actor": acting(support_lead),
        "learner": learner,
        "stage": glasgow_stage(3),
        "decided_on": TODAY,
        "rationale": "Speech therapy agreed.",
        "next_review_on": TODAY + timedelta(days=90),
    }

    with pytest.raises(ValidationError) as refused:
        stage_decide(**decision)
    with pytest.raises(ValidationError) as without_kind:
        stage_decide(**decision, departure_reason="Therapy starts next week.")
    kept = stage_decide(
        **decision,
        departure_reason="Therapy starts next week.",
        departure_kind=DepartureKind.CHANGE_IN_CIRCUMSTANCES,
    )

    assert "the suggested stage is Stage 1" in refused.value.message_dict["departure_reason"][0]
    assert "Choose the kind of reason" in refused.value.message_dict["departure_kind"][0]
    assert list(without_kind.value.message_dict) == ["departure_kind"]
    stored = StageDecision.objects.get(pk=kept.pk)
    assert (stored.suggested_national_stage, stored.suggested_stage) == (
        "universal",
        glasgow_stage(1),
    )
    assert stored.departs_from_suggestion
    assert stored.departure_reason == "Therapy starts next week."
    assert stored.departure_kind == DepartureKind.CHANGE_IN_CIRCUMSTANCES
    changes = AuditEvent.objects.get(object_type="stage_decision", object_id=str(kept.pk)).changes
    assert (
        changes and "departs_from_suggestion" in changes
    )  # values about a learner are never in the log


def test_following_the_suggestion_needs_no_reason(learner: Learner, support_lead) -> None:
    kept = stage_decide(
        actor=acting(support_lead),
        learner=learner,
        stage=glasgow_stage(1),
        decided_on=TODAY,
        rationale="Class support.",
        next_review_on=TODAY + timedelta(days=90),
        departure_reason="Ignored: nothing departs.",
        departure_kind=DepartureKind.OTHER,
    )

    assert not kept.departs_from_suggestion and kept.departure_reason == ""
    assert kept.departure_kind == ""


def test_a_coordinated_support_plan_shows_the_four_conditions_and_flags_a_looked_after_child(
    signed_in, learner: Learner, support_lead
) -> None:
    Learner.objects.filter(pk=learner.pk).update(looked_after=True)
    learner.refresh_from_db()

    page = (
        signed_in("support_lead")
        .get(reverse("planning:create", args=[learner.public_id]))
        .content.decode()
    )
    with pytest.raises(ValidationError) as refused:
        plan_create(
            actor=acting(support_lead),
            learner=learner,
            plan_type=plan_type("coordinated_support_plan"),
        )
    plan = plan_create(
        actor=acting(support_lead),
        learner=learner,
        plan_type=plan_type("coordinated_support_plan"),
        departure_reason="Looked after; social work asked for one.",
        departure_kind=DepartureKind.VIEWS,
    )

    assert "the four conditions" in page and "must be considered for a co-ordinated" in page
    assert page.count("Not evidenced") == 2  # complex factors and lasting a year
    assert "give the reason for opening one" in refused.value.message_dict["departure_reason"][0]
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.suggested_plan_type == "none" and stored.departs_from_suggestion
    assert stored.looked_after_when_opened
    detail = signed_in("support_lead").get(
        reverse("planning:detail", args=[learner.public_id, plan.public_id])
    )
    assert "Looked after; social work asked for one." in detail.content.decode()
    assert "The child&#x27;s or family&#x27;s views" in detail.content.decode()


@pytest.fixture
def welsh_learner(world: World) -> Learner:
    school = SettingFactory.create(authority=authority("Cardiff"), name="Bayside Primary School")
    learner = enrolled_learner(school, year_group="Y4")
    add_need(learner, "DYSL")
    AdditionalLearningProvisionOffer.objects.create(
        setting=school,
        reason=add_need(learner, "ASD").reason,
        provision="A quiet base",
        source="Test",
        version="1",
    )
    return learner


def test_a_welsh_plan_decision_shows_the_definition_and_what_the_schools_offer_covers(
    client, welsh_learner: Learner
) -> None:
    lead = staff_for(welsh_learner)
    # Above universal: support additional to what the school generally provides.
    StageDecision.objects.create(
        learner=welsh_learner,
        stage=LocalStage.objects.get(stage_model__key="wales", order=2),
        decided_on=TODAY,
        rationale="Additional learning needs.",
        next_review_on=TODAY + timedelta(days=90),
    )
    client.force_login(lead)

    page = client.get(reverse("planning:create", args=[welsh_learner.public_id])).content.decode()
    with pytest.raises(ValidationError) as refused:
        plan_create(
            actor=acting(lead),
            learner=welsh_learner,
            plan_type=plan_type("individual_development_plan_school"),
        )

    assert "Definition of additional learning needs" in page
    assert "A quiet base" in page and "Not covered" in page
    assert (
        "The suggested plan is the individual development plan (maintained by the local"
        in (refused.value.message_dict["departure_reason"][0])
    )
