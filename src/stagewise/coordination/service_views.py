"""The service's pages: its manager's queue, one request from the service's side with the forms
to answer it, allocate it and work on it, and a practitioner's own requests.

A request is reached only through `service_request_get` (404 for anyone outside the service's
door); each action posts to its own address and calls one service, whose refusal is shown on
the request's page in an error summary.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.contribution_forms import ContributionForm
from stagewise.coordination.contribution_selectors import (
    own_contribution_get,
    own_contributions,
    request_contributions,
)
from stagewise.coordination.forms import (
    ServiceAcceptForm,
    ServiceAllocateForm,
    ServiceCompleteForm,
    ServiceDeclineForm,
    ServiceStartForm,
    ServiceWaitingListForm,
)
from stagewise.coordination.queue_selectors import (
    RECENTLY_COMPLETED_DAYS,
    ServiceAction,
    ServiceRequestPage,
    practitioner_requests_get,
    service_queue_get,
    service_request_page,
)
from stagewise.coordination.services import (
    contribution_add,
    request_accept,
    request_allocate,
    request_complete,
    request_decline,
    request_start,
    request_waiting_list,
)
from stagewise.keyset import query_without_cursor
from stagewise.policy import Capability, require

TEMPLATES = "coordination/service"
# The address's names for the cursor of each long section of the queue, each kept by the
# other's links so that turning one section's pages leaves the other where it was.
NEW_REQUESTS_PAGE = "new"
WAITING_LIST_PAGE = "waiting"
ACTION_CAPABILITY = {
    ServiceAction.ACCEPT: Capability.TRIAGE_REQUESTS,
    ServiceAction.WAITING_LIST: Capability.TRIAGE_REQUESTS,
    ServiceAction.DECLINE: Capability.TRIAGE_REQUESTS,
    ServiceAction.ALLOCATE: Capability.TRIAGE_REQUESTS,
    ServiceAction.START: Capability.WORK_ON_REQUESTS,
    ServiceAction.COMPLETE: Capability.WORK_ON_REQUESTS,
    ServiceAction.CONTRIBUTE: Capability.WORK_ON_REQUESTS,
}


@login_required
def service_queue_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.TRIAGE_REQUESTS)
    queue = service_queue_get(
        actor=actor,
        today=timezone.localdate(),
        new_requests_cursor=request.GET.get(NEW_REQUESTS_PAGE),
        waiting_list_cursor=request.GET.get(WAITING_LIST_PAGE),
    )
    # The queue names learners: who was shown whom is recorded, as for a learner list.
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="service_queue",
        object_id=str(queue.service.pk),
        purpose="service queue",
        learners_shown=queue.learner_ids,
    )
    return render(
        request,
        f"{TEMPLATES}/queue.html",
        {
            "queue": queue,
            "new_requests_parameter": NEW_REQUESTS_PAGE,
            "waiting_list_parameter": WAITING_LIST_PAGE,
            "query_without_new_requests_page": query_without_cursor(request.GET, NEW_REQUESTS_PAGE),
            "query_without_waiting_list_page": query_without_cursor(request.GET, WAITING_LIST_PAGE),
        },
    )


@login_required
def practitioner_requests_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.WORK_ON_REQUESTS)
    own = practitioner_requests_get(actor=actor, today=timezone.localdate())
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="practitioner_requests",
        purpose="requests allocated to me",
        learners_shown=own.learner_ids,
    )
    return render(
        request,
        f"{TEMPLATES}/my_requests.html",
        {"own": own, "recent_days": RECENTLY_COMPLETED_DAYS},
    )


# One request ------------------------------------------------------------------------------------


def _form(action: str, page: ServiceRequestPage, data: Any = None) -> Any:
    """The form of one action, bound to `data` if given; each prefixed, so that the page's forms
    keep their fields (and the error summary its links) apart."""
    if action == ServiceAction.ACCEPT:
        return ServiceAcceptForm(data, practitioners=page.practitioners, prefix="accept")
    if action == ServiceAction.WAITING_LIST:
        return ServiceWaitingListForm(data, prefix="waiting")
    if action == ServiceAction.DECLINE:
        return ServiceDeclineForm(data, services=page.other_services, prefix="decline")
    if action == ServiceAction.ALLOCATE:
        return ServiceAllocateForm(data, practitioners=page.practitioners, prefix="allocate")
    if action == ServiceAction.START:
        return ServiceStartForm(data, prefix="start")
    if action == ServiceAction.CONTRIBUTE:
        return ContributionForm(data, prefix="contribution")
    return ServiceCompleteForm(data, prefix="complete")


def _forms(page: ServiceRequestPage) -> dict[str, Any]:
    """A form for each action the page offers the actor."""
    return {action: _form(action, page) for action in sorted(page.actions)}


def _render_page(
    request: HttpRequest, page: ServiceRequestPage, forms: dict[str, Any], failed: str = ""
) -> HttpResponse:
    return render(
        request,
        f"{TEMPLATES}/request.html",
        {
            "page": page,
            "forms": forms,
            "failed": failed,
            "failed_form": forms.get(failed),
            "contributions": request_contributions(page.request),
        },
    )


@login_required
def service_request_view(request: HttpRequest, request_id: object) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = service_request_page(
        actor=actor, request_id=request_id, purpose="view request for assistance"
    )
    return _render_page(request, page, _forms(page))


def _act(
    request: HttpRequest,
    request_id: object,
    *,
    action: str,
    purpose: str,
    write: Callable[[Any, ServiceRequestPage, dict[str, Any]], object],
    success: str,
    then: str = "",
) -> HttpResponse:
    """Posts one action: the request through the service's door (404 otherwise), its form
    checked, the service called; a refusal goes back on the page, success to the request (or to
    `then`, when the actor no longer sees the request afterwards)."""
    actor = request.actor  # type: ignore[attr-defined]
    page = service_request_page(actor=actor, request_id=request_id, purpose=purpose)
    # The role must carry the action's capability (403 otherwise, as the service would say); a
    # step the request's status or allocation does not allow is refused on the page instead.
    require(actor, ACTION_CAPABILITY[action])
    forms = _forms(page)
    form = forms[action] = _form(action, page, request.POST)
    if form.is_valid():
        try:
            write(actor, page, form.cleaned_data)
        except ValidationError as error:
            _show_on_form(form, error)
        else:
            messages.success(request, success)
            if then:
                return redirect(then)
            return redirect("services:request", request_id=page.request.public_id)
    return _render_page(request, page, forms, failed=action)


def _show_on_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def accept_view(request: HttpRequest, request_id: object) -> HttpResponse:
    return _act(
        request,
        request_id,
        action=ServiceAction.ACCEPT,
        purpose="accept request for assistance",
        write=lambda actor, page, data: request_accept(
            actor=actor, request=page.request, note=data["note"], practitioner=data["practitioner"]
        ),
        success=_("The request is accepted."),
    )


@login_required
@require_POST
def waiting_list_view(request: HttpRequest, request_id: object) -> HttpResponse:
    return _act(
        request,
        request_id,
        action=ServiceAction.WAITING_LIST,
        purpose="put request for assistance on the waiting list",
        write=lambda actor, page, data: request_waiting_list(
            actor=actor, request=page.request, note=data["note"]
        ),
        success=_("The request is on the waiting list."),
    )


@login_required
@require_POST
def decline_view(request: HttpRequest, request_id: object) -> HttpResponse:
    return _act(
        request,
        request_id,
        action=ServiceAction.DECLINE,
        purpose="decline request for assistance",
        write=lambda actor, page, data: request_decline(
            actor=actor,
            request=page.request,
            reason=data["decline_reason"],
            suggested_service=data["suggested_service"],
            suggestion=data["suggestion"],
        ),
        success=_("The request is declined. The school or authority that asked can see why."),
    )


@login_required
@require_POST
def allocate_view(request: HttpRequest, request_id: object) -> HttpResponse:
    return _act(
        request,
        request_id,
        action=ServiceAction.ALLOCATE,
        purpose="allocate request for assistance",
        write=lambda actor, page, data: request_allocate(
            actor=actor, request=page.request, practitioner=data["practitioner"]
        ),
        success=_("The request is allocated."),
    )


@login_required
@require_POST
def start_view(request: HttpRequest, request_id: object) -> HttpResponse:
    return _act(
        request,
        request_id,
        action=ServiceAction.START,
        purpose="start work on request for assistance",
        write=lambda actor, page, data: request_start(
            actor=actor, request=page.request, note=data["note"]
        ),
        success=_("You have started work on this request."),
    )


@login_required
@require_POST
def complete_view(request: HttpRequest, request_id: object) -> HttpResponse:
    # Once complete, the involvement closes and the request is past the service's door: back to
    # the practitioner's own list, where it shows as completed.
    return _act(
        request,
        request_id,
        action=ServiceAction.COMPLETE,
        purpose="complete request for assistance",
        write=lambda actor, page, data: request_complete(
            actor=actor, request=page.request, note=data["note"]
        ),
        success=_("The request is complete."),
        then="services:my_requests",
    )


@login_required
@require_POST
def contribution_add_view(request: HttpRequest, request_id: object) -> HttpResponse:
    return _act(
        request,
        request_id,
        action=ServiceAction.CONTRIBUTE,
        purpose="add advice or an assessment",
        write=lambda actor, page, data: contribution_add(actor=actor, request=page.request, **data),
        success=_("Your advice is added. The school or authority that asked can read it."),
    )


# A practitioner's own contributions ---------------------------------------------------------------


@login_required
def own_contributions_view(request: HttpRequest) -> HttpResponse:
    """What the practitioner wrote, kept for them after the involvement closes: their words and
    the learner's name only."""
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.WORK_ON_REQUESTS)
    contributions = list(own_contributions(actor))
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="own_contributions",
        purpose="my advice and assessments",
        learners_shown=[row.learner_id for row in contributions],
    )
    return render(request, f"{TEMPLATES}/my_contributions.html", {"contributions": contributions})


@login_required
def own_contribution_view(request: HttpRequest, contribution_id: object) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    contribution = own_contribution_get(
        actor=actor, contribution_id=contribution_id, purpose="read my advice or assessment"
    )
    return render(request, f"{TEMPLATES}/my_contribution.html", {"contribution": contribution})
