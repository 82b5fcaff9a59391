"""The plan lifecycle's statutory clocks. Each is called by the planning service that made the
change, inside its transaction, with the same actor, and guards itself with the capability to edit
plans: opening a co-ordinated support plan or an IDP starts (or joins) its preparation or decision
clock, signing off its first version closes that clock and starts the review clock, each recorded
review closes the review clock and starts the next, and closing the plan withdraws its clocks."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from stagewise.learners.access import require_for_learner
from stagewise.organisations.models import Role
from stagewise.policy import Capability, SystemProcess
from stagewise.statutory.models import (
    OPEN_PROCESS_STATUSES,
    ProcessOutcome,
    Responsible,
    StatutoryProcess,
    StatutoryTimescale,
)
from stagewise.statutory.selectors import timescale_in_force

# The package's own unguarded steps: every function here guards before calling them.
from stagewise.statutory.services.processes import _close, _start, _today

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.planning.models import Plan

    AnyActor = Actor | SystemProcess


@dataclass(frozen=True)
class PlanClocks:
    """Which clocks a statutory plan type's lifecycle runs: opening the plan starts (or joins) its
    preparation or decision clock, signing off the first version closes that clock and starts
    the review clock, and each recorded review closes the review clock and starts the next."""

    prepare: str
    review: str


PLAN_CLOCKS = {
    "coordinated_support_plan": PlanClocks(
        prepare="scotland.coordinated_support_plan_prepare",
        review="scotland.coordinated_support_plan_review",
    ),
    "individual_development_plan_school": PlanClocks(
        prepare="wales.individual_development_plan_school_decision",
        review="wales.individual_development_plan_review",
    ),
    "individual_development_plan_local_authority": PlanClocks(
        prepare="wales.individual_development_plan_authority_decision",
        review="wales.individual_development_plan_review",
    ),
}


def _plan_guard(actor: "AnyActor", plan: "Plan", purpose: str) -> PlanClocks | None:
    require_for_learner(actor, Capability.EDIT_PLANS, plan.learner, purpose)
    return PLAN_CLOCKS.get(plan.plan_type.key)


def _plan_keeper(plan: "Plan", rule: StatutoryTimescale) -> str:
    """The authority keeps a plan only authority officers sign off (a co-ordinated support plan,
    an IDP kept by the local authority); otherwise the school does, for a school-run rule."""
    roles = set(plan.plan_type.sign_off_roles)
    if roles and roles <= {Role.LOCAL_AUTHORITY_OFFICER}:
        return Responsible.AUTHORITY
    return rule.responsible


def plan_clocks_opened(*, actor: "AnyActor", plan: "Plan", opened_on: date) -> None:
    """Opening a statutory plan joins the running preparation or decision clock (started when
    the request or concern came in) or, if none is running, starts one from today."""
    clocks = _plan_guard(actor, plan, "start statutory process for plan")
    if clocks is None:
        return
    running = StatutoryProcess.objects.filter(
        learner=plan.learner, rule_key=clocks.prepare, status__in=OPEN_PROCESS_STATUSES
    ).first()
    if running is not None:
        if running.plan_id is None:
            running.plan = plan
            running.save(update_fields=["plan"])
        return
    rule = timescale_in_force(clocks.prepare, opened_on)
    _start(
        actor=actor,
        learner=plan.learner,
        rule_key=clocks.prepare,
        started_on=opened_on,
        plan=plan,
        responsible=_plan_keeper(plan, rule),
        reason=_("Started when the %(plan_type)s was opened.")
        % {"plan_type": plan.plan_type.display_name},
    )


def plan_clocks_finalised(
    *, actor: "AnyActor", plan: "Plan", signed_on: date, first_version: bool
) -> None:
    """Signing off the first version closes the preparation clock and starts the review clock."""
    clocks = _plan_guard(actor, plan, "close statutory process for plan")
    if clocks is None or not first_version:
        return
    for process in StatutoryProcess.objects.filter(
        learner=plan.learner, rule_key=clocks.prepare, status__in=OPEN_PROCESS_STATUSES
    ):
        _close(
            actor=actor,
            process=process,
            closed_on=max(signed_on, process.started_on),
            outcome=ProcessOutcome.DONE,
            note=_("The %(plan_type)s was signed off.")
            % {"plan_type": plan.plan_type.display_name},
        )
    _start_review(actor=actor, plan=plan, clocks=clocks, from_day=signed_on)


def _start_review(*, actor: "AnyActor", plan: "Plan", clocks: PlanClocks, from_day: date) -> None:
    rule = timescale_in_force(clocks.review, from_day)
    _start(
        actor=actor,
        learner=plan.learner,
        rule_key=clocks.review,
        started_on=from_day,
        plan=plan,
        responsible=_plan_keeper(plan, rule),
    )


def plan_clocks_reviewed(
    *, actor: "AnyActor", plan: "Plan", held_on: date, plan_continues: bool
) -> None:
    """A review closes the review clock; if the plan continues, the next one starts from it."""
    clocks = _plan_guard(actor, plan, "close statutory review for plan")
    if clocks is None:
        return
    for process in StatutoryProcess.objects.filter(
        plan=plan, rule_key=clocks.review, status__in=OPEN_PROCESS_STATUSES
    ):
        _close(
            actor=actor,
            process=process,
            closed_on=max(held_on, process.started_on),
            outcome=ProcessOutcome.DONE,
            note=_("The review meeting was held."),
        )
    if plan_continues:
        _start_review(actor=actor, plan=plan, clocks=clocks, from_day=held_on)


def plan_clocks_closed(*, actor: "AnyActor", plan: "Plan", closed_on: date) -> None:
    """Closing a plan ends every clock still running for it."""
    _plan_guard(actor, plan, "close statutory processes for closed plan")
    for process in StatutoryProcess.objects.filter(plan=plan, status__in=OPEN_PROCESS_STATUSES):
        _close(
            actor=actor,
            process=process,
            closed_on=max(min(closed_on, _today()), process.started_on),
            outcome=ProcessOutcome.WITHDRAWN,
            note=_("The plan was closed."),
        )
