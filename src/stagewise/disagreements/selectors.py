"""Reads of disagreements, scoped to the actor and cut to their audience.

A family receives `DisagreementView`s built without the staff notes of the disagreement or of
any step: the projection is made here, so no template can show what it never received. Each
open disagreement carries the next route open to the family, the date by which they must ask
for it (the route's statutory time limit, counted from the day the current step ended, or began
if it has not ended), and the advice, advocacy and dispute services for that route."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from stagewise.disagreements.models import Disagreement, DisagreementStep
from stagewise.disagreements.routes import (
    Route,
    route_get,
    route_table,
    routes_after,
    subject_get,
)
from stagewise.keyset import KeysetOrder, KeysetPage, keyset_page
from stagewise.learners.access import learner_record_or_404, visible_learners
from stagewise.learners.models import Learner
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.organisations.public_information_models import AdviceService, ServiceHelp
from stagewise.organisations.public_information_selectors import advice_services_for
from stagewise.policy import Audience, policy_for
from stagewise.statutory.calendar import CalendarNotLoaded
from stagewise.statutory.selectors import DeadlineRefused, deadline_for, timescale_in_force

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

OPEN_LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class StepView:
    route: Route | None
    route_key: str
    entered_on: date
    deadline: date | None
    deadline_problem: str
    ended_on: date | None
    outcome: str
    # None for a family: never received.
    staff_note: str | None


@dataclass(frozen=True)
class NextRoute:
    """The next route open to the family and when they must ask for it."""

    route: Route
    counted_from: date
    # The date by which to ask, and the rule's words and citation; none if the route has no
    # time limit to ask.
    deadline: date | None
    rule_label: str
    rule_citation: str
    deadline_problem: str
    # A later route whose time limit runs meanwhile (the tribunal while mediation goes on).
    later_route: Route | None
    later_deadline: date | None
    services: list[AdviceService]

    @property
    def first_time_limit(self) -> tuple[Route, date] | None:
        """The first date by which the family must ask for a route, and that route: the next
        route's own, or else the later one's that runs meanwhile (the tribunal's during
        mediation). The date the family is reminded of (disagreements/reminders.py)."""
        if self.deadline is not None:
            return self.route, self.deadline
        if self.later_route is not None and self.later_deadline is not None:
            return self.later_route, self.later_deadline
        return None


@dataclass(frozen=True)
class DisagreementView:
    public_id: object
    subject_label: str
    about: str
    family_wants: str
    raised_for_label: str
    opened_on: date
    route: Route | None
    # The services that help at the route it stands at now (the mediation provider, say).
    current_services: list[AdviceService]
    is_open: bool
    outcome: str
    closed_on: date | None
    steps: list[StepView]
    next_route: NextRoute | None
    # Routes a member of staff may move it to (empty for a family, and once closed).
    routes_open: list[Route]
    # None for a family: never received.
    staff_notes: str | None


def _is_family(actor: "Actor | None") -> bool:
    return policy_for(actor).audience != Audience.STAFF


@dataclass(frozen=True)
class _Deadline:
    day: date | None
    label: str = ""
    citation: str = ""
    problem: str = ""


def _deadline(rule_key: str | None, start: date, learner_setting: object) -> _Deadline:
    if rule_key is None:
        return _Deadline(None)
    try:
        rule = timescale_in_force(rule_key, start)
        day = deadline_for(rule_key=rule_key, start=start, setting=learner_setting)  # type: ignore[arg-type]
    except (CalendarNotLoaded, DeadlineRefused) as problem:
        return _Deadline(None, problem=str(problem))
    return _Deadline(day, rule.display_label, rule.citation)


def _services_for(route: Route, services: list[AdviceService]) -> list[AdviceService]:
    return [
        service
        for service in services
        if any(kind in service.helps_with for kind in route.service_help)
    ]


def next_route_for(
    disagreement: Disagreement,
    steps: list[DisagreementStep],
    setting: object,
    services: list[AdviceService],
) -> NextRoute | None:
    """The next route open to the family and its time limit, from the disagreement and its steps
    in order (None once it is closed or no later route hears it)."""
    later = routes_after(disagreement.current_route, disagreement.subject)
    if not disagreement.is_open or not later:
        return None
    route = later[0]
    current = steps[-1] if steps else None
    counted_from = (current.ended_on or current.entered_on) if current else disagreement.opened_on
    deadline = _deadline(route.apply_rule_for(disagreement.subject), counted_from, setting)
    later_route = next(
        (other for other in later[1:] if other.apply_rule_for(disagreement.subject)), None
    )
    later_deadline = (
        _deadline(later_route.apply_rule_for(disagreement.subject), counted_from, setting).day
        if later_route is not None
        else None
    )
    return NextRoute(
        route=route,
        counted_from=counted_from,
        deadline=deadline.day,
        rule_label=deadline.label,
        rule_citation=deadline.citation,
        deadline_problem=deadline.problem,
        later_route=later_route,
        later_deadline=later_deadline,
        services=_services_for(route, services),
    )


def _view(
    disagreement: Disagreement,
    *,
    family: bool,
    setting: object,
    services: list[AdviceService],
) -> DisagreementView:
    steps = list(disagreement.steps.all())
    subject = subject_get(disagreement.nation.code, disagreement.subject)
    route = route_get(disagreement.current_route)
    return DisagreementView(
        public_id=disagreement.public_id,
        subject_label=subject.label if subject else disagreement.subject,
        about=disagreement.about,
        family_wants=disagreement.family_wants,
        raised_for_label=disagreement.get_raised_for_display(),
        opened_on=disagreement.opened_on,
        route=route,
        current_services=(
            _services_for(route, services) if route is not None and disagreement.is_open else []
        ),
        is_open=disagreement.is_open,
        outcome=disagreement.outcome,
        closed_on=disagreement.closed_on,
        steps=[
            StepView(
                route=route_get(step.route),
                route_key=step.route,
                entered_on=step.entered_on,
                deadline=step.deadline,
                deadline_problem=step.deadline_problem,
                ended_on=step.ended_on,
                outcome=step.outcome,
                staff_note=None if family else step.staff_note,
            )
            for step in steps
        ],
        next_route=next_route_for(disagreement, steps, setting, services),
        routes_open=(
            []
            if family or not disagreement.is_open
            else routes_after(disagreement.current_route, disagreement.subject)
        ),
        staff_notes=None if family else disagreement.staff_notes,
    )


def _records(learner: Learner) -> QuerySet[Disagreement]:
    return (
        Disagreement.objects.filter(learner=learner)
        .select_related("nation")
        .prefetch_related(
            Prefetch("steps", queryset=DisagreementStep.objects.order_by("entered_on", "pk"))
        )
    )


def _context(learner: Learner) -> tuple[object, list[AdviceService]]:
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return None, []
    return enrolment.setting, advice_services_for(authority=enrolment.setting.authority)


def learner_disagreement_list(*, actor: "Actor | None", learner: Learner) -> list[DisagreementView]:
    """The learner's disagreements, open ones first, in the actor's projection."""
    setting, services = _context(learner)
    records = sorted(_records(learner), key=lambda record: (not record.is_open,))
    family = _is_family(actor)
    return [_view(record, family=family, setting=setting, services=services) for record in records]


def learner_disagreement_get(
    *, actor: "Actor | None", learner: Learner, disagreement_id: object, purpose: str
) -> Disagreement:
    """The learner's disagreement the address names, or 404 (recorded against its own
    learner if it belongs to another)."""
    return learner_record_or_404(
        actor=actor,
        records=Disagreement.objects.select_related("learner", "nation"),
        learner=learner,
        purpose=purpose,
        object_type="disagreement",
        public_id=disagreement_id,
    )


def disagreement_view(*, actor: "Actor | None", disagreement: Disagreement) -> DisagreementView:
    setting, services = _context(disagreement.learner)
    return _view(
        _records(disagreement.learner).get(pk=disagreement.pk),
        family=_is_family(actor),
        setting=setting,
        services=services,
    )


def advice_for_learner(learner: Learner) -> list[AdviceService]:
    """The nation's and the authority's services that give information and advice."""
    return [
        service
        for service in _context(learner)[1]
        if ServiceHelp.ADVICE in service.helps_with or ServiceHelp.ADVOCACY in service.helps_with
    ]


# The authority's open disagreements ---------------------------------------------------------


@dataclass(frozen=True)
class RouteCount:
    route: Route | None
    route_key: str
    count: int


# Oldest first, by cursor (stagewise/keyset.py): served by the partial index of open
# disagreements, disagreement_open_oldest_first (opened_on, id).
OPEN_LIST_ORDER = KeysetOrder(keys=("opened_on", "pk"))


@dataclass(frozen=True)
class OpenDisagreements:
    page: KeysetPage
    counts: list[RouteCount]
    total: int
    today: date


def open_disagreement_list(
    *, actor: "Actor | None", cursor: str | None = None, today: date | None = None
) -> OpenDisagreements:
    """The open disagreements of the learners the actor sees, oldest first, a page at a time
    from `cursor`, with how many stand at each route. A fixed number of queries whatever the
    number of rows or the page; the counts are exact (they read the open ones alone, a small
    part of all there have been, from the index on closed_on and route)."""
    today = today or timezone.localdate()
    open_ones = Disagreement.objects.filter(
        closed_on__isnull=True, learner__in=visible_learners(actor)
    )
    by_route = {
        row["current_route"]: row["count"]
        for row in open_ones.values("current_route").annotate(count=Count("pk"))
    }
    route_order = {route.key: (route.nation, route.order) for route in route_table().routes}
    counts = [
        RouteCount(route=route_get(key), route_key=key, count=count)
        for key, count in sorted(
            by_route.items(), key=lambda item: route_order.get(item[0], ("", 0))
        )
    ]
    page = keyset_page(
        open_ones.select_related("learner", "nation"),
        order=OPEN_LIST_ORDER,
        cursor=cursor,
        per_page=OPEN_LIST_PAGE_SIZE,
        salt="disagreements:open",
    )
    for disagreement in page.object_list:
        disagreement.route = route_get(disagreement.current_route)
        disagreement.days_open = (today - disagreement.opened_on).days
        subject = subject_get(disagreement.nation.code, disagreement.subject)
        disagreement.subject_label = subject.label if subject else disagreement.subject
    return OpenDisagreements(page=page, counts=counts, total=sum(by_route.values()), today=today)
