"""A learner's disagreements (the family's own page and the staff's), recording one, moving it
to its next route and recording its outcome; and the authority's open disagreements by route and
age. Every learner page reaches the learner through learners/access.get_learner_for."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.disagreements.forms import (
    DisagreementCloseForm,
    DisagreementForm,
    DisagreementMoveForm,
    DisagreementRouteTakenForm,
)
from stagewise.disagreements.models import Disagreement
from stagewise.disagreements.routes import routes_after, subjects_for
from stagewise.disagreements.selectors import (
    advice_for_learner,
    disagreement_view,
    learner_disagreement_get,
    learner_disagreement_list,
    open_disagreement_list,
)
from stagewise.disagreements.services import (
    disagreement_close,
    disagreement_move,
    disagreement_record,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.keyset import query_without_cursor
from stagewise.learners.access import get_learner_for
from stagewise.learners.models import Learner, ParentPart
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.policy import Audience, Capability, policy_for, require


def _to_list(learner: Learner) -> HttpResponse:
    return redirect("disagreements:list", learner_id=learner.public_id)


@login_required
def disagreement_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view disagreements",
        capability=Capability.RECORD_DISAGREEMENTS,
        part=ParentPart.REQUESTS,
    )
    return render(
        request,
        "disagreements/disagreement_list.html",
        {
            "learner": learner,
            "disagreements": learner_disagreement_list(actor=actor, learner=learner),
            "advice": advice_for_learner(learner),
        },
    )


@login_required
def disagreement_new_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="record disagreement",
        capability=Capability.RECORD_DISAGREEMENTS,
        part=ParentPart.REQUESTS,
    )
    enrolment = learner_current_enrolment(learner)
    nation = enrolment.setting.authority.nation.code if enrolment else ""
    for_staff = policy_for(actor).audience == Audience.STAFF
    form = DisagreementForm(posted(request), subjects=subjects_for(nation), for_staff=for_staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = save_or_show_errors(
            form,
            lambda: disagreement_record(
                actor=actor,
                learner=learner,
                subject=data["subject"],
                about=data["about"],
                family_wants=data["family_wants"],
                opened_on=data["opened_on"],
                raised_for=data.get("raised_for", ""),
                staff_notes=data.get("staff_notes", ""),
            ),
        )
        if isinstance(recorded, Disagreement):
            messages.success(request, _("The disagreement is recorded."))
            return _to_list(learner)
    return render(
        request,
        "disagreements/disagreement_form.html",
        {
            "learner": learner,
            "form": form,
            "title": _("Record a disagreement"),
            "submit": _("Record the disagreement"),
        },
    )


def _action(
    request: HttpRequest,
    learner_id: str,
    disagreement_id: str,
    purpose: str,
    capability: Capability = Capability.MANAGE_DISAGREEMENTS,
) -> tuple[Any, Learner, Disagreement]:
    actor = request.actor  # type: ignore[attr-defined]
    # A parent whose young person keeps requests and disagreements from them is refused here as
    # on the list (ADR 0021): the family's own route page comes through this door too.
    learner = get_learner_for(
        actor, learner_id, purpose=purpose, capability=capability, part=ParentPart.REQUESTS
    )
    found = learner_disagreement_get(
        actor=actor, learner=learner, disagreement_id=disagreement_id, purpose=purpose
    )
    return actor, learner, found


def _action_page(
    request: HttpRequest,
    *,
    actor: Any,
    learner: Learner,
    found: Disagreement,
    form: Any,
    write: Any,
    title: str,
    submit: str,
    success: str,
) -> HttpResponse:
    if not found.is_open:
        messages.error(request, _("This disagreement is closed: it cannot change."))
        return _to_list(learner)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(form, lambda: write(form.cleaned_data)) is not None
    ):
        messages.success(request, success)
        return _to_list(learner)
    return render(
        request,
        "disagreements/disagreement_action.html",
        {
            "learner": learner,
            "disagreement": disagreement_view(actor=actor, disagreement=found),
            "form": form,
            "title": title,
            "submit": submit,
        },
    )


def _move_page(
    request: HttpRequest,
    learner_id: str,
    disagreement_id: str,
    *,
    capability: Capability,
    form_class: type[DisagreementMoveForm],
    title: str,
    submit: str,
    success: str,
) -> HttpResponse:
    """Staff move a disagreement to a later route, or a family records they have taken one:
    the same service, each with their own form and capability."""
    actor, learner, found = _action(
        request, learner_id, disagreement_id, "move disagreement", capability=capability
    )
    routes = routes_after(found.current_route, found.subject)
    if found.is_open and not routes:
        messages.error(request, _("No later route is open for this disagreement."))
        return _to_list(learner)
    return _action_page(
        request,
        actor=actor,
        learner=learner,
        found=found,
        form=form_class(posted(request), routes=routes),
        write=lambda data: disagreement_move(
            actor=actor,
            disagreement=found,
            route_key=data["route"],
            moved_on=data["moved_on"],
            step_outcome=data["step_outcome"],
            # The family's form has no staff note.
            staff_note=data.get("staff_note", ""),
        ),
        title=title,
        submit=submit,
        success=success,
    )


@login_required
def disagreement_move_view(
    request: HttpRequest, learner_id: str, disagreement_id: str
) -> HttpResponse:
    return _move_page(
        request,
        learner_id,
        disagreement_id,
        capability=Capability.MANAGE_DISAGREEMENTS,
        form_class=DisagreementMoveForm,
        title=_("Move to the next route"),
        submit=_("Move the disagreement"),
        success=_("The disagreement has moved to its next route."),
    )


@login_required
def disagreement_route_taken_view(
    request: HttpRequest, learner_id: str, disagreement_id: str
) -> HttpResponse:
    """The family records that they have taken a later route themselves, with the date they
    asked for it: the disagreement moves there as it does when staff record it."""
    return _move_page(
        request,
        learner_id,
        disagreement_id,
        capability=Capability.TAKE_DISAGREEMENT_ROUTES,
        form_class=DisagreementRouteTakenForm,
        title=_("Tell us you have taken the next route"),
        submit=_("Record the route taken"),
        success=_("Recorded: your disagreement is now with its new route."),
    )


@login_required
def disagreement_close_view(
    request: HttpRequest, learner_id: str, disagreement_id: str
) -> HttpResponse:
    actor, learner, found = _action(request, learner_id, disagreement_id, "close disagreement")
    return _action_page(
        request,
        actor=actor,
        learner=learner,
        found=found,
        form=DisagreementCloseForm(posted(request)),
        write=lambda data: disagreement_close(
            actor=actor,
            disagreement=found,
            closed_on=data["closed_on"],
            outcome=data["outcome"],
            staff_note=data["staff_note"],
        ),
        title=_("Record the outcome"),
        submit=_("Record the outcome and close"),
        success=_("The outcome is recorded and the disagreement is closed."),
    )


@login_required
def open_disagreements_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.OVERSEE_DISAGREEMENTS)
    return render(
        request,
        "disagreements/open_disagreements.html",
        {
            "open": open_disagreement_list(actor=actor, cursor=request.GET.get("cursor")),
            "query_without_page": query_without_cursor(request.GET),
        },
    )
