"""Plans built through the services, as a user would build them, for tests."""

from datetime import date, timedelta

from django.utils import timezone

from stagewise.accounts.actors import Actor, actors_for
from stagewise.accounts.models import User
from stagewise.learners.models import Learner
from stagewise.planning.models import (
    Plan,
    PlanReview,
    PlanSection,
    PlanType,
    ReviewDecision,
    SectionKind,
    TargetProgress,
    ViewKind,
)
from stagewise.planning.services import (
    TargetProgressEntry,
    content_fingerprint,
    plan_create,
    plan_finalise,
    plan_review_record,
    plan_section_update,
    provision_add,
    section_text_current,
    target_add,
    view_add,
)
from stagewise.testing.factories import JUDGED_BEYOND_THE_RECORD, JUDGED_BEYOND_THE_RECORD_KIND


def acting(user: User, role: str | None = None) -> Actor:
    """The user's actor, in `role` if given (a user may hold several)."""
    actors = actors_for(user)
    if role is None:
        return actors[0]
    return next(actor for actor in actors if actor.role == role)


def plan_type(key: str) -> PlanType:
    return PlanType.objects.get(key=key)


def started_plan(actor: Actor, learner: Learner, key: str, starts_on: date | None = None) -> Plan:
    return plan_create(
        actor=actor,
        learner=learner,
        plan_type=plan_type(key),
        starts_on=starts_on or timezone.localdate() - timedelta(days=7),
        departure_reason=JUDGED_BEYOND_THE_RECORD,
        departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
    )


def write_section(actor: Actor, plan: Plan, key: str, text: str) -> None:
    section = PlanSection.objects.get(plan_type=plan.plan_type, key=key)
    plan_section_update(
        actor=actor,
        plan=plan,
        section=section,
        text=text,
        based_on=content_fingerprint(section_text_current(plan, section)),
    )


def complete_plan(actor: Actor, learner: Learner, key: str, targets: int = 2) -> Plan:
    """A draft with every required section filled in, ready to finalise."""
    plan = started_plan(actor, learner, key)
    for section in plan.plan_type.sections.filter(kind=SectionKind.TEXT):
        write_section(actor, plan, section.key, f"{section.title}: written for {learner}.")
    today = timezone.localdate()
    for kind, speaker in ((ViewKind.LEARNER, str(learner)), (ViewKind.PARENT, "Their mum")):
        view_add(
            actor=actor,
            plan=plan,
            kind=kind,
            speaker=speaker,
            words=f"{speaker} says: I like maths when it is practical.",
            gathered_on=today,
        )
    for number in range(1, targets + 1):
        target = target_add(
            actor=actor,
            plan=plan,
            outcome=f"Target outcome {number}: read a short text aloud",
            measure="Reading record, checked weekly",
            baseline="Reads 20 words a minute",
            success_criteria="Reads 40 words a minute",
            achieve_by=today + timedelta(days=90),
        )
        provision_add(
            actor=actor,
            target=target,
            description=f"Small-group reading support {number}",
            frequency="Three times a week",
            minutes_per_week=90,
            starts_on=plan.starts_on or today,
            provider_name="Pupil support assistant",
            location="Library",
            delivered_in_welsh=False if plan.authority.nation.code == "wales" else None,
        )
    plan.refresh_from_db()
    return plan


def finalised_plan(actor: Actor, learner: Learner, key: str, signer: Actor | None = None) -> Plan:
    plan = complete_plan(actor, learner, key)
    plan_finalise(actor=signer or actor, plan=plan, based_on_revision=plan.edit_revision)
    plan.refresh_from_db()
    return plan


def review_held_today(
    actor: Actor, plan: Plan, attendees: str = "Class teacher; parent"
) -> PlanReview:
    """Record a review held today that found every target achieved and kept the plan going,
    with the next review in six months."""
    today = timezone.localdate()
    return plan_review_record(
        actor=actor,
        plan=plan,
        held_on=today,
        attendees=attendees,
        views_beforehand="",
        progress=[
            TargetProgressEntry(target=target, progress=TargetProgress.ACHIEVED, evidence="Done.")
            for target in plan.targets.all()
        ],
        decision=ReviewDecision.CONTINUE,
        next_review_on=today + timedelta(days=180),
    )
