"""A learner's outcomes (the professional record), and the forms staff who record outcomes use
to add, change and remove each kind. Every page reaches the learner through
learners/access.get_learner_for; every write is a service."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import get_learner_for, learner_record_or_404
from stagewise.learners.models import Learner
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.measurement.forms import KIND_PAGES, KindPages
from stagewise.measurement.models.outcomes import OutcomeRecord
from stagewise.measurement.outcome_kinds import OUTCOME_KINDS
from stagewise.measurement.selectors import learner_outcomes_get
from stagewise.measurement.services.outcomes import (
    CHANGEABLE_FIELDS,
    WITH_LEARNER,
    attendance_record,
    curriculum_judgement_record,
    exclusion_record,
    leaver_destination_record,
    mainstream_time_record,
    outcome_change,
    outcome_remove,
    part_time_timetable_record,
    qualification_record,
)
from stagewise.policy import Capability

RECORD_SERVICES: dict[str, Callable[..., OutcomeRecord]] = {
    "attendance": attendance_record,
    "exclusion": exclusion_record,
    "part-time-timetable": part_time_timetable_record,
    "mainstream-time": mainstream_time_record,
    "curriculum-judgement": curriculum_judgement_record,
    "qualification": qualification_record,
    "leaver-destination": leaver_destination_record,
}


def _to_outcomes(learner: Learner) -> HttpResponse:
    return redirect("outcomes:list", learner_id=learner.public_id)


def _pages(kind: str) -> KindPages:
    if kind not in KIND_PAGES:
        raise Http404
    return KIND_PAGES[kind]


def _learner(request: HttpRequest, learner_id: str, purpose: str) -> tuple[Any, Learner]:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose, capability=Capability.RECORD_OUTCOMES)
    return actor, learner


def _record(actor: Any, learner: Learner, kind: str, record_id: str, purpose: str) -> OutcomeRecord:
    model = OUTCOME_KINDS[kind]
    return learner_record_or_404(
        actor=actor,
        records=model._default_manager.select_related(*WITH_LEARNER),
        learner=learner,
        purpose=purpose,
        object_type=kind,
        public_id=record_id,
    )


def _nation(learner: Learner) -> str:
    enrolment = learner_current_enrolment(learner)
    return enrolment.setting.authority.nation.code if enrolment else ""


def _form_page(
    request: HttpRequest, *, learner: Learner, form: Any, title: Any, write: Callable[[], object]
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and save_or_show_errors(form, write):
        messages.success(request, _("The outcomes are saved."))
        return _to_outcomes(learner)
    return render(
        request,
        "measurement/outcome_form.html",
        {"learner": learner, "form": form, "title": title},
    )


@login_required
def outcomes_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    outcomes = learner_outcomes_get(actor=request.actor, learner_id=learner_id)  # type: ignore[attr-defined]
    return render(
        request,
        "measurement/outcomes.html",
        {"learner": outcomes.learner, "outcomes": outcomes, "kinds": KIND_PAGES},
    )


@login_required
def outcome_add_view(request: HttpRequest, learner_id: str, kind: str) -> HttpResponse:
    pages = _pages(kind)
    actor, learner = _learner(request, learner_id, f"record {kind.replace('-', ' ')}")
    nation = _nation(learner)
    # A learner enrolled nowhere has no nation's choices; the service says why it refuses.
    form = pages.form(posted(request), nation=nation)
    return _form_page(
        request,
        learner=learner,
        form=form,
        title=pages.add_title,
        write=lambda: RECORD_SERVICES[kind](actor=actor, learner=learner, **form.cleaned_data),
    )


@login_required
def outcome_change_view(
    request: HttpRequest, learner_id: str, kind: str, record_id: str
) -> HttpResponse:
    pages = _pages(kind)
    purpose = f"change {kind.replace('-', ' ')}"
    actor, learner = _learner(request, learner_id, purpose)
    record = _record(actor, learner, kind, record_id, purpose)
    fields = CHANGEABLE_FIELDS[type(record)]
    form = pages.form(
        posted(request),
        nation=record.setting.authority.nation.code,
        school_year=record.school_year,
        initial={name: getattr(record, name) for name in fields},
    )
    return _form_page(
        request,
        learner=learner,
        form=form,
        title=pages.change_title,
        write=lambda: outcome_change(actor=actor, record=record, **form.cleaned_data),
    )


@login_required
def outcome_remove_view(
    request: HttpRequest, learner_id: str, kind: str, record_id: str
) -> HttpResponse:
    pages = _pages(kind)
    purpose = f"remove {kind.replace('-', ' ')}"
    actor, learner = _learner(request, learner_id, purpose)
    record = _record(actor, learner, kind, record_id, purpose)
    if request.method == "POST":
        outcome_remove(actor=actor, record=record)
        messages.success(request, _("The record is removed."))
        return _to_outcomes(learner)
    return render(
        request,
        "measurement/outcome_remove.html",
        {
            "learner": learner,
            "record": record,
            "noun": record._meta.verbose_name,
            "title": pages.remove_title,
        },
    )
