"""Pages for an authority's consideration of a looked-after child for a co-ordinated support plan
(ADR 0049): the learner's considerations, the latest first, and recording a new one beside what
decision support finds on the record. Every page reaches the learner through learners/access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import get_learner_for
from stagewise.policy import Capability
from stagewise.statutory.consideration_forms import ConsiderationForm
from stagewise.statutory.consideration_selectors import (
    consideration_list,
    consideration_refusal,
    consideration_support_get,
    considered_since_looked_after,
)
from stagewise.statutory.services import coordinated_support_plan_consider


@login_required
def consideration_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view co-ordinated support plan considerations",
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
    )
    considerations = consideration_list(learner=learner)
    latest = considerations[0] if considerations else None
    return render(
        request,
        "statutory/considerations/list.html",
        {
            "learner": learner,
            "considerations": considerations,
            "considered_since": considered_since_looked_after(learner, latest),
        },
    )


@login_required
def consideration_add_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="consider for a co-ordinated support plan",
        capability=Capability.CONSIDER_COORDINATED_SUPPORT_PLANS,
    )
    refusal = consideration_refusal(learner)
    form = ConsiderationForm(posted(request))
    if not refusal and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_or_show_errors(
            form,
            lambda: coordinated_support_plan_consider(
                actor=actor,
                learner=learner,
                considered_on=data["considered_on"],
                conditions=form.conditions(),
                conclusion=data["conclusion"],
                reason=data["reason"],
                departure_kind=data.get("departure_kind", ""),
                departure_reason=data.get("departure_reason", ""),
            ),
        )
        if saved is not None:
            messages.success(request, _("The consideration is recorded."))
            return redirect("considerations:list", learner_id=learner.public_id)
    support = None if refusal else consideration_support_get(learner)
    conditions = list(
        zip(form.condition_fields(), support.conditions if support else [None] * 4, strict=True)
    )
    return render(
        request,
        "statutory/considerations/form.html",
        {
            "learner": learner,
            "form": form,
            "refusal": refusal,
            "support": support,
            "conditions": conditions,
        },
    )
