"""The published pathways of each authority's services, for anyone (no sign-in: they hold
nothing about a learner), and the pages on which the authority keeps them.

Keeping them follows the administration pages: a signed-in person who does not keep this
authority's pathways is refused (403), since the pages hide nothing the public page does not show.
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagewise.coordination.pathway_forms import PathwayForm
from stagewise.coordination.pathway_selectors import (
    keeps_pathways_of,
    pathway_authority_get,
    pathway_nation_list,
    pathway_service_get,
    pathway_service_list,
    published_pathways,
)
from stagewise.coordination.services import pathway_save
from stagewise.coordination.services.pathways import PATHWAY_FIELDS
from stagewise.organisations.models import LocalAuthority

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def _keeper(request: HttpRequest, authority: LocalAuthority) -> "Actor":
    actor = request.actor  # type: ignore[attr-defined]
    if not keeps_pathways_of(actor, authority):
        raise PermissionDenied
    return actor


# Public ---------------------------------------------------------------------------------------


def pathway_index(request: HttpRequest) -> HttpResponse:
    return render(request, "coordination/pathways/index.html", {"nations": pathway_nation_list()})


def pathway_authority(request: HttpRequest, authority_code: str) -> HttpResponse:
    authority = pathway_authority_get(code=authority_code)
    return render(
        request,
        "coordination/pathways/authority.html",
        {
            "authority": authority,
            "groups": published_pathways(authority=authority),
            "keeps_pathways": keeps_pathways_of(request.actor, authority),  # type: ignore[attr-defined]
        },
    )


# Keeping them ---------------------------------------------------------------------------------


@login_required
def pathway_manage(request: HttpRequest, authority_code: str) -> HttpResponse:
    authority = pathway_authority_get(code=authority_code)
    _keeper(request, authority)
    return render(
        request,
        "coordination/pathways/manage.html",
        {"authority": authority, "services": pathway_service_list(authority=authority)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pathway_edit(request: HttpRequest, authority_code: str, agency_id: int) -> HttpResponse:
    authority = pathway_authority_get(code=authority_code)
    actor = _keeper(request, authority)
    service = pathway_service_get(authority=authority, agency_id=agency_id)
    pathway = getattr(service, "pathway", None)
    initial = (
        {field: getattr(pathway, field) for field in PATHWAY_FIELDS}
        if pathway is not None
        else {"accepts_requests": True}
    )
    form = PathwayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = pathway_save(actor=actor, service=service, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            if changes:
                messages.success(
                    request,
                    _("The pathway of %(service)s has been published.")
                    % {"service": service.display_name},
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("pathways:manage", authority_code=authority.code)
    return render(
        request,
        "coordination/pathways/edit.html",
        {"authority": authority, "service": service, "form": form, "is_new": pathway is None},
    )


def _show_errors(form: PathwayForm, error: ValidationError) -> None:
    """Put the service's errors against the fields they are about, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
