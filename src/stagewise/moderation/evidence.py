"""What a moderator reads of a decision, a stage decision or a plan decision: its evidence,
anonymised (ADR 0046).

The projection is made here, in one place, and names nothing that identifies the learner or their
family: no name, candidate number, date of birth, address, school, carer or member of staff, and
no exact date (ages and durations in whole months or years, the decision's month). What it keeps
is what a threshold judgement rests on: the needs and their factors, wellbeing, the support in
place and for how long, the agencies involved, the outcomes of the last reviews, the stages
before, the stage chosen and the reason given; for a plan decision, the plan type opened, what
decision support suggested when it was opened, the reason for departing from it, and the
statutory test's conditions as decision support reads the record today.

Words staff wrote (the reason, a need's evidence) may name the learner: the learner's and their
carers' recorded names and the candidate number are blanked out of them, word by word. That is a
safeguard, not a guarantee: staff are asked on the moderator's page to report a case that still
identifies someone."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.coordination.models import RequestForAssistance, RequestStatus
from stagewise.learners.models import (
    Learner,
    LearnerCarer,
    Need,
    StageDecision,
    WellbeingAssessment,
)
from stagewise.moderation.models import ModerationCase
from stagewise.planning.models import Plan, PlanReview, PlanType, SupportProvision
from stagewise.statutory.decision_support_selectors import plan_decision_support_get

# How many of the last reviews and earlier stage decisions the moderator reads.
LAST_REVIEWS = 3
EARLIER_STAGES = 5


@dataclass(frozen=True)
class NeedSeen:
    reason: str
    factor_groups: list[str]
    months_known: int
    disability: str
    evidence: str


@dataclass(frozen=True)
class SupportSeen:
    description: str
    frequency: str
    minutes_per_week: int | None
    provided_by_agency: str
    months_in_place: int


@dataclass(frozen=True)
class AgencySeen:
    service: str
    status: str
    months_since_asked: int | None


@dataclass(frozen=True)
class ReviewSeen:
    plan_type: str
    months_before: int
    decision: str
    targets: list[str]


@dataclass(frozen=True)
class StageSeen:
    stage: str
    months_at_stage: int


@dataclass(frozen=True)
class ConditionSeen:
    label: str
    evidenced: bool


@dataclass
class CaseEvidence:
    # For a plan decision, `stage` is the plan type opened and `national_stage` is empty.
    stage: str
    national_stage: str
    reason: str
    decided_in: str
    age_years: int
    looked_after: bool
    is_plan_decision: bool = False
    # A plan decision's suggestion when it was opened: the plan type suggested, "no statutory
    # plan", or empty when no statutory test applies to the type; and whether it departed.
    suggested: str = ""
    departs_from_suggestion: bool = False
    conditions: list[ConditionSeen] = field(default_factory=list)
    needs: list[NeedSeen] = field(default_factory=list)
    wellbeing: list[tuple[str, str]] = field(default_factory=list)
    wellbeing_months_before: int | None = None
    support: list[SupportSeen] = field(default_factory=list)
    agencies: list[AgencySeen] = field(default_factory=list)
    reviews: list[ReviewSeen] = field(default_factory=list)
    earlier_stages: list[StageSeen] = field(default_factory=list)


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


class Blanker:
    """Blanks the learner's and their carers' names and the candidate number out of free text."""

    def __init__(self, words: list[str]) -> None:
        parts = sorted(
            {part for word in words for part in re.split(r"\s+", word or "") if len(part) > 1},
            key=len,
            reverse=True,
        )
        self.pattern = (
            re.compile(r"\b(" + "|".join(re.escape(part) for part in parts) + r")\b", re.I)
            if parts
            else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub("[…]", text)


def _blanker(learner: Learner) -> Blanker:
    carers = LearnerCarer.objects.filter(learner=learner).values_list("carer__full_name", flat=True)
    return Blanker(
        [
            learner.legal_first_name,
            learner.legal_last_name,
            learner.preferred_name,
            learner.candidate_number,
            *carers,
        ]
    )


def _suggestion_text(key: str) -> str:
    if not key:
        return ""
    if key == "none":
        return _("No statutory plan")
    plan_type = PlanType.objects.filter(key=key).first()
    return plan_type.display_name if plan_type else key


def case_evidence(case: ModerationCase) -> CaseEvidence:
    """The anonymised evidence of the case's decision, as it stood on the day it was made (a plan
    decision's statutory conditions as they read today): a fixed number of queries, whatever the
    learner's record holds."""
    plan_id: int | None = case.plan_id
    if plan_id is not None:
        return _plan_evidence(Plan.objects.select_related("learner", "plan_type").get(pk=plan_id))
    decision = StageDecision.objects.select_related("learner", "stage").get(pk=case.decided_pk)
    learner = decision.learner
    blank = _blanker(learner)
    evidence = CaseEvidence(
        stage=str(decision.stage),
        national_stage=decision.stage.national_label,
        reason=blank(decision.rationale),
        decided_in=date_format(decision.decided_on, "F Y"),
        age_years=months_between(learner.date_of_birth, decision.decided_on) // 12,
        looked_after=learner.looked_after,
    )
    _read_record(
        evidence,
        learner,
        decision.decided_on,
        blank,
        Q(decided_on__lt=decision.decided_on)
        | Q(decided_on=decision.decided_on, pk__lt=decision.pk),
    )
    return evidence


def _plan_evidence(plan: Plan) -> CaseEvidence:
    learner = plan.learner
    on = timezone.localdate(plan.created_at)
    blank = _blanker(learner)
    evidence = CaseEvidence(
        stage=plan.plan_type.display_name,
        national_stage="",
        reason=blank(plan.departure_reason),
        decided_in=date_format(on, "F Y"),
        age_years=months_between(learner.date_of_birth, on) // 12,
        looked_after=plan.looked_after_when_opened,
        is_plan_decision=True,
        suggested=_suggestion_text(plan.suggested_plan_type),
        departs_from_suggestion=plan.departs_from_suggestion,
    )
    support = plan_decision_support_get(learner)
    for test in support.tests if support is not None else ():
        if plan.plan_type.key in test.applies_to:
            evidence.conditions = [
                ConditionSeen(str(condition.label), condition.finding.evidenced)
                for condition in test.conditions
            ]
    _read_record(evidence, learner, on, blank, Q(decided_on__lte=on))
    return evidence


def _read_record(
    evidence: CaseEvidence, learner: Learner, on: date, blank: Blanker, earlier_than: Q
) -> None:
    """The record behind a decision made on `on`: needs, wellbeing, support, agencies, reviews
    and the stage decisions before it (`earlier_than`)."""
    needs = (
        Need.objects.filter(learner=learner, identified_on__lte=on)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=on))
        .select_related("reason")
        .order_by("identified_on", "pk")
    )
    evidence.needs = [
        NeedSeen(
            reason=str(need.reason),
            factor_groups=need.factor_group_labels,
            months_known=months_between(need.identified_on, on),
            disability=need.get_disability_display() if need.disability else "",
            evidence=blank(need.evidence),
        )
        for need in needs
    ]
    assessment = (
        WellbeingAssessment.objects.filter(learner=learner, assessed_on__lte=on)
        .prefetch_related("ratings")
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if assessment is not None:
        evidence.wellbeing_months_before = months_between(assessment.assessed_on, on)
        evidence.wellbeing = [
            (rating.get_indicator_display(), rating.get_level_display())
            for rating in assessment.ratings.all()
        ]
    provisions = (
        SupportProvision.objects.filter(target__plan__learner=learner, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("provider_agency")
        .order_by("starts_on", "pk")
    )
    evidence.support = [
        SupportSeen(
            description=blank(provision.description),
            frequency=provision.frequency,
            minutes_per_week=provision.minutes_per_week,
            provided_by_agency=str(provision.provider_agency) if provision.provider_agency else "",
            months_in_place=months_between(provision.starts_on, on),
        )
        for provision in provisions
    ]
    requests = (
        RequestForAssistance.objects.filter(learner=learner, sent_on__lte=on)
        .exclude(status__in=[RequestStatus.DRAFT, RequestStatus.WITHDRAWN])
        .select_related("service")
        .order_by("sent_on", "pk")
    )
    evidence.agencies = [
        AgencySeen(
            service=str(request.service),
            status=request.get_status_display(),
            months_since_asked=months_between(request.sent_on, on) if request.sent_on else None,
        )
        for request in requests
    ]
    reviews = (
        PlanReview.objects.filter(plan__learner=learner, held_on__lte=on)
        .select_related("plan__plan_type")
        .prefetch_related("target_reviews")
        .order_by("-held_on", "-pk")[:LAST_REVIEWS]
    )
    evidence.reviews = [
        ReviewSeen(
            plan_type=str(review.plan.plan_type),
            months_before=months_between(review.held_on, on),
            decision=review.get_decision_display(),
            targets=[
                _("%(progress)s: %(target)s")
                % {
                    "progress": target.get_progress_display(),
                    "target": blank(target.target_outcome),
                }
                for target in review.target_reviews.all()
            ],
        )
        for review in reviews
    ]
    earlier = list(
        StageDecision.objects.filter(learner=learner)
        .filter(earlier_than)
        .select_related("stage")
        .order_by("-decided_on", "-pk")[: EARLIER_STAGES + 1]
    )
    later_on = on
    for previous in earlier[:EARLIER_STAGES]:
        evidence.earlier_stages.append(
            StageSeen(
                stage=str(previous.stage),
                months_at_stage=months_between(previous.decided_on, later_on),
            )
        )
        later_on = previous.decided_on
