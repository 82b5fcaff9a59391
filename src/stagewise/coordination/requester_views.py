"""The requester's pages: a learner's requests for assistance, a new request, its consent or
lawful basis, sending and withdrawing it, and where it is now and why. Every page reaches the
learner through learners/access.py and the request through its learner; the family's page to
withdraw a consent reaches the consent the same way."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.coordination.contribution_forms import ContributionAcceptForm
from stagewise.coordination.contribution_selectors import (
    contribution_get,
    editable_targets,
    request_contributions,
)
from stagewise.coordination.models import RecordPart, RequestForAssistance
from stagewise.coordination.requester_forms import (
    ConsentForm,
    ConsentWithdrawForm,
    LawfulBasisForm,
    ReasonForm,
    RequestForm,
)
from stagewise.coordination.selectors import (
    SHARED_WITHOUT_CONSENT_ORDER,
    SHARED_WITHOUT_CONSENT_PAGE_SIZE,
    consent_get,
    learner_request_get,
    learner_request_list,
    plans_to_request_for,
    request_detail,
    services_to_ask,
    shared_without_consent_list,
)
from stagewise.coordination.services import (
    consent_record,
    consent_withdraw,
    consent_withdraw_capability,
    contribution_accept,
    lawful_basis_record,
    request_draft,
    request_send,
    request_update,
    request_withdraw,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.keyset import keyset_page, query_without_cursor
from stagewise.learners.access import get_learner_for, may_see_part, refuse
from stagewise.learners.models import Learner
from stagewise.policy import (
    Audience,
    Capability,
    CapabilityRequired,
    may,
    nation_policy,
    policy_for,
    require,
)

REQUEST_WORDS = ("reason", "tried", "tried_for", "urgency", "learner_views", "family_views")


def _to_request(learner: Learner, request: RequestForAssistance) -> HttpResponse:
    return redirect("requests:detail", learner_id=learner.public_id, request_id=request.public_id)


def _request_for(
    request: HttpRequest, learner_id: str, request_id: str, purpose: str, capability: Capability
) -> tuple[Any, Learner, RequestForAssistance]:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose=purpose, capability=capability)
    found = learner_request_get(
        actor=actor, learner=learner, request_id=request_id, purpose=purpose
    )
    return actor, learner, found


@login_required
def request_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view requests for assistance",
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
    )
    return render(
        request,
        "coordination/request_list.html",
        {
            "learner": learner,
            "requests": learner_request_list(actor=actor, learner=learner),
            "may_request": may(actor, Capability.REQUEST_ASSISTANCE),
        },
    )


def _request_form_page(
    request: HttpRequest, learner: Learner, form: RequestForm, title: str, submit: str
) -> HttpResponse:
    return render(
        request,
        "coordination/request_form.html",
        {"learner": learner, "form": form, "title": title, "submit": submit},
    )


@login_required
def request_new_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="draft request for assistance",
        capability=Capability.REQUEST_ASSISTANCE,
    )
    form = RequestForm(
        posted(request),
        services=services_to_ask(learner),
        plans=plans_to_request_for(learner),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        drafted = save_or_show_errors(
            form,
            lambda: request_draft(
                actor=actor,
                learner=learner,
                service=data["service"],
                plan=data["plan"],
                **{name: data[name] for name in REQUEST_WORDS},
            ),
        )
        if isinstance(drafted, RequestForAssistance):
            messages.success(
                request,
                _(
                    "The request is saved as a draft. Record consent to share it (or the lawful"
                    " basis for sharing without consent), then send it."
                ),
            )
            return _to_request(learner, drafted)
    return _request_form_page(
        request, learner, form, _("Ask a service for help"), _("Save as a draft")
    )


@login_required
def request_edit_view(request: HttpRequest, learner_id: str, request_id: str) -> HttpResponse:
    actor, learner, found = _request_for(
        request,
        learner_id,
        request_id,
        "edit request for assistance",
        Capability.REQUEST_ASSISTANCE,
    )
    if not request_detail(actor=actor, request=found).actions.edit:
        messages.error(request, _("This request has been sent: it can no longer be changed."))
        return _to_request(learner, found)
    initial = {name: getattr(found, name) for name in REQUEST_WORDS} | {
        "service": found.service_id,
        "plan": found.plan_id,
    }
    form = RequestForm(
        posted(request),
        initial=initial,
        services=services_to_ask(learner),
        plans=plans_to_request_for(learner),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_or_show_errors(
            form,
            lambda: request_update(
                actor=actor,
                request=found,
                service=data["service"],
                plan=data["plan"],
                **{name: data[name] for name in REQUEST_WORDS},
            ),
        )
        if saved is not None:
            messages.success(request, _("The draft is saved."))
            return _to_request(learner, found)
    return _request_form_page(request, learner, form, _("Change the draft request"), _("Save"))


@login_required
def request_detail_view(request: HttpRequest, learner_id: str, request_id: str) -> HttpResponse:
    actor, learner, found = _request_for(
        request,
        learner_id,
        request_id,
        "view request for assistance",
        Capability.VIEW_PROFESSIONAL_RECORD,
    )
    sees_plans = may_see_part(actor, learner, RecordPart.PLANS)
    return render(
        request,
        "coordination/request_detail.html",
        {
            "learner": learner,
            "detail": request_detail(actor=actor, request=found),
            "contributions": request_contributions(found),
            "show_plan": sees_plans,
            "accept_url_name": (
                "requests:contribution_accept"
                if sees_plans and may(actor, Capability.EDIT_PLANS)
                else ""
            ),
            "request_public_id": found.public_id,
        },
    )


def _action_page(
    request: HttpRequest,
    *,
    learner: Learner,
    found: RequestForAssistance,
    form: Any,
    write: Any,
    success: str,
    title: str,
    submit: str,
    template: str = "coordination/request_action.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(form, lambda: write(form.cleaned_data)) is not None
    ):
        messages.success(request, success)
        return _to_request(learner, found)
    return render(
        request,
        template,
        {
            "learner": learner,
            "found": found,
            "form": form,
            "title": title,
            "submit": submit,
        }
        | (extra or {}),
    )


@login_required
def consent_record_view(request: HttpRequest, learner_id: str, request_id: str) -> HttpResponse:
    actor, learner, found = _request_for(
        request, learner_id, request_id, "record consent to share", Capability.REQUEST_ASSISTANCE
    )
    return _action_page(
        request,
        learner=learner,
        found=found,
        form=ConsentForm(posted(request)),
        write=lambda data: consent_record(actor=actor, request=found, **data),
        success=_("Consent is recorded."),
        title=_("Record consent to share"),
        submit=_("Record consent"),
        extra={
            "lead": _(
                "Record what the parent or young person agreed to: that %(service)s may see this"
                " request and the parts of the record ticked below."
            )
            % {"service": found.service}
        },
    )


@login_required
def lawful_basis_view(request: HttpRequest, learner_id: str, request_id: str) -> HttpResponse:
    actor, learner, found = _request_for(
        request,
        learner_id,
        request_id,
        "record lawful basis for sharing",
        Capability.REQUEST_ASSISTANCE,
    )
    return _action_page(
        request,
        learner=learner,
        found=found,
        form=LawfulBasisForm(posted(request)),
        write=lambda data: lawful_basis_record(
            actor=actor, request=found, lawful_basis=data["lawful_basis"]
        ),
        success=_("The lawful basis is recorded. The authority's officers will see it."),
        title=_("Share without consent"),
        submit=_("Record the lawful basis"),
        extra={
            "lead": _(
                "Only where the law allows sharing without consent. Everything shared this way is"
                " recorded and shown to the local authority's officers, and the family is shown"
                " the basis."
            )
        },
    )


@login_required
@require_POST
def request_send_view(request: HttpRequest, learner_id: str, request_id: str) -> HttpResponse:
    actor, learner, found = _request_for(
        request,
        learner_id,
        request_id,
        "send request for assistance",
        Capability.REQUEST_ASSISTANCE,
    )
    try:
        request_send(actor=actor, request=found)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The request is sent to %(service)s.") % {"service": found.service}
        )
    return _to_request(learner, found)


@login_required
def request_withdraw_view(request: HttpRequest, learner_id: str, request_id: str) -> HttpResponse:
    actor, learner, found = _request_for(
        request,
        learner_id,
        request_id,
        "withdraw request for assistance",
        Capability.REQUEST_ASSISTANCE,
    )
    return _action_page(
        request,
        learner=learner,
        found=found,
        form=ReasonForm(posted(request)),
        write=lambda data: request_withdraw(actor=actor, request=found, reason=data["reason"]),
        success=_("The request is withdrawn."),
        title=_("Withdraw the request"),
        submit=_("Withdraw the request"),
    )


@login_required
def consent_withdraw_view(request: HttpRequest, learner_id: str, consent_id: str) -> HttpResponse:
    """Withdraw a consent: the family who gave it, or the school or authority the family told.
    It takes effect at once."""
    actor = request.actor  # type: ignore[attr-defined]
    purpose = "withdraw consent to share"
    learner = get_learner_for(
        actor, learner_id, purpose=purpose, capability=consent_withdraw_capability(actor)
    )
    consent = consent_get(actor=actor, learner=learner, consent_id=consent_id, purpose=purpose)
    form = ConsentWithdrawForm(posted(request))
    family = policy_for(actor).audience == Audience.FAMILY
    if request.method == "POST" and form.is_valid():
        withdrawn = save_or_show_errors(
            form,
            lambda: consent_withdraw(actor=actor, consent=consent, note=form.cleaned_data["note"]),
        )
        if withdrawn is not None:
            messages.success(
                request,
                _("Consent is withdrawn. %(service)s can no longer see the record through it.")
                % {"service": consent.request.service},
            )
            if family:
                return redirect("learners:profile", learner_id=learner.public_id)
            return _to_request(learner, consent.request)
    return render(
        request,
        "coordination/consent_withdraw.html",
        {"learner": learner, "consent": consent, "form": form, "family": family},
    )


@login_required
def shared_without_consent_view(request: HttpRequest) -> HttpResponse:
    """The authority's officers' check: every request sent without consent, on what basis."""
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.REVIEW_SHARING_WITHOUT_CONSENT)
    page = keyset_page(
        shared_without_consent_list(actor),
        order=SHARED_WITHOUT_CONSENT_ORDER,
        cursor=request.GET.get("cursor"),
        per_page=SHARED_WITHOUT_CONSENT_PAGE_SIZE,
        salt="coordination:shared_without_consent",
    )
    return render(
        request,
        "coordination/shared_without_consent.html",
        {"page": page, "query_without_page": query_without_cursor(request.GET)},
    )


@login_required
def contribution_accept_view(
    request: HttpRequest, learner_id: str, request_id: str, contribution_id: str
) -> HttpResponse:
    """The plan's author adopts a service's suggested support into a plan being written or
    revised, for one of its targets. A contribution is a staff record: to a family it does not
    exist (404)."""
    actor = request.actor  # type: ignore[attr-defined]
    purpose = "add advice to a plan as support"
    learner = get_learner_for(actor, learner_id, purpose=purpose, part=RecordPart.PLANS)
    if not may(actor, Capability.EDIT_PLANS):
        refuse(actor=actor, learner=learner, purpose=purpose)
        if policy_for(actor).audience == Audience.FAMILY:
            raise Http404
        raise CapabilityRequired(Capability.EDIT_PLANS)
    found = learner_request_get(
        actor=actor, learner=learner, request_id=request_id, purpose=purpose
    )
    contribution = contribution_get(
        actor=actor, request=found, contribution_id=contribution_id, purpose=purpose
    )
    if contribution.is_accepted:
        messages.info(request, _("This has already been added to a plan."))
        return _to_request(learner, found)
    targets = list(editable_targets(learner))
    in_wales = any(
        nation_policy(target.plan.authority.nation.code).provision_language_required
        for target in targets
    )
    form = ContributionAcceptForm(
        posted(request),
        targets=targets,
        in_wales=in_wales,
        initial={
            "description": contribution.suggested_description,
            "frequency": contribution.suggested_frequency,
            "minutes_per_week": contribution.suggested_minutes_per_week,
            "starts_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        provision = save_or_show_errors(
            form,
            lambda: contribution_accept(
                actor=actor,
                contribution=contribution,
                target=data["target"],
                description=data["description"],
                frequency=data["frequency"],
                minutes_per_week=data["minutes_per_week"],
                starts_on=data["starts_on"],
                delivered_in_welsh=data.get("delivered_in_welsh"),
            ),
        )
        if provision is not None:
            target = data["target"]
            messages.success(
                request,
                _('The support is added to the plan "%(plan)s", for the target "%(target)s".')
                % {"plan": target.plan.display_type_name, "target": target.outcome},
            )
            return _to_request(learner, found)
    return render(
        request,
        "coordination/contribution_accept.html",
        {
            "learner": learner,
            "found": found,
            "contribution": contribution,
            "form": form,
            "has_targets": bool(targets),
        },
    )
