"""Plan pages that move a plan through the cycle: finalising, sharing, the family's response,
support in place, reviews, revising and closing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.planning.form_flow import (
    button_action,
    editor_plan,
    form_flow,
    save_or_show_errors,
    to_plan,
)
from stagewise.planning.forms import (
    CloseForm,
    FinaliseForm,
    ResponseForm,
    ReviewForm,
    ShareForm,
    SupportInPlaceForm,
)
from stagewise.planning.models import ReviewDecision
from stagewise.planning.selectors import (
    may_sign_off_type,
)
from stagewise.planning.services import (
    TargetProgressEntry,
    plan_close,
    plan_communication_record,
    plan_finalise,
    plan_response_record,
    plan_review_begin,
    plan_review_record,
    plan_revise,
    plan_support_in_place,
    sign_off_roles_text,
)
from stagewise.planning.views import plan_for
from stagewise.policy import Capability, may


@login_required
def finalise_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "finalise plan")
    form = FinaliseForm(request.POST or None, initial={"based_on_revision": plan.edit_revision})
    if request.method == "POST" and form.is_valid():
        saved, _conflict = save_or_show_errors(
            form,
            lambda: plan_finalise(
                actor=actor, plan=plan, based_on_revision=form.cleaned_data["based_on_revision"]
            ),
        )
        if saved:
            messages.success(
                request,
                _("Version %(number)s of the plan has been finalised.")
                % {"number": plan.version_number},
            )
            return to_plan(plan)
    return render(
        request,
        "planning/finalise.html",
        {
            "learner": learner,
            "plan": plan,
            "form": form,
            "may_sign_off": may_sign_off_type(actor, plan.plan_type),
            "sign_off_roles": sign_off_roles_text(plan.plan_type),
        },
    )


@login_required
def support_in_place_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "record support in place")
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=SupportInPlaceForm(
            request.POST or None, initial={"in_place_on": timezone.localdate()}
        ),
        write=lambda data: plan_support_in_place(
            actor=actor, plan=plan, in_place_on=data["in_place_on"]
        ),
        success=_("The plan is now active."),
        title=_("Record that the support is in place"),
        submit=_("Save"),
    )


@login_required
@require_POST
def revise_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, _learner, plan = editor_plan(request, learner_id, plan_id, "revise plan")
    return button_action(
        request,
        plan=plan,
        write=lambda: plan_revise(actor=actor, plan=plan),
        success=lambda revised: (
            _(
                "Version %(number)s is now being written. Version %(previous)s stays as it"
                " was signed off."
            )
            % {
                "number": revised.version_number,  # type: ignore[attr-defined]
                "previous": revised.version_number - 1,  # type: ignore[attr-defined]
            }
        ),
    )


@login_required
def close_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "close plan")
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()}),
        write=lambda data: plan_close(
            actor=actor, plan=plan, closed_on=data["closed_on"], reason=data["reason"]
        ),
        success=_("The plan has been closed."),
        title=_("Close the plan"),
        submit=_("Close plan"),
    )


@login_required
def share_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "record plan shared")
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=ShareForm(request.POST or None, initial={"sent_on": timezone.localdate()}),
        write=lambda data: plan_communication_record(
            actor=actor,
            plan=plan,
            recipient=data["recipient"],
            recipient_kind=data["recipient_kind"],
            sent_on=data["sent_on"],
            format=data["format"],
            language=data["language"],
        ),
        success=_("Who received the plan has been recorded."),
        anchor="communication",
        title=_("Record who received the plan"),
        submit=_("Record"),
        intro=_(
            "Choosing “Shared in Stagewise” for a parent or young person lets them read the"
            " plan and respond here."
        ),
    )


@login_required
def respond_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = plan_for(
        request, learner_id, plan_id, "respond to plan", Capability.RESPOND_TO_PLANS
    )
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=ResponseForm(request.POST or None),
        write=lambda data: plan_response_record(
            actor=actor, plan=plan, response=data["response"], words=data["words"]
        ),
        success=_("Thank you. Your response has been sent to the school."),
        title=_("Respond to the plan"),
        submit=_("Send response"),
    )


@login_required
@require_POST
def review_begin_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, _learner, plan = editor_plan(request, learner_id, plan_id, "begin plan review")
    return button_action(
        request,
        plan=plan,
        write=lambda: plan_review_begin(actor=actor, plan=plan),
        success=_("The plan is now under review."),
    )


@login_required
def review_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "record plan review")
    targets = list(plan.targets.order_by("created_at", "pk"))

    def record(data: dict[str, Any]) -> object:
        return plan_review_record(
            actor=actor,
            plan=plan,
            held_on=data["held_on"],
            attendees=data["attendees"],
            views_beforehand=data["views_beforehand"],
            progress=[
                TargetProgressEntry(
                    target=target,
                    progress=data[f"progress_{target.pk}"],
                    evidence=data[f"evidence_{target.pk}"],
                )
                for target in targets
            ],
            decision=data["decision"],
            decision_notes=data["decision_notes"],
            next_review_on=data["next_review_on"],
        )

    def next_step(review: object) -> HttpResponse:
        # The decision's next step is a page of its own; take the editor straight there.
        decision = review.decision  # type: ignore[attr-defined]
        if decision == ReviewDecision.CHANGE_STAGE and may(actor, Capability.DECIDE_STAGE):
            messages.info(request, _("Now record the new stage of intervention."))
            return redirect("learners:stage_decision_add", learner_id=learner.public_id)
        if decision == ReviewDecision.OPEN_OTHER_PLAN:
            messages.info(request, _("Now choose the type of plan to open."))
            return redirect("planning:create", learner_id=learner.public_id)
        return to_plan(plan, "reviews")

    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=ReviewForm(
            request.POST or None, targets=targets, initial={"held_on": timezone.localdate()}
        ),
        write=record,
        success=_("The review has been recorded."),
        done=next_step,
        title=_("Record a review"),
        submit=_("Record review"),
    )
