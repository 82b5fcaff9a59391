"""Integrations and their tokens, kept by system administrators on Stagewise's administration
pages (ADR 0051), through the services, never in the configuration admin site."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagewise.accounts.actors import MEMBERSHIP_RELATED_PATHS
from stagewise.api.forms import IntegrationForm, TokenForm
from stagewise.api.models import ApiToken, Integration
from stagewise.api.services import (
    IssuedToken,
    api_token_create,
    api_token_revoke,
    integration_create,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.policy import Capability, may


def _require_administrator(request: HttpRequest) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    if not may(actor, Capability.ADMINISTER_ORGANISATIONS):
        raise PermissionDenied
    return actor


@login_required
def integration_list_view(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    integrations = Integration.objects.select_related(
        *(f"membership__{path}" for path in MEMBERSHIP_RELATED_PATHS)
    ).prefetch_related(Prefetch("tokens", queryset=ApiToken.objects.order_by("-created_at")))
    return render(request, "api/integration_list.html", {"integrations": integrations})


@login_required
@require_http_methods(["GET", "POST"])
def integration_create_view(request: HttpRequest) -> HttpResponse:
    actor = _require_administrator(request)
    form = IntegrationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        integration = save_or_show_errors(
            form, lambda: integration_create(actor=actor, **form.cleaned_data)
        )
        if isinstance(integration, Integration):
            messages.success(
                request,
                _("%(name)s has been added. Create a token for it.") % {"name": integration.name},
            )
            return redirect("integrations:list")
    return render(request, "api/integration_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_create_view(request: HttpRequest, integration_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    integration = get_object_or_404(Integration, pk=integration_id)
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        issued = save_or_show_errors(
            form,
            lambda: api_token_create(
                actor=actor, integration=integration, scopes=form.cleaned_data["scopes"]
            ),
        )
        if isinstance(issued, IssuedToken):
            # Shown on this answer only: the secret is not stored, so it cannot be shown again.
            return render(
                request,
                "api/token_created.html",
                {"integration": integration, "issued": issued},
            )
    return render(request, "api/token_form.html", {"form": form, "integration": integration})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    token = get_object_or_404(ApiToken.objects.select_related("integration"), pk=token_id)
    if request.method == "POST":
        try:
            api_token_revoke(actor=actor, token=token)
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(
                request, _("The token %(prefix)s has been revoked.") % {"prefix": token.prefix}
            )
        return redirect("integrations:list")
    return render(request, "api/token_revoke.html", {"token": token})
