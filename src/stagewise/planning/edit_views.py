"""Plan pages that write: opening a plan, writing its content, and moving it through the cycle.

Each view parses a form and calls one service; a refused write comes back as a message on the
form, and a colleague's newer save comes back as both versions side by side.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.accounts.models import User
from stagewise.learners.access import get_learner_for, may_decide_stage
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.organisations.models import Agency, Membership
from stagewise.planning.forms import (
    CloseForm,
    FinaliseForm,
    PlanCreateForm,
    PlanDetailsForm,
    ProvisionForm,
    ResponseForm,
    ReviewForm,
    SectionTextForm,
    ShareForm,
    StaffNotesForm,
    SupportInPlaceForm,
    TargetForm,
    ViewForm,
)
from stagewise.planning.models import (
    Plan,
    PlanSection,
    PlanView,
    ReviewDecision,
    SectionKind,
    SupportProvision,
    Target,
)
from stagewise.planning.selectors import (
    may_edit_plans,
    may_respond_to_plans,
    may_sign_off,
    plan_types_for,
)
from stagewise.planning.services import (
    PlanEditConflict,
    TargetProgressEntry,
    content_fingerprint,
    plan_close,
    plan_communication_record,
    plan_create,
    plan_details_current,
    plan_details_update,
    plan_finalise,
    plan_response_record,
    plan_review_begin,
    plan_review_record,
    plan_revise,
    plan_section_update,
    plan_staff_notes_update,
    plan_support_in_place,
    provision_add,
    provision_remove,
    section_text_current,
    sign_off_roles_text,
    target_add,
    target_current,
    target_remove,
    target_update,
    view_add,
    view_remove,
)
from stagewise.planning.views import plan_for


def _editor_plan(request: HttpRequest, learner_id: str, plan_id: str, purpose: str) -> tuple:
    actor, learner, plan = plan_for(request, learner_id, plan_id, purpose)
    if not may_edit_plans(actor):
        raise PermissionDenied
    return actor, learner, plan


def _to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    response = redirect(
        "planning:detail", learner_id=plan.learner.public_id, plan_id=plan.public_id
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _save(form: Any, write: Callable[[], object]) -> tuple[bool, PlanEditConflict | None]:
    """Calls the service; a refusal becomes form errors, a conflict is handed back to show."""
    try:
        write()
    except PlanEditConflict as conflict:
        form.add_error(None, conflict.messages[0])
        return False, conflict
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False, None
    return True, None


def _form_page(
    request: HttpRequest,
    *,
    learner: Learner,
    plan: Plan | None,
    form: Any,
    title: str,
    submit: str,
    intro: str = "",
    conflict_rows: list[tuple[str, str, str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "planning/form_page.html",
        {
            "learner": learner,
            "plan": plan,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "conflict_rows": conflict_rows,
            **extra,
        },
    )


def _conflict_rows(
    form: Any, saved: dict[str, Any], fields: list[str]
) -> list[tuple[str, str, str]]:
    rows = []
    for name in fields:
        bound = form[name] if name in form.fields else None
        label = str(bound.label) if bound is not None else name
        yours = form.cleaned_data.get(name, "") if hasattr(form, "cleaned_data") else ""
        rows.append(
            (
                label,
                "" if yours is None else str(yours),
                "" if saved.get(name) is None else str(saved[name]),
            )
        )
    return rows


def _rebase(form: Any, saved: dict[str, Any]) -> None:
    """After a conflict the form keeps the editor's words but is now based on the saved version,
    so saving again is a deliberate choice made with both versions in view."""
    data = form.data.copy()
    data["based_on"] = content_fingerprint(saved)
    form.data = data


@login_required
def plan_create_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose="open plan")
    if not may_edit_plans(actor):
        raise PermissionDenied
    form = PlanCreateForm(request.POST or None, plan_types=plan_types_for(learner))
    if request.method == "POST" and form.is_valid():
        created: list[Plan] = []
        data = form.cleaned_data
        saved, _conflict = _save(
            form,
            lambda: created.append(
                plan_create(
                    actor=actor,
                    learner=learner,
                    plan_type=data["plan_type"],
                    starts_on=data["starts_on"],
                    multi_agency=data.get("multi_agency", False),
                )
            ),
        )
        if saved:
            messages.success(request, _("The plan has been started as a draft."))
            return _to_plan(created[0])
    return _form_page(
        request,
        learner=learner,
        plan=None,
        form=form,
        title=_("Start a plan"),
        submit=_("Start plan"),
        intro=_(
            "The plan starts as a draft. Nothing is shared with the family until it is finalised."
        ),
    )


@login_required
def plan_details_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "change plan dates")
    has_lead = plan.plan_type.has_lead_professional
    current = plan_details_current(plan)
    form = PlanDetailsForm(
        request.POST or None,
        has_lead_professional=has_lead,
        initial={
            "starts_on": plan.starts_on,
            "next_review_on": plan.next_review_on,
            "multi_agency": plan.multi_agency,
            "lead_professional": plan.lead_professional,
            "based_on": content_fingerprint(current),
        },
    )
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, conflict = _save(
            form,
            lambda: plan_details_update(
                actor=actor,
                plan=plan,
                starts_on=data["starts_on"],
                next_review_on=data["next_review_on"],
                multi_agency=data.get("multi_agency", plan.multi_agency),
                lead_professional=data.get("lead_professional", plan.lead_professional),
                based_on=data["based_on"],
            ),
        )
        if saved:
            messages.success(request, _("The plan's dates have been saved."))
            return _to_plan(plan, "review_timetable")
        if conflict:
            conflict_rows = _conflict_rows(
                form, conflict.saved, [f for f in form.fields if f != "based_on"]
            )
            _rebase(form, conflict.saved)
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Dates and lead professional") if has_lead else _("Plan dates"),
        submit=_("Save"),
        conflict_rows=conflict_rows,
    )


@login_required
def section_edit_view(
    request: HttpRequest, learner_id: str, plan_id: str, section_key: str
) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "write plan section")
    section = get_object_or_404(
        PlanSection, plan_type=plan.plan_type, key=section_key, kind=SectionKind.TEXT
    )
    current = section_text_current(plan, section)
    form = SectionTextForm(
        request.POST or None,
        label=section.display_title,
        initial={"text": current["text"], "based_on": content_fingerprint(current)},
    )
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, conflict = _save(
            form,
            lambda: plan_section_update(
                actor=actor,
                plan=plan,
                section=section,
                text=data["text"],
                based_on=data["based_on"],
            ),
        )
        if saved:
            messages.success(
                request, _("“%(section)s” has been saved.") % {"section": section.display_title}
            )
            return _to_plan(plan, f"section-{section.key}")
        if conflict:
            conflict_rows = _conflict_rows(form, conflict.saved, ["text"])
            _rebase(form, conflict.saved)
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=section.display_title,
        submit=_("Save"),
        conflict_rows=conflict_rows,
        label_is_heading=True,
    )


@login_required
def target_add_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "add target")
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, _conflict = _save(
            form,
            lambda: target_add(
                actor=actor,
                plan=plan,
                outcome=data["outcome"],
                measure=data["measure"],
                baseline=data["baseline"],
                success_criteria=data["success_criteria"],
                achieve_by=data["achieve_by"],
            ),
        )
        if saved:
            messages.success(request, _("The target has been added."))
            return _to_plan(plan, "section-targets")
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Add a target"),
        submit=_("Add target"),
    )


def _plan_target(plan: Plan, target_id: int) -> Target:
    return get_object_or_404(Target, pk=target_id, plan=plan)


@login_required
def target_edit_view(
    request: HttpRequest, learner_id: str, plan_id: str, target_id: int
) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "change target")
    target = _plan_target(plan, target_id)
    current = target_current(target)
    form = TargetForm(
        request.POST or None,
        initial={
            **current,
            "achieve_by": target.achieve_by,
            "based_on": content_fingerprint(current),
        },
    )
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, conflict = _save(
            form,
            lambda: target_update(
                actor=actor,
                target=target,
                outcome=data["outcome"],
                measure=data["measure"],
                baseline=data["baseline"],
                success_criteria=data["success_criteria"],
                achieve_by=data["achieve_by"],
                based_on=data["based_on"],
            ),
        )
        if saved:
            messages.success(request, _("The target has been saved."))
            return _to_plan(plan, "section-targets")
        if conflict:
            conflict_rows = _conflict_rows(
                form,
                conflict.saved,
                ["outcome", "measure", "baseline", "success_criteria", "achieve_by"],
            )
            _rebase(form, conflict.saved)
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Change a target"),
        submit=_("Save"),
        conflict_rows=conflict_rows,
    )


@login_required
def target_remove_view(
    request: HttpRequest, learner_id: str, plan_id: str, target_id: int
) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "remove target")
    target = _plan_target(plan, target_id)
    form = TargetForm(initial={"based_on": content_fingerprint(target_current(target))})
    if request.method == "POST":
        form = TargetForm({**target_current(target), "based_on": request.POST.get("based_on", "")})
        form.is_valid()
        saved, _conflict = _save(
            form,
            lambda: target_remove(
                actor=actor, target=target, based_on=request.POST.get("based_on", "")
            ),
        )
        if saved:
            messages.success(request, _("The target and its support have been removed."))
            return _to_plan(plan, "section-targets")
    return render(
        request,
        "planning/target_remove.html",
        {"learner": learner, "plan": plan, "target": target, "form": form},
    )


def _provision_choices(learner: Learner) -> tuple[Any, Any]:
    """Staff at the learner's school, and agencies in the learner's authority."""
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return User.objects.none(), Agency.objects.none()
    staff_ids = Membership.objects.current().filter(setting=enrolment.setting).values("user_id")
    staff = User.objects.filter(pk__in=staff_ids).order_by("full_name")
    agencies = Agency.objects.filter(authority=enrolment.setting.authority).order_by("name")
    return staff, agencies


@login_required
def provision_add_view(
    request: HttpRequest, learner_id: str, plan_id: str, target_id: int
) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "add support provision")
    target = _plan_target(plan, target_id)
    staff, agencies = _provision_choices(learner)
    form = ProvisionForm(
        request.POST or None,
        staff=staff,
        agencies=agencies,
        in_wales=plan.authority.nation.code == "wales",
        initial={"starts_on": plan.starts_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, _conflict = _save(
            form,
            lambda: provision_add(
                actor=actor,
                target=target,
                description=data["description"],
                frequency=data["frequency"],
                starts_on=data["starts_on"],
                provider_staff=data["provider_staff"],
                provider_agency=data["provider_agency"],
                provider_name=data["provider_name"],
                minutes_per_week=data["minutes_per_week"],
                location=data["location"],
                ends_on=data["ends_on"],
                delivered_in_welsh=data.get("delivered_in_welsh"),
                rationale=data["rationale"],
            ),
        )
        if saved:
            messages.success(request, _("The support has been added."))
            return _to_plan(plan, "section-targets")
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Add support for this target"),
        submit=_("Add support"),
        intro=target.outcome,
    )


@login_required
@require_POST
def provision_remove_view(
    request: HttpRequest, learner_id: str, plan_id: str, provision_id: int
) -> HttpResponse:
    actor, _learner, plan = _editor_plan(request, learner_id, plan_id, "remove support provision")
    provision = get_object_or_404(SupportProvision, pk=provision_id, target__plan=plan)
    try:
        provision_remove(actor=actor, provision=provision)
        messages.success(request, _("The support has been removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_plan(plan, "section-targets")


@login_required
def view_add_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "record views")
    kind = request.GET.get("kind")
    form = ViewForm(
        request.POST or None, initial={"kind": kind, "gathered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, _conflict = _save(
            form,
            lambda: view_add(
                actor=actor,
                plan=plan,
                kind=data["kind"],
                speaker=data["speaker"],
                words=data["words"],
                gathered_on=data["gathered_on"],
                how_gathered=data["how_gathered"],
            ),
        )
        if saved:
            messages.success(request, _("The views have been recorded."))
            return _to_plan(plan, f"section-{data['kind']}_views")
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Record views"),
        submit=_("Record views"),
    )


@login_required
@require_POST
def view_remove_view(
    request: HttpRequest, learner_id: str, plan_id: str, view_id: int
) -> HttpResponse:
    actor, _learner, plan = _editor_plan(request, learner_id, plan_id, "remove views")
    view = get_object_or_404(PlanView, pk=view_id, plan=plan)
    try:
        view_remove(actor=actor, view=view)
        messages.success(request, _("The views have been removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_plan(plan)


@login_required
def staff_notes_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(
        request, learner_id, plan_id, "change staff-only plan notes"
    )
    current = {"staff_notes": plan.staff_notes}
    form = StaffNotesForm(
        request.POST or None, initial={**current, "based_on": content_fingerprint(current)}
    )
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, conflict = _save(
            form,
            lambda: plan_staff_notes_update(
                actor=actor, plan=plan, staff_notes=data["staff_notes"], based_on=data["based_on"]
            ),
        )
        if saved:
            messages.success(request, _("The staff-only notes have been saved."))
            return _to_plan(plan, "staff-notes")
        if conflict:
            conflict_rows = _conflict_rows(form, conflict.saved, ["staff_notes"])
            _rebase(form, conflict.saved)
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Staff-only notes"),
        submit=_("Save"),
        conflict_rows=conflict_rows,
        label_is_heading=True,
    )


@login_required
def finalise_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "finalise plan")
    form = FinaliseForm(request.POST or None, initial={"based_on_revision": plan.edit_revision})
    if request.method == "POST" and form.is_valid():
        saved, _conflict = _save(
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
            return _to_plan(plan)
    return render(
        request,
        "planning/finalise.html",
        {
            "learner": learner,
            "plan": plan,
            "form": form,
            "may_sign_off": may_sign_off(actor, plan.plan_type),
            "sign_off_roles": sign_off_roles_text(plan.plan_type),
        },
    )


@login_required
def support_in_place_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "record support in place")
    form = SupportInPlaceForm(request.POST or None, initial={"in_place_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved, _conflict = _save(
            form,
            lambda: plan_support_in_place(
                actor=actor, plan=plan, in_place_on=form.cleaned_data["in_place_on"]
            ),
        )
        if saved:
            messages.success(request, _("The plan is now active."))
            return _to_plan(plan)
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Record that the support is in place"),
        submit=_("Save"),
    )


@login_required
@require_POST
def revise_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, _learner, plan = _editor_plan(request, learner_id, plan_id, "revise plan")
    try:
        revised = plan_revise(actor=actor, plan=plan)
        messages.success(
            request,
            _(
                "Version %(number)s is now being written. Version %(previous)s stays as it"
                " was signed off."
            )
            % {"number": revised.version_number, "previous": revised.version_number - 1},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_plan(plan)


@login_required
def close_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "close plan")
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, _conflict = _save(
            form,
            lambda: plan_close(
                actor=actor, plan=plan, closed_on=data["closed_on"], reason=data["reason"]
            ),
        )
        if saved:
            messages.success(request, _("The plan has been closed."))
            return _to_plan(plan)
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Close the plan"),
        submit=_("Close plan"),
    )


@login_required
def share_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "record plan shared")
    form = ShareForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, _conflict = _save(
            form,
            lambda: plan_communication_record(
                actor=actor,
                plan=plan,
                recipient=data["recipient"],
                recipient_kind=data["recipient_kind"],
                sent_on=data["sent_on"],
                format=data["format"],
                language=data["language"],
            ),
        )
        if saved:
            messages.success(request, _("Who received the plan has been recorded."))
            return _to_plan(plan, "communication")
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Record who received the plan"),
        submit=_("Record"),
        intro=_(
            "Choosing “Shared in Stagewise” for a parent or young person lets them read the"
            " plan and respond here."
        ),
    )


@login_required
def respond_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = plan_for(request, learner_id, plan_id, "respond to plan")
    if not may_respond_to_plans(actor):
        raise PermissionDenied
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, _conflict = _save(
            form,
            lambda: plan_response_record(
                actor=actor, plan=plan, response=data["response"], words=data["words"]
            ),
        )
        if saved:
            messages.success(request, _("Thank you. Your response has been sent to the school."))
            return _to_plan(plan)
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Respond to the plan"),
        submit=_("Send response"),
    )


@login_required
@require_POST
def review_begin_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, _learner, plan = _editor_plan(request, learner_id, plan_id, "begin plan review")
    try:
        plan_review_begin(actor=actor, plan=plan)
        messages.success(request, _("The plan is now under review."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_plan(plan)


@login_required
def review_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = _editor_plan(request, learner_id, plan_id, "record plan review")
    targets = list(plan.targets.order_by("created_at", "pk"))
    form = ReviewForm(
        request.POST or None, targets=targets, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        progress = [
            TargetProgressEntry(
                target=target,
                progress=data[f"progress_{target.pk}"],
                evidence=data[f"evidence_{target.pk}"],
            )
            for target in targets
        ]
        saved, _conflict = _save(
            form,
            lambda: plan_review_record(
                actor=actor,
                plan=plan,
                held_on=data["held_on"],
                attendees=data["attendees"],
                views_beforehand=data["views_beforehand"],
                progress=progress,
                decision=data["decision"],
                decision_notes=data["decision_notes"],
                next_review_on=data["next_review_on"],
            ),
        )
        if saved:
            messages.success(request, _("The review has been recorded."))
            # The decision's next step is a page of its own; take the editor straight there.
            if data["decision"] == ReviewDecision.CHANGE_STAGE and may_decide_stage(actor):
                messages.info(request, _("Now record the new stage of intervention."))
                return redirect("learners:stage_decision_add", learner_id=learner.public_id)
            if data["decision"] == ReviewDecision.OPEN_OTHER_PLAN:
                messages.info(request, _("Now choose the type of plan to open."))
                return redirect("planning:create", learner_id=learner.public_id)
            return _to_plan(plan, "reviews")
    return _form_page(
        request,
        learner=learner,
        plan=plan,
        form=form,
        title=_("Record a review"),
        submit=_("Record review"),
    )
