"""Recording a learner's move to another school, the learner's moves, planned transitions, and
what the school a learner left may still read of what it wrote (ADR 0020)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.learners.access import (
    get_learner_for,
    records_written_here_for,
    visible_learners,
)
from stagewise.learners.forms import LearnerMoveForm, TransitionForm
from stagewise.learners.selectors.moves import (
    learner_move_list,
    moved_away_rows,
    transition_list,
    written_here_get,
)
from stagewise.learners.services import learner_current_enrolment
from stagewise.learners.services.moves import (
    learner_arrival_acknowledge,
    learner_move,
    transition_plan,
)
from stagewise.policy import Capability, may, require


@login_required
def learner_move_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose="record move", capability=Capability.MOVE_LEARNERS
    )
    current = learner_current_enrolment(learner)
    form = LearnerMoveForm(
        request.POST or None, initial={"year_group": current.year_group if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move = learner_move(
                actor=actor,
                learner=learner,
                to_setting=data["to_setting"],
                moved_on=data["moved_on"],
                year_group=data["year_group"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The move to %(school)s has been recorded and the family told.")
                % {"school": move.to_setting.display_name},
            )
            # A move dated today takes the learner out of the sending school's sight at once.
            if visible_learners(actor).filter(pk=learner.pk).exists():
                return redirect("learners:moves", learner_id=learner.public_id)
            return redirect("learners:list")
    return render(
        request,
        "learners/move_form.html",
        {"learner": learner, "form": form, "current_enrolment": current},
    )


@login_required
def learner_moves_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose="view moves", capability=Capability.VIEW_PROFESSIONAL_RECORD
    )
    # A leader of the school the learner moved to has now been shown the move, and the way to
    # the record and plans: the arrival leaves their school's work queue.
    membership = actor.membership
    if (
        membership is not None
        and membership.setting_id is not None
        and may(actor, Capability.MOVE_LEARNERS)
    ):
        learner_arrival_acknowledge(actor=actor, learner=learner)
    return render(
        request,
        "learners/moves.html",
        {"learner": learner, "moves": learner_move_list(learner)},
    )


@login_required
def transition_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view transitions",
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
    )
    return render(
        request,
        "learners/transitions.html",
        {"learner": learner, "transitions": transition_list(learner)},
    )


@login_required
def transition_add_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose="plan transition", capability=Capability.PLAN_TRANSITIONS
    )
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transition_plan(
                actor=actor,
                learner=learner,
                kind=data["kind"],
                planned_on=data["planned_on"],
                plan=data["plan"],
                family_part=data["family_part"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The transition has been planned."))
            return redirect("learners:transitions", learner_id=learner.public_id)
    return render(request, "learners/transition_form.html", {"learner": learner, "form": form})


# The school a learner left: what it wrote, for a while (the second door of learners/access.py) --


@login_required
def moved_away_list_view(request: HttpRequest) -> HttpResponse:
    """Learners who moved away from the actor's school within the period, by name only."""
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.READ_RECORDS_WRITTEN_HERE)
    rows = moved_away_rows(actor)
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="records_written_here",
        purpose="list learners who moved away",
        learners_shown=[row.learner_id for row in rows],
    )
    return render(
        request,
        "learners/moved_away_list.html",
        {"rows": rows, "access_days": settings.SENDING_SCHOOL_ACCESS_DAYS},
    )


@login_required
def moved_away_records_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    """What the actor's school wrote about a learner who has moved away: read only."""
    actor = request.actor  # type: ignore[attr-defined]
    moved_away = records_written_here_for(actor, learner_id, purpose="read records written here")
    return render(
        request,
        "learners/moved_away_records.html",
        {"written": written_here_get(actor=actor, moved_away=moved_away)},
    )
