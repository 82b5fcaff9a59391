"""Decision support (issue 16 item 2, ADR 0047): from what is recorded about a learner, which
threshold descriptors are evidenced, which national stage (and local stage) that suggests, and,
for a plan decision, which statutory tests are met.

Pure: it reads nothing. `decision_support_selectors` gathers the learner's record into
`LearnerFacts` in a fixed number of queries; these functions only reason about it. Every rule
says, in words a teacher understands, why it holds or not, and the page shows that sentence.
The professional decides; the suggestion is an aid, never the decision.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagewise.statutory.decision_facts import (
    AgencyFact,
    DescriptorLike,
    Evidence,
    Finding,
    LearnerFacts,
    LocalDescriptorLike,
    LocalStageLike,
    NeedFact,
    PlanFact,
)
from stagewise.statutory.models.rules import NATIONAL_STAGE_ORDER, NationalStage
from stagewise.statutory.models.thresholds import ThresholdDimension

# The ASL Act 2004 s2(1)(c): needs "likely to continue for more than a year". The only duration
# in these rules, and a statutory one.
MORE_THAN_A_YEAR_DAYS = 365
# Agencies whose help is the authority's own education service, not another function or agency:
# their involvement indicates targeted support, not the specialist or multi-agency kind.
EDUCATION_SERVICE_AGENCY_TYPES = frozenset({"educational_psychology"})
# Reasons given at the last review that the support tried has not been enough.
REVIEW_DECISIONS_WANTING_MORE = frozenset({"change_support", "change_stage", "open_other_plan"})
TARGETS_NOT_MET = ("not_achieved", "partly_achieved")
SIGNIFICANT_CONCERN = "significant_concern"
CONCERNS = frozenset({"some_concern", "significant_concern"})
DISABLED = frozenset({"assessed", "declared"})


@dataclass(frozen=True)
class DescriptorFinding:
    descriptor: DescriptorLike
    dimension_label: str
    local: tuple[LocalDescriptorLike, ...]
    finding: Finding


@dataclass(frozen=True)
class StageFindings:
    national_stage: str
    label: str
    descriptors: tuple[DescriptorFinding, ...]

    @property
    def evidenced_count(self) -> int:
        return sum(1 for row in self.descriptors if row.finding.evidenced)

    @property
    def needs_evidenced(self) -> bool:
        return any(
            row.finding.evidenced
            for row in self.descriptors
            if row.descriptor.dimension == ThresholdDimension.NEEDS
        )


@dataclass(frozen=True)
class StageSuggestion:
    national_stage: str
    national_label: str
    local_stage: LocalStageLike | None
    why: str
    stages: tuple[StageFindings, ...] = field(default=())
    looked_after_consider_plan: bool = False


# ---------------------------------------------------------------------------------------------
# The rules, one per national stage and dimension. Each returns a Finding.


def need_evidence(needs: tuple[NeedFact, ...]) -> tuple[Evidence, ...]:
    return tuple(Evidence(need.label, need.url, need.identified_on) for need in needs)


def _significant_concerns(facts: LearnerFacts) -> list[str]:
    if facts.wellbeing is None:
        return []
    return [name for name, level in facts.wellbeing.levels.items() if level == SIGNIFICANT_CONCERN]


def _wellbeing_evidence(facts: LearnerFacts) -> tuple[Evidence, ...]:
    if facts.wellbeing is None:
        return ()
    return (Evidence(_("Wellbeing assessment"), facts.wellbeing.url, facts.wellbeing.assessed_on),)


def needs_at_any_level(facts: LearnerFacts) -> Finding:
    concerns = facts.wellbeing is not None and any(
        level in CONCERNS for level in facts.wellbeing.levels.values()
    )
    if facts.needs or concerns:
        return Finding(
            True,
            _("A need or a wellbeing concern is recorded."),
            need_evidence(facts.needs) + (_wellbeing_evidence(facts) if concerns else ()),
        )
    return Finding(False, _("No active need and no wellbeing concern is recorded."))


def needs_additional_support(facts: LearnerFacts) -> Finding:
    if facts.needs:
        return Finding(
            True,
            ngettext(
                "An active additional support need is recorded.",
                "%(count)d active additional support needs are recorded.",
                len(facts.needs),
            )
            % {"count": len(facts.needs)},
            need_evidence(facts.needs),
        )
    return Finding(False, _("No active additional support need is recorded."))


def complex_or_multiple_factors(facts: LearnerFacts) -> Finding:
    """The ASL Act s2(1)(b): complex factors, or multiple factors, with a significant adverse
    effect on school education. Read as: two or more factor groups across the active needs, or a
    disability; and the adverse effect shown by a significant wellbeing concern or by targets not
    met at the last review."""
    groups = facts.factor_groups
    disabled = [need for need in facts.needs if need.disability in DISABLED]
    factors = len(groups) >= 2 or bool(disabled)
    concerns = _significant_concerns(facts)
    unmet = [review for review in facts.reviews if review.targets_not_met]
    effect = bool(concerns) or bool(unmet)
    evidence = need_evidence(facts.needs) if factors else ()
    if concerns:
        evidence += _wellbeing_evidence(facts)
    evidence += tuple(Evidence(review.plan_label, review.url, review.held_on) for review in unmet)
    if factors and effect:
        return Finding(
            True,
            _(
                "The needs arise from more than one factor group, or from a disability, and the "
                "latest wellbeing assessment or review shows a significant effect on learning."
            ),
            evidence,
        )
    if not factors:
        return Finding(
            False,
            _(
                "The active needs arise from fewer than two factor groups and no disability is "
                "recorded."
            ),
            evidence,
        )
    return Finding(
        False,
        _(
            "No significant wellbeing concern and no target missed at the last review shows a "
            "significant effect on learning."
        ),
        evidence,
    )


def nothing_below() -> Finding:
    return Finding(True, _("There is no stage below universal: nothing needs to have been tried."))


def tried_below(facts: LearnerFacts, national_stage: str) -> Finding:
    """Support at the stage below (or above) was decided, and the last review found it was not
    enough: targets not met, or a decision to change support, stage or plan."""
    wanted = NATIONAL_STAGE_ORDER[NationalStage(national_stage)] - 1
    at_below = [
        stage
        for stage in facts.stages
        if NATIONAL_STAGE_ORDER[NationalStage(stage.national_stage)] >= wanted
    ]
    since = min((stage.decided_on for stage in at_below), default=None)
    wanting = [
        review
        for review in facts.reviews
        if review.targets_not_met or review.decision in REVIEW_DECISIONS_WANTING_MORE
    ]
    evidence = tuple(Evidence(stage.label, stage.url, stage.decided_on) for stage in at_below[:1])
    evidence += tuple(Evidence(review.plan_label, review.url, review.held_on) for review in wanting)
    # Universal is every learner's starting point: no decision needs to have placed them there.
    below_ok = bool(at_below) or wanted == 1
    if below_ok and wanting:
        if since is not None:
            weeks = (facts.today - since).days // 7
            why = ngettext(
                "Support at the stage below has been in place for %(weeks)d week and the last "
                "review found it was not enough.",
                "Support at the stage below has been in place for %(weeks)d weeks and the last "
                "review found it was not enough.",
                weeks,
            ) % {"weeks": weeks}
        else:
            why = _("The last review found that the support tried was not enough.")
        return Finding(True, why, evidence)
    if not below_ok:
        return Finding(False, _("No decision places the learner at the stage below yet."), evidence)
    return Finding(
        False,
        _("No review has yet found that the support tried at the stage below was not enough."),
        evidence,
    )


def planned_support(facts: LearnerFacts) -> Finding:
    planned = [plan for plan in facts.plans if plan.provision_count]
    if planned:
        return Finding(
            True,
            _("An open plan sets out additional support with its targets."),
            tuple(Evidence(plan.label, plan.url) for plan in planned),
        )
    return Finding(False, _("No open plan sets out additional support yet."))


def _partner_agencies(facts: LearnerFacts) -> tuple[list[AgencyFact], list[PlanFact]]:
    asked = [a for a in facts.agencies if a.agency_type not in EDUCATION_SERVICE_AGENCY_TYPES]
    providing = [
        plan
        for plan in facts.plans
        if any(kind not in EDUCATION_SERVICE_AGENCY_TYPES for _n, kind in plan.agency_provision)
    ]
    return asked, providing


def significant_support_from_others(facts: LearnerFacts) -> Finding:
    """The ASL Act s2(1)(d): significant additional support from the authority's other functions
    (such as social work) or from an appropriate agency (such as an NHS board)."""
    asked, providing = _partner_agencies(facts)
    evidence = tuple(Evidence(a.service, a.url, a.on) for a in asked)
    evidence += tuple(Evidence(plan.label, plan.url) for plan in providing)
    if evidence:
        return Finding(
            True,
            _(
                "A service beyond the authority's education services (such as health or social "
                "work) is involved or provides support."
            ),
            evidence,
        )
    return Finding(
        False,
        _("No service beyond the authority's education services is involved or asked to help."),
    )


def any_service_involved(facts: LearnerFacts) -> Finding:
    if facts.agencies:
        return Finding(
            True,
            _("A service beyond the school is involved or has been asked to help."),
            tuple(Evidence(a.service, a.url, a.on) for a in facts.agencies),
        )
    return Finding(False, _("No service beyond the school is involved or asked to help."))


def reviewed_plan(facts: LearnerFacts) -> Finding:
    dated = [plan for plan in facts.plans if plan.next_review_on]
    if dated:
        return Finding(
            True,
            _("An open plan has a review date."),
            tuple(Evidence(plan.label, plan.url, plan.next_review_on) for plan in dated),
        )
    return Finding(False, _("No open plan has a review date."))


def lasting_more_than_a_year(facts: LearnerFacts) -> Finding:
    """The ASL Act s2(1)(c): likely to continue for more than a year. Read as: a need active for
    more than a year already, or a recorded disability."""
    lasting = [
        need
        for need in facts.needs
        if (facts.today - need.identified_on).days > MORE_THAN_A_YEAR_DAYS
        or need.disability in DISABLED
    ]
    if lasting:
        return Finding(
            True,
            _("A need has been active for more than a year, or a disability is recorded."),
            need_evidence(tuple(lasting)),
        )
    return Finding(
        False, _("No need has been active for more than a year and no disability is recorded.")
    )


def always_at_universal(facts: LearnerFacts) -> Finding:
    return Finding(
        True,
        _("Every learner enrolled at %(school)s receives universal support.")
        % {"school": facts.enrolled_at},
        (Evidence(facts.enrolled_at, facts.profile_url),),
    )


def descriptor_finding(facts: LearnerFacts, national_stage: str, dimension: str) -> Finding:
    """The rule for one national stage and dimension: the same for both nations, because both
    frames describe the same steps (ADR 0047 lists them)."""
    if national_stage == NationalStage.UNIVERSAL:
        if dimension == ThresholdDimension.NEEDS:
            return needs_at_any_level(facts)
        if dimension == ThresholdDimension.TRIED_AT_STAGE_BELOW:
            return nothing_below()
        return always_at_universal(facts)
    if dimension == ThresholdDimension.TRIED_AT_STAGE_BELOW:
        return tried_below(facts, national_stage)
    if national_stage == NationalStage.TARGETED:
        return {
            ThresholdDimension.NEEDS: needs_additional_support,
            ThresholdDimension.SUPPORT_REQUIRED: planned_support,
            ThresholdDimension.AGENCIES_INVOLVED: any_service_involved,
            ThresholdDimension.EXPECTED_DURATION: reviewed_plan,
        }[ThresholdDimension(dimension)](facts)
    return {
        ThresholdDimension.NEEDS: complex_or_multiple_factors,
        ThresholdDimension.SUPPORT_REQUIRED: significant_support_from_others,
        ThresholdDimension.AGENCIES_INVOLVED: significant_support_from_others,
        ThresholdDimension.EXPECTED_DURATION: lasting_more_than_a_year,
    }[ThresholdDimension(dimension)](facts)


# ---------------------------------------------------------------------------------------------
# The suggestion.


def stage_suggest(
    *,
    facts: LearnerFacts,
    national_descriptors: Sequence[DescriptorLike],
    local_stages: Sequence[LocalStageLike],
    local_descriptors: Sequence[LocalDescriptorLike],
    descriptors_needed: Mapping[str, int],
    looked_after_consider_plan: bool = False,
) -> StageSuggestion:
    """Every descriptor's finding, and the suggested stage: the highest national stage whose
    needs descriptor and at least `descriptors_needed[stage]` of its descriptors are evidenced
    (the nation's StageSuggestionRule; universal otherwise; a stage with no rule is never
    suggested); locally, the authority's stage mapped onto it whose own descriptors map onto the
    most evidenced ones, the earlier stage on a tie."""
    local_by_national: dict[int, list[LocalDescriptorLike]] = {}
    for local in local_descriptors:
        local_by_national.setdefault(local.national_descriptor_id, []).append(local)
    stages = []
    for national_stage in NationalStage:
        rows = tuple(
            DescriptorFinding(
                descriptor=descriptor,
                dimension_label=str(ThresholdDimension(descriptor.dimension).label),
                local=tuple(local_by_national.get(descriptor.pk, [])),
                finding=descriptor_finding(facts, national_stage.value, descriptor.dimension),
            )
            for descriptor in national_descriptors
            if descriptor.national_stage == national_stage.value
        )
        stages.append(StageFindings(national_stage.value, str(national_stage.label), rows))
    suggested = stages[0]
    for stage in stages[1:]:
        needed = descriptors_needed.get(stage.national_stage)
        if needed is not None and stage.needs_evidenced and stage.evidenced_count >= needed:
            suggested = stage
    if suggested.national_stage == NationalStage.UNIVERSAL:
        targeted = descriptors_needed.get(NationalStage.TARGETED)
        specialist = descriptors_needed.get(NationalStage.SPECIALIST)
        if targeted is None or specialist is None:
            why = _(
                "Universal is suggested: no rule says how many descriptors suggest targeted or "
                "specialist in this nation. An administrator adds the stage suggestion rules."
            )
        elif targeted == specialist:
            why = _(
                "Neither targeted nor specialist has its needs descriptor and at least "
                "%(count)d of its descriptors evidenced, so universal is suggested."
            ) % {"count": targeted}
        else:
            why = _(
                "Neither targeted (at least %(targeted)d descriptors) nor specialist (at least "
                "%(specialist)d) has its needs descriptor and enough of its descriptors "
                "evidenced, so universal is suggested."
            ) % {"targeted": targeted, "specialist": specialist}
    else:
        why = _(
            "%(stage)s is the highest national stage with its needs descriptor and %(evidenced)d "
            "of its %(total)d descriptors evidenced (at least %(count)d are needed)."
        ) % {
            "stage": suggested.label,
            "evidenced": suggested.evidenced_count,
            "total": len(suggested.descriptors),
            "count": descriptors_needed[suggested.national_stage],
        }
    return StageSuggestion(
        national_stage=suggested.national_stage,
        national_label=suggested.label,
        local_stage=_local_stage_for(suggested, local_stages),
        why=why,
        stages=tuple(stages),
        looked_after_consider_plan=looked_after_consider_plan,
    )


def _local_stage_for(
    suggested: StageFindings, local_stages: Sequence[LocalStageLike]
) -> LocalStageLike | None:
    candidates = sorted(
        (s for s in local_stages if s.national_stage == suggested.national_stage),
        key=lambda stage: stage.order,
    )
    if not candidates:
        return None
    score: dict[int, int] = {stage.pk: 0 for stage in candidates}
    for row in suggested.descriptors:
        if row.finding.evidenced:
            for local in row.local:
                if local.local_stage_id in score:
                    score[local.local_stage_id] += 1
    return max(candidates, key=lambda stage: (score[stage.pk], -stage.order))
