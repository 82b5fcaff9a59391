"""The family's say on a review (ADR 0026), under
/learners/<learner_id>/plans/<plan_id>/reviews/<review_id>/your-say/: the two questions, answered
or changed while the window is open, and "I would rather not answer". Family only: staff read the
answers on the plan page. Every page reaches the plan through planning's plan_for, so through
learners/access.get_learner_for (with the plans part, ADR 0021)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.families.feedback_forms import ReviewFeedbackForm
from stagewise.families.feedback_models import FeedbackRespondent
from stagewise.families.feedback_selectors import review_feedback_own, review_setting_name
from stagewise.families.feedback_services import (
    feedback_closes_on,
    feedback_is_open,
    review_feedback_decline,
    review_feedback_give,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import record_or_404
from stagewise.organisations.models import Role
from stagewise.planning.models import PlanReview
from stagewise.planning.views import plan_for
from stagewise.policy import Capability


def _review_for(request: HttpRequest, learner_id: str, plan_id: str, review_id: int, purpose: str):
    actor, learner, plan = plan_for(
        request, learner_id, plan_id, purpose, Capability.GIVE_REVIEW_FEEDBACK
    )
    # A review of another plan (or another learner's) is refused on its own learner.
    review = record_or_404(
        actor=actor,
        records=PlanReview.objects.all(),
        within={"plan": plan},
        learner_path="plan__learner",
        purpose=purpose,
        object_type="plan_review",
        pk=review_id,
    )
    review.plan = plan
    return actor, learner, plan, review


def _render(request, actor, learner, plan, review, form, refusal=None) -> HttpResponse:
    own = review_feedback_own(actor=actor, review=review)
    return render(
        request,
        "families/feedback/give.html",
        {
            "learner": learner,
            "plan": plan,
            "review": review,
            "form": form,
            "own": own,
            "is_open": feedback_is_open(review),
            "closes_on": feedback_closes_on(review),
            "for_child": actor.role == Role.YOUNG_PERSON,
            "refusal": refusal,
        },
    )


def _form(
    request: HttpRequest, actor, learner, review, initial=None, *, bound: bool = True
) -> ReviewFeedbackForm:
    respondent = (
        FeedbackRespondent.LEARNER if actor.role == Role.YOUNG_PERSON else FeedbackRespondent.PARENT
    )
    return ReviewFeedbackForm(
        posted(request) if bound else None,
        initial=initial,
        respondent=respondent,
        school=review_setting_name(review),
        name=learner.display_name,
    )


@login_required
def review_feedback_give_view(
    request: HttpRequest, learner_id: str, plan_id: str, review_id: int
) -> HttpResponse:
    actor, learner, plan, review = _review_for(
        request, learner_id, plan_id, review_id, "give feedback on a review"
    )
    own = review_feedback_own(actor=actor, review=review)
    initial = (
        {"feel_supported": own.feel_supported, "listened_to": own.listened_to}
        | {"comment": own.comment}
        if own is not None and not own.declined
        else None
    )
    form = _form(request, actor, learner, review, initial)
    if request.method == "POST" and form.is_valid():
        given = save_or_show_errors(
            form, lambda: review_feedback_give(actor=actor, review=review, given=form.given())
        )
        if given is not None:
            messages.success(
                request,
                _("Thank you. Your answers have been sent to the staff who work on the plan."),
            )
            return redirect(reverse("home"))
    return _render(request, actor, learner, plan, review, form)


@login_required
@require_POST
def review_feedback_decline_view(
    request: HttpRequest, learner_id: str, plan_id: str, review_id: int
) -> HttpResponse:
    actor, learner, plan, review = _review_for(
        request, learner_id, plan_id, review_id, "decline feedback on a review"
    )
    try:
        review_feedback_decline(actor=actor, review=review)
    except ValidationError as refusal:
        form = _form(request, actor, learner, review, bound=False)
        return _render(request, actor, learner, plan, review, form, refusal=refusal.messages)
    messages.success(request, _("That is fine. You will not be asked about this review again."))
    return redirect(reverse("home"))
