"""The service's side of requests for assistance (ADR 0051): an agency's system, acting as its
service manager, reads the requests sent to the service, answers them and allocates them to its
practitioners; as a practitioner, reads those its service has taken on. Starting and completing
the work are the allocated practitioner's own steps, which no integration is (its account is
never allocated), so they stay on the practitioner's pages. Through the service's own door
(coordination.selectors.service_requests), as the service's pages are: anything else is 404."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from stagewise.api import schemas
from stagewise.api.endpoints import actor_with_scope, request_fields, responses
from stagewise.api.errors import BadQuery
from stagewise.api.models import Scope
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.queue_selectors import service_practitioners
from stagewise.coordination.selectors import service_request_get, service_requests
from stagewise.coordination.services import (
    request_accept,
    request_allocate,
    request_decline,
    request_waiting_list,
)
from stagewise.keyset import KeysetOrder, keyset_page
from stagewise.policy import Capability, require

router = Router()
ORDER = KeysetOrder(keys=("pk",), descending=True)


@router.get(
    "/service-requests",
    response=responses(schemas.ServiceRequestPage),
    url_name="service_requests",
    summary="The requests sent to the integration's service, newest first",
)
def service_request_list(
    request: HttpRequest,
    cursor: str = Query("", max_length=2_000, description="From the last page's next_cursor."),
    limit: int = Query(25, ge=1, le=settings.API_MOST_PER_PAGE),
) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_READ)
    page = keyset_page(
        service_requests(actor).select_related("service", "allocated_to"),
        order=ORDER,
        cursor=cursor or None,
        per_page=limit,
        salt="api:service-requests",
    )
    if page.cursor_refused:
        raise BadQuery(
            "cursor", _("This cursor was not given by this list. Start again without a cursor.")
        )
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="service_requests",
        purpose="list requests for assistance to the service",
        detail={"api": True},
        learners_shown=[each.learner_id for each in page.object_list],
    )
    return {
        "results": [request_fields(each) for each in page.object_list],
        "next_cursor": page.next_cursor or None,
    }


@router.get(
    "/service-requests/{request_id}",
    response=responses(schemas.RequestForAssistance),
    url_name="service_request",
    summary="One request sent to the service, with its history",
)
def service_request(request: HttpRequest, request_id: str) -> Any:
    actor = actor_with_scope(request, Scope.REQUESTS_READ)
    found = service_request_get(
        actor=actor, request_id=request_id, purpose="view request for assistance"
    )
    return request_fields(found, events=True)


def _answering(request: HttpRequest, request_id: str, purpose: str) -> tuple[Any, Any]:
    """The request through the service's door (404 otherwise); then the role must triage (403),
    as the service's pages check before their forms."""
    actor = actor_with_scope(request, Scope.REQUESTS_WRITE)
    found = service_request_get(actor=actor, request_id=request_id, purpose=purpose)
    require(actor, Capability.TRIAGE_REQUESTS)
    return actor, found


@router.post(
    "/service-requests/{request_id}/accept",
    response=responses(schemas.RequestForAssistance),
    url_name="service_request_accept",
    summary="Take the request on",
)
def accept(request: HttpRequest, request_id: str, answer: schemas.ServiceAnswer) -> Any:
    actor, found = _answering(request, request_id, "accept request for assistance")
    return request_fields(request_accept(actor=actor, request=found, note=answer.note))


@router.post(
    "/service-requests/{request_id}/waiting-list",
    response=responses(schemas.RequestForAssistance),
    url_name="service_request_waiting_list",
    summary="Put the request on the service's waiting list",
)
def waiting_list(request: HttpRequest, request_id: str, answer: schemas.ServiceAnswer) -> Any:
    actor, found = _answering(request, request_id, "put request for assistance on the waiting list")
    return request_fields(request_waiting_list(actor=actor, request=found, note=answer.note))


@router.post(
    "/service-requests/{request_id}/decline",
    response=responses(schemas.RequestForAssistance),
    url_name="service_request_decline",
    summary="Decline the request, saying why",
)
def decline(request: HttpRequest, request_id: str, answer: schemas.Decline) -> Any:
    actor, found = _answering(request, request_id, "decline request for assistance")
    return request_fields(
        request_decline(
            actor=actor, request=found, reason=answer.decline_reason, suggestion=answer.suggestion
        )
    )


@router.post(
    "/service-requests/{request_id}/allocate",
    response=responses(schemas.RequestForAssistance),
    url_name="service_request_allocate",
    summary="Allocate an accepted or waiting request to one of the service's practitioners",
)
def allocate(request: HttpRequest, request_id: str, allocation: schemas.Allocation) -> Any:
    actor, found = _answering(request, request_id, "allocate request for assistance")
    # The practitioners the service's page offers, found by the address the caller's records
    # know them by.
    wanted = allocation.practitioner_email.strip().casefold()
    practitioner = next(
        (user for user in service_practitioners(actor) if user.email.casefold() == wanted), None
    )
    if practitioner is None:
        raise BadQuery(
            "practitioner_email",
            _("Give the email address of a practitioner who works for %(service)s.")
            % {"service": found.service},
        )
    return request_fields(request_allocate(actor=actor, request=found, practitioner=practitioner))
