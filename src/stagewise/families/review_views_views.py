"""Views before a review's pages, under /learners/<learner_id>/plans/<plan_id>/views-before-review/:
who was asked and what they said (staff), or what you were asked and what you wrote (family); the
family's form, in three versions; staff asking now; staff recording views given on paper or by
telephone. Every page reaches the plan through planning's plan_for, so through
learners/access.get_learner_for."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.families.review_views_forms import (
    RecordedReviewViewsForm,
    ReviewViewsForm,
    question_labels,
)
from stagewise.families.review_views_models import ViewsFormVersion
from stagewise.families.review_views_selectors import review_views_page
from stagewise.families.review_views_services import (
    Speaker,
    review_views_give,
    review_views_invite,
    review_views_record,
)
from stagewise.families.selectors import carers_who_may_ask
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.models import Learner
from stagewise.planning.models import Plan, ViewKind
from stagewise.planning.views import plan_for
from stagewise.policy import Audience, Capability, policy_for


def _is_family(request: HttpRequest) -> bool:
    return policy_for(request.actor).audience == Audience.FAMILY  # type: ignore[attr-defined]


def _to_page(learner: Learner, plan: Plan) -> HttpResponse:
    return redirect(reverse("review_views:detail", args=[learner.public_id, plan.public_id]))


def _detail_page(
    request: HttpRequest, actor: Any, learner: Learner, plan: Plan, refusal: list[str] | None = None
) -> HttpResponse:
    family = _is_family(request)
    page = review_views_page(actor=actor, plan=plan, family=family)
    return render(
        request,
        "families/review_views/detail.html",
        {"learner": learner, "plan": plan, "page": page, "family": family, "refusal": refusal},
    )


@login_required
def review_views_detail_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    capability = Capability.GIVE_REVIEW_VIEWS if _is_family(request) else Capability.EDIT_PLANS
    actor, learner, plan = plan_for(
        request, learner_id, plan_id, "view views before a review", capability
    )
    return _detail_page(request, actor, learner, plan)


@login_required
@require_POST
def review_views_invite_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    """Ask the family now; asked already, remind those who have not answered."""
    actor, learner, plan = plan_for(
        request, learner_id, plan_id, "invite views before a review", Capability.EDIT_PLANS
    )
    try:
        invitation = review_views_invite(actor=actor, plan=plan)
    except ValidationError as refusal:
        return _detail_page(request, actor, learner, plan, refusal=refusal.messages)
    if invitation.reminded_on is None:
        messages.success(
            request, _("The family have been asked for their views before the review.")
        )
    else:
        messages.success(request, _("Those who have not answered yet have been reminded."))
    return _to_page(learner, plan)


def _version(request: HttpRequest, invitee_kind: str | None) -> str:
    if request.GET.get("easy_read") == "1":
        return ViewsFormVersion.EASY_READ
    if invitee_kind == ViewKind.LEARNER:
        return ViewsFormVersion.CHILD
    return ViewsFormVersion.PARENT


@login_required
def review_views_give_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = plan_for(
        request, learner_id, plan_id, "give views before a review", Capability.GIVE_REVIEW_VIEWS
    )
    page = review_views_page(actor=actor, plan=plan, family=True)
    own = page.own_invitee
    version = _version(request, own.kind if own else None)
    form = ReviewViewsForm(posted(request), version=version)
    if request.method == "POST" and form.is_valid():
        given = save_or_show_errors(
            form,
            lambda: review_views_give(
                actor=actor,
                plan=plan,
                answers=form.answers(),
                version=version,
                labels=question_labels(version),
            ),
        )
        if given is not None:
            messages.success(
                request,
                _("Thank you. Your views have been sent and will be read at the review."),
            )
            return _to_page(learner, plan)
    return render(
        request,
        "families/review_views/give.html",
        {
            "learner": learner,
            "plan": plan,
            "page": page,
            "form": form,
            "version": version,
            "easy_read": version == ViewsFormVersion.EASY_READ,
            "for_child": own is not None and own.kind == ViewKind.LEARNER,
        },
    )


@login_required
def review_views_record_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = plan_for(
        request, learner_id, plan_id, "record views before a review", Capability.EDIT_PLANS
    )
    form = RecordedReviewViewsForm(
        posted(request),
        carer_links=carers_who_may_ask(learner),
        learner_name=learner.display_name,
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        recorded = save_or_show_errors(
            form,
            lambda: review_views_record(
                actor=actor,
                plan=plan,
                speaker=Speaker(carer_link=form.carer_link()),
                channel=data["channel"],
                gathered_on=data["gathered_on"],
                answers=form.answers(),
                labels=question_labels(ViewsFormVersion.RECORDED_BY_STAFF),
            ),
        )
        if recorded is not None:
            messages.success(request, _("The views are recorded, in their words."))
            return _to_page(learner, plan)
    return render(
        request,
        "families/review_views/record.html",
        {"learner": learner, "plan": plan, "form": form},
    )
