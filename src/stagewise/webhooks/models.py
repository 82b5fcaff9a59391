"""Webhooks (ADR 0054): an integration (ADR 0051) subscribes an address of its system to events;
each event becomes one delivery per subscription, signed, retried with backoff and logged
attempt by attempt. A delivery carries ids and the event's type, never what the ids are about:
the receiver fetches that through the API, which shows it only what its role may see.

Deliveries and attempts reach no learner by a key (their ids are in the JSON they send), so the
daily retention review removes them after their schedule (data_protection/registry.py,
ABOUT_NO_ONE_LEARNER)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise.api.models import Integration


class EventType(models.TextChoices):
    PLAN_FINALISED = "plan.finalised", _("A plan is finalised")
    REQUEST_STATUS_CHANGED = (
        "request_for_assistance.status_changed",
        _("A request for assistance changes status"),
    )
    LEARNER_TRANSFERRED = "learner.transferred", _("A learner's record is transferred")


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    REMOVED = "removed", _("Removed")


class WebhookSubscription(models.Model):
    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    target_url = models.URLField(_("address"), max_length=500)
    event_types = models.JSONField(_("events"), default=list)
    # The signing secret, encrypted under a key derived from settings.SECRET_KEY (encryption.py):
    # it must be read to sign, so it cannot be kept as a digest like a token.
    encrypted_secret = models.BinaryField()
    # The start of the secret, to tell subscriptions' secrets apart on the page, as a token's.
    secret_hint = models.CharField(max_length=16)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.ACTIVE,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.target_url

    @property
    def event_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [str(labels.get(event_type, event_type)) for event_type in self.event_types]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, to be tried again")
    DELIVERED = "delivered", _("Delivered")
    GIVEN_UP = "given_up", _("Given up")


# Deliveries the task still has to make.
OUTSTANDING = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The event's id, the same in every subscription's delivery of it: receivers use it to
    # ignore a delivery they have had before (a retry after a lost answer).
    event_id = models.UUIDField(default=uuid.uuid4)
    event_type = models.CharField(max_length=60, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    # The ids the event is about ({"learner": ..., "plan": ...}): nothing else.
    data = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The last attempt's answer, as the page shows it: "HTTP 500", or what went wrong.
    last_response = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once_a_subscription"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["created_at"], name="webhook_delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField()
    # The receiver's HTTP status, or, when there was none, what went wrong (a timeout, a refusal).
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["attempted_at", "pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.attempted_at:%Y-%m-%d %H:%M:%S}"
