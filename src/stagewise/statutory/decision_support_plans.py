"""Decision support for plan decisions (ADR 0047): the four conditions of a co-ordinated support
plan (ASL Act 2004 s2), every looked-after child flagged for consideration (s6(1A)); and in
Wales the definition of additional learning needs (ALNET Act 2018 s2) and who keeps the plan,
given the school's stated offer of additional learning provision. Pure, like decision_support."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from stagewise.statutory.decision_facts import Evidence, Finding, LearnerFacts
from stagewise.statutory.decision_support import (
    complex_or_multiple_factors,
    lasting_more_than_a_year,
    need_evidence,
    significant_support_from_others,
)
from stagewise.statutory.models.rules import NationalStage


@dataclass(frozen=True)
class Condition:
    label: str
    finding: Finding


@dataclass(frozen=True)
class PlanSuggestion:
    """What the statutory test suggests: a plan type key, or "" for no statutory plan."""

    suggested_type_key: str
    why: str
    conditions: tuple[Condition, ...]
    looked_after_consider_plan: bool = False
    offer: tuple[tuple[str, str], ...] = ()  # (need, the offer covering it or "")
    applies_to: frozenset[str] = frozenset()  # the plan types this test is for

    @property
    def shows_offer(self) -> bool:
        return AUTHORITY_DEVELOPMENT_PLAN in self.applies_to


COORDINATED_SUPPORT_PLAN = "coordinated_support_plan"
SCHOOL_DEVELOPMENT_PLAN = "individual_development_plan_school"
AUTHORITY_DEVELOPMENT_PLAN = "individual_development_plan_local_authority"
DEVELOPMENT_PLANS = frozenset({SCHOOL_DEVELOPMENT_PLAN, AUTHORITY_DEVELOPMENT_PLAN})
# The plan types a decision-support test applies to (planning/data/plan_types.json keys).
TESTED_PLAN_TYPES = frozenset(
    {COORDINATED_SUPPORT_PLAN, SCHOOL_DEVELOPMENT_PLAN, AUTHORITY_DEVELOPMENT_PLAN}
)


def authority_responsible(facts: LearnerFacts) -> Finding:
    return Finding(
        True,
        _("%(authority)s is responsible for the learner's school education at %(school)s.")
        % {"authority": facts.authority, "school": facts.enrolled_at},
        (Evidence(facts.enrolled_at, facts.profile_url),),
    )


def coordinated_support_plan_test(facts: LearnerFacts) -> PlanSuggestion:
    """The four conditions of the ASL Act 2004 s2, each evidenced or not; every looked-after
    child is flagged for consideration (s6(1A))."""
    conditions = (
        Condition(
            _("An education authority is responsible for the learner's school education"),
            authority_responsible(facts),
        ),
        Condition(
            _("Needs arise from complex or multiple factors with a significant adverse effect"),
            complex_or_multiple_factors(facts),
        ),
        Condition(
            _("Needs are likely to continue for more than a year"),
            lasting_more_than_a_year(facts),
        ),
        Condition(
            _("Needs require significant support from other functions or agencies"),
            significant_support_from_others(facts),
        ),
    )
    met = all(condition.finding.evidenced for condition in conditions)
    return PlanSuggestion(
        suggested_type_key=COORDINATED_SUPPORT_PLAN if met else "",
        why=(
            _("All four conditions are evidenced, so a co-ordinated support plan is suggested.")
            if met
            else _(
                "Not every condition is evidenced, so a co-ordinated support plan is not suggested."
            )
        ),
        conditions=conditions,
        looked_after_consider_plan=facts.looked_after,
        applies_to=frozenset({COORDINATED_SUPPORT_PLAN}),
    )


def calls_for_additional_learning_provision(facts: LearnerFacts) -> Finding:
    """Provision additional to or different from what is generally made: shown by support set out
    in an open plan, or a decision placing the learner above universal."""
    planned = [plan for plan in facts.plans if plan.provision_count]
    above = [stage for stage in facts.stages[:1] if stage.national_stage != NationalStage.UNIVERSAL]
    evidence = tuple(Evidence(plan.label, plan.url) for plan in planned)
    evidence += tuple(Evidence(stage.label, stage.url, stage.decided_on) for stage in above)
    if evidence:
        return Finding(
            True,
            _(
                "Support additional to what the school generally provides is planned, or the "
                "learner's stage is above universal."
            ),
            evidence,
        )
    return Finding(
        False,
        _("No additional support is planned and the learner's stage is universal."),
    )


def learning_difficulty_or_disability(facts: LearnerFacts) -> Finding:
    if facts.needs:
        return Finding(
            True,
            _("A learning difficulty or disability is recorded as an active need."),
            need_evidence(facts.needs),
        )
    return Finding(False, _("No learning difficulty or disability is recorded."))


def additional_learning_needs_test(facts: LearnerFacts, offers: dict[int, str]) -> PlanSuggestion:
    """The ALNET Act 2018 s2 test, and who should keep the plan: the school, when its stated
    offer of additional learning provision covers every need; the local authority for a
    looked-after learner (s12(2)) or when the school's offer does not cover a need."""
    difficulty = learning_difficulty_or_disability(facts)
    provision = calls_for_additional_learning_provision(facts)
    coverage = tuple((need.label, offers.get(need.reason_id, "")) for need in facts.needs)
    covered = all(offer for _need, offer in coverage)
    conditions = (
        Condition(_("A learning difficulty or disability"), difficulty),
        Condition(_("It calls for additional learning provision"), provision),
    )
    if not (difficulty.evidenced and provision.evidenced):
        return PlanSuggestion(
            "",
            _(
                "The definition of additional learning needs is not met on what is recorded, so "
                "no individual development plan is suggested."
            ),
            conditions,
            offer=coverage,
            applies_to=DEVELOPMENT_PLANS,
        )
    if facts.looked_after:
        return PlanSuggestion(
            AUTHORITY_DEVELOPMENT_PLAN,
            _(
                "The learner has additional learning needs and is looked after, so the local "
                "authority keeps the plan."
            ),
            conditions,
            looked_after_consider_plan=True,
            offer=coverage,
            applies_to=DEVELOPMENT_PLANS,
        )
    if not covered:
        return PlanSuggestion(
            AUTHORITY_DEVELOPMENT_PLAN,
            _(
                "The learner has additional learning needs that the school's stated offer does "
                "not cover, so a plan kept by the local authority is suggested."
            ),
            conditions,
            offer=coverage,
            applies_to=DEVELOPMENT_PLANS,
        )
    return PlanSuggestion(
        SCHOOL_DEVELOPMENT_PLAN,
        _(
            "The learner has additional learning needs and the school's stated offer covers "
            "them, so a plan kept by the school is suggested."
        ),
        conditions,
        offer=coverage,
        applies_to=DEVELOPMENT_PLANS,
    )
