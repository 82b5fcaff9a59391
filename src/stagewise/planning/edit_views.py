"""Plan pages that write content: opening a plan, its sections, dates, targets, support and
views, and staff-only notes. Each parses a form and calls one service (see form_flow)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.accounts.actors import Actor
from stagewise.accounts.models import User
from stagewise.coordination.models import RecordPart
from stagewise.learners.access import get_learner_for, record_or_404
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.organisations.models import Agency, Membership
from stagewise.planning.form_flow import (
    button_action,
    editor_plan,
    form_flow,
    save_or_show_errors,
    to_plan,
)
from stagewise.planning.forms import (
    BasedOnForm,
    PlanCreateForm,
    PlanDetailsForm,
    ProvisionForm,
    SectionTextForm,
    StaffNotesForm,
    TargetForm,
    ViewForm,
)
from stagewise.planning.models import (
    Plan,
    PlanSection,
    PlanView,
    SectionKind,
    SupportProvision,
    Target,
)
from stagewise.planning.selectors import (
    plan_types_for,
)
from stagewise.planning.services import (
    content_fingerprint,
    plan_create,
    plan_details_current,
    plan_details_update,
    plan_section_update,
    plan_staff_notes_update,
    provision_add,
    provision_remove,
    section_text_current,
    target_add,
    target_current,
    target_remove,
    target_update,
    view_add,
    view_remove,
)
from stagewise.policy import Capability, nation_policy
from stagewise.statutory.decision_support_selectors import plan_decision_support_get


@login_required
def plan_create_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="open plan",
        capability=Capability.EDIT_PLANS,
        part=RecordPart.PLANS,
    )
    support = plan_decision_support_get(learner)
    return form_flow(
        request,
        learner=learner,
        plan=None,
        form=PlanCreateForm(
            request.POST or None,
            plan_types=plan_types_for(learner),
            with_decision_support=support is not None,
        ),
        write=lambda data: plan_create(
            actor=actor,
            learner=learner,
            plan_type=data["plan_type"],
            starts_on=data["starts_on"],
            multi_agency=data.get("multi_agency", False),
            departure_reason=data.get("departure_reason", ""),
            departure_kind=data.get("departure_kind", ""),
        ),
        decision_support=support,
        success=_("The plan has been started as a draft."),
        done=lambda created: to_plan(created),  # type: ignore[arg-type]
        title=_("Start a plan"),
        submit=_("Start plan"),
        intro=_(
            "The plan starts as a draft. Nothing is shared with the family until it is finalised."
        ),
    )


@login_required
def plan_details_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "change plan dates")
    has_lead = plan.plan_type.has_lead_professional
    form = PlanDetailsForm(
        request.POST or None,
        has_lead_professional=has_lead,
        initial={
            "starts_on": plan.starts_on,
            "next_review_on": plan.next_review_on,
            "multi_agency": plan.multi_agency,
            "lead_professional": plan.lead_professional,
            "based_on": content_fingerprint(plan_details_current(plan)),
        },
    )
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=form,
        write=lambda data: plan_details_update(
            actor=actor,
            plan=plan,
            starts_on=data["starts_on"],
            next_review_on=data["next_review_on"],
            multi_agency=data.get("multi_agency", plan.multi_agency),
            lead_professional=data.get("lead_professional", plan.lead_professional),
            based_on=data["based_on"],
        ),
        success=_("The plan's dates have been saved."),
        anchor="section-review_timetable",
        conflict_fields=[name for name in form.fields if name != "based_on"],
        title=_("Dates and lead professional") if has_lead else _("Plan dates"),
        submit=_("Save"),
    )


@login_required
def section_edit_view(
    request: HttpRequest, learner_id: str, plan_id: str, section_key: str
) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "write plan section")
    section = get_object_or_404(
        PlanSection, plan_type=plan.plan_type, key=section_key, kind=SectionKind.TEXT
    )
    current = section_text_current(plan, section)
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=SectionTextForm(
            request.POST or None,
            label=section.display_title,
            initial={"text": current["text"], "based_on": content_fingerprint(current)},
        ),
        write=lambda data: plan_section_update(
            actor=actor,
            plan=plan,
            section=section,
            text=data["text"],
            based_on=data["based_on"],
        ),
        success=_("“%(section)s” has been saved.") % {"section": section.display_title},
        anchor=f"section-{section.key}",
        conflict_fields=["text"],
        title=section.display_title,
        submit=_("Save"),
        label_is_heading=True,
    )


@login_required
def target_add_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "add target")
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=TargetForm(request.POST or None),
        write=lambda data: target_add(
            actor=actor,
            plan=plan,
            outcome=data["outcome"],
            measure=data["measure"],
            baseline=data["baseline"],
            success_criteria=data["success_criteria"],
            achieve_by=data["achieve_by"],
        ),
        success=_("The target has been added."),
        anchor="section-targets",
        title=_("Add a target"),
        submit=_("Add target"),
    )


def _plan_record[RecordT: Model](
    actor: Actor, records: QuerySet[RecordT], plan: Plan, learner_path: str, **lookup: object
) -> RecordT:
    """A record of this plan, or 404 with the refusal on the record's own learner."""
    return record_or_404(
        actor=actor,
        records=records,
        within={learner_path.removesuffix("learner") + "pk": plan.pk},
        learner_path=learner_path,
        purpose="change plan",
        object_type=records.model._meta.model_name or "",
        **lookup,
    )


def _plan_target(actor: Actor, plan: Plan, target_id: int) -> Target:
    return _plan_record(actor, Target.objects.all(), plan, "plan__learner", pk=target_id)


@login_required
def target_edit_view(
    request: HttpRequest, learner_id: str, plan_id: str, target_id: int
) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "change target")
    target = _plan_target(actor, plan, target_id)
    current = target_current(target)
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=TargetForm(
            request.POST or None,
            initial={
                **current,
                "achieve_by": target.achieve_by,
                "based_on": content_fingerprint(current),
            },
        ),
        write=lambda data: target_update(
            actor=actor,
            target=target,
            outcome=data["outcome"],
            measure=data["measure"],
            baseline=data["baseline"],
            success_criteria=data["success_criteria"],
            achieve_by=data["achieve_by"],
            based_on=data["based_on"],
        ),
        success=_("The target has been saved."),
        anchor="section-targets",
        conflict_fields=["outcome", "measure", "baseline", "success_criteria", "achieve_by"],
        title=_("Change a target"),
        submit=_("Save"),
    )


@login_required
def target_remove_view(
    request: HttpRequest, learner_id: str, plan_id: str, target_id: int
) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "remove target")
    target = _plan_target(actor, plan, target_id)
    form = BasedOnForm(
        request.POST or None,
        initial={"based_on": content_fingerprint(target_current(target))},
    )
    if request.method == "POST" and form.is_valid():
        saved, _conflict = save_or_show_errors(
            form,
            lambda: target_remove(
                actor=actor, target=target, based_on=form.cleaned_data["based_on"]
            ),
        )
        if saved:
            messages.success(request, _("The target and its support have been removed."))
            return to_plan(plan, "section-targets")
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
    staff_ids = (
        Membership.objects.current()
        .filter(setting=enrolment.setting, user__is_active=True)
        .values("user_id")
    )
    staff = User.objects.filter(pk__in=staff_ids).order_by("full_name")
    agencies = Agency.objects.filter(authority=enrolment.setting.authority).order_by("name")
    return staff, agencies


@login_required
def provision_add_view(
    request: HttpRequest, learner_id: str, plan_id: str, target_id: int
) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "add support provision")
    target = _plan_target(actor, plan, target_id)
    staff, agencies = _provision_choices(learner)
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=ProvisionForm(
            request.POST or None,
            staff=staff,
            agencies=agencies,
            in_wales=nation_policy(plan.authority.nation.code).provision_language_required,
            initial={"starts_on": plan.starts_on},
        ),
        write=lambda data: provision_add(
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
        success=_("The support has been added."),
        anchor="section-targets",
        title=_("Add support for this target"),
        submit=_("Add support"),
        intro=target.outcome,
    )


@login_required
@require_POST
def provision_remove_view(
    request: HttpRequest, learner_id: str, plan_id: str, provision_id: int
) -> HttpResponse:
    actor, _learner, plan = editor_plan(request, learner_id, plan_id, "remove support provision")
    provision = _plan_record(
        actor, SupportProvision.objects.all(), plan, "target__plan__learner", pk=provision_id
    )
    return button_action(
        request,
        plan=plan,
        write=lambda: provision_remove(actor=actor, provision=provision),
        success=_("The support has been removed."),
        anchor="section-targets",
    )


@login_required
def view_add_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "record views")
    form = ViewForm(
        request.POST or None,
        initial={"kind": request.GET.get("kind"), "gathered_on": timezone.localdate()},
    )
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=form,
        write=lambda data: view_add(
            actor=actor,
            plan=plan,
            kind=data["kind"],
            speaker=data["speaker"],
            words=data["words"],
            gathered_on=data["gathered_on"],
            how_gathered=data["how_gathered"],
        ),
        success=_("The views have been recorded."),
        done=lambda view: to_plan(plan, f"section-{view.kind}_views"),  # type: ignore[attr-defined]
        title=_("Record views"),
        submit=_("Record views"),
    )


@login_required
@require_POST
def view_remove_view(
    request: HttpRequest, learner_id: str, plan_id: str, view_id: int
) -> HttpResponse:
    actor, _learner, plan = editor_plan(request, learner_id, plan_id, "remove views")
    view = _plan_record(actor, PlanView.objects.all(), plan, "plan__learner", pk=view_id)
    return button_action(
        request,
        plan=plan,
        write=lambda: view_remove(actor=actor, view=view),
        success=_("The views have been removed."),
    )


@login_required
def staff_notes_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = editor_plan(request, learner_id, plan_id, "change staff-only plan notes")
    current = {"staff_notes": plan.staff_notes}
    return form_flow(
        request,
        learner=learner,
        plan=plan,
        form=StaffNotesForm(
            request.POST or None, initial={**current, "based_on": content_fingerprint(current)}
        ),
        write=lambda data: plan_staff_notes_update(
            actor=actor, plan=plan, staff_notes=data["staff_notes"], based_on=data["based_on"]
        ),
        success=_("The staff-only notes have been saved."),
        anchor="staff-notes",
        conflict_fields=["staff_notes"],
        title=_("Staff-only notes"),
        submit=_("Save"),
        label_is_heading=True,
    )
