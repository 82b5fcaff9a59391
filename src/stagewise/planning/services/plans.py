"""Opening a plan and moving it through its lifecycle: draft, finalised, active, under review,
revised and closed. Each write is one transaction, validated and audited."""

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_value
from stagewise.learners.access import refuse
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.organisations.models import Role
from stagewise.planning.documents import (
    SignOff,
    finalise_problems,
    plan_document_build,
    plan_document_dump,
)
from stagewise.planning.models import (
    OPEN_STATUSES,
    Plan,
    PlanStatus,
    PlanType,
    PlanVersion,
)
from stagewise.planning.services.common import (
    audit_plan,
    lock_editable_plan,
    lock_plan,
    require_plan_editor,
)
from stagewise.planning.tasks import store_printed_plans
from stagewise.plausible import clean_only
from stagewise.policy import may_sign_off
from stagewise.statutory.calendar import add_months
from stagewise.statutory.models.departures import departure_refusals
from stagewise.statutory.services import (
    plan_clocks_closed,
    plan_clocks_finalised,
    plan_clocks_opened,
)
from stagewise.webhooks.events import webhook_event_emit
from stagewise.webhooks.models import EventType

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def sign_off_roles_text(plan_type: PlanType) -> str:
    """'Support-for-learning lead, Head teacher': a list, never a phrase, because Welsh mutates a
    word after "or" and a name filled into a sentence cannot be mutated."""
    labels = []
    for value in plan_type.sign_off_roles:
        try:
            labels.append(str(Role(value).label))
        except ValueError:
            labels.append(value)
    return ", ".join(labels)


def _departure_message(plan_type: PlanType, suggested: str | None) -> str:
    if suggested == "none":
        return _(
            "On what is recorded the statutory test does not suggest a %(plan_type)s: give the "
            "reason for opening one."
        ) % {"plan_type": plan_type.display_name.lower()}
    other = PlanType.objects.filter(key=suggested).first()
    return _(
        "The suggested plan is the %(suggested)s: give the reason for opening the %(plan_type)s"
        " instead."
    ) % {
        "suggested": other.display_name.lower() if other else suggested,
        "plan_type": plan_type.display_name.lower(),
    }


@transaction.atomic
def plan_create(
    *,
    actor: "Actor",
    learner: Learner,
    plan_type: PlanType,
    starts_on: date | None = None,
    multi_agency: bool = False,
    departure_reason: str = "",
    departure_kind: str = "",
) -> Plan:
    """Opens a draft plan. For a statutory plan with a test (a co-ordinated support plan; an
    individual development plan) the suggestion decision support makes from the record now is
    kept with it, and opening a type other than the suggested one needs a reason (ADR 0047)."""
    from stagewise.statutory.decision_support_selectors import (
        plan_decision_support_get,
        plan_suggestion_for,
    )

    require_plan_editor(actor, learner)
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("This learner is not enrolled anywhere, so a plan cannot be opened.")
        )
    authority = enrolment.setting.authority
    if plan_type.nation_id != authority.nation_id or not plan_type.active:
        raise ValidationError(
            {
                "plan_type": _("Choose a type of plan used in %(nation)s.")
                % {"nation": authority.nation}
            }
        )
    existing = (
        Plan.objects.filter(learner=learner, plan_type=plan_type, status__in=OPEN_STATUSES)
        .only("status")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "plan_type": _(
                    "%(learner)s already has an open %(plan_type)s (%(status)s). Open that plan,"
                    " or close it before starting another."
                )
                % {
                    "learner": learner,
                    "plan_type": plan_type.display_name.lower(),
                    "status": existing.get_status_display().lower(),
                }
            }
        )
    suggested = plan_suggestion_for(plan_decision_support_get(learner), plan_type.key)
    departs = suggested is not None and suggested != plan_type.key
    departure_reason = departure_reason.strip()
    refusals = departure_refusals(
        departs=departs,
        kind=departure_kind,
        reason=departure_reason,
        reason_missing=_departure_message(plan_type, suggested) if departs else "",
    )
    if refusals:
        raise ValidationError(refusals)
    plan = Plan(
        learner=learner,
        plan_type=plan_type,
        authority=authority,
        suggested_plan_type=suggested or "",
        departs_from_suggestion=departs,
        departure_kind=departure_kind if departs else "",
        departure_reason=departure_reason if departs else "",
        looked_after_when_opened=learner.looked_after,
        starts_on=starts_on,
        next_review_on=(
            add_months(starts_on, plan_type.review_interval_months) if starts_on else None
        ),
        multi_agency=multi_agency and plan_type.has_lead_professional,
        created_by=actor.user,
        opened_for_setting=actor.membership.setting if actor.membership is not None else None,
    )
    plan.full_clean(validate_constraints=False)
    try:
        # The constraint also holds against a colleague opening the same plan this instant.
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError(
            {"plan_type": _("This learner already has an open plan of this type.")}
        ) from None
    audit_plan(
        actor=actor,
        plan=plan,
        action=AuditAction.CREATE,
        purpose="open plan",
        changes={
            "plan_type": [None, plan_type.key],
            "starts_on": [None, audit_value(starts_on)],
            "suggested_plan_type": [None, suggested or ""],
            "departs_from_suggestion": [None, departs],
            "departure_kind": [None, departure_kind if departs else ""],
        },
    )
    plan_clocks_opened(actor=actor, plan=plan, opened_on=timezone.localdate())
    return plan


@transaction.atomic
def plan_finalise(
    *, actor: "Actor", plan: Plan, based_on_revision: int, signed_on: date | None = None
) -> PlanVersion:
    """Signs off the plan as it stands, keeping an immutable version of it."""
    plan_type = plan.plan_type
    require_plan_editor(actor, plan.learner)
    if not may_sign_off(actor, plan_type.sign_off_roles):
        _refuse(actor, plan, "sign off plan")
        raise ValidationError(
            _(
                "You are acting as: %(role)s. Who may sign off this plan: %(roles)s. Ask one of"
                " them to finalise it."
            )
            % {
                "roles": sign_off_roles_text(plan_type),
                "role": str(Role(actor.role).label),
            }
        )
    locked = lock_editable_plan(actor=actor, plan=plan)
    if locked.edit_revision != based_on_revision:
        raise ValidationError(
            _(
                "The plan has changed since you opened it. Read the latest version before you"
                " sign it off."
            ),
            code="edit_conflict",
        )
    document = plan_document_build(locked)
    problems = finalise_problems(document)
    if problems:
        raise ValidationError(problems)
    signed_on = signed_on or timezone.localdate()
    document.sign_off = SignOff(name=actor.user.full_name, role=actor.role, signed_on=signed_on)
    version = PlanVersion(
        plan=locked,
        number=locked.version_number,
        document=plan_document_dump(document),
        finalised_by=actor.user,
        finalised_by_label=actor.user.full_name,
        finalised_role=actor.role,
        finalised_at=timezone.now(),
        # A school's staff act for their school; an authority's or agency's for none.
        finalised_for_setting=actor.membership.setting if actor.membership is not None else None,
        staff_notes=locked.staff_notes,
    )
    version.save()
    before = locked.status
    locked.status = PlanStatus.FINALISED
    locked.save(update_fields=["status"])
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.UPDATE,
        purpose="finalise plan",
        changes={"status": [before, locked.status], "version": [None, version.number]},
    )
    plan_clocks_finalised(
        actor=actor, plan=locked, signed_on=signed_on, first_version=version.number == 1
    )
    plan.status = locked.status
    webhook_event_emit(
        event_type=EventType.PLAN_FINALISED,
        learner=locked.learner,
        data={"plan": str(locked.public_id)},
    )
    # The printed copies are made by the worker once the version is saved (ADR 0034); until
    # then, or if the queue fails, a download renders its copy itself.
    transaction.on_commit(partial(store_printed_plans.enqueue, version.pk), robust=True)
    return version


def _move(
    *,
    actor: "Actor",
    plan: Plan,
    allowed_from: set[str],
    to: str,
    purpose: str,
    refusal: str,
    **fields: object,
) -> Plan:
    require_plan_editor(actor, plan.learner)
    locked = lock_plan(plan)
    if locked.status not in allowed_from:
        raise ValidationError(refusal)
    before = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    # Checks only what this write changes, so a value stored before a limit never blocks it.
    clean_only(locked, "status", *fields)
    locked.save(update_fields=["status", *fields])
    audit_plan(
        actor=actor,
        plan=locked,
        action=AuditAction.UPDATE,
        purpose=purpose,
        changes={"status": [before, to]}
        | {name: [None, audit_value(value)] for name, value in fields.items()},
    )
    return locked


@transaction.atomic
def plan_support_in_place(*, actor: "Actor", plan: Plan, in_place_on: date) -> Plan:
    return _move(
        actor=actor,
        plan=plan,
        allowed_from={PlanStatus.FINALISED},
        to=PlanStatus.ACTIVE,
        purpose="record support in place",
        refusal=_("Support can be recorded as in place once the plan has been finalised."),
        support_in_place_on=in_place_on,
    )


@transaction.atomic
def plan_review_begin(*, actor: "Actor", plan: Plan) -> Plan:
    return _move(
        actor=actor,
        plan=plan,
        allowed_from={PlanStatus.FINALISED, PlanStatus.ACTIVE},
        to=PlanStatus.UNDER_REVIEW,
        purpose="begin plan review",
        refusal=_("Only a finalised or active plan can be reviewed."),
    )


@transaction.atomic
def plan_revise(*, actor: "Actor", plan: Plan) -> Plan:
    """Starts the next version; the finalised one stays as it was signed off."""
    current_number = lock_plan(plan).version_number
    locked = _move(
        actor=actor,
        plan=plan,
        allowed_from={PlanStatus.FINALISED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW},
        to=PlanStatus.REVISION,
        purpose="revise plan",
        refusal=_("Only a finalised plan can be revised; a draft can be changed directly."),
        version_number=current_number + 1,
    )
    return locked


def _refuse(actor: "Actor", plan: Plan, purpose: str) -> None:
    refuse(
        actor=actor,
        learner=plan.learner,
        purpose=purpose,
        object_type="plan",
        object_id=str(plan.public_id),
    )


def require_closer(actor: "Actor", plan: Plan) -> None:
    """Ending a plan is as weighty as agreeing it (for a co-ordinated support plan, an authority
    decision), so only the roles that may sign a type off may close it."""
    plan_type = plan.plan_type
    if not may_sign_off(actor, plan_type.sign_off_roles):
        _refuse(actor, plan, "close plan")
        raise ValidationError(
            _("Who may close this plan: %(roles)s. Ask one of them to close it.")
            % {"roles": sign_off_roles_text(plan_type)}
        )


@transaction.atomic
def plan_close(*, actor: "Actor", plan: Plan, closed_on: date, reason: str) -> Plan:
    require_plan_editor(actor, plan.learner)
    require_closer(actor, plan)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is being closed.")})
    closed = _move(
        actor=actor,
        plan=plan,
        allowed_from=set(OPEN_STATUSES),
        to=PlanStatus.CLOSED,
        purpose="close plan",
        refusal=_("This plan is already closed."),
        closed_on=closed_on,
        closed_reason=reason.strip(),
    )
    plan_clocks_closed(actor=actor, plan=closed, closed_on=closed_on)
    return closed
