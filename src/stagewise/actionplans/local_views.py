"""A local authority officer's pages for their own authority's local action plan (ADR 0043):
the plan, adding an action linked to the national actions it serves, an action with its history,
and the forms that track it (the national actions' forms and services). Each page is for the
authority's own officers alone: another authority's officer, and every other role, are told
nothing is there (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.actionplans.forms import LocalActionForm
from stagewise.actionplans.models import LocalAction, LocalEvidence
from stagewise.actionplans.selectors import (
    action_history,
    authority_of,
    local_action_for_officer,
    local_plan_of,
    national_actions_to_serve,
)
from stagewise.actionplans.services import local_action_add
from stagewise.actionplans.views import (
    evidence_download,
    evidence_page,
    progress_update_page,
    status_change_page,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.organisations.models import LocalAuthority


def _own_authority(request: HttpRequest) -> LocalAuthority:
    authority = authority_of(request.actor)  # type: ignore[attr-defined]
    if authority is None:
        raise Http404
    return authority


def _kept(request: HttpRequest, local_action_id: int) -> LocalAction:
    return local_action_for_officer(request.actor, local_action_id)  # type: ignore[attr-defined]


@login_required
def local_index_view(request: HttpRequest) -> HttpResponse:
    authority = _own_authority(request)
    return render(
        request,
        "actionplans/local/index.html",
        {
            "authority": authority,
            "local_actions": local_plan_of(request.actor),  # type: ignore[attr-defined]
            "national_actions_exist": national_actions_to_serve(authority).exists(),
        },
    )


@login_required
def local_action_add_view(request: HttpRequest) -> HttpResponse:
    authority = _own_authority(request)
    form = LocalActionForm(posted(request), national_actions=national_actions_to_serve(authority))
    if request.method == "POST" and form.is_valid():
        added = save_or_show_errors(
            form,
            lambda: local_action_add(
                actor=request.actor,  # type: ignore[attr-defined]
                authority=authority,
                reference=form.cleaned_data["reference"],
                text=form.cleaned_data["text"],
                responsible_team=form.cleaned_data["responsible_team"],
                timeframe=form.cleaned_data["timeframe"],
                status=form.cleaned_data["status"],
                national_actions=list(form.cleaned_data["national_actions"]),
            ),
        )
        if isinstance(added, LocalAction):
            messages.success(request, _("The local action has been added."))
            return redirect("local_action_plans:action", local_action_id=added.pk)
    return render(request, "actionplans/local/add.html", {"authority": authority, "form": form})


@login_required
def local_action_view(request: HttpRequest, local_action_id: int) -> HttpResponse:
    local_action = _kept(request, local_action_id)
    return render(
        request,
        "actionplans/local/action.html",
        {"action": local_action, "history": action_history(local_action)},
    )


@login_required
def local_progress_update_view(request: HttpRequest, local_action_id: int) -> HttpResponse:
    return progress_update_page(request, _kept(request, local_action_id))


@login_required
def local_status_change_view(request: HttpRequest, local_action_id: int) -> HttpResponse:
    return status_change_page(request, _kept(request, local_action_id))


@login_required
def local_evidence_view(request: HttpRequest, local_action_id: int) -> HttpResponse:
    return evidence_page(request, _kept(request, local_action_id))


@login_required
def local_evidence_file_view(
    request: HttpRequest, local_action_id: int, evidence_id: int
) -> FileResponse:
    """A local action's evidence file, for its own authority's officers alone."""
    local_action = _kept(request, local_action_id)
    evidence = (
        LocalEvidence.objects.filter(action=local_action, pk=evidence_id).exclude(file="").first()
    )
    return evidence_download(request, evidence)
