"""What a young person's parents and carers see (ADR 0021): the young person's own page, and
the page on which the school's or authority's leaders record a decision the young person made
known to them. Both reach the learner through the one door."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import get_learner_for
from stagewise.learners.models import ParentSharingDecision
from stagewise.learners.selectors.sharing import parent_sharing_get
from stagewise.learners.services.sharing import parent_sharing_decide, parent_sharing_record
from stagewise.learners.sharing_forms import ParentSharingForm, RecordedParentSharingForm
from stagewise.policy import Capability


@login_required
def parent_sharing_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view what parents see",
        capability=Capability.DECIDE_PARENT_SHARING,
    )
    form = ParentSharingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decided = save_or_show_errors(
            form,
            lambda: parent_sharing_decide(
                actor=actor,
                learner=learner,
                sharing=form.cleaned_data["sharing"],
                parts=form.cleaned_data["parts"],
            ),
        )
        if isinstance(decided, ParentSharingDecision):
            messages.success(request, _("Your decision is saved. It applies straight away."))
            return redirect("learners:parent_sharing", learner_id=learner.public_id)
    return render(
        request,
        "learners/parent_sharing.html",
        {"learner": learner, "form": form, "sharing": parent_sharing_get(learner=learner)},
    )


@login_required
def parent_sharing_record_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="record what parents see",
        capability=Capability.RECORD_SHARING_DECISIONS,
    )
    form = RecordedParentSharingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = save_or_show_errors(
            form,
            lambda: parent_sharing_record(
                actor=actor,
                learner=learner,
                sharing=data["sharing"],
                parts=data["parts"],
                decided_on=data["decided_on"],
                given_by=data["given_by"],
            ),
        )
        if isinstance(recorded, ParentSharingDecision):
            messages.success(request, _("The young person's decision is recorded."))
            return redirect("learners:parent_sharing_record", learner_id=learner.public_id)
    return render(
        request,
        "learners/parent_sharing_record.html",
        {
            "learner": learner,
            "form": form,
            "sharing": parent_sharing_get(learner=learner, with_history=True),
        },
    )
