"""Rights requests' pages, under /learners/<learner_id>/rights-requests/: the learner's requests
with their due dates and outcomes; the family's form to make one; staff's forms to record one
made by letter or telephone, to record the decision, and to record a capacity and wellbeing
assessment. Every page reaches the learner through learners/access.get_learner_for."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stagewise.families.forms import (
    CapacityAssessmentForm,
    DecisionForm,
    RecordedRightsRequestForm,
    RightsRequestForm,
)
from stagewise.families.models import RightsRequest
from stagewise.families.selectors import (
    capacity_assessment_list,
    carers_who_may_ask,
    rights_request_get,
    rights_request_list,
)
from stagewise.families.services import (
    DuplicateRightsRequest,
    Requester,
    capacity_assessment_record,
    learner_nation,
    rights_request_decide,
    rights_request_make,
    rights_request_record,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import get_learner_for
from stagewise.learners.models import Learner, ParentPart
from stagewise.policy import Audience, Capability, NationPolicy, nation_policy, policy_for


def _nation(learner: Learner) -> NationPolicy:
    try:
        return learner_nation(learner)
    except ValidationError:  # not enrolled anywhere: the services refuse, the page still opens
        return nation_policy(None)


def _to_list(learner: Learner, request: RightsRequest | None = None) -> HttpResponse:
    address = reverse("rights_requests:list", args=[learner.public_id])
    return redirect(f"{address}#request-{request.public_id}" if request else address)


def _write(form: Any, write: Any) -> tuple[object | None, RightsRequest | None]:
    """The service's result, or None with its refusal on the form; a duplicate also gives the
    open request, so the page can link to it."""
    duplicate_of: list[RightsRequest] = []

    def attempt() -> object:
        try:
            return write()
        except DuplicateRightsRequest as duplicate:
            duplicate_of.append(duplicate.open_request)
            raise

    return save_or_show_errors(form, attempt), next(iter(duplicate_of), None)


@login_required
def rights_request_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view rights requests",
        capability=Capability.VIEW_RIGHTS_REQUESTS,
        part=ParentPart.REQUESTS,
    )
    nation = _nation(learner)
    family = policy_for(actor).audience == Audience.FAMILY
    return render(
        request,
        "families/rights_request_list.html",
        {
            "learner": learner,
            "nation": nation,
            "family": family,
            "rows": rights_request_list(actor=actor, learner=learner, nation=nation),
            "capacity_assessments": capacity_assessment_list(learner)
            if nation.child_rights_need_capacity_assessment
            else [],
        },
    )


def _form_page(
    request: HttpRequest,
    learner: Learner,
    form: Any,
    open_request: RightsRequest | None,
    template: str,
) -> HttpResponse:
    return render(
        request,
        template,
        {"learner": learner, "form": form, "open_request": open_request},
    )


@login_required
def rights_request_new_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="make rights request",
        capability=Capability.MAKE_RIGHTS_REQUESTS,
        part=ParentPart.REQUESTS,
    )
    form = RightsRequestForm(posted(request), nation=_nation(learner))
    open_request = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made, open_request = _write(
            form,
            lambda: rights_request_make(
                actor=actor, learner=learner, kind=data["kind"], what=data["what"], why=data["why"]
            ),
        )
        if isinstance(made, RightsRequest):
            messages.success(request, _("Your request has been sent. Its due date is shown below."))
            return _to_list(learner, made)
    return _form_page(request, learner, form, open_request, "families/rights_request_form.html")


@login_required
def rights_request_record_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="record rights request",
        capability=Capability.RECORD_RIGHTS_REQUESTS,
    )
    form = RecordedRightsRequestForm(
        posted(request),
        nation=_nation(learner),
        carer_links=carers_who_may_ask(learner),
        learner_name=learner.display_name,
    )
    open_request = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded, open_request = _write(
            form,
            lambda: rights_request_record(
                actor=actor,
                learner=learner,
                kind=data["kind"],
                requester=Requester(carer_link=form.carer_link()),
                channel=data["channel"],
                received_on=data["received_on"],
                what=data["what"],
                why=data["why"],
            ),
        )
        if isinstance(recorded, RightsRequest):
            messages.success(request, _("The request is recorded and its clock has started."))
            return _to_list(learner, recorded)
    return _form_page(request, learner, form, open_request, "families/rights_request_record.html")


@login_required
def rights_request_decide_view(
    request: HttpRequest, learner_id: str, request_id: str
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    purpose = "decide rights request"
    learner = get_learner_for(
        actor, learner_id, purpose=purpose, capability=Capability.DECIDE_RIGHTS_REQUESTS
    )
    found = rights_request_get(actor=actor, learner=learner, request_id=request_id, purpose=purpose)
    if not found.is_open:
        messages.info(request, _("A decision on this request has already been recorded."))
        return _to_list(learner, found)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decided = save_or_show_errors(
            form,
            lambda: rights_request_decide(
                actor=actor,
                request=found,
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                note=data["note"],
            ),
        )
        if isinstance(decided, RightsRequest):
            messages.success(request, _("The decision is recorded and the family has been told."))
            return _to_list(learner, decided)
    nation = _nation(learner)
    kind = nation.rights_request_kind(found.kind)
    return render(
        request,
        "families/rights_request_decide.html",
        {
            "learner": learner,
            "form": form,
            "found": found,
            "kind_label": kind.label if kind else found.kind,
        },
    )


@login_required
def capacity_assessment_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="record capacity assessment",
        capability=Capability.RECORD_RIGHTS_REQUESTS,
    )
    form = CapacityAssessmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = save_or_show_errors(
            form,
            lambda: capacity_assessment_record(actor=actor, learner=learner, **data),
        )
        if recorded is not None:
            messages.success(request, _("The capacity and wellbeing assessment is recorded."))
            return _to_list(learner)
    return render(
        request, "families/capacity_assessment_form.html", {"learner": learner, "form": form}
    )
