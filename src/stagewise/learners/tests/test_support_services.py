"""Recording needs, stage decisions, wellbeing and chronology: refused with a message saying what
to fix, never half-saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from stagewise.accounts.actors import actors_for
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.learners.models import Need, StageDecision, WellbeingAssessment, WellbeingIndicator
from stagewise.learners.services import (
    chronology_record,
    need_record,
    need_resolve,
    stage_decide,
    wellbeing_assess,
)
from stagewise.statutory.models import LocalStage, ReasonForSupport, StageModel
from stagewise.testing.factories import JUDGED_BEYOND_THE_RECORD, JUDGED_BEYOND_THE_RECORD_KIND

TODAY = date.today()


@pytest.fixture
def actor(teacher):
    return actors_for(teacher)[0]


def scottish_reason(code: str = "11") -> ReasonForSupport:
    return ReasonForSupport.objects.get(nation__code="scotland", code=code)


def glasgow_stage(order: int = 2) -> LocalStage:
    return LocalStage.objects.get(stage_model__key="glasgow", order=order)


def test_a_need_is_recorded_with_who_identified_it_and_an_audit_event(actor, learner):
    need = need_record(
        actor=actor,
        learner=learner,
        reason=scottish_reason(),
        identified_on=date(2025, 9, 1),
        factor_groups=["learning_environment"],
        evidence="Reading assessment",
    )

    assert need.identified_by == actor.user
    assert need.is_active
    assert AuditEvent.objects.filter(object_type="need", action=AuditAction.CREATE).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"identified_on": TODAY + timedelta(days=1)}, "identified_on", "cannot be in the future"),
        ({"factor_groups": ["made_up"]}, "factor_groups", "Choose factor groups"),
        ({"reason": "welsh"}, "reason", "used in Scotland"),
    ],
)
def test_a_bad_need_is_refused_and_nothing_is_saved(actor, learner, change, field, message):
    arguments = {"reason": scottish_reason(), "identified_on": date(2025, 9, 1)} | change
    if arguments["reason"] == "welsh":
        arguments["reason"] = ReasonForSupport.objects.get(nation__code="wales", code="ASD")

    with pytest.raises(ValidationError) as refused:
        need_record(actor=actor, learner=learner, **arguments)

    assert message in " ".join(refused.value.message_dict[field])
    assert not Need.objects.exists()


def test_a_need_cannot_be_resolved_before_it_was_identified(actor, learner):
    need = need_record(
        actor=actor, learner=learner, reason=scottish_reason(), identified_on=date(2025, 9, 1)
    )

    with pytest.raises(ValidationError) as refused:
        need_resolve(actor=actor, need=need, resolved_on=date(2025, 8, 1))

    assert "after the date identified" in " ".join(refused.value.message_dict["resolved_on"])
    need.refresh_from_db()
    assert need.resolved_on is None


def test_a_need_resolved_twice_is_refused(actor, learner):
    need = need_record(
        actor=actor, learner=learner, reason=scottish_reason(), identified_on=date(2025, 9, 1)
    )
    need_resolve(actor=actor, need=need, resolved_on=date(2025, 12, 1))

    with pytest.raises(ValidationError, match="already"):
        need_resolve(actor=actor, need=need, resolved_on=date(2025, 12, 2))


def test_a_stage_decision_uses_the_learners_authority_model(actor, learner):
    decision = stage_decide(
        actor=actor,
        learner=learner,
        stage=glasgow_stage(3),
        decided_on=date(2025, 10, 1),
        rationale="Joint support team agreed speech and language input.",
        next_review_on=date(2026, 4, 1),
        departure_reason=JUDGED_BEYOND_THE_RECORD,
        departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
    )

    assert decision.stage.national_stage == "specialist"
    assert decision.decided_by_label == actor.user.full_name


def test_a_stage_from_another_authoritys_model_is_refused(actor, learner):
    fife_stage = LocalStage.objects.get(stage_model__key="fife", order=2)

    with pytest.raises(ValidationError) as refused:
        stage_decide(
            actor=actor,
            learner=learner,
            stage=fife_stage,
            decided_on=date(2025, 10, 1),
            rationale="x",
            next_review_on=date(2026, 4, 1),
            departure_reason=JUDGED_BEYOND_THE_RECORD,
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        )

    assert "Glasgow staged intervention" in " ".join(refused.value.message_dict["stage"])
    assert not StageDecision.objects.exists()


def test_an_authority_without_its_own_model_uses_the_shared_national_frame(other_learner):
    from stagewise.testing.factories import staff_for

    fife_actor = actors_for(staff_for(other_learner))[0]
    frame_stage = StageModel.objects.get(key="national-frame").stages.get(order=2)
    # Fife has its own model, so the shared frame is refused there...
    with pytest.raises(ValidationError):
        stage_decide(
            actor=fife_actor,
            learner=other_learner,
            stage=frame_stage,
            decided_on=date(2025, 10, 1),
            rationale="x",
            next_review_on=date(2026, 1, 1),
            departure_reason=JUDGED_BEYOND_THE_RECORD,
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        )


def test_a_review_on_or_before_the_decision_is_refused(actor, learner):
    with pytest.raises(ValidationError) as refused:
        stage_decide(
            actor=actor,
            learner=learner,
            stage=glasgow_stage(),
            decided_on=date(2025, 10, 1),
            rationale="x",
            next_review_on=date(2025, 10, 1),
            departure_reason=JUDGED_BEYOND_THE_RECORD,
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        )

    assert "after the date of the decision" in " ".join(
        refused.value.message_dict["next_review_on"]
    )


def all_ratings(level: str = "no_concern") -> dict[str, tuple[str, str]]:
    return {indicator.value: (level, "") for indicator in WellbeingIndicator}


def test_a_wellbeing_assessment_needs_every_indicator(actor, learner):
    ratings = all_ratings()
    del ratings["respected"]

    with pytest.raises(ValidationError, match="Respected"):
        wellbeing_assess(
            actor=actor, learner=learner, assessed_on=date(2025, 10, 1), ratings=ratings
        )

    assert not WellbeingAssessment.objects.exists()


def test_an_unknown_wellbeing_level_is_refused(actor, learner):
    ratings = all_ratings() | {"safe": ("fine", "")}

    with pytest.raises(ValidationError, match="Choose a level"):
        wellbeing_assess(
            actor=actor, learner=learner, assessed_on=date(2025, 10, 1), ratings=ratings
        )


def test_a_chronology_entry_dated_in_the_future_is_refused(actor, learner):
    with pytest.raises(ValidationError) as refused:
        chronology_record(
            actor=actor,
            learner=learner,
            entry_type="health",
            occurred_on=TODAY + timedelta(days=3),
            summary="x",
            source="y",
        )

    assert "future" in " ".join(refused.value.message_dict["occurred_on"])
