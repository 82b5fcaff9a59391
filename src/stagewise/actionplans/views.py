"""A policy officer's pages: the plans and their actions, an action with its history, and the
forms that track it. Every page is for policy officers alone: anyone else is told nothing is
there (404). The forms are for the actions the officer's body tracks."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stagewise.actionplans.forms import (
    EvidenceForm,
    MeasureLinkForm,
    ProgressUpdateForm,
    StatusChangeForm,
)
from stagewise.actionplans.models import Action, Evidence, LocalAction, LocalEvidence
from stagewise.actionplans.selectors import (
    action_for_policy_officer,
    action_history,
    body_of,
    local_work_on,
    plans_with_actions,
    tracks_action,
)
from stagewise.actionplans.services import (
    action_measure_link,
    action_status_change,
    evidence_add,
    progress_update_add,
)
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.measurement.models import Measure
from stagewise.policy import Capability, may


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not may(actor, Capability.TRACK_ACTION_PLANS):
        raise Http404
    return render(
        request,
        "actionplans/index.html",
        {"plans": plans_with_actions(), "body": body_of(actor)},
    )


@login_required
def action_view(request: HttpRequest, action_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    action = action_for_policy_officer(actor, action_id)
    return render(
        request,
        "actionplans/action.html",
        {
            "action": action,
            "history": action_history(action),
            "tracks": tracks_action(actor, action),
            "measures": [link.measure for link in action.measure_links.select_related("measure")],
            "local_work": local_work_on(action),
        },
    )


def _measures_to_link(action: Action) -> list[Measure]:
    linked = action.measure_links.values("measure_id")
    return list(
        Measure.objects.filter(Q(nation__isnull=True) | Q(nation_id=action.plan.nation_id))
        .exclude(pk__in=linked)
        .order_by("position", "code")
    )


def _tracked_action(request: HttpRequest, action_id: int) -> Action:
    actor = request.actor  # type: ignore[attr-defined]
    action = action_for_policy_officer(actor, action_id)
    if not tracks_action(actor, action):
        raise Http404
    return action


def form_page(
    request: HttpRequest,
    action: Action | LocalAction,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    *,
    heading: str,
    button: str,
    done: str,
) -> HttpResponse:
    """A form about one action, national or local: on success, back to the action's page."""
    if isinstance(action, LocalAction):
        back = reverse("local_action_plans:action", args=[action.pk])
        caption = _("Local action %(reference)s") % {"reference": action.reference}
    else:
        back = reverse("action_plans:action", args=[action.pk])
        caption = _("Action %(number)s") % {"number": action.number}
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(form, lambda: write(form.cleaned_data))
    ):
        messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "actionplans/form.html",
        {
            "action": action,
            "form": form,
            "heading": heading,
            "button": button,
            "back": back,
            "caption": caption,
            "local": isinstance(action, LocalAction),
        },
    )


def progress_update_page(request: HttpRequest, action: Action | LocalAction) -> HttpResponse:
    return form_page(
        request,
        action,
        ProgressUpdateForm(posted(request)),
        lambda data: progress_update_add(actor=request.actor, action=action, **data),  # type: ignore[attr-defined]
        heading=_("Add a progress update"),
        button=_("Add the update"),
        done=_("The progress update has been added."),
    )


def status_change_page(request: HttpRequest, action: Action | LocalAction) -> HttpResponse:
    return form_page(
        request,
        action,
        StatusChangeForm(posted(request), initial={"status": action.status}),
        lambda data: action_status_change(actor=request.actor, action=action, **data),  # type: ignore[attr-defined]
        heading=_("Change the status"),
        button=_("Change the status"),
        done=_("The status has been changed."),
    )


def evidence_page(request: HttpRequest, action: Action | LocalAction) -> HttpResponse:
    return form_page(
        request,
        action,
        EvidenceForm(posted(request), request.FILES or None),
        lambda data: evidence_add(actor=request.actor, action=action, **data),  # type: ignore[attr-defined]
        heading=_("Link evidence"),
        button=_("Link the evidence"),
        done=_("The evidence has been linked."),
    )


@login_required
def progress_update_view(request: HttpRequest, action_id: int) -> HttpResponse:
    return progress_update_page(request, _tracked_action(request, action_id))


@login_required
def status_change_view(request: HttpRequest, action_id: int) -> HttpResponse:
    return status_change_page(request, _tracked_action(request, action_id))


@login_required
def evidence_view(request: HttpRequest, action_id: int) -> HttpResponse:
    return evidence_page(request, _tracked_action(request, action_id))


@login_required
def evidence_file_view(request: HttpRequest, action_id: int, evidence_id: int) -> FileResponse:
    """An evidence file, for any policy officer, as a download of the type its content was found
    to be (never shown as a page), the download recorded."""
    action = action_for_policy_officer(request.actor, action_id)  # type: ignore[attr-defined]
    evidence = Evidence.objects.filter(action=action, pk=evidence_id).exclude(file="").first()
    return evidence_download(request, evidence)


def evidence_download(
    request: HttpRequest, evidence: Evidence | LocalEvidence | None
) -> FileResponse:
    """The file as a download of the type its content was found to be, with no sniffing and a
    sandbox, the download audited."""
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.storage.open(evidence.file.name or "", "rb")
    except OSError:
        raise Http404 from None
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=AuditAction.EXPORT,
        object_type="local_action_evidence"
        if isinstance(evidence, LocalEvidence)
        else "action_plan_evidence",
        object_id=str(evidence.pk),
        purpose="download action plan evidence",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def measure_link_view(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _tracked_action(request, action_id)
    return form_page(
        request,
        action,
        MeasureLinkForm(posted(request), measures=_measures_to_link(action)),
        lambda data: action_measure_link(actor=request.actor, action=action, **data),  # type: ignore[attr-defined]
        heading=_("Link a measure"),
        button=_("Link the measure"),
        done=_("The measure has been linked."),
    )
