"""Plan pages that read: the learner's plans, one plan, its versions, its printed forms and the
progress timeline. Every plan is reached through a learner from learners/access.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from stagewise.accounts.actors import Actor
from stagewise.audit.models import AuditAction
from stagewise.coordination.meeting_selectors import TeamAroundTheChild, team_around_the_child
from stagewise.coordination.models import RecordPart
from stagewise.families.feedback_selectors import reviews_open_for_feedback
from stagewise.learners.access import get_learner_for, records_written_here_for, refuse
from stagewise.planning.agreed_here import plans_agreed_here
from stagewise.planning.cycle import cycle_position
from stagewise.planning.documents import PlanDocument, plan_documents_compare
from stagewise.planning.forms import CompareForm
from stagewise.planning.models import Plan, PlanStatus, PlanVersion
from stagewise.planning.printed import (
    print_context,
    printed_language,
    printed_plan_copy,
    printed_plan_filename,
    printed_plan_render,
)
from stagewise.planning.selectors import (
    family_document,
    family_sharing_get,
    may_sign_off_type,
    plan_get,
    plan_list,
    plan_live_document,
    plan_record_get,
    plan_types_for,
    progress_timeline,
    version_document,
    version_get,
)
from stagewise.planning.services import plan_responses_mark_read, sign_off_roles_text
from stagewise.planning.services.common import audit_plan
from stagewise.policy import Capability, CapabilityRequired, may
from stagewise.printing import PdfUnavailableError, pdf_unavailable_reason


def plan_for(
    request: HttpRequest,
    learner_id: str,
    plan_id: str,
    purpose: str,
    capability: Capability = Capability.VIEW_PLANS,
    *,
    refused_status: int = 403,
) -> tuple:
    """(actor, learner, plan) for this request, or 404 for anyone outside the learner's circle.

    Someone who may see the plan but whose role lacks `capability` is refused (403, or 404
    where the page would show what their audience never receives), and the refusal recorded.
    """
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose=purpose, part=RecordPart.PLANS)
    plan = plan_get(actor=actor, learner=learner, plan_id=plan_id, purpose=purpose)
    if not may(actor, capability):
        refuse(
            actor=actor,
            learner=learner,
            purpose=purpose,
            object_type="plan",
            object_id=str(plan.public_id),
        )
        if refused_status == 404:
            raise Http404
        raise CapabilityRequired(capability)
    return actor, learner, plan


@login_required
def plan_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose="list plans", part=RecordPart.PLANS)
    return render(
        request,
        "planning/plan_list.html",
        {
            "learner": learner,
            "plans": plan_list(actor=actor, learner=learner),
            "has_plan_types": bool(plan_types_for(learner)),
        },
    )


def _team(actor: Actor, plan: Plan) -> TeamAroundTheChild | None:
    """The named person beside the lead professional, on a plan that may have one (a child's
    plan); the printed plan keeps only what was signed off."""
    if not plan.plan_type.has_lead_professional:
        return None
    return team_around_the_child(actor, plan.learner)


@login_required
def plan_detail_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    actor, learner, plan = plan_for(request, learner_id, plan_id, "view plan")
    if not may(actor, Capability.VIEW_PLAN_HISTORY):
        version, document = family_document(plan)
        responses = [row for row in plan.responses.all() if row.responder_id == actor.user.pk]
        return render(
            request,
            "planning/plan_family.html",
            {
                "learner": learner,
                "plan": plan,
                "version": version,
                "document": document,
                "responses": responses,
                "sharing": family_sharing_get(actor=actor, plan=plan, version=version),
                "may_respond": may(actor, Capability.RESPOND_TO_PLANS)
                and plan.status != PlanStatus.CLOSED,
                "family": True,
                "team": _team(actor, plan),
                # The family's say on each recent review (families, ADR 0026).
                "feedback_reviews": reviews_open_for_feedback(plan=plan)
                if may(actor, Capability.GIVE_REVIEW_FEEDBACK)
                else [],
            },
        )
    # Once signed off (or closed), the page shows exactly what was last signed, with who signed
    # it and when; a revision closed before sign-off was never agreed, so it is not shown.
    record = plan_record_get(plan, with_signed_off_document=not plan.is_editable)
    if record.responses:
        # The page shows every response, so reading it takes them off this person's work queue.
        plan_responses_mark_read(actor=actor, plan=plan)
    document = record.signed_off_document or plan_live_document(plan)
    roles = sign_off_roles_text(plan.plan_type)
    position = cycle_position(
        plan=plan,
        document=document,
        shared_with_family=plan.version_number in record.shared_with_family_versions,
        sign_off_roles=roles,
        today=timezone.localdate(),
    )
    may_edit = may(actor, Capability.EDIT_PLANS)
    return render(
        request,
        "planning/plan_detail.html",
        {
            "learner": learner,
            "plan": plan,
            "document": document,
            "record": record,
            "team": _team(actor, plan),
            "position": position,
            "sign_off_roles": roles,
            "editable": may_edit and plan.is_editable,
            "may_sign_off": may_sign_off_type(actor, plan.plan_type),
            "compare_form": CompareForm(
                numbers=[version.number for version in record.versions],
                initial={
                    "left": record.versions[-2].number if len(record.versions) > 1 else None,
                    "right": record.versions[-1].number if record.versions else None,
                },
            ),
        },
    )


@login_required
def version_detail_view(
    request: HttpRequest, learner_id: str, plan_id: str, number: str
) -> HttpResponse:
    _actor, learner, plan = plan_for(
        request,
        learner_id,
        plan_id,
        "view plan version",
        Capability.VIEW_PLAN_HISTORY,
        refused_status=404,
    )
    version = version_get(plan=plan, number=number)
    return render(
        request,
        "planning/version_detail.html",
        {
            "learner": learner,
            "plan": plan,
            "version": version,
            "document": version_document(version),
        },
    )


@login_required
def version_compare_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    _actor, learner, plan = plan_for(
        request,
        learner_id,
        plan_id,
        "compare plan versions",
        Capability.VIEW_PLAN_HISTORY,
        refused_status=404,
    )
    numbers = list(plan.versions.order_by("number").values_list("number", flat=True))
    form = CompareForm(request.GET or None, numbers=numbers)
    compared = None
    left = right = None
    if form.is_valid():
        left = version_get(plan=plan, number=form.cleaned_data["left"])
        right = version_get(plan=plan, number=form.cleaned_data["right"])
        compared = plan_documents_compare(version_document(left), version_document(right))
    return render(
        request,
        "planning/version_compare.html",
        {
            "learner": learner,
            "plan": plan,
            "form": form,
            "compared": compared,
            "left": left,
            "right": right,
        },
    )


def _printable(
    request: HttpRequest, learner_id: str, plan_id: str, purpose: str
) -> tuple[object, Plan, PlanDocument, PlanVersion | None, bool]:
    """The document to print: a family gets their latest finalised version; staff may choose a
    version, and otherwise get the plan as it stands (marked as a draft if it is one; once
    signed off, the version that was signed, with its sign-off)."""
    actor, learner, plan = plan_for(request, learner_id, plan_id, purpose)
    # Families receive their projection of the latest agreed version, nothing else.
    family = not may(actor, Capability.VIEW_PLAN_HISTORY)
    version: PlanVersion | None
    if family:
        version, document = family_document(plan)
    elif request.GET.get("version"):
        version = version_get(plan=plan, number=request.GET["version"])
        document = version_document(version)
    else:
        version = None if plan.is_editable else plan.versions.order_by("-number").first()
        document = version_document(version) if version else plan_live_document(plan)
    audit_plan(actor=actor, plan=plan, action=AuditAction.EXPORT, purpose=purpose)
    return learner, plan, document, version, family


@login_required
def plan_print_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    learner, plan, document, version, family = _printable(
        request, learner_id, plan_id, "print plan"
    )
    return render(
        request,
        "planning/plan_print.html",
        print_context(learner, plan, document, version, family),
    )


@login_required
def plan_pdf_view(request: HttpRequest, learner_id: str, plan_id: str) -> HttpResponse:
    language = printed_language(request.GET.get("language", translation.get_language()))
    if (reason := pdf_unavailable_reason()) is not None:
        # Only the access check: nothing is exported, so no export is recorded.
        _actor, learner, plan = plan_for(request, learner_id, plan_id, "download plan as PDF")
        return _pdf_unavailable(request, learner, plan, reason)
    learner, plan, document, version, family = _printable(
        request, learner_id, plan_id, "download plan as PDF"
    )
    try:
        if version is None:
            # A draft changes with every edit: rendered each time, never stored.
            pdf = printed_plan_render(
                learner=learner,
                plan=plan,
                document=document,
                version=None,
                family=family,
                language=language,
            )
        else:
            pdf = printed_plan_copy(version=version, language=language, family=family)
    except PdfUnavailableError as error:
        return _pdf_unavailable(request, learner, plan, str(error))
    number = version.number if version else plan.version_number
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{printed_plan_filename(document, number, language)}"'
    )
    return response


def _pdf_unavailable(
    request: HttpRequest, learner: object, plan: Plan, reason: str
) -> HttpResponse:
    """This server cannot make PDFs: say why, and offer the print-friendly page instead."""
    return render(
        request,
        "planning/pdf_unavailable.html",
        {
            "learner": learner,
            "plan": plan,
            "reason": reason,
            "version": request.GET.get("version", ""),
        },
        status=503,
    )


@login_required
def progress_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose="view progress across reviews", part=RecordPart.PLANS
    )
    return render(
        request,
        "planning/progress.html",
        {"learner": learner, "reviews": progress_timeline(actor=actor, learner=learner)},
    )


@login_required
def plans_agreed_here_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    """The plans the actor's school agreed for a learner who has since moved away, as it agreed
    them: read only, through the second door of learners/access.py (ADR 0020)."""
    actor = request.actor  # type: ignore[attr-defined]
    moved_away = records_written_here_for(actor, learner_id, purpose="read plans agreed here")
    return render(
        request,
        "planning/plans_agreed_here.html",
        {
            "learner_id": moved_away.learner.public_id,
            "name": moved_away.learner.display_name,
            "moved_on": moved_away.move.moved_on,
            "open_until": moved_away.open_until,
            "plans": plans_agreed_here(actor=actor, moved_away=moved_away),
        },
    )
