"""Pages for needs, stage decisions, wellbeing assessments and the chronology of one learner.

Every page reaches the learner through learners/access.py, and every record through its learner.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.accounts.actors import Actor
from stagewise.coordination.models import RecordPart
from stagewise.learners.access import get_learner_for, learner_record_or_404
from stagewise.learners.models import Learner, Need, WellbeingAssessment
from stagewise.learners.selectors import (
    chronology_kinds,
    chronology_list,
    stage_timeline,
    wellbeing_view_get,
)
from stagewise.learners.services import (
    chronology_record,
    learner_current_enrolment,
    need_record,
    need_resolve,
    stage_decide,
    wellbeing_assess,
)
from stagewise.learners.support_forms import (
    ChronologyEntryForm,
    ChronologyFilterForm,
    NeedForm,
    NeedResolveForm,
    StageDecisionForm,
    WellbeingAssessmentForm,
)
from stagewise.learners.wheel import wheel_segments
from stagewise.organisations.models import LocalAuthority
from stagewise.policy import Capability, may
from stagewise.statutory.decision_support_selectors import stage_decision_support_get

# The part of the record each page shows: a service sees it only if its consent covers it.
PART_OF_PURPOSE = {
    "record need": RecordPart.NEEDS,
    "resolve need": RecordPart.NEEDS,
    "view stage timeline": RecordPart.NEEDS,
    "decide stage": RecordPart.NEEDS,
    "record wellbeing": RecordPart.WELLBEING,
    "view wellbeing": RecordPart.WELLBEING,
    "view chronology": RecordPart.CHRONOLOGY,
    "record chronology entry": RecordPart.CHRONOLOGY,
}


def _learner_with_permission(
    request: HttpRequest, learner_id: str, purpose: str, capability: Capability
) -> tuple[Actor, Learner]:
    actor = request.actor  # type: ignore[attr-defined]
    return actor, get_learner_for(
        actor, learner_id, purpose=purpose, capability=capability, part=PART_OF_PURPOSE[purpose]
    )


def _authority(learner: Learner) -> LocalAuthority:
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise PermissionDenied
    return enrolment.setting.authority


def _save_or_show_errors(form: object, write: Callable[[], object]) -> bool:
    """Call the service; put any domain error on the form instead of failing."""
    try:
        write()
    except ValidationError as error:
        form.add_error(None, error)  # type: ignore[attr-defined]
        return False
    return True


@login_required
def need_add(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor, learner = _learner_with_permission(
        request, learner_id, "record need", Capability.RECORD_SUPPORT
    )
    form = NeedForm(request.POST or None, authority=_authority(learner))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save_or_show_errors(
            form,
            lambda: need_record(
                actor=actor,
                learner=learner,
                reason=data["reason"],
                identified_on=data["identified_on"],
                factor_groups=data["factor_groups"],
                evidence=data["evidence"],
                notes=data["notes"],
                disability=data["disability"],
            ),
        ):
            messages.success(request, _("The additional support need has been recorded."))
            return redirect("learners:profile", learner_id=learner.public_id)
    return render(request, "learners/need_form.html", {"learner": learner, "form": form})


@login_required
def need_resolve_view(request: HttpRequest, learner_id: str, need_id: int) -> HttpResponse:
    actor, learner = _learner_with_permission(
        request, learner_id, "resolve need", Capability.RECORD_SUPPORT
    )
    need = learner_record_or_404(
        actor=actor,
        records=Need.objects.select_related("reason"),
        learner=learner,
        purpose="resolve need",
        object_type="need",
        pk=need_id,
    )
    form = NeedResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resolved_on = form.cleaned_data["resolved_on"]
        if _save_or_show_errors(
            form, lambda: need_resolve(actor=actor, need=need, resolved_on=resolved_on)
        ):
            messages.success(request, _("The need has been recorded as resolved."))
            return redirect("learners:profile", learner_id=learner.public_id)
    return render(
        request, "learners/need_resolve.html", {"learner": learner, "need": need, "form": form}
    )


@login_required
def stage_timeline_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    _actor, learner = _learner_with_permission(
        request, learner_id, "view stage timeline", Capability.VIEW_PROFESSIONAL_RECORD
    )
    return render(
        request,
        "learners/stage_timeline.html",
        {
            "learner": learner,
            "decisions": stage_timeline(learner),
        },
    )


@login_required
def stage_decision_add(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor, learner = _learner_with_permission(
        request, learner_id, "decide stage", Capability.DECIDE_STAGE
    )
    form = StageDecisionForm(request.POST or None, authority=_authority(learner))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save_or_show_errors(
            form,
            lambda: stage_decide(
                actor=actor,
                learner=learner,
                stage=data["stage"],
                decided_on=data["decided_on"],
                rationale=data["rationale"],
                next_review_on=data["next_review_on"],
                departure_reason=data["departure_reason"],
                departure_kind=data["departure_kind"],
            ),
        ):
            messages.success(request, _("The stage decision has been recorded."))
            return redirect("learners:stage_timeline", learner_id=learner.public_id)
    return render(
        request,
        "learners/stage_decision_form.html",
        {"learner": learner, "form": form, "support": stage_decision_support_get(learner)},
    )


@login_required
def wellbeing_add(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor, learner = _learner_with_permission(
        request, learner_id, "record wellbeing", Capability.RECORD_SUPPORT
    )
    form = WellbeingAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created: list[WellbeingAssessment] = []
        if _save_or_show_errors(
            form,
            lambda: created.append(
                wellbeing_assess(
                    actor=actor,
                    learner=learner,
                    assessed_on=form.cleaned_data["assessed_on"],
                    summary=form.cleaned_data["summary"],
                    ratings=form.ratings(),
                )
            ),
        ):
            messages.success(request, _("The wellbeing assessment has been recorded."))
            return redirect(
                "learners:wellbeing", learner_id=learner.public_id, assessment_id=created[0].pk
            )
    return render(request, "learners/wellbeing_form.html", {"learner": learner, "form": form})


@login_required
def wellbeing_detail(request: HttpRequest, learner_id: str, assessment_id: int) -> HttpResponse:
    actor, learner = _learner_with_permission(
        request, learner_id, "view wellbeing", Capability.VIEW_PROFESSIONAL_RECORD
    )
    assessment = learner_record_or_404(
        actor=actor,
        records=WellbeingAssessment.objects.prefetch_related("ratings"),
        learner=learner,
        purpose="view wellbeing",
        object_type="wellbeing_assessment",
        pk=assessment_id,
    )
    view = wellbeing_view_get(assessment)
    segments = wheel_segments(
        [(row.indicator, row.label, row.level, row.level_label) for row in view.indicators]
    )
    return render(
        request,
        "learners/wellbeing_detail.html",
        {"learner": learner, "view": view, "segments": segments},
    )


@login_required
def chronology_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor, learner = _learner_with_permission(
        request, learner_id, "view chronology", Capability.VIEW_PROFESSIONAL_RECORD
    )
    kinds = chronology_kinds()
    form = ChronologyFilterForm(request.GET or None, kinds=kinds)
    filters: dict = {}
    if form.is_bound and form.is_valid():
        filters = {
            "kinds": set(form.cleaned_data["kind"]) or None,
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
    items = chronology_list(
        learner=learner, include_restricted=may(actor, Capability.RESTRICTED_CHRONOLOGY), **filters
    )
    template = (
        "learners/chronology_print.html" if request.GET.get("print") else "learners/chronology.html"
    )
    return render(
        request,
        template,
        {
            "learner": learner,
            "items": items,
            "form": form,
            "print_query": request.GET.urlencode(),
        },
    )


@login_required
def chronology_add(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor, learner = _learner_with_permission(
        request, learner_id, "record chronology entry", Capability.RECORD_SUPPORT
    )
    form = ChronologyEntryForm(request.POST or None)
    if not may(actor, Capability.RESTRICTED_CHRONOLOGY):
        # Nobody records what they would not be allowed to read back.
        del form.fields["restricted"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save_or_show_errors(
            form,
            lambda: chronology_record(
                actor=actor,
                learner=learner,
                entry_type=data["entry_type"],
                occurred_on=data["occurred_on"],
                summary=data["summary"],
                source=data["source"],
                restricted=data.get("restricted", False),
            ),
        ):
            messages.success(request, _("The chronology entry has been recorded."))
            return redirect("learners:chronology", learner_id=learner.public_id)
    return render(request, "learners/chronology_form.html", {"learner": learner, "form": form})
