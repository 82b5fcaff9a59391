"""The family's own part in a planned transition (ADR 0020), at
/learners/<learner_id>/transitions/<transition_id>/your-part/: reached from the family home page,
through learners/access.get_learner_for with the plans part (a parent whose young person keeps
plans from them gets 404, as for the plans themselves)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.families.forms import TransitionFamilyPartForm
from stagewise.families.transition_part_selectors import transition_for_family_get
from stagewise.families.transition_part_services import (
    PURPOSE,
    transition_family_part_give,
    transition_passed_message,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import get_learner_for
from stagewise.learners.models import ParentPart
from stagewise.policy import Capability


@login_required
def transition_family_part_view(
    request: HttpRequest, learner_id: str, transition_id: str
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose=PURPOSE,
        capability=Capability.GIVE_TRANSITION_PART,
        part=ParentPart.PLANS,
    )
    page = transition_for_family_get(
        actor=actor, learner=learner, transition_id=transition_id, purpose=PURPOSE
    )
    initial = {"words": page.own_part.words} if page.own_part else None
    form = TransitionFamilyPartForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        given = save_or_show_errors(
            form,
            lambda: transition_family_part_give(
                actor=actor, transition=page.transition, words=form.cleaned_data["words"]
            ),
        )
        if given is not None:
            messages.success(
                request, _("Thank you. Your part has been saved, and the school can read it.")
            )
            return redirect("home")
    return render(
        request,
        "families/transition_part.html",
        {
            "learner": learner,
            "page": page,
            "form": form,
            "passed_message": transition_passed_message(page.transition) if page.has_passed else "",
        },
    )
