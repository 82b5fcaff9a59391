"""Where a plan is in the planning cycle and what is due next.

The cycle (seed 003): gather information, agree and document the support, set goals, agree
timescales, communicate the plan, put support in place, review progress, update. The position is
worked out from the plan's status and content, never stored, so it cannot disagree with them.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagewise.planning.documents import (
    TARGET_DATE,
    TARGET_MEASURE,
    PlanDocument,
    finalise_problems_by_kind,
)
from stagewise.planning.models import Plan, PlanStatus, SectionKind


class CycleStep(models.TextChoices):
    GATHER = "gather", gettext_lazy("Gathering information")
    AGREE_SUPPORT = "agree_support", gettext_lazy("Agreeing and documenting the support needed")
    SET_GOALS = "set_goals", gettext_lazy("Setting goals")
    AGREE_TIMESCALES = "agree_timescales", gettext_lazy("Agreeing timescales")
    COMMUNICATE = "communicate", gettext_lazy("Communicating the plan")
    PUT_IN_PLACE = "put_in_place", gettext_lazy("Putting support in place")
    REVIEW = "review", gettext_lazy("Reviewing progress")
    UPDATE = "update", gettext_lazy("Updating the plan")


STEPS = list(CycleStep)


@dataclass(frozen=True)
class StepState:
    step: CycleStep
    state: str  # "done", "current" or "to_do"


@dataclass(frozen=True)
class CyclePosition:
    current: CycleStep | None
    steps: list[StepState]
    next_action: str
    due_on: date | None = None
    overdue: bool = False


STEP_FOR_PROBLEM = {
    SectionKind.LEARNER_VIEWS: CycleStep.GATHER,
    SectionKind.PARENT_VIEWS: CycleStep.GATHER,
    SectionKind.TARGETS: CycleStep.SET_GOALS,
    TARGET_MEASURE: CycleStep.SET_GOALS,
    TARGET_DATE: CycleStep.AGREE_TIMESCALES,
    SectionKind.REVIEW_TIMETABLE: CycleStep.AGREE_TIMESCALES,
}


def _draft_step(document: PlanDocument) -> tuple[CycleStep, str]:
    """The earliest step with work outstanding, and the first thing to do in it."""
    by_step: dict[CycleStep, str] = {}
    for kind, message in finalise_problems_by_kind(document):
        by_step.setdefault(STEP_FOR_PROBLEM.get(kind, CycleStep.AGREE_SUPPORT), message)
    for step in STEPS[:4]:
        if step in by_step:
            return step, by_step[step]
    return CycleStep.AGREE_TIMESCALES, ""


def _states(current: CycleStep | None) -> list[StepState]:
    if current is None:
        return [StepState(step, "done") for step in STEPS]
    index = STEPS.index(current)
    return [
        StepState(step, "done" if i < index else "current" if i == index else "to_do")
        for i, step in enumerate(STEPS)
    ]


def cycle_position(
    *,
    plan: Plan,
    document: PlanDocument,
    shared_with_family: bool,
    sign_off_roles: str,
    today: date,
) -> CyclePosition:
    status = plan.status
    if status == PlanStatus.CLOSED:
        return CyclePosition(None, _states(None), _("This plan is closed."))
    if status in (PlanStatus.DRAFT, PlanStatus.REVISION):
        step, problem = _draft_step(document)
        if status == PlanStatus.REVISION and not problem:
            step = CycleStep.UPDATE
        action = problem or _("Finalise the plan. Who may sign it off: %(roles)s.") % {
            "roles": sign_off_roles
        }
        return CyclePosition(step, _states(step), action)
    if status == PlanStatus.FINALISED:
        if not shared_with_family:
            return CyclePosition(
                CycleStep.COMMUNICATE,
                _states(CycleStep.COMMUNICATE),
                _("Share the plan with the family and record who received it."),
            )
        return CyclePosition(
            CycleStep.PUT_IN_PLACE,
            _states(CycleStep.PUT_IN_PLACE),
            _("Record when the support is in place."),
            due_on=plan.starts_on if plan.version_number == 1 else None,
        )
    # Active or under review: the next thing is the review.
    overdue = plan.next_review_on is not None and plan.next_review_on < today
    if status == PlanStatus.UNDER_REVIEW:
        action = _("Record the review meeting.")
    elif overdue:
        action = _("The review is overdue. Arrange the review meeting.")
    else:
        action = _("Review progress by the review date.")
    return CyclePosition(
        CycleStep.REVIEW,
        _states(CycleStep.REVIEW),
        action,
        due_on=plan.next_review_on,
        overdue=overdue,
    )
