"""An integration's webhooks, kept by system administrators on the administration pages (ADR
0054), through the services. Anyone else is told nothing is there (404): a delivery list is a
trace of events about learners."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from stagewise.api.models import Integration
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.policy import Capability, may
from stagewise.webhooks.forms import SubscriptionForm
from stagewise.webhooks.models import WebhookDelivery, WebhookSubscription
from stagewise.webhooks.services import (
    IssuedSecret,
    webhook_delivery_resend,
    webhook_subscription_create,
    webhook_subscription_pause,
    webhook_subscription_remove,
    webhook_subscription_resume,
)

RECENT_DELIVERIES = 50
CHANGES = {
    "pause": (webhook_subscription_pause, gettext_lazy("The subscription has been paused.")),
    "resume": (webhook_subscription_resume, gettext_lazy("The subscription has been resumed.")),
    "remove": (webhook_subscription_remove, gettext_lazy("The subscription has been removed.")),
}


def _require_administrator(request: HttpRequest) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    if not may(actor, Capability.ADMINISTER_ORGANISATIONS):
        raise Http404
    return actor


@login_required
def webhook_list_view(request: HttpRequest, integration_id: int) -> HttpResponse:
    _require_administrator(request)
    integration = get_object_or_404(Integration, pk=integration_id)
    deliveries = (
        WebhookDelivery.objects.filter(subscription__integration=integration)
        .select_related("subscription")
        .order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    )
    return render(
        request,
        "webhooks/webhook_list.html",
        {
            "integration": integration,
            "subscriptions": integration.webhook_subscriptions.all(),
            "deliveries": deliveries,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create_view(request: HttpRequest, integration_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    integration = get_object_or_404(Integration, pk=integration_id)
    form = SubscriptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        issued = save_or_show_errors(
            form,
            lambda: webhook_subscription_create(
                actor=actor, integration=integration, **form.cleaned_data
            ),
        )
        if isinstance(issued, IssuedSecret):
            # Shown on this answer only: the page never shows the secret again.
            return render(
                request,
                "webhooks/secret_created.html",
                {"integration": integration, "issued": issued},
            )
    return render(
        request, "webhooks/subscription_form.html", {"form": form, "integration": integration}
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_change_view(request: HttpRequest, subscription_id: int, change: str) -> HttpResponse:
    actor = _require_administrator(request)
    subscription = get_object_or_404(
        WebhookSubscription.objects.select_related("integration"), pk=subscription_id
    )
    service, done = CHANGES[change]
    if request.method == "POST":
        try:
            service(actor=actor, subscription=subscription)
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, str(done))
        return redirect("integrations:webhooks", subscription.integration_id)
    return render(
        request,
        "webhooks/subscription_change.html",
        {"subscription": subscription, "change": change},
    )


@login_required
@require_POST
def webhook_resend_view(request: HttpRequest, delivery_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    delivery = get_object_or_404(
        WebhookDelivery.objects.select_related("subscription"), pk=delivery_id
    )
    try:
        webhook_delivery_resend(actor=actor, delivery=delivery)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, _("The delivery will be sent again now."))
    return redirect("integrations:webhooks", delivery.subscription.integration_id)
