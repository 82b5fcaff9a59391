"""Measures of requests for assistance, per service and per authority, over a period: requests
received and what became of them, declines and where they were pointed, the waiting list and how
long people wait, and how many answers came within the due time.

Definitions (the period runs from `start` to `end`, both included; `today` is passed in):
- received: requests sent in the period (`sent_on`), and, of those, how many are now accepted
  (accepted, in progress or completed), on the waiting list, declined, withdrawn or still
  awaiting an answer. The five add up to those received.
- waiting list now: requests on it today, and their waits from `waiting_since` to today;
  taken off the list in the period: requests that were on it and were then accepted or allocated
  (the first ACCEPTED or ALLOCATED event, whose day falls in the period), waiting from
  `waiting_since` to that day. Declined or withdrawn from the list is not a wait served.
- answered within the due time: of the requests answered in the period (`answered_on`) with a due
  date, those answered on or before it; separately, of those running the statutory clock (a
  co-ordinated support plan), those answered by the clock's date (10 weeks, as the clock holds
  it); and, today, requests still awaiting an answer past their due date.

Every count is a filtered COUNT in one grouped query (per service, or per authority). The median
and 90th percentile waits are read from one ordered column of waits per group (a date or a
duration, one row per request on or off the list, never a row per request of the service) and
taken by nearest rank in Python: PostgreSQL's percentile_cont has no SQLite equivalent, and the
waiting lists are short next to the requests. Nearest rank gives a wait somebody actually had,
in whole days (the median of an even count is the lower middle one).

Inside the authority (the service manager, the authority's officer) every figure is shown; the
national page's figures leave the authority, so they pass through `stagewise.disclosure`.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.models import (
    RequestEvent,
    RequestEventKind,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.disclosure import (
    Figure,
    percentage,
    protected_row,
    protected_share,
    shown,
    small_count,
)
from stagewise.organisations.models import Agency, LocalAuthority
from stagewise.policy import Capability, require
from stagewise.statutory.calendar import add_months
from stagewise.statutory.deadline_board import academic_year_start

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

ACCEPTED_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED)
TAKEN_OFF_THE_LIST = (RequestEventKind.ACCEPTED, RequestEventKind.ALLOCATED)
RECENT_DECLINES = 10


# The period ---------------------------------------------------------------------------------------


class PeriodChoice(StrEnum):
    ACADEMIC_YEAR = "academic_year"
    LAST_12_MONTHS = "last_12_months"
    LAST_3_MONTHS = "last_3_months"


PERIOD_LABELS = {
    PeriodChoice.ACADEMIC_YEAR: _("This academic year"),
    PeriodChoice.LAST_12_MONTHS: _("The last 12 months"),
    PeriodChoice.LAST_3_MONTHS: _("The last 3 months"),
}
DEFAULT_PERIOD = PeriodChoice.LAST_12_MONTHS


@dataclass(frozen=True)
class Period:
    choice: PeriodChoice
    start: date
    end: date

    @property
    def label(self) -> str:
        return str(PERIOD_LABELS[self.choice])


def measures_period(choice: PeriodChoice | str, *, today: date) -> Period:
    """The academic year so far (from 1 August), or the last 12 or 3 months up to today."""
    choice = PeriodChoice(choice)
    if choice is PeriodChoice.ACADEMIC_YEAR:
        start = academic_year_start(today)
    else:
        months = 12 if choice is PeriodChoice.LAST_12_MONTHS else 3
        start = add_months(today, -months) + timedelta(days=1)
    return Period(choice=choice, start=start, end=today)


# Waits --------------------------------------------------------------------------------------------


def nearest_rank(ordered: Sequence[int], percent: int) -> int | None:
    """The nearest-rank percentile of values in ascending order; None when there are none."""
    if not ordered:
        return None
    rank = max(math.ceil(percent * len(ordered) / 100), 1)
    return ordered[rank - 1]


@dataclass(frozen=True)
class Duration:
    total_days: int

    @property
    def weeks(self) -> int:
        return self.total_days // 7

    @property
    def days(self) -> int:
        return self.total_days % 7


@dataclass(frozen=True)
class Waits:
    """How many waited, and the median and 90th-percentile wait (withheld with a small count)."""

    count: Figure
    median: Duration | None = None
    ninetieth: Duration | None = None

    @classmethod
    def of(cls, days: Sequence[int], *, protect: bool) -> "Waits":
        count = small_count(len(days)) if protect else shown(len(days))
        if not count.shown:
            return cls(count=count)
        median, ninetieth = nearest_rank(days, 50), nearest_rank(days, 90)
        return cls(
            count=count,
            median=Duration(median) if median is not None else None,
            ninetieth=Duration(ninetieth) if ninetieth is not None else None,
        )

    @property
    def withheld(self) -> bool:
        return not self.count.shown


# The measures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """What the database counted for one group (a service, an authority, or all of them)."""

    received: int = 0
    accepted: int = 0
    waiting_list: int = 0
    declined: int = 0
    withdrawn: int = 0
    awaiting_answer: int = 0
    answered: int = 0
    answered_within_due: int = 0
    statutory_answered: int = 0
    statutory_within: int = 0
    waiting_now: int = 0
    unanswered_overdue: int = 0


@dataclass(frozen=True)
class Measures:
    """One row of figures, each shown or withheld."""

    received: Figure
    accepted: Figure
    waiting_list: Figure
    declined: Figure
    withdrawn: Figure
    awaiting_answer: Figure
    waiting_now: Waits
    taken_off: Waits
    answered: Figure
    within_due: Figure  # a percentage
    statutory_answered: Figure
    statutory_within: Figure  # a percentage
    unanswered_overdue: Figure


def _plain_share(part: int, whole: int) -> Figure:
    return Figure(percentage(part, whole))


def _measures(
    counts: Counts, waiting_now: Sequence[int], taken_off: Sequence[int], *, protect: bool
) -> Measures:
    outcomes = [
        counts.accepted,
        counts.waiting_list,
        counts.declined,
        counts.withdrawn,
        counts.awaiting_answer,
    ]
    count: Callable[[int], Figure]
    share: Callable[[int, int], Figure]
    if protect:
        received, parts = protected_row(counts.received, outcomes)
        count, share = small_count, protected_share
    else:
        received, parts = shown(counts.received), [shown(part) for part in outcomes]
        count, share = shown, _plain_share

    accepted, waiting_list, declined, withdrawn, awaiting_answer = parts
    return Measures(
        received=received,
        accepted=accepted,
        waiting_list=waiting_list,
        declined=declined,
        withdrawn=withdrawn,
        awaiting_answer=awaiting_answer,
        waiting_now=Waits.of(waiting_now, protect=protect),
        taken_off=Waits.of(taken_off, protect=protect),
        answered=count(counts.answered),
        within_due=share(counts.answered_within_due, counts.answered),
        statutory_answered=count(counts.statutory_answered),
        statutory_within=share(counts.statutory_within, counts.statutory_answered),
        unanswered_overdue=count(counts.unanswered_overdue),
    )


def _count_annotations(period: Period, today: date) -> dict[str, Count]:
    received = Q(sent_on__gte=period.start, sent_on__lte=period.end)
    answered = Q(answered_on__gte=period.start, answered_on__lte=period.end, due_on__isnull=False)
    statutory = answered & Q(clock__isnull=False, clock__due_on__isnull=False)
    return {
        "received": Count("pk", filter=received),
        "accepted": Count("pk", filter=received & Q(status__in=ACCEPTED_STATUSES)),
        "waiting_list": Count("pk", filter=received & Q(status=RequestStatus.WAITING_LIST)),
        "declined": Count("pk", filter=received & Q(status=RequestStatus.DECLINED)),
        "withdrawn": Count("pk", filter=received & Q(status=RequestStatus.WITHDRAWN)),
        "awaiting_answer": Count("pk", filter=received & Q(status=RequestStatus.SENT)),
        "answered": Count("pk", filter=answered),
        "answered_within_due": Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
        "statutory_answered": Count("pk", filter=statutory),
        "statutory_within": Count("pk", filter=statutory & Q(answered_on__lte=F("clock__due_on"))),
        "waiting_now": Count("pk", filter=Q(status=RequestStatus.WAITING_LIST)),
        "unanswered_overdue": Count("pk", filter=Q(status=RequestStatus.SENT, due_on__lt=today)),
    }


# The group every figure of a page is counted by: a service or an authority; None for the total.
Group = str | None
TOTAL = "total"


def _counts(
    requests: QuerySet[RequestForAssistance], group: Group, period: Period, today: date
) -> dict[Any, Counts]:
    annotations = _count_annotations(period, today)
    if group is None:
        return {TOTAL: Counts(**requests.aggregate(**annotations))}
    rows = requests.values(group).annotate(**annotations).order_by()
    return {row.pop(group): Counts(**row) for row in rows}


def _grouped(rows: Iterable[tuple[Any, int]], group: Group) -> dict[Any, list[int]]:
    grouped: dict[Any, list[int]] = {}
    for key, days in rows:
        grouped.setdefault(key if group else TOTAL, []).append(days)
    return grouped


def _waits_now(
    requests: QuerySet[RequestForAssistance], group: Group, today: date
) -> dict[Any, list[int]]:
    """Each group's waits so far, in days, shortest first: one date per request on the list."""
    on_list = requests.filter(status=RequestStatus.WAITING_LIST, waiting_since__isnull=False)
    rows = on_list.order_by(*([group] if group else []), "-waiting_since").values_list(
        group or "pk", "waiting_since"
    )
    return _grouped(((key, max((today - since).days, 0)) for key, since in rows), group)


def _waits_taken_off(
    requests: QuerySet[RequestForAssistance], group: Group, period: Period
) -> dict[Any, list[int]]:
    """The waits of those taken off the list in the period, shortest first: the difference is
    taken in the database, one duration per request read back."""
    taken_at = (
        RequestEvent.objects.filter(request=OuterRef("pk"), kind__in=TAKEN_OFF_THE_LIST)
        .order_by("happened_at", "pk")
        .values("happened_at")[:1]
    )
    taken_off = (
        requests.filter(waiting_since__isnull=False)
        .annotate(taken_on=TruncDate(Subquery(taken_at)))
        .filter(taken_on__gte=period.start, taken_on__lte=period.end)
        .annotate(
            wait=ExpressionWrapper(F("taken_on") - F("waiting_since"), output_field=DurationField())
        )
    )
    rows = taken_off.order_by(*([group] if group else []), "wait").values_list(
        group or "pk", "wait"
    )
    return _grouped(((key, max(wait.days, 0)) for key, wait in rows), group)


def _measures_by(
    requests: QuerySet[RequestForAssistance],
    group: Group,
    period: Period,
    today: date,
    *,
    protect: bool,
) -> dict[Any, Measures]:
    """Measures per group (or the total, under TOTAL), in three queries whatever the numbers."""
    counts = _counts(requests, group, period, today)
    waiting_now = _waits_now(requests, group, today)
    taken_off = _waits_taken_off(requests, group, period)
    keys = set(counts) | set(waiting_now) | set(taken_off)
    return {
        key: _measures(
            counts.get(key, Counts()),
            waiting_now.get(key, []),
            taken_off.get(key, []),
            protect=protect,
        )
        for key in keys
    }


def _empty(*, protect: bool) -> Measures:
    return _measures(Counts(), [], [], protect=protect)


# Declines -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclineGroup:
    """Declined requests pointed to one service instead (or to none Stagewise holds)."""

    service_name: str  # the declining service, on the authority's page
    suggested_service_name: str  # empty: no service suggested
    count: int


@dataclass(frozen=True)
class RecentDecline:
    """A decline's date and the service's own words: never the learner."""

    answered_on: date | None
    reason: str
    suggested_service_name: str
    suggestion: str


def _declined(requests: QuerySet[RequestForAssistance], period: Period) -> QuerySet[Any]:
    return requests.filter(
        status=RequestStatus.DECLINED, sent_on__gte=period.start, sent_on__lte=period.end
    )


def _decline_groups(
    requests: QuerySet[RequestForAssistance], period: Period, *, by_service: bool
) -> list[DeclineGroup]:
    fields = ["suggested_service__name"]
    if by_service:
        fields.insert(0, "service__name")
    rows = (
        _declined(requests, period)
        .values(*fields)
        .annotate(count=Count("pk"))
        .order_by(*fields[:-1], "-count", F("suggested_service__name").asc(nulls_last=True))
    )
    return [
        DeclineGroup(
            service_name=row.get("service__name", ""),
            suggested_service_name=row["suggested_service__name"] or "",
            count=row["count"],
        )
        for row in rows
    ]


def _recent_declines(
    requests: QuerySet[RequestForAssistance], period: Period
) -> list[RecentDecline]:
    rows = (
        _declined(requests, period)
        .order_by("-answered_on", "-pk")
        .values_list("answered_on", "decline_reason", "suggested_service__name", "suggestion")[
            :RECENT_DECLINES
        ]
    )
    return [
        RecentDecline(
            answered_on=answered_on,
            reason=reason,
            suggested_service_name=suggested or "",
            suggestion=suggestion,
        )
        for answered_on, reason, suggested, suggestion in rows
    ]


# The pages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasuresRow:
    label: str
    measures: Measures
    is_total: bool = False


@dataclass(frozen=True)
class ServiceMeasures:
    service: Agency
    period: Period
    measures: Measures
    decline_groups: list[DeclineGroup]
    recent_declines: list[RecentDecline]

    @property
    def rows(self) -> list[MeasuresRow]:
        return [MeasuresRow(label=self.service.name, measures=self.measures)]


@dataclass(frozen=True)
class AuthorityMeasures:
    authority: LocalAuthority
    period: Period
    rows: list[MeasuresRow]  # one per service, then the authority's total
    decline_groups: list[DeclineGroup] = field(default_factory=list)


@dataclass(frozen=True)
class NationalMeasures:
    period: Period
    rows: list[MeasuresRow]  # one per authority, withheld where small; no national total


def _sent_requests() -> QuerySet[RequestForAssistance]:
    return RequestForAssistance.objects.exclude(status=RequestStatus.DRAFT)


def service_measures_get(*, actor: "Actor", period: Period, today: date) -> ServiceMeasures:
    """The measures of the actor's own service, with its declines grouped by where it pointed
    them and its latest reasons. Refused for anyone not working at a service."""
    require(actor, Capability.VIEW_REQUEST_MEASURES)
    membership = actor.membership
    if membership is None or membership.agency is None:
        raise PermissionDenied("Measures of a service are for the service's own manager.")
    requests = _sent_requests().filter(service_id=membership.agency_id)
    measures = _measures_by(requests, None, period, today, protect=False)
    return ServiceMeasures(
        service=membership.agency,
        period=period,
        measures=measures[TOTAL],
        decline_groups=_decline_groups(requests, period, by_service=False),
        recent_declines=_recent_declines(requests, period),
    )


def authority_measures_get(*, actor: "Actor", period: Period, today: date) -> AuthorityMeasures:
    """One row per service of the actor's authority (every service, those without requests too)
    and the authority's total; declines grouped by service and by where they were pointed."""
    require(actor, Capability.VIEW_REQUEST_MEASURES)
    membership = actor.membership
    if membership is None or membership.authority is None:
        raise PermissionDenied("Measures of an authority's services are for its officers.")
    authority = membership.authority
    services = list(Agency.objects.filter(authority=authority).order_by("name", "pk"))
    requests = _sent_requests().filter(service__authority=authority)
    per_service = _measures_by(requests, "service_id", period, today, protect=False)
    total = _measures_by(requests, None, period, today, protect=False)
    rows = [
        MeasuresRow(
            label=service.name, measures=per_service.get(service.pk) or _empty(protect=False)
        )
        for service in services
    ]
    rows.append(
        MeasuresRow(
            label=str(_("All the authority's services")), measures=total[TOTAL], is_total=True
        )
    )
    return AuthorityMeasures(
        authority=authority,
        period=period,
        rows=rows,
        decline_groups=_decline_groups(requests, period, by_service=True),
    )


def national_measures_get(*, actor: "Actor", period: Period, today: date) -> NationalMeasures:
    """Each authority's totals across its services, for the analyst's nation, with counts from 1
    to 4 (and what would give them back) withheld: these figures leave the authority."""
    require(actor, Capability.VIEW_NATIONAL_FIGURES)
    membership = actor.membership
    nation_id = membership.nation_id if membership is not None else None
    if nation_id is None:
        raise PermissionDenied("National measures are for the nation's analysts.")
    authorities = list(LocalAuthority.objects.filter(nation_id=nation_id).order_by("name", "pk"))
    requests = _sent_requests().filter(service__authority__nation_id=nation_id)
    per_authority = _measures_by(requests, "service__authority_id", period, today, protect=True)
    return NationalMeasures(
        period=period,
        rows=[
            MeasuresRow(
                label=authority.name,
                measures=per_authority.get(authority.pk) or _empty(protect=True),
            )
            for authority in authorities
        ],
    )
