"""Statutory processes: starting a clock, pausing, resuming and extending it with a reason, and
closing it with an outcome. Each is one transaction that guards itself, keeps a step in the
process's history and writes an audit event. A due date is never typed in: it is computed from the
rule version in force on the day the clock started, on the learner's school calendar, and moves
only by a pause or an extension with a reason, never past the rule's ceiling."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, audit_value
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.organisations.models import Agency, LocalAuthority, Setting
from stagewise.policy import Capability, SystemProcess
from stagewise.statutory.calendar import ComputedDue, Direction, Unit, due_or_problem
from stagewise.statutory.models import (
    OPEN_PROCESS_STATUSES,
    ProcessEvent,
    ProcessEventKind,
    ProcessOutcome,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
    StatutoryTimescale,
    TimescaleUnit,
)
from stagewise.statutory.selectors import (
    DeadlineRefused,
    bank_holidays_for,
    school_calendar_for,
    timescale_in_force,
)

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.planning.models import Plan

    AnyActor = Actor | SystemProcess


def compute_due(
    *,
    timescale: StatutoryTimescale,
    start: date,
    authority: LocalAuthority,
    setting: Setting | None,
    amount: int | None = None,
    unit: str | None = None,
    direction: str | None = None,
) -> ComputedDue:
    """The date `amount` `unit`s from `start` (the rule's own by default) on the school's
    calendar; no date, and why, when a calendar it needs is not loaded."""
    chosen_unit = unit or timescale.unit
    school_calendar = (
        school_calendar_for(authority, setting) if chosen_unit == Unit.SCHOOL_DAYS else None
    )
    bank_holidays = (
        bank_holidays_for(timescale.nation) if chosen_unit == Unit.WORKING_DAYS else None
    )
    return due_or_problem(
        start=start,
        unit=chosen_unit,
        amount=timescale.amount if amount is None else amount,
        direction=direction or timescale.direction,
        school_calendar=school_calendar,
        nation=timescale.nation.name,
        bank_holidays=bank_holidays,
    )


def _ceiling(timescale: StatutoryTimescale, process: StatutoryProcess) -> date | None:
    if timescale.ceiling_amount is None:
        return None
    return compute_due(
        timescale=timescale,
        start=process.started_on,
        authority=process.authority,
        setting=process.setting,
        amount=timescale.ceiling_amount,
        unit=timescale.ceiling_unit,
    ).due_on


def _label(actor: "AnyActor") -> tuple[Any, str]:
    if isinstance(actor, SystemProcess):
        return None, "Stagewise"
    return actor.user, actor.user.full_name


def _step(
    *,
    actor: "AnyActor",
    process: StatutoryProcess,
    kind: str,
    happened_on: date,
    reason: str = "",
    due_before: date | None = None,
    due_after: date | None = None,
) -> ProcessEvent:
    user, label = _label(actor)
    event = ProcessEvent(
        process=process,
        kind=kind,
        happened_on=happened_on,
        reason=reason,
        due_before=due_before,
        due_after=due_after,
        recorded_by=user,
        recorded_by_label=label,
    )
    event.save()
    audit_record(
        actor=None if isinstance(actor, SystemProcess) else actor,
        action=AuditAction.CREATE if kind == ProcessEventKind.STARTED else AuditAction.UPDATE,
        learner=process.learner,
        object_type="statutory_process",
        object_id=str(process.public_id),
        purpose=f"statutory process {kind}",
        changes={
            "rule": [None, process.rule_key],
            "status": [None, process.status],
            "due_on": [audit_value(due_before), audit_value(due_after)],
        },
        # The reason is the process event's own words; the log says only that one was given.
        detail={"reason_given": True} if reason else None,
    )
    return event


def _today() -> date:
    return timezone.localdate()


def _not_in_future(day: date, field: str, message: str) -> None:
    if day > _today():
        raise ValidationError({field: message})


def _reason_given(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _lock(process: StatutoryProcess) -> StatutoryProcess:
    return (
        StatutoryProcess.objects.select_for_update(of=("self",))
        .select_related("timescale__nation", "authority", "setting", "learner")
        .get(pk=process.pk)
    )


def _refresh(process: StatutoryProcess, locked: StatutoryProcess) -> StatutoryProcess:
    for field in ("status", "due_on", "paused_on", "closed_on", "outcome", "outcome_note"):
        setattr(process, field, getattr(locked, field))
    process.due_problem = locked.due_problem
    process.calendar_year_needed = locked.calendar_year_needed
    return process


def format_day(day: date) -> str:
    return date_format(day, "j F Y")


@transaction.atomic
def process_start(
    *,
    actor: "AnyActor",
    learner: Learner,
    rule_key: str,
    started_on: date,
    reason: str = "",
    plan: "Plan | None" = None,
    agency: Agency | None = None,
    responsible: str | None = None,
) -> StatutoryProcess:
    """Starts the clock of a statutory process for a learner from the event on `started_on`
    (for a rule that counts back, the event it counts back from: the expected leaving date).

    `responsible` is who must act when it is not the rule's usual party: an authority that has
    handed a step to the school (Glasgow's schools gather the assessment for a request to
    establish needs, say), so the clock shows in the school's queue rather than the authority's.
    """
    require_for_learner(actor, Capability.RUN_STATUTORY_CLOCKS, learner, "start statutory process")
    if responsible is not None and responsible not in (
        Responsible.SETTING,
        Responsible.AUTHORITY,
        Responsible.AGENCY,
    ):
        raise ValidationError(
            {"responsible": _("Choose who must act: the school or the authority.")}
        )
    return _start(
        actor=actor,
        learner=learner,
        rule_key=rule_key,
        started_on=started_on,
        reason=reason,
        plan=plan,
        agency=agency,
        responsible=responsible,
    )


def _start(
    *,
    actor: "AnyActor",
    learner: Learner,
    rule_key: str,
    started_on: date,
    reason: str = "",
    plan: "Plan | None" = None,
    agency: Agency | None = None,
    responsible: str | None = None,
) -> StatutoryProcess:
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _("%(learner)s is not enrolled anywhere, so no statutory clock can start.")
            % {"learner": learner}
        )
    setting = enrolment.setting
    authority = setting.authority
    # The plausible range first: date arithmetic on a mistyped year (0026) would overflow.
    try:
        StatutoryProcess._meta.get_field("started_on").validate(started_on, None)
    except ValidationError as implausible:
        raise ValidationError({"started_on": implausible.messages}) from None
    try:
        timescale = timescale_in_force(rule_key, started_on)
    except DeadlineRefused as refused:
        raise ValidationError({"rule_key": str(refused)}) from None
    if timescale.nation_id != authority.nation_id:
        raise ValidationError(
            {
                "rule_key": _("That timescale is not used in %(nation)s.")
                % {"nation": authority.nation}
            }
        )
    if timescale.direction == Direction.FORWARD:
        _not_in_future(
            started_on,
            "started_on",
            _("The date the clock starts from cannot be in the future."),
        )
    responsible = responsible or timescale.responsible
    if responsible == Responsible.AGENCY:
        if agency is None:
            raise ValidationError({"agency": _("Choose the agency that was asked for help.")})
        if agency.authority_id not in (None, authority.pk):
            raise ValidationError(
                {
                    "agency": _("Choose an agency that works in %(authority)s.")
                    % {"authority": authority}
                }
            )
    else:
        agency = None
    duplicate = StatutoryProcess.objects.filter(
        learner=learner, rule_key=rule_key, status__in=OPEN_PROCESS_STATUSES, agency=agency
    )
    if plan is not None:
        duplicate = duplicate.filter(plan=plan)
    if duplicate.exists():
        raise ValidationError(
            {
                "rule_key": _(
                    "This clock is already running for %(learner)s: open it to pause, extend or"
                    " close it rather than starting another."
                )
                % {"learner": learner}
            }
        )
    computed = compute_due(
        timescale=timescale, start=started_on, authority=authority, setting=setting
    )
    process = StatutoryProcess(
        learner=learner,
        timescale=timescale,
        rule_key=timescale.key,
        authority=authority,
        setting=setting,
        agency=agency,
        responsible=responsible,
        plan=plan,
        started_on=started_on,
        first_due_on=computed.due_on,
        due_on=computed.due_on,
        due_problem=computed.problem,
        calendar_year_needed=computed.academic_year_needed,
        created_by=None if isinstance(actor, SystemProcess) else actor.user,
    )
    process.ceiling_on = _ceiling(timescale, process)
    process.full_clean(exclude=["learner", "timescale", "authority", "setting", "plan", "agency"])
    process.save()
    _step(
        actor=actor,
        process=process,
        kind=ProcessEventKind.STARTED,
        happened_on=started_on,
        reason=reason.strip(),
        due_after=computed.due_on,
    )
    return process


def _require_open(process: StatutoryProcess) -> None:
    if process.status == ProcessStatus.CLOSED:
        raise ValidationError(_("This clock is closed: nothing about it can change now."))


@transaction.atomic
def process_pause(
    *, actor: "AnyActor", process: StatutoryProcess, paused_on: date, reason: str
) -> StatutoryProcess:
    """Stops the clock (an agency's answer awaited, say); resuming moves the due date on by the
    time it stood still."""
    require_for_learner(
        actor, Capability.RUN_STATUTORY_CLOCKS, process.learner, "pause statutory process"
    )
    locked = _lock(process)
    _require_open(locked)
    if locked.status == ProcessStatus.PAUSED:
        raise ValidationError(_("This clock is already paused."))
    reason = _reason_given(reason, _("Give the reason for pausing the clock."))
    _not_in_future(
        paused_on, "paused_on", _("The date the clock was paused cannot be in the future.")
    )
    if paused_on < locked.started_on:
        raise ValidationError({"paused_on": _("A clock cannot be paused before it started.")})
    locked.status = ProcessStatus.PAUSED
    locked.paused_on = paused_on
    locked.save(update_fields=["status", "paused_on"])
    _step(
        actor=actor,
        process=locked,
        kind=ProcessEventKind.PAUSED,
        happened_on=paused_on,
        reason=reason,
        due_before=locked.due_on,
        due_after=locked.due_on,
    )
    return _refresh(process, locked)


@transaction.atomic
def process_resume(
    *, actor: "AnyActor", process: StatutoryProcess, resumed_on: date, reason: str = ""
) -> StatutoryProcess:
    require_for_learner(
        actor, Capability.RUN_STATUTORY_CLOCKS, process.learner, "resume statutory process"
    )
    locked = _lock(process)
    if locked.status != ProcessStatus.PAUSED or locked.paused_on is None:
        raise ValidationError(_("Only a paused clock can be resumed."))
    _not_in_future(
        resumed_on, "resumed_on", _("The date the clock resumed cannot be in the future.")
    )
    if resumed_on < locked.paused_on:
        raise ValidationError(
            {
                "resumed_on": _("The clock cannot resume before it was paused, on %(day)s.")
                % {"day": format_day(locked.paused_on)}
            }
        )
    before = locked.due_on
    notes = [reason.strip()] if reason.strip() else []
    if before is not None:
        stood_still = (resumed_on - locked.paused_on).days
        moved = compute_due(
            timescale=locked.timescale,
            start=before,
            authority=locked.authority,
            setting=locked.setting,
            amount=stood_still,
            unit=Unit.CALENDAR_DAYS,
            direction=Direction.FORWARD,
        ).due_on
        if locked.ceiling_on is not None and moved is not None and moved > locked.ceiling_on:
            moved = locked.ceiling_on
            notes.append(
                _("The new date is held at the ceiling, %(day)s (%(citation)s).")
                % {"day": format_day(locked.ceiling_on), "citation": locked.timescale.citation}
            )
        locked.due_on = moved
    locked.status = ProcessStatus.RUNNING
    locked.paused_on = None
    locked.save(update_fields=["status", "paused_on", "due_on"])
    _step(
        actor=actor,
        process=locked,
        kind=ProcessEventKind.RESUMED,
        happened_on=resumed_on,
        reason=" ".join(notes),
        due_before=before,
        due_after=locked.due_on,
    )
    return _refresh(process, locked)


def ceiling_message(process: StatutoryProcess) -> str:
    timescale = process.timescale
    return _(
        "%(rule)s may not run past %(amount)s %(unit)s from its start (%(citation)s): the latest"
        " date is %(day)s."
    ) % {
        "rule": timescale.display_label,
        "amount": timescale.ceiling_amount,
        "unit": TimescaleUnit(timescale.ceiling_unit).label,
        "citation": timescale.citation,
        "day": format_day(process.ceiling_on) if process.ceiling_on else "",
    }


@transaction.atomic
def process_extend(
    *, actor: "AnyActor", process: StatutoryProcess, new_due_on: date, reason: str
) -> StatutoryProcess:
    """Sets a later due date for a reason the rule allows; the family sees the new date and why."""
    require_for_learner(
        actor, Capability.RUN_STATUTORY_CLOCKS, process.learner, "extend statutory process"
    )
    locked = _lock(process)
    _require_open(locked)
    reason = _reason_given(reason, _("Give the reason for the new date: the family will see it."))
    if locked.due_on is None:
        raise ValidationError(
            _("This clock has no due date yet, so it cannot be extended: %(problem)s")
            % {"problem": locked.due_problem}
        )
    if new_due_on <= locked.due_on:
        raise ValidationError(
            {
                "new_due_on": _(
                    "The new date must be later than the current due date, %(day)s. A due date"
                    " is never brought forward: close the clock when the work is done."
                )
                % {"day": format_day(locked.due_on)}
            }
        )
    if locked.ceiling_on is not None and new_due_on > locked.ceiling_on:
        raise ValidationError({"new_due_on": ceiling_message(locked)})
    before = locked.due_on
    locked.due_on = new_due_on
    locked.save(update_fields=["due_on"])
    _step(
        actor=actor,
        process=locked,
        kind=ProcessEventKind.EXTENDED,
        happened_on=_today(),
        reason=reason,
        due_before=before,
        due_after=new_due_on,
    )
    return _refresh(process, locked)


@transaction.atomic
def process_close(
    *,
    actor: "AnyActor",
    process: StatutoryProcess,
    closed_on: date,
    outcome: str,
    note: str = "",
) -> StatutoryProcess:
    require_for_learner(
        actor, Capability.RUN_STATUTORY_CLOCKS, process.learner, "close statutory process"
    )
    return _close(actor=actor, process=process, closed_on=closed_on, outcome=outcome, note=note)


def _close(
    *, actor: "AnyActor", process: StatutoryProcess, closed_on: date, outcome: str, note: str
) -> StatutoryProcess:
    locked = _lock(process)
    _require_open(locked)
    if outcome not in ProcessOutcome.values:
        raise ValidationError({"outcome": _("Choose how the process ended.")})
    _not_in_future(closed_on, "closed_on", _("The date the process ended cannot be in the future."))
    if locked.timescale.direction == Direction.FORWARD and closed_on < locked.started_on:
        raise ValidationError(
            {
                "closed_on": _("The process cannot end before it started, on %(day)s.")
                % {"day": format_day(locked.started_on)}
            }
        )
    note = note.strip()
    if outcome == ProcessOutcome.WITHDRAWN and not note:
        raise ValidationError({"note": _("Say why the process is no longer needed.")})
    locked.status = ProcessStatus.CLOSED
    locked.paused_on = None
    locked.closed_on = closed_on
    locked.outcome = outcome
    locked.outcome_note = note
    locked.full_clean(exclude=["learner", "timescale", "authority", "setting", "plan", "agency"])
    locked.save(update_fields=["status", "paused_on", "closed_on", "outcome", "outcome_note"])
    _step(
        actor=actor,
        process=locked,
        kind=ProcessEventKind.CLOSED,
        happened_on=closed_on,
        reason=note,
        due_before=locked.due_on,
        due_after=locked.due_on,
    )
    return _refresh(process, locked)


@transaction.atomic
def process_dates_refresh(*, actor: "AnyActor", process: StatutoryProcess) -> StatutoryProcess:
    """Sets the due date of a clock that was waiting for a calendar, once the calendar is loaded
    (run by the daily sweep and after a calendar import)."""
    if not isinstance(actor, SystemProcess):
        require_for_learner(
            actor, Capability.RUN_STATUTORY_CLOCKS, process.learner, "set statutory due date"
        )
    locked = _lock(process)
    if locked.due_on is not None or not locked.is_open:
        return _refresh(process, locked)
    computed = compute_due(
        timescale=locked.timescale,
        start=locked.started_on,
        authority=locked.authority,
        setting=locked.setting,
    )
    if computed.due_on is None:
        if computed.problem != locked.due_problem:
            locked.due_problem = computed.problem
            locked.calendar_year_needed = computed.academic_year_needed
            locked.save(update_fields=["due_problem", "calendar_year_needed"])
        return _refresh(process, locked)
    locked.due_on = computed.due_on
    locked.first_due_on = computed.due_on
    locked.due_problem = ""
    locked.calendar_year_needed = ""
    locked.ceiling_on = _ceiling(locked.timescale, locked)
    locked.save(
        update_fields=[
            "due_on",
            "first_due_on",
            "due_problem",
            "calendar_year_needed",
            "ceiling_on",
        ]
    )
    _step(
        actor=actor,
        process=locked,
        kind=ProcessEventKind.DATE_SET,
        happened_on=_today(),
        due_after=computed.due_on,
    )
    return _refresh(process, locked)
