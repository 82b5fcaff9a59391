"""Every write to a disagreement: record one (a family, or staff on the family's behalf), move
it to a later route, close it with its outcome. Each requires its capability for the learner
first, runs in one transaction and is audited. Which routes exist, in which order, and which
subjects each hears is data (routes.py); the time limits are statutory rules."""

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.disagreements.models import Disagreement, DisagreementStep, RaisedFor
from stagewise.disagreements.routes import Route, routes_after, routes_for, subject_get
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Learner, ParentPart
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.policy import Audience, Capability, SystemProcess, policy_for
from stagewise.statutory.calendar import CalendarNotLoaded
from stagewise.statutory.selectors import DeadlineRefused, deadline_for
from stagewise.statutory.services.processes import format_day

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User

    AnyActor = Actor | SystemProcess | None


def _user(actor: "AnyActor") -> "User | None":
    return actor.user if actor else None


def _is_family(actor: "AnyActor") -> bool:
    return not isinstance(actor, SystemProcess) and policy_for(actor).audience == Audience.FAMILY


def _audit(actor: "AnyActor", action: str, disagreement: Disagreement, purpose: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=disagreement.learner,
        object_type="disagreement",
        object_id=str(disagreement.public_id),
        purpose=purpose,
        detail={"route": disagreement.current_route, "subject": disagreement.subject},
    )


def _not_in_future(day: date, field: str, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: message})


def _step_deadline(route: Route, entered_on: date, learner: Learner) -> tuple[date | None, str]:
    """When the route itself should be done, by its statutory rule on the learner's school's
    calendar, or no date and why not (a calendar not loaded)."""
    if route.step_rule is None:
        return None, ""
    enrolment = learner_current_enrolment(learner)
    try:
        return (
            deadline_for(
                rule_key=route.step_rule,
                start=entered_on,
                setting=enrolment.setting if enrolment else None,
            ),
            "",
        )
    except (CalendarNotLoaded, DeadlineRefused) as problem:
        return None, str(problem)[:300]


def _enter(
    *, actor: "AnyActor", disagreement: Disagreement, route: Route, entered_on: date
) -> DisagreementStep:
    deadline, problem = _step_deadline(route, entered_on, disagreement.learner)
    return DisagreementStep.objects.create(
        disagreement=disagreement,
        route=route.key,
        entered_on=entered_on,
        deadline=deadline,
        deadline_problem=problem,
        recorded_by=_user(actor),
    )


def _text(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def disagreement_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    subject: str,
    about: str,
    family_wants: str,
    opened_on: date,
    raised_for: str = "",
    staff_notes: str = "",
) -> Disagreement:
    """A disagreement, at the first route of the learner's nation (resolving it with the school).
    A family records their own; staff record one on the family's behalf and may add notes the
    family never sees."""
    require_for_learner(
        actor,
        Capability.RECORD_DISAGREEMENTS,
        learner,
        "record disagreement",
        part=ParentPart.REQUESTS,
    )
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("The learner is not enrolled anywhere: there is no authority to disagree with.")
        )
    nation = enrolment.setting.authority.nation
    if _is_family(actor):
        # The family's own disagreement: theirs, as the role they act in, with no staff notes.
        recipient = policy_for(actor).plan_recipient  # type: ignore[arg-type]
        raised_for = RaisedFor.YOUNG_PERSON if recipient == "learner" else RaisedFor.PARENT
        if staff_notes.strip():
            raise ValidationError(_("Only staff may add staff notes."))
    if raised_for not in RaisedFor.values:
        raise ValidationError({"raised_for": _("Choose whose disagreement this is.")})
    if subject_get(nation.code, subject) is None:
        raise ValidationError({"subject": _("Choose what the disagreement is about.")})
    _not_in_future(opened_on, "opened_on", _("The date it was raised cannot be in the future."))
    first = routes_for(nation.code)[0]
    disagreement = Disagreement(
        learner=learner,
        nation=nation,
        raised_for=raised_for,
        raised_by=_user(actor),
        raised_by_role=getattr(actor, "role", "") or "",
        subject=subject,
        about=_text(about, "about", _("Say what the disagreement is about.")),
        family_wants=_text(family_wants, "family_wants", _("Say what the family wants.")),
        opened_on=opened_on,
        current_route=first.key,
        staff_notes=staff_notes.strip(),
    )
    disagreement.full_clean(exclude=["learner", "nation", "raised_by"])
    disagreement.save()
    _enter(actor=actor, disagreement=disagreement, route=first, entered_on=opened_on)
    _audit(actor, AuditAction.CREATE, disagreement, "record disagreement")
    return disagreement


def _lock_open(disagreement: Disagreement) -> tuple[Disagreement, DisagreementStep]:
    locked = (
        Disagreement.objects.select_for_update().select_related("learner").get(pk=disagreement.pk)
    )
    if not locked.is_open:
        raise ValidationError(_("This disagreement is closed: it cannot change."))
    step = locked.steps.filter(ended_on__isnull=True).order_by("-entered_on", "-pk").first()
    if step is None:
        raise ValidationError(_("This disagreement has no open step."))
    return locked, step


def _end_step(
    step: DisagreementStep, *, ended_on: date, outcome: str, staff_note: str, field: str
) -> None:
    if ended_on < step.entered_on:
        raise ValidationError(
            {
                field: _("The date cannot be before the step began, on %(day)s.")
                % {"day": format_day(step.entered_on)}
            }
        )
    step.ended_on = ended_on
    step.outcome = outcome
    step.staff_note = staff_note.strip()
    step.full_clean(exclude=["disagreement", "recorded_by"])
    step.save(update_fields=["ended_on", "outcome", "staff_note"])


@transaction.atomic
def disagreement_move(
    *,
    actor: "AnyActor",
    disagreement: Disagreement,
    route_key: str,
    moved_on: date,
    step_outcome: str,
    staff_note: str = "",
) -> Disagreement:
    """Ends the current step with its outcome and enters a later route that hears the
    disagreement's subject. Staff who manage disagreements move any learner's they see; a
    family records that they have taken a later route themselves (asked for mediation, applied
    to the tribunal), for their own child's disagreement or their own, and writes no staff
    note."""
    family = _is_family(actor)
    require_for_learner(
        actor,
        Capability.TAKE_DISAGREEMENT_ROUTES if family else Capability.MANAGE_DISAGREEMENTS,
        disagreement.learner,
        "move disagreement",
        part=ParentPart.REQUESTS,
    )
    if family and staff_note.strip():
        raise ValidationError(_("Only staff may add staff notes."))
    locked, step = _lock_open(disagreement)
    open_routes = {route.key: route for route in routes_after(locked.current_route, locked.subject)}
    route = open_routes.get(route_key)
    if route is None:
        raise ValidationError({"route": _("Choose one of the routes still open.")})
    _not_in_future(moved_on, "moved_on", _("The date cannot be in the future."))
    outcome = _text(step_outcome, "step_outcome", _("Say how this step ended."))
    _end_step(step, ended_on=moved_on, outcome=outcome, staff_note=staff_note, field="moved_on")
    locked.current_route = route.key
    locked.save(update_fields=["current_route"])
    _enter(actor=actor, disagreement=locked, route=route, entered_on=moved_on)
    _audit(actor, AuditAction.UPDATE, locked, "move disagreement")
    disagreement.refresh_from_db()
    return locked


@transaction.atomic
def disagreement_close(
    *,
    actor: "AnyActor",
    disagreement: Disagreement,
    closed_on: date,
    outcome: str,
    staff_note: str = "",
) -> Disagreement:
    """Records the final outcome: the current step ends with it and the disagreement closes."""
    require_for_learner(
        actor, Capability.MANAGE_DISAGREEMENTS, disagreement.learner, "close disagreement"
    )
    locked, step = _lock_open(disagreement)
    _not_in_future(closed_on, "closed_on", _("The date cannot be in the future."))
    outcome = _text(outcome, "outcome", _("Say how the disagreement ended."))
    _end_step(step, ended_on=closed_on, outcome=outcome, staff_note=staff_note, field="closed_on")
    locked.closed_on = closed_on
    locked.outcome = outcome
    locked.full_clean(exclude=["learner", "nation", "raised_by"])
    locked.save(update_fields=["closed_on", "outcome"])
    _audit(actor, AuditAction.UPDATE, locked, "close disagreement")
    disagreement.refresh_from_db()
    return locked
