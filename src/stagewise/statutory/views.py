"""Pages for a learner's statutory timescales: the list, starting a clock, one clock with its
history, and pausing, resuming, extending and closing it. Every page reaches the learner through
learners/access.py and every clock through its learner."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import get_learner_for
from stagewise.learners.models import Learner
from stagewise.policy import Capability
from stagewise.statutory.forms import (
    ProcessCloseForm,
    ProcessExtendForm,
    ProcessPauseForm,
    ProcessResumeForm,
    ProcessStartForm,
)
from stagewise.statutory.process_selectors import (
    ProcessDetail,
    agencies_for_start,
    process_get,
    process_list,
    startable_rules,
)
from stagewise.statutory.services import (
    ceiling_message,
    process_close,
    process_extend,
    process_pause,
    process_resume,
    process_start,
)


def _to_process(learner: Learner, process_id: object) -> HttpResponse:
    return redirect("statutory:process_detail", learner_id=learner.public_id, process_id=process_id)


@login_required
def process_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view statutory timescales",
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
    )
    return render(
        request,
        "statutory/process_list.html",
        {"learner": learner, "processes": process_list(actor=actor, learner=learner)},
    )


@login_required
def process_start_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="start statutory process",
        capability=Capability.RUN_STATUTORY_CLOCKS,
    )
    rules = startable_rules(learner)
    form = ProcessStartForm(posted(request), rules=rules, agencies=agencies_for_start(learner))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        process = save_or_show_errors(
            form,
            lambda: process_start(
                actor=actor,
                learner=learner,
                rule_key=data["rule_key"],
                started_on=data["started_on"],
                reason=data["reason"],
                agency=data.get("agency"),
            ),
        )
        if process is not None:
            messages.success(request, _("The clock has started."))
            return _to_process(learner, process.public_id)  # type: ignore[attr-defined]
    return render(
        request,
        "statutory/process_start.html",
        {"learner": learner, "form": form, "rules": rules},
    )


def _clock_for(
    request: HttpRequest, learner_id: str, process_id: str, purpose: str, capability: Capability
) -> tuple[Any, Learner, ProcessDetail]:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose=purpose, capability=capability)
    detail = process_get(actor=actor, learner=learner, process_id=process_id, purpose=purpose)
    return actor, learner, detail


@login_required
def process_detail_view(request: HttpRequest, learner_id: str, process_id: str) -> HttpResponse:
    _actor, learner, detail = _clock_for(
        request,
        learner_id,
        process_id,
        "view statutory process",
        Capability.VIEW_PROFESSIONAL_RECORD,
    )
    return render(request, "statutory/process_detail.html", {"learner": learner, "detail": detail})


def _action(
    request: HttpRequest,
    *,
    learner: Learner,
    detail: ProcessDetail,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    success: str,
    title: str,
    submit: str,
) -> HttpResponse:
    """An action on one clock: show its form; on a valid post call the service and go back to
    the clock; on refusal show the form again with the service's reason."""
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(form, lambda: write(form.cleaned_data)) is not None
    ):
        messages.success(request, success)
        return _to_process(learner, detail.row.public_id)
    return render(
        request,
        "statutory/process_action.html",
        {"learner": learner, "detail": detail, "form": form, "title": title, "submit": submit},
    )


@login_required
def process_pause_view(request: HttpRequest, learner_id: str, process_id: str) -> HttpResponse:
    actor, learner, detail = _clock_for(
        request, learner_id, process_id, "pause statutory process", Capability.RUN_STATUTORY_CLOCKS
    )
    return _action(
        request,
        learner=learner,
        detail=detail,
        form=ProcessPauseForm(posted(request), initial={"paused_on": timezone.localdate()}),
        write=lambda data: process_pause(
            actor=actor, process=detail.process, paused_on=data["paused_on"], reason=data["reason"]
        ),
        success=_("The clock is paused."),
        title=_("Pause the clock"),
        submit=_("Pause the clock"),
    )


@login_required
def process_resume_view(request: HttpRequest, learner_id: str, process_id: str) -> HttpResponse:
    actor, learner, detail = _clock_for(
        request, learner_id, process_id, "resume statutory process", Capability.RUN_STATUTORY_CLOCKS
    )
    return _action(
        request,
        learner=learner,
        detail=detail,
        form=ProcessResumeForm(posted(request), initial={"resumed_on": timezone.localdate()}),
        write=lambda data: process_resume(
            actor=actor,
            process=detail.process,
            resumed_on=data["resumed_on"],
            reason=data["reason"],
        ),
        success=_("The clock has started again."),
        title=_("Start the clock again"),
        submit=_("Start the clock again"),
    )


@login_required
def process_extend_view(request: HttpRequest, learner_id: str, process_id: str) -> HttpResponse:
    actor, learner, detail = _clock_for(
        request, learner_id, process_id, "extend statutory process", Capability.RUN_STATUTORY_CLOCKS
    )
    ceiling = ceiling_message(detail.process) if detail.ceiling_on is not None else ""
    return _action(
        request,
        learner=learner,
        detail=detail,
        form=ProcessExtendForm(posted(request), ceiling_hint=ceiling),
        write=lambda data: process_extend(
            actor=actor,
            process=detail.process,
            new_due_on=data["new_due_on"],
            reason=data["reason"],
        ),
        success=_("The new date has been set."),
        title=_("Set a later date"),
        submit=_("Set the new date"),
    )


@login_required
def process_close_view(request: HttpRequest, learner_id: str, process_id: str) -> HttpResponse:
    actor, learner, detail = _clock_for(
        request, learner_id, process_id, "close statutory process", Capability.RUN_STATUTORY_CLOCKS
    )
    return _action(
        request,
        learner=learner,
        detail=detail,
        form=ProcessCloseForm(posted(request), initial={"closed_on": timezone.localdate()}),
        write=lambda data: process_close(
            actor=actor,
            process=detail.process,
            closed_on=data["closed_on"],
            outcome=data["outcome"],
            note=data["note"],
        ),
        success=_("The process is closed."),
        title=_("Close the process"),
        submit=_("Close the process"),
    )
