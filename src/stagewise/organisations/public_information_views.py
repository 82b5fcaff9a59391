"""Clear information for families, public and bilingual: each authority's page (how its staged
intervention maps to the national frame, how to ask for help, the statutory plans it keeps, its
post-16 strategy, mediation, and the advice services) and each school's offer. No sign-in: they
hold nothing about a learner.

Keeping them follows the pathways pages: a signed-in person who does not keep this authority's
statement or this school's offer is refused (403), since the edit pages hide nothing the public
page does not show; a school of another authority is not found (404).
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagewise.form_errors import posted, save_or_show_errors
from stagewise.organisations.public_information_forms import (
    AuthorityStatementForm,
    SchoolOfferForm,
)
from stagewise.organisations.public_information_selectors import (
    advice_services_for,
    information_authority_get,
    information_nation_list,
    information_school_get,
    keeps_offer_of,
    keeps_statement_of,
    school_list,
    stage_mapping,
)
from stagewise.organisations.public_information_services import (
    STATEMENT_FIELDS,
    authority_statement_save,
    school_offer_save,
)
from stagewise.policy import nation_policy

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def _actor(request: HttpRequest) -> "Actor | None":
    return getattr(request, "actor", None)


# Public ---------------------------------------------------------------------------------------


def information_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "organisations/information/index.html", {"nations": information_nation_list()}
    )


def information_authority(request: HttpRequest, authority_code: str) -> HttpResponse:
    authority = information_authority_get(code=authority_code)
    return render(
        request,
        "organisations/information/authority.html",
        {
            "authority": authority,
            "nation": nation_policy(authority.nation.code),
            "statement": authority.statement_or_none,  # type: ignore[attr-defined]
            "mapping": stage_mapping(authority=authority),
            "services": advice_services_for(authority=authority),
            "schools": school_list(authority=authority),
            "keeps_statement": keeps_statement_of(_actor(request), authority),
        },
    )


def information_school(request: HttpRequest, authority_code: str, setting_id: int) -> HttpResponse:
    authority = information_authority_get(code=authority_code)
    setting = information_school_get(authority=authority, setting_id=setting_id)
    return render(
        request,
        "organisations/information/school.html",
        {
            "authority": authority,
            "setting": setting,
            "nation": nation_policy(authority.nation.code),
            "offer": setting.offer_or_none,  # type: ignore[attr-defined]
            "services": advice_services_for(authority=authority),
            "keeps_offer": keeps_offer_of(_actor(request), setting),
        },
    )


# Keeping them ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def information_statement_edit(request: HttpRequest, authority_code: str) -> HttpResponse:
    authority = information_authority_get(code=authority_code)
    actor = _actor(request)
    if not keeps_statement_of(actor, authority):
        raise PermissionDenied
    statement = authority.statement_or_none  # type: ignore[attr-defined]
    initial = {field: getattr(statement, field) for field in STATEMENT_FIELDS} if statement else {}
    form = AuthorityStatementForm(
        posted(request), initial=initial, nation=nation_policy(authority.nation.code)
    )
    if request.method == "POST" and form.is_valid():
        changes = save_or_show_errors(
            form,
            lambda: authority_statement_save(actor=actor, authority=authority, **form.cleaned_data),
        )
        if changes is not None:
            if changes:
                messages.success(request, _("The information has been published."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("information:authority", authority_code=authority.code)
    return render(
        request,
        "organisations/information/statement_edit.html",
        {"authority": authority, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_offer_edit(
    request: HttpRequest, authority_code: str, setting_id: int
) -> HttpResponse:
    authority = information_authority_get(code=authority_code)
    setting = information_school_get(authority=authority, setting_id=setting_id)
    actor = _actor(request)
    if not keeps_offer_of(actor, setting):
        raise PermissionDenied
    offer = setting.offer_or_none  # type: ignore[attr-defined]
    initial = (
        {
            "statement": offer.statement,
            "statement_cy": offer.statement_cy,
            "provision": "\n".join(item.description for item in offer.items.all()),
            "provision_cy": "\n".join(item.description_cy for item in offer.items.all())
            if any(item.description_cy for item in offer.items.all())
            else "",
        }
        if offer is not None
        else {}
    )
    form = SchoolOfferForm(
        posted(request), initial=initial, nation=nation_policy(authority.nation.code)
    )
    if request.method == "POST" and form.is_valid():
        changes = save_or_show_errors(
            form,
            lambda: school_offer_save(
                actor=actor,
                setting=setting,
                statement=form.cleaned_data["statement"],
                statement_cy=form.cleaned_data["statement_cy"],
                provision=form.cleaned_data["provision_items"],
            ),
        )
        if changes is not None:
            if changes:
                messages.success(
                    request,
                    _("The offer of %(school)s has been published.")
                    % {"school": setting.display_name},
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(
                "information:school", authority_code=authority.code, setting_id=setting.pk
            )
    return render(
        request,
        "organisations/information/offer_edit.html",
        {
            "authority": authority,
            "setting": setting,
            "form": form,
            "is_new": offer is None,
        },
    )
