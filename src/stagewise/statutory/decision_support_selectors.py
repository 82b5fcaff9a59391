"""Reads for decision support (ADR 0047): one learner's record gathered into `LearnerFacts`, and
the authority's descriptors and stages, in a fixed number of queries however much is recorded.

The learner has already been reached through the one door (learners/access.py) by the page or
service that asks; these reads are about that learner only.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from stagewise.coordination.models import RequestForAssistance, RequestStatus
from stagewise.learners.models import Learner, StageDecision, WellbeingAssessment
from stagewise.learners.services import learner_current_enrolment
from stagewise.organisations.models import Setting
from stagewise.planning.models import OPEN_STATUSES, Plan, PlanReview, SupportProvision
from stagewise.statutory.decision_facts import (
    AgencyFact,
    LearnerFacts,
    NeedFact,
    PlanFact,
    ReviewFact,
    StageFact,
    WellbeingFact,
)
from stagewise.statutory.decision_support import TARGETS_NOT_MET, StageSuggestion, stage_suggest
from stagewise.statutory.decision_support_plans import (
    AUTHORITY_DEVELOPMENT_PLAN,
    COORDINATED_SUPPORT_PLAN,
    SCHOOL_DEVELOPMENT_PLAN,
    TESTED_PLAN_TYPES,
    PlanSuggestion,
    additional_learning_needs_test,
    coordinated_support_plan_test,
)
from stagewise.statutory.models import (
    AdditionalLearningProvisionOffer,
    LocalThresholdDescriptor,
    NationalThresholdDescriptor,
    StageSuggestionRule,
)
from stagewise.statutory.selectors import stage_model_for
from stagewise.statutory.threshold_selectors import DIMENSION_ORDER

# A request that was never sent, was declined or withdrawn involves nobody.
NOT_INVOLVING = (RequestStatus.DRAFT, RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


def learner_facts_get(learner: Learner, setting: Setting) -> LearnerFacts:
    """The learner's record as decision support reads it: seven queries."""
    learner_id = str(learner.public_id)
    profile_url = reverse("learners:profile", kwargs={"learner_id": learner_id})
    needs = tuple(
        NeedFact(
            reason_id=need.reason_id,
            label=need.reason.display_label,
            factor_groups=tuple(need.factor_groups or ()),
            identified_on=need.identified_on,
            disability=need.disability,
            url=profile_url,
        )
        for need in learner.needs.filter(resolved_on__isnull=True).select_related("reason")
    )
    assessment = (
        WellbeingAssessment.objects.filter(learner=learner)
        .prefetch_related("ratings")
        .order_by("-assessed_on", "-pk")
        .first()
    )
    wellbeing = (
        WellbeingFact(
            assessed_on=assessment.assessed_on,
            levels={rating.indicator: rating.level for rating in assessment.ratings.all()},
            url=reverse(
                "learners:wellbeing",
                kwargs={"learner_id": learner_id, "assessment_id": assessment.pk},
            ),
        )
        if assessment is not None
        else None
    )
    timeline_url = reverse("learners:stage_timeline", kwargs={"learner_id": learner_id})
    stages = tuple(
        StageFact(
            national_stage=decision.stage.national_stage,
            label=decision.stage.display_label,
            decided_on=decision.decided_on,
            url=timeline_url,
        )
        for decision in StageDecision.objects.filter(learner=learner)
        .select_related("stage")
        .order_by("-decided_on", "-pk")
    )
    plans = list(
        Plan.objects.filter(learner=learner, status__in=OPEN_STATUSES)
        .select_related("plan_type")
        .annotate(provision_count=Count("targets__provision"))
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=PlanReview.objects.annotate(
                    unmet=Count(
                        "target_reviews",
                        filter=Q(target_reviews__progress__in=TARGETS_NOT_MET),
                    )
                ).order_by("-held_on", "-pk"),
            )
        )
    )
    agency_provision: dict[int, list[tuple[str, str]]] = {}
    for provision in SupportProvision.objects.filter(
        target__plan__in=plans, provider_agency__isnull=False
    ).values("target__plan_id", "provider_agency__name", "provider_agency__agency_type"):
        agency_provision.setdefault(provision["target__plan_id"], []).append(
            (provision["provider_agency__name"], provision["provider_agency__agency_type"])
        )
    plan_facts, reviews = [], []
    for plan in plans:
        url = reverse(
            "planning:detail", kwargs={"learner_id": learner_id, "plan_id": plan.public_id}
        )
        label = plan.plan_type.display_name
        plan_facts.append(
            PlanFact(
                type_key=plan.plan_type.key,
                label=label,
                provision_count=plan.provision_count,
                agency_provision=tuple(agency_provision.get(plan.pk, ())),
                next_review_on=plan.next_review_on,
                url=url,
            )
        )
        last = next(iter(plan.reviews.all()), None)
        if last is not None:
            reviews.append(
                ReviewFact(
                    plan_label=label,
                    held_on=last.held_on,
                    decision=last.decision,
                    targets_not_met=last.unmet,  # type: ignore[attr-defined]
                    url=url,
                )
            )
    agencies = tuple(
        AgencyFact(
            service=request.service.display_name,
            agency_type=request.service.agency_type,
            status_label=request.get_status_display(),
            on=request.sent_on,
            url=reverse(
                "requests:detail",
                kwargs={"learner_id": learner_id, "request_id": request.public_id},
            ),
        )
        for request in RequestForAssistance.objects.filter(learner=learner)
        .exclude(status__in=NOT_INVOLVING)
        .select_related("service")
        .order_by("-created_at")
    )
    return LearnerFacts(
        today=timezone.localdate(),
        enrolled_at=setting.display_name,
        authority=setting.authority.display_name,
        profile_url=profile_url,
        looked_after=learner.looked_after,
        needs=needs,
        wellbeing=wellbeing,
        stages=stages,
        plans=tuple(plan_facts),
        reviews=tuple(reviews),
        agencies=agencies,
    )


@dataclass(frozen=True)
class StageDecisionSupport:
    facts: LearnerFacts
    suggestion: StageSuggestion
    # Scotland: every looked-after child must be considered for a co-ordinated support plan.
    coordinated_support_plan: PlanSuggestion | None


def stage_decision_support_get(learner: Learner) -> StageDecisionSupport | None:
    """Descriptors evidenced or not, and the suggested stage; None if not enrolled anywhere."""
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return None
    setting = enrolment.setting
    authority = setting.authority
    facts = learner_facts_get(learner, setting)
    stage_model = stage_model_for(authority)
    local_stages = list(stage_model.stages.order_by("order"))
    national = sorted(
        NationalThresholdDescriptor.objects.filter(nation_id=authority.nation_id),
        key=lambda descriptor: (DIMENSION_ORDER[descriptor.dimension], descriptor.order),
    )
    local = list(
        LocalThresholdDescriptor.objects.filter(
            authority=authority, local_stage__in=local_stages
        ).order_by("local_stage__order", "order", "pk")
    )
    stage_by_id = {stage.pk: stage for stage in local_stages}
    for descriptor in local:
        descriptor.local_stage = stage_by_id[descriptor.local_stage_id]
    plan_test = None
    if _tests_plan_type(authority.nation_id, COORDINATED_SUPPORT_PLAN):
        plan_test = coordinated_support_plan_test(facts)
    suggestion = stage_suggest(
        facts=facts,
        national_descriptors=national,
        local_stages=local_stages,
        local_descriptors=local,
        descriptors_needed=dict(
            StageSuggestionRule.objects.filter(nation_id=authority.nation_id).values_list(
                "national_stage", "descriptors_needed"
            )
        ),
        looked_after_consider_plan=plan_test is not None and facts.looked_after,
    )
    return StageDecisionSupport(
        facts=facts, suggestion=suggestion, coordinated_support_plan=plan_test
    )


def _tests_plan_type(nation_id: int, key: str) -> bool:
    from stagewise.planning.models import PlanType

    return PlanType.objects.filter(nation_id=nation_id, key=key, active=True).exists()


@dataclass(frozen=True)
class PlanDecisionSupport:
    facts: LearnerFacts
    tests: list[PlanSuggestion]

    @property
    def suggested_type_keys(self) -> set[str]:
        return {test.suggested_type_key for test in self.tests}


def plan_decision_support_get(learner: Learner) -> PlanDecisionSupport | None:
    """The statutory tests for the plan types of the learner's nation that have one: the
    co-ordinated support plan's four conditions (Scotland), the definition of additional
    learning needs and the school's offer (Wales). None if no test applies."""
    from stagewise.planning.models import PlanType

    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return None
    setting = enrolment.setting
    keys = set(
        PlanType.objects.filter(
            nation_id=setting.authority.nation_id, key__in=TESTED_PLAN_TYPES, active=True
        ).values_list("key", flat=True)
    )
    if not keys:
        return None
    facts = learner_facts_get(learner, setting)
    tests = []
    if COORDINATED_SUPPORT_PLAN in keys:
        tests.append(coordinated_support_plan_test(facts))
    if keys & {SCHOOL_DEVELOPMENT_PLAN, AUTHORITY_DEVELOPMENT_PLAN}:
        offers = {
            offer.reason_id: offer.display_provision
            for offer in AdditionalLearningProvisionOffer.objects.filter(setting=setting)
        }
        tests.append(additional_learning_needs_test(facts, offers))
    return PlanDecisionSupport(facts=facts, tests=tests)


def plan_suggestion_for(support: PlanDecisionSupport | None, type_key: str) -> str | None:
    """What was suggested for a decision to open a plan of this type: the suggested key, "none",
    or None when no test applies to the type."""
    if support is None:
        return None
    for test in support.tests:
        if type_key in test.applies_to:
            return test.suggested_type_key or "none"
    return None
