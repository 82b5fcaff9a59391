"""What a learner's statutory processes look like to each audience: staff see every clock with
its rule, who must act and its history; a family sees the dates the school or the authority must
meet and why a date moved, never a member of staff's name or an internal field.

Every function takes a learner already reached through learners/access.py; days left are counted
here, against today, so templates only show them."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.coordination.models import OPEN_REQUEST_STATUSES
from stagewise.learners.access import learner_record_or_404
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.organisations.models import Agency, LocalAuthority
from stagewise.policy import Capability, require
from stagewise.statutory.calendar import Direction, academic_year_label
from stagewise.statutory.models import (
    ProcessEvent,
    ProcessEventKind,
    ProcessOutcome,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
    StatutoryTimescale,
)

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# How the start page words a rule whose clock starts from something the school records rather
# than from a request: the Welsh school's decision runs from the day a concern is raised.
START_LABELS = {
    "wales.individual_development_plan_school_decision": lambda: _(
        "Record a concern: the school decides on ALN and an IDP within 35 school days"
    ),
}


def due_problem_text(process: StatutoryProcess) -> str:
    """Why there is no due date, in the reader's language where Stagewise knows the reason."""
    if process.calendar_year_needed:
        return _("The %(year)s calendar for %(place)s is needed to set this date.") % {
            "year": academic_year_label(process.calendar_year_needed),
            "place": process.authority,
        }
    return process.due_problem


def _who_must_act(process: StatutoryProcess) -> str:
    """For staff: who must act, with the organisation's name."""
    label = Responsible(process.responsible).label
    organisation = process.responsible_organisation
    if organisation is None:
        return str(label)
    return _("%(who)s (%(name)s)") % {
        "who": str(label)[:1].upper() + str(label)[1:],
        "name": organisation,
    }


@dataclass(frozen=True)
class ProcessRow:
    """One clock as staff see it in a list."""

    public_id: uuid.UUID
    label: str
    citation: str
    started_on: date
    counts_back: bool
    due_on: date | None
    due_problem: str
    status: str
    status_label: str
    who_must_act: str
    paused_on: date | None
    # Counted against today for an open clock with a date; None otherwise.
    days_left: int | None
    overdue_by: int | None
    closed_on: date | None
    outcome_label: str
    # For a closed clock whose work was done and which had a date: whether that was on time.
    on_time: bool | None

    @property
    def is_open(self) -> bool:
        return self.status != ProcessStatus.CLOSED


def _row(process: StatutoryProcess, today: date) -> ProcessRow:
    is_open = process.is_open
    days = (process.due_on - today).days if process.due_on is not None and is_open else None
    done_with_date = (
        process.status == ProcessStatus.CLOSED
        and process.outcome == ProcessOutcome.DONE
        and process.due_on is not None
    )
    return ProcessRow(
        public_id=process.public_id,
        label=process.timescale.display_label,
        citation=process.timescale.citation,
        started_on=process.started_on,
        counts_back=process.timescale.direction == Direction.BACK,
        due_on=process.due_on,
        due_problem=due_problem_text(process) if process.due_on is None else "",
        status=process.status,
        status_label=process.get_status_display(),
        who_must_act=_who_must_act(process),
        paused_on=process.paused_on,
        days_left=days if days is not None and days >= 0 else None,
        overdue_by=-days if days is not None and days < 0 else None,
        closed_on=process.closed_on,
        outcome_label=process.get_outcome_display() if process.outcome else "",
        on_time=(not process.closed_late) if done_with_date else None,
    )


def _processes(learner: Learner):
    return StatutoryProcess.objects.filter(learner=learner).select_related(
        "timescale", "authority", "setting", "agency"
    )


@dataclass(frozen=True)
class LearnerProcesses:
    open: list[ProcessRow]
    closed: list[ProcessRow]


def process_list(
    *, actor: "Actor", learner: Learner, today: date | None = None
) -> LearnerProcesses:
    """The learner's clocks for staff: open ones first, soonest due first (those still waiting
    for a date after them), then closed ones, most recently closed first. One query."""
    require(actor, Capability.VIEW_PROFESSIONAL_RECORD)
    today = today or timezone.localdate()
    rows = [_row(process, today) for process in _processes(learner)]
    open_rows = sorted(
        (row for row in rows if row.is_open),
        key=lambda row: (row.due_on is None, row.due_on or date.max, row.started_on),
    )
    closed_rows = sorted(
        (row for row in rows if not row.is_open),
        key=lambda row: row.closed_on or date.min,
        reverse=True,
    )
    return LearnerProcesses(open=open_rows, closed=closed_rows)


@dataclass(frozen=True)
class ProcessStep:
    kind_label: str
    happened_on: date
    reason: str
    due_before: date | None
    due_after: date | None
    recorded_by: str

    @property
    def date_moved(self) -> bool:
        return self.due_before != self.due_after


@dataclass(frozen=True)
class ProcessDetail:
    process: StatutoryProcess
    row: ProcessRow
    ceiling_on: date | None
    plan: object | None
    outcome_note: str
    steps: list[ProcessStep]


def process_get(
    *,
    actor: "Actor",
    learner: Learner,
    process_id: object,
    purpose: str = "view statutory process",
    today: date | None = None,
) -> ProcessDetail:
    """One of the learner's clocks with its history, or 404 (a clock of another learner asked
    for under this one is refused against its own learner). Two queries."""
    require(actor, Capability.VIEW_PROFESSIONAL_RECORD)
    try:
        public_id = uuid.UUID(str(process_id))
    except ValueError:
        raise Http404 from None
    process = learner_record_or_404(
        actor=actor,
        records=_processes(learner).select_related("plan__plan_type", "learner"),
        learner=learner,
        purpose=purpose,
        object_type="statutory_process",
        public_id=public_id,
    )
    steps = [
        ProcessStep(
            kind_label=event.get_kind_display(),
            happened_on=event.happened_on,
            reason=event.reason,
            due_before=event.due_before,
            due_after=event.due_after,
            recorded_by=event.recorded_by_label,
        )
        for event in process.events.all()
    ]
    return ProcessDetail(
        process=process,
        row=_row(process, today or timezone.localdate()),
        ceiling_on=process.ceiling_on,
        plan=process.plan,
        outcome_note=process.outcome_note,
        steps=steps,
    )


# The start page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartableRule:
    key: str
    label: str
    citation: str
    counts_back: bool
    needs_agency: bool


def startable_rules(learner: Learner, today: date | None = None) -> list[StartableRule]:
    """The rules of the learner's nation, each in the version in force today. One query."""
    authority = learner_authority(learner)
    if authority is None:
        return []
    today = today or timezone.localdate()
    in_force: dict[str, StatutoryTimescale] = {}
    versions = StatutoryTimescale.objects.filter(nation_id=authority.nation_id).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=today)
    )
    for version in versions:
        current = in_force.get(version.key)
        if current is None or (version.effective_from or date.min) > (
            current.effective_from or date.min
        ):
            in_force[version.key] = version
    rules = [
        StartableRule(
            key=rule.key,
            label=START_LABELS[rule.key]() if rule.key in START_LABELS else rule.display_label,
            citation=rule.citation,
            counts_back=rule.direction == Direction.BACK,
            needs_agency=rule.responsible == Responsible.AGENCY,
        )
        for rule in in_force.values()
    ]
    # A rule given a start wording (recording a concern) leads; the rest by key, as in the data.
    return sorted(rules, key=lambda rule: (rule.key not in START_LABELS, rule.key))


def learner_authority(learner: Learner) -> LocalAuthority | None:
    enrolment = learner_current_enrolment(learner)
    return enrolment.setting.authority if enrolment is not None else None


def agencies_for_start(learner: Learner) -> list[Agency]:
    """Agencies a clock may wait on: those of the learner's authority, the ones involved with
    the learner first."""
    authority = learner_authority(learner)
    if authority is None:
        return []
    agencies = list(Agency.objects.filter(authority=authority))
    involved = set(
        learner.requests_for_assistance.filter(status__in=OPEN_REQUEST_STATUSES).values_list(
            "service_id", flat=True
        )
    )
    return sorted(agencies, key=lambda agency: (agency.pk not in involved, agency.display_name))


# The family's view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyDateChange:
    kind: str  # "paused", "resumed", "extended" or "date_set"
    on: date
    due_before: date | None
    due_after: date | None
    reason: str


@dataclass(frozen=True)
class FamilyDeadline:
    """A date the school or the local authority must meet, as the family is told it."""

    label: str
    who: str
    due_on: date | None
    due_problem: str
    paused_on: date | None
    changes: list[FamilyDateChange] = field(default_factory=list)


FAMILY_STEPS = (
    ProcessEventKind.PAUSED,
    ProcessEventKind.RESUMED,
    ProcessEventKind.EXTENDED,
    ProcessEventKind.DATE_SET,
)


def family_deadline_list(*, actor: "Actor", learner: Learner) -> list[FamilyDeadline]:
    """Each open clock as the family sees it: the rule's plain name, who must act ("the school",
    "the local authority"), the current date and every time it moved or stood still, with the
    reason given. Never who recorded it, nor any staff note. Two queries."""
    require(actor, Capability.VIEW_LEARNER)
    processes = (
        _processes(learner)
        .filter(status__in=(ProcessStatus.RUNNING, ProcessStatus.PAUSED))
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ProcessEvent.objects.filter(kind__in=FAMILY_STEPS),
                to_attr="family_steps",
            )
        )
    )
    deadlines = [
        FamilyDeadline(
            label=process.timescale.display_label,
            who=str(Responsible(process.responsible).label),
            due_on=process.due_on,
            due_problem=due_problem_text(process) if process.due_on is None else "",
            paused_on=process.paused_on,
            changes=[
                FamilyDateChange(
                    kind=event.kind,
                    on=event.happened_on,
                    due_before=event.due_before,
                    due_after=event.due_after,
                    reason=event.reason,
                )
                for event in process.family_steps
            ],
        )
        for process in processes
    ]
    return sorted(deadlines, key=lambda item: (item.due_on is None, item.due_on or date.max))
