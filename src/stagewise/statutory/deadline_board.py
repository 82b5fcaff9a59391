"""The deadline board: how a school's or an authority's statutory clocks stand, as counts.

Open clocks per process and per who must act (overdue, due within four weeks, later, no date
yet), and clocks closed as done in a period, on time or late, with the median days late. The
counting is done by the database; only the late clocks' delays are read back, for the median.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from stagewise.organisations.models import Setting
from stagewise.policy import Capability, policy_for, require
from stagewise.statutory.models import (
    OPEN_PROCESS_STATUSES,
    ProcessOutcome,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
    StatutoryTimescale,
)

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

SOON_DAYS = 28
# The academic year, for the default period, starts on 1 August in both nations.
ACADEMIC_YEAR_START = (8, 1)


@dataclass(frozen=True)
class OpenCounts:
    rule_key: str
    label: str
    responsible: str
    overdue: int
    due_soon: int
    later: int
    no_date: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon + self.later + self.no_date


@dataclass(frozen=True)
class ClosedCounts:
    rule_key: str
    label: str
    on_time: int
    late: int
    median_days_late: float | None


@dataclass
class DeadlineBoard:
    period_from: date
    period_to: date
    open_rows: list[OpenCounts] = field(default_factory=list)
    closed_rows: list[ClosedCounts] = field(default_factory=list)
    schools: list[Setting] = field(default_factory=list)
    school: Setting | None = None


def academic_year_start(today: date) -> date:
    """1 August of the academic year `today` falls in."""
    month, day = ACADEMIC_YEAR_START
    year = today.year if (today.month, today.day) >= (month, day) else today.year - 1
    return date(year, month, day)


def board_schools(actor: "Actor") -> list[Setting]:
    """The schools an authority-wide board may be narrowed to; none for a school's own board."""
    membership = actor.membership
    if membership is None or membership.authority_id is None:
        return []
    return list(Setting.objects.filter(authority_id=membership.authority_id).order_by("name"))


def _processes(actor: "Actor", school: Setting | None) -> QuerySet[StatutoryProcess]:
    """The clocks of the actor's own organisation: their school's, or their authority's."""
    membership = actor.membership
    organisation = policy_for(actor).organisation
    if membership is None or organisation not in ("setting", "authority"):
        return StatutoryProcess.objects.none()
    processes = StatutoryProcess.objects.filter(
        **{f"{organisation}_id": getattr(membership, f"{organisation}_id")}
    )
    if school is not None:
        processes = processes.filter(setting=school)
    return processes


def _labels(rule_keys: set[str]) -> dict[str, str]:
    """Each rule's label, from its latest version."""
    labels: dict[str, str] = {}
    versions = StatutoryTimescale.objects.filter(key__in=rule_keys).order_by("effective_from")
    for version in versions:
        labels[version.key] = version.display_label
    return labels


def deadline_board_get(
    *,
    actor: "Actor",
    period_from: date,
    period_to: date,
    today: date,
    school: Setting | None = None,
) -> DeadlineBoard:
    require(actor, Capability.VIEW_DEADLINE_BOARD)
    processes = _processes(actor, school)
    soon = today + timedelta(days=SOON_DAYS)
    open_rows = (
        processes.filter(status__in=OPEN_PROCESS_STATUSES)
        .values("rule_key", "responsible")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
            later=Count("pk", filter=Q(due_on__gt=soon)),
            no_date=Count("pk", filter=Q(due_on__isnull=True)),
        )
        .order_by("rule_key", "responsible")
    )
    done = processes.filter(
        status=ProcessStatus.CLOSED,
        outcome=ProcessOutcome.DONE,
        closed_on__gte=period_from,
        closed_on__lte=period_to,
        due_on__isnull=False,
    )
    closed_rows = (
        done.values("rule_key")
        .annotate(
            on_time=Count("pk", filter=Q(closed_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(closed_on__gt=F("due_on"))),
        )
        .order_by("rule_key")
    )
    delays: dict[str, list[int]] = {}
    late_delays = (
        done.filter(closed_on__gt=F("due_on"))
        .annotate(
            delay=ExpressionWrapper(F("closed_on") - F("due_on"), output_field=DurationField())
        )
        .values_list("rule_key", "delay")
    )
    for rule_key, delay in late_delays:
        delays.setdefault(rule_key, []).append(delay.days)
    open_list = list(open_rows)
    closed_list = list(closed_rows)
    labels = _labels({row["rule_key"] for row in open_list + closed_list})
    responsible_labels = dict(Responsible.choices)
    return DeadlineBoard(
        period_from=period_from,
        period_to=period_to,
        school=school,
        open_rows=[
            OpenCounts(
                rule_key=row["rule_key"],
                label=labels.get(row["rule_key"], row["rule_key"]),
                responsible=str(responsible_labels.get(row["responsible"], row["responsible"])),
                overdue=row["overdue"],
                due_soon=row["due_soon"],
                later=row["later"],
                no_date=row["no_date"],
            )
            for row in open_list
        ],
        closed_rows=[
            ClosedCounts(
                rule_key=row["rule_key"],
                label=labels.get(row["rule_key"], row["rule_key"]),
                on_time=row["on_time"],
                late=row["late"],
                median_days_late=(
                    statistics.median(delays[row["rule_key"]])
                    if delays.get(row["rule_key"])
                    else None
                ),
            )
            for row in closed_list
        ],
    )
