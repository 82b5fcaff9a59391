"""The demo's moderation (ADR 0046): Glasgow's officer has drawn a sample of the stage decisions
Glasgow's schools recorded this term, with a fixed seed, and given its cases to the class
teachers of Glasgow's schools (never a decision of their own school). Some have been reviewed:
most agreed; two Riverside decisions were disagreed with: one waits in Riverside's leaders' work
queue, another has been considered, with the school's response. The officer has also drawn a
sample of the plans Glasgow's schools opened (plan decisions), given to the same teachers: one
reviewed in agreement, and a disagreement with a Riverside decision waiting in its queue."""

from datetime import date, timedelta

from stagewise.accounts.actors import Actor, actors_for
from stagewise.moderation.models import DecisionKind, ModerationCase, ModerationSample
from stagewise.moderation.selectors import eligible_moderators, plan_population, population
from stagewise.moderation.services import (
    case_review,
    disagreement_consider,
    moderators_assign,
    sample_draw,
)
from stagewise.organisations.models import LocalAuthority, Membership, Role

DEMO_SEED = 2026
DEMO_SAMPLE_SIZE = 12
DEMO_PLAN_SAMPLE_SIZE = 4
# How many of the sample's cases the moderators have reviewed so far.
REVIEWED = 8


def add_demo_moderation(*, today: date) -> ModerationSample | None:
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    if ModerationSample.objects.filter(authority=glasgow).exists():
        return None
    officer_membership = (
        Membership.objects.current()
        .filter(authority=glasgow, role=Role.LOCAL_AUTHORITY_OFFICER)
        .order_by("pk")
        .first()
    )
    if officer_membership is None:
        return None
    officer = next(
        actor
        for actor in actors_for(officer_membership.user)
        if actor.membership == officer_membership
    )
    decided_from = today - timedelta(days=120)
    available = population(
        authority_ids=[glasgow.pk], decided_from=decided_from, decided_to=today
    ).count()
    if available == 0:
        return None
    sample = sample_draw(
        actor=officer,
        decided_from=decided_from,
        decided_to=today,
        size=min(DEMO_SAMPLE_SIZE, available),
        seed=DEMO_SEED,
    )
    moderators = list(
        eligible_moderators(authority_ids=[glasgow.pk]).filter(role=Role.CLASS_TEACHER)
    )
    moderators_assign(actor=officer, sample=sample, moderators=moderators)
    disagreed: list[ModerationCase] = []
    reviewed = 0
    cases = sample.cases.filter(moderator__isnull=False).select_related(
        "moderator__user", "setting"
    )
    for case in cases.order_by("number"):
        assert case.moderator is not None
        at_riverside = case.setting.name == "Riverside Primary School"
        disagree = at_riverside and len(disagreed) < 2
        if not disagree and reviewed >= REVIEWED:
            continue
        moderator = next(
            actor for actor in actors_for(case.moderator.user) if actor.membership == case.moderator
        )
        case_review(
            actor=moderator,
            case=case,
            verdict="disagree" if disagree else "agree",
            reason=(
                "Made-up demo reason: the support described is what the class provides for"
                " everyone, so the evidence points to the stage below."
                if disagree
                else ""
            ),
        )
        reviewed += 1
        if disagree:
            disagreed.append(case)
    # Riverside's lead has considered the first disagreement; the second waits in the queue.
    if disagreed:
        lead = (
            Membership.objects.current()
            .filter(setting=disagreed[0].setting, role=Role.SUPPORT_FOR_LEARNING_LEAD)
            .order_by("pk")
            .first()
        )
        if lead is not None:
            actor = next(a for a in actors_for(lead.user) if a.membership == lead)
            disagreement_consider(
                actor=actor,
                case=disagreed[0],
                response="Made-up demo response: we looked again with the class teacher; the"
                " stage stands because the reading support is given outside the class.",
            )
    _add_demo_plan_moderation(officer, moderators, decided_from=decided_from, today=today)
    return sample


def _acting_as(membership: Membership) -> Actor:
    return next(actor for actor in actors_for(membership.user) if actor.membership == membership)


def _add_demo_plan_moderation(
    officer: Actor, moderators: list[Membership], *, decided_from: date, today: date
) -> ModerationSample | None:
    """A sample of the plans Glasgow's schools opened in the period: the first case reviewed in
    agreement, the first Riverside case disagreed with and left for Riverside to consider."""
    assert officer.membership is not None
    glasgow = officer.membership.authority
    assert glasgow is not None
    available = plan_population(
        authority_ids=[glasgow.pk], decided_from=decided_from, decided_to=today
    ).count()
    if available == 0 or not moderators:
        return None
    sample = sample_draw(
        actor=officer,
        decided_from=decided_from,
        decided_to=today,
        size=min(DEMO_PLAN_SAMPLE_SIZE, available),
        seed=DEMO_SEED,
        kind=DecisionKind.PLAN,
    )
    moderators_assign(actor=officer, sample=sample, moderators=moderators)
    cases = list(
        sample.cases.filter(moderator__isnull=False)
        .select_related("moderator__user", "setting")
        .order_by("number")
    )
    riverside = next(
        (case for case in cases if case.setting.name == "Riverside Primary School"), None
    )
    agreed = next((case for case in cases if case != riverside), None)
    if agreed is not None:
        assert agreed.moderator is not None
        case_review(actor=_acting_as(agreed.moderator), case=agreed, verdict="agree", reason="")
    if riverside is not None:
        assert riverside.moderator is not None
        case_review(
            actor=_acting_as(riverside.moderator),
            case=riverside,
            verdict="disagree",
            reason="Made-up demo reason: nothing recorded shows support from another agency, so"
            " the school's own plan would meet the needs described.",
        )
    return sample
