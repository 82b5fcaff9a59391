"""Moderation groups, kept by administrators on Stagewise's administration pages (ADR 0046,
amended). A group decides whose samples an officer may draw and read, so, like memberships
(ADR 0008), it changes here, through the services, and never in the configuration admin site."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagewise.form_errors import posted, save_or_show_errors
from stagewise.moderation.forms import ModerationGroupForm
from stagewise.moderation.models import ModerationGroup
from stagewise.moderation.services import moderation_group_create, moderation_group_update
from stagewise.policy import Capability, may


def _require_administrator(request: HttpRequest) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    if not may(actor, Capability.ADMINISTER_ORGANISATIONS):
        raise PermissionDenied
    return actor


@login_required
def group_list_view(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    groups = (
        ModerationGroup.objects.annotate(sample_count=Count("samples", distinct=True))
        .prefetch_related("authorities")
        .order_by("name")
    )
    return render(request, "moderation/group_list.html", {"groups": groups})


@login_required
@require_http_methods(["GET", "POST"])
def group_create_view(request: HttpRequest) -> HttpResponse:
    actor = _require_administrator(request)
    form = ModerationGroupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        group = save_or_show_errors(
            form,
            lambda: moderation_group_create(
                actor=actor,
                name=form.cleaned_data["name"],
                name_cy=form.cleaned_data["name_cy"],
                authorities=list(form.cleaned_data["authorities"]),
            ),
        )
        if isinstance(group, ModerationGroup):
            messages.success(request, _("%(name)s has been added.") % {"name": group.name})
            return redirect("moderation_groups:list")
    return render(
        request,
        "moderation/group_form.html",
        {"form": form, "heading": _("Add a moderation group"), "button": _("Add the group")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_update_view(request: HttpRequest, group_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    group = get_object_or_404(ModerationGroup, pk=group_id)
    form = ModerationGroupForm(
        posted(request),
        initial={
            "name": group.name,
            "name_cy": group.name_cy,
            "authorities": list(group.authorities.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        changes = save_or_show_errors(
            form,
            lambda: moderation_group_update(
                actor=actor,
                group=group,
                name=form.cleaned_data["name"],
                name_cy=form.cleaned_data["name_cy"],
                authorities=list(form.cleaned_data["authorities"]),
            ),
        )
        if changes is not None:
            if changes:
                messages.success(request, _("The changes have been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("moderation_groups:list")
    return render(
        request,
        "moderation/group_form.html",
        {
            "form": form,
            "heading": _("Change %(name)s") % {"name": group.name},
            "button": _("Save changes"),
        },
    )
