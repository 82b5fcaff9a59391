"""Reads for a service's own pages: the manager's queue (new requests to triage and the waiting
list, a page of each, and caseloads), one request from the service's side with what the actor may
do with it, and a practitioner's own requests.

Everything starts from `selectors.service_requests(actor)`, the service's one door, so a page here
can show nothing the service may not read. Each read is a fixed number of queries, however many
requests the service holds.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from stagewise.coordination.models import (
    URGENCY_RANK,
    RequestAttachment,
    RequestEvent,
    RequestForAssistance,
    RequestStatus,
    SharingConsent,
)
from stagewise.coordination.selectors import service_request_get, service_requests
from stagewise.keyset import (
    CappedCount,
    KeysetOrder,
    KeysetPage,
    capped_count,
    keyset_page,
    keyset_rows_before,
)
from stagewise.organisations.models import Agency, Membership, Role
from stagewise.planning.models import Plan
from stagewise.policy import Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User

IN_PROGRESS_FIRST = Case(
    When(status=RequestStatus.IN_PROGRESS, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)
# How far back a practitioner's list shows the work they completed.
RECENTLY_COMPLETED_DAYS = 90
ROW_RELATIONS = ("learner", "setting", "authority", "allocated_to")
# Rows per page of the queue's two long sections: a busy service holds hundreds of each, and
# rendering them all made the queue the slowest page of the service's side (docs/performance.md).
QUEUE_PAGE_SIZE = 25
# Each long section's heading counts its rows up to this, and says "more than" past it.
QUEUE_COUNT_CAP = 1000
# Each section's order, by cursor, served by its partial index (coordination/models.py):
# request_queue_new and request_queue_waiting, on the service and these keys.
NEW_REQUESTS_ORDER = KeysetOrder(keys=("sent_on", "pk"))
WAITING_LIST_ORDER = KeysetOrder(keys=("waiting_since", URGENCY_RANK, "sent_on", "pk"))


def _rows(requests: QuerySet[RequestForAssistance]) -> QuerySet[RequestForAssistance]:
    return requests.select_related(*ROW_RELATIONS)


def _service_id(actor: "Actor") -> int | None:
    membership = actor.membership if actor is not None else None
    return membership.agency_id if membership is not None else None


# The manager's queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewRequest:
    """A request waiting for the service's first answer, and how long the service has left."""

    request: RequestForAssistance
    days_left: int | None  # negative once overdue; None without a due date

    @property
    def overdue_by(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


@dataclass(frozen=True)
class WaitingRequest:
    request: RequestForAssistance
    waited_days: int
    place: int  # its place in the whole waiting list (1 = next to be taken on), on any page

    @property
    def weeks(self) -> int:
        return self.waited_days // 7

    @property
    def days(self) -> int:
        return self.waited_days % 7


@dataclass(frozen=True)
class Caseload:
    practitioner_id: int
    name: str
    accepted: int = 0
    in_progress: int = 0
    # False for someone still holding requests who no longer works for the service.
    works_here: bool = True

    @property
    def total(self) -> int:
        return self.accepted + self.in_progress


@dataclass(frozen=True)
class ServiceQueue:
    service: Agency
    # The rows of the page asked for of each long section; each `*_page` holds the section's
    # cursors to the pages either side, each `*_found` its count up to QUEUE_COUNT_CAP.
    new_requests: list[NewRequest]
    new_requests_page: KeysetPage
    new_requests_found: CappedCount
    waiting_list: list[WaitingRequest]
    waiting_list_page: KeysetPage
    waiting_list_found: CappedCount
    caseloads: list[Caseload]
    unallocated: list[RequestForAssistance]

    @property
    def learner_ids(self) -> list[int]:
        """Every learner the page names, for the audit."""
        requests = [
            *(row.request for row in self.new_requests),
            *(row.request for row in self.waiting_list),
            *self.unallocated,
        ]
        return sorted({request.learner_id for request in requests})


def service_practitioners(actor: "Actor") -> list["User"]:
    """The people working for the actor's service as practitioners today, by name."""
    service_id = _service_id(actor)
    if service_id is None:
        return []
    memberships = (
        Membership.objects.current()
        .filter(agency_id=service_id, role=Role.AGENCY_PRACTITIONER, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    seen: dict[int, User] = {}
    for membership in memberships:
        seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


def _caseloads(actor: "Actor", practitioners: list["User"]) -> list[Caseload]:
    """Accepted and in-progress requests per practitioner, counted in one grouped query; anyone
    still holding requests after leaving the service is listed too, so no work goes unseen."""
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    grouped = (
        service_requests(actor)
        .filter(
            status__in=(RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS),
            allocated_to__isnull=False,
        )
        .values("allocated_to_id", "allocated_to__full_name", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in grouped:
        user_id = row["allocated_to_id"]
        counts.setdefault(user_id, {})[row["status"]] = row["count"]
        names[user_id] = row["allocated_to__full_name"]
    working = {user.pk for user in practitioners}
    caseloads = [
        Caseload(
            practitioner_id=user.pk,
            name=user.full_name,
            accepted=counts.get(user.pk, {}).get(RequestStatus.ACCEPTED, 0),
            in_progress=counts.get(user.pk, {}).get(RequestStatus.IN_PROGRESS, 0),
        )
        for user in practitioners
    ]
    caseloads += sorted(
        (
            Caseload(
                practitioner_id=user_id,
                name=names[user_id],
                accepted=by_status.get(RequestStatus.ACCEPTED, 0),
                in_progress=by_status.get(RequestStatus.IN_PROGRESS, 0),
                works_here=False,
            )
            for user_id, by_status in counts.items()
            if user_id not in working
        ),
        key=lambda caseload: caseload.name,
    )
    return caseloads


def service_queue_get(
    *,
    actor: "Actor",
    today: date,
    new_requests_cursor: str | None = None,
    waiting_list_cursor: str | None = None,
) -> ServiceQueue:
    """The manager's view of the service: a page of the requests to triage (oldest first), a page
    of the waiting list in order (longest waiting first, then the most urgent; each row keeps its
    place in the whole list), each practitioner's caseload and the accepted requests nobody has
    yet. Each long section pages by cursor (stagewise/keyset.py) and is counted to a cap: the
    same queries on its first page and its last, however long the queue."""
    requests = service_requests(actor)
    new_ones = _rows(requests.filter(status=RequestStatus.SENT))
    new_page = keyset_page(
        new_ones,
        order=NEW_REQUESTS_ORDER,
        cursor=new_requests_cursor,
        per_page=QUEUE_PAGE_SIZE,
        salt="services:queue:new",
    )
    new_requests = [
        NewRequest(
            request=request,
            days_left=(request.due_on - today).days if request.due_on else None,
        )
        for request in new_page.object_list
    ]
    waiting = _rows(requests.filter(status=RequestStatus.WAITING_LIST))
    waiting_page = keyset_page(
        waiting,
        order=WAITING_LIST_ORDER,
        cursor=waiting_list_cursor,
        per_page=QUEUE_PAGE_SIZE,
        salt="services:queue:waiting",
    )
    # The first row's place in the whole list, counted in the list's index up to it.
    first_place = (
        keyset_rows_before(waiting, order=WAITING_LIST_ORDER, row=waiting_page.object_list[0]) + 1
        if waiting_page.object_list
        else 0
    )
    waiting_list = [
        WaitingRequest(
            request=request,
            waited_days=max((today - (request.waiting_since or today)).days, 0),
            place=first_place + index,
        )
        for index, request in enumerate(waiting_page.object_list)
    ]
    unallocated = list(
        _rows(requests.filter(status=RequestStatus.ACCEPTED, allocated_to__isnull=True)).order_by(
            "answered_on", "sent_on", "pk"
        )
    )
    practitioners = service_practitioners(actor)
    membership = actor.membership
    assert membership is not None and membership.agency is not None  # TRIAGE_REQUESTS
    return ServiceQueue(
        service=membership.agency,
        new_requests=new_requests,
        new_requests_page=new_page,
        new_requests_found=capped_count(new_ones, QUEUE_COUNT_CAP),
        waiting_list=waiting_list,
        waiting_list_page=waiting_page,
        waiting_list_found=capped_count(waiting, QUEUE_COUNT_CAP),
        caseloads=_caseloads(actor, practitioners),
        unallocated=unallocated,
    )


# One request, from the service's side -------------------------------------------------------------


class ServiceAction:
    """What can be done to a request from the service's side, each one a form on its page."""

    ACCEPT = "accept"
    WAITING_LIST = "waiting_list"
    DECLINE = "decline"
    ALLOCATE = "allocate"
    START = "start"
    COMPLETE = "complete"
    CONTRIBUTE = "contribute"


def service_request_actions(actor: "Actor", request: RequestForAssistance) -> frozenset[str]:
    """The actions the actor's role and the request's status allow. The services check again;
    this only keeps the page from offering what would be refused."""
    actions: set[str] = set()
    status = request.status
    if may(actor, Capability.TRIAGE_REQUESTS):
        if status in (RequestStatus.SENT, RequestStatus.WAITING_LIST):
            actions |= {ServiceAction.ACCEPT, ServiceAction.DECLINE}
        if status == RequestStatus.SENT:
            actions.add(ServiceAction.WAITING_LIST)
        if status in (RequestStatus.ACCEPTED, RequestStatus.WAITING_LIST):
            actions.add(ServiceAction.ALLOCATE)
    if may(actor, Capability.WORK_ON_REQUESTS) and request.allocated_to_id == actor.user.pk:
        if status == RequestStatus.ACCEPTED:
            actions.add(ServiceAction.START)
        if status == RequestStatus.IN_PROGRESS:
            actions |= {ServiceAction.CONTRIBUTE, ServiceAction.COMPLETE}
    return frozenset(actions)


@dataclass(frozen=True)
class ServiceRequestPage:
    request: RequestForAssistance
    consent: SharingConsent | None  # the current consent, or the last one withdrawn
    events: list[RequestEvent]
    actions: frozenset[str]
    practitioners: list["User"] = field(default_factory=list)
    other_services: list[Agency] = field(default_factory=list)
    attachments: list[RequestAttachment] = field(default_factory=list)

    @property
    def plan_label(self) -> str:
        plan = self.request.plan
        return plan.display_type_name if plan is not None else ""


def service_request_page(*, actor: "Actor", request_id: object, purpose: str) -> ServiceRequestPage:
    """The request as its service reads it, with its files, its history and the actor's actions;
    404 (recorded) for anyone outside the service's door."""
    request = service_request_get(actor=actor, request_id=request_id, purpose=purpose)
    if request.plan is not None:
        # One more row, not a join on every request the selector reads.
        request.plan = Plan.objects.select_related("plan_type").get(pk=request.plan.pk)
    consent = (
        request.consents.order_by(
            Case(When(withdrawn_at__isnull=True, then=Value(0)), default=Value(1)),
            "-recorded_at",
            "-pk",
        )
        .select_related("recorded_by", "withdrawn_by")
        .first()
    )
    # The manager's choices are read whatever the status, so that a form posted too late is
    # answered with the service's reason, not with an empty list.
    triages = may(actor, Capability.TRIAGE_REQUESTS)
    return ServiceRequestPage(
        request=request,
        consent=consent,
        events=list(request.events.all()),
        actions=service_request_actions(actor, request),
        # Those who may read the request may read its files (file_selectors.service_attachment_get).
        attachments=list(request.attachments.order_by("uploaded_at", "pk")),
        practitioners=service_practitioners(actor) if triages else [],
        other_services=(
            list(
                Agency.objects.filter(authority_id=request.service.authority_id)
                .exclude(pk=request.service_id)
                .order_by("name")
            )
            if triages
            else []
        ),
    )


# A practitioner's own requests --------------------------------------------------------------------


@dataclass(frozen=True)
class PractitionerRequests:
    to_do: list[RequestForAssistance]  # accepted (to start) and in progress
    recently_completed: list[RequestForAssistance]

    @property
    def learner_ids(self) -> list[int]:
        requests = [*self.to_do, *self.recently_completed]
        return sorted({request.learner_id for request in requests})


def practitioner_requests_get(*, actor: "Actor", today: date) -> PractitionerRequests:
    """The requests allocated to the actor: those to start and those in progress (through the
    service's door), and those they completed lately. A completed request is past that door
    (the involvement has closed); it is listed, without a link, as the practitioner's own work
    and only while the consent or lawful basis it was shared on still stands."""
    if not may(actor, Capability.WORK_ON_REQUESTS):
        return PractitionerRequests(to_do=[], recently_completed=[])
    to_do = list(
        _rows(
            service_requests(actor).filter(
                allocated_to=actor.user,
                status__in=(RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS),
            )
        ).order_by(IN_PROGRESS_FIRST, "answered_on", "pk")
    )
    current_consent = SharingConsent.objects.filter(
        request=OuterRef("pk"), withdrawn_at__isnull=True
    )
    completed = list(
        _rows(
            RequestForAssistance.objects.filter(
                service_id=_service_id(actor),
                allocated_to=actor.user,
                status=RequestStatus.COMPLETED,
                completed_on__gte=today - timedelta(days=RECENTLY_COMPLETED_DAYS),
            ).filter(Q(Exists(current_consent)) | ~Q(lawful_basis=""))
        ).order_by("-completed_on", "-pk")
    )
    return PractitionerRequests(to_do=to_do, recently_completed=completed)
