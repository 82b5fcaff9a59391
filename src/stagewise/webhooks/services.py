"""Every write about webhook subscriptions and their deliveries (ADR 0054). Only a system
administrator subscribes an integration, pauses, resumes or removes a subscription, or sends a
given-up delivery again; each is audited. The signing secret is returned once, to be shown
once. Stagewise itself queues lost deliveries again and removes old ones."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.api.models import Integration
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.data_protection.retention import years_before
from stagewise.policy import Capability, SystemProcess, require
from stagewise.webhooks.addresses import AddressRefused, target_of
from stagewise.webhooks.models import (
    OUTSTANDING,
    DeliveryStatus,
    EventType,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from stagewise.webhooks.sending import delivery_enqueue, secret_encrypt

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User

PURPOSE = "configure webhooks"
SECRET_START = "whsec"  # noqa: S105 (the start every signing secret shares, not a secret)
# A delivery due this long ago and still outstanding has lost its task (a worker stopped).
LOST_AFTER = timedelta(minutes=10)
REQUEUED_AT_ONCE = 1000


@dataclass(frozen=True)
class IssuedSecret:
    subscription: WebhookSubscription
    # The signing secret, shown once: it is kept encrypted and never shown again.
    secret: str


def _user(actor: "Actor | SystemProcess") -> "User | None":
    return None if isinstance(actor, SystemProcess) else actor.user


def _audit(
    actor: "Actor | SystemProcess",
    subscription: WebhookSubscription,
    changes: dict[str, list[object]],
    action: str = AuditAction.UPDATE,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="webhook_subscription",
        object_id=str(subscription.pk),
        purpose=PURPOSE,
        changes=changes,
    )


@transaction.atomic
def webhook_subscription_create(
    *,
    actor: "Actor | SystemProcess",
    integration: Integration,
    target_url: str,
    event_types: list[str],
) -> IssuedSecret:
    """Subscribes an address of the integration's system to events, with a new signing secret."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    target_url = (target_url or "").strip()
    chosen = [event_type for event_type in EventType.values if event_type in (event_types or [])]
    if not chosen or set(event_types) - set(EventType.values):
        raise ValidationError({"event_types": _("Choose at least one event from the list.")})
    if len(target_url) > 500:
        raise ValidationError({"target_url": _("Enter an address of 500 characters or fewer.")})
    try:
        target_of(target_url)
    except AddressRefused as refused:
        raise ValidationError({"target_url": str(refused)}) from None
    secret = f"{SECRET_START}_{secrets.token_urlsafe(32)}"
    subscription = WebhookSubscription.objects.create(
        integration=integration,
        target_url=target_url,
        event_types=chosen,
        encrypted_secret=secret_encrypt(secret),
        secret_hint=secret[:10],
        created_by=_user(actor),
    )
    _audit(
        actor,
        subscription,
        {
            "integration": [None, integration.name],
            "target_url": [None, target_url],
            "event_types": [None, chosen],
        },
        action=AuditAction.CREATE,
    )
    return IssuedSecret(subscription=subscription, secret=secret)


def _status_set(
    actor: "Actor | SystemProcess",
    subscription: WebhookSubscription,
    *,
    allowed_from: tuple[str, ...],
    to: str,
    refusal: str,
) -> WebhookSubscription:
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.status not in allowed_from:
        raise ValidationError(refusal)
    before, locked.status = locked.status, to
    locked.save(update_fields=["status"])
    _audit(actor, locked, {"status": [before, to]})
    return locked


@transaction.atomic
def webhook_subscription_pause(
    *, actor: "Actor | SystemProcess", subscription: WebhookSubscription
) -> WebhookSubscription:
    """Nothing is sent while paused; events still make deliveries, sent once it resumes."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    return _status_set(
        actor,
        subscription,
        allowed_from=(SubscriptionStatus.ACTIVE,),
        to=SubscriptionStatus.PAUSED,
        refusal=_("Only an active subscription can be paused."),
    )


@transaction.atomic
def webhook_subscription_resume(
    *, actor: "Actor | SystemProcess", subscription: WebhookSubscription
) -> WebhookSubscription:
    """Sends again: what waited while it was paused goes now."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    resumed = _status_set(
        actor,
        subscription,
        allowed_from=(SubscriptionStatus.PAUSED,),
        to=SubscriptionStatus.ACTIVE,
        refusal=_("Only a paused subscription can be resumed."),
    )
    now = timezone.now()
    waiting = resumed.deliveries.filter(status__in=OUTSTANDING)
    waiting.filter(next_attempt_at__lt=now).update(next_attempt_at=now)
    for delivery_id in waiting.filter(next_attempt_at__lte=now).values_list("pk", flat=True):
        delivery_enqueue(delivery_id)
    return resumed


@transaction.atomic
def webhook_subscription_remove(
    *, actor: "Actor | SystemProcess", subscription: WebhookSubscription
) -> WebhookSubscription:
    """Stops it for good: nothing more is made or sent for it; its deliveries stay listed until
    the retention review removes them."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    removed = _status_set(
        actor,
        subscription,
        allowed_from=(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED),
        to=SubscriptionStatus.REMOVED,
        refusal=_("This subscription has already been removed."),
    )
    removed.deliveries.filter(status__in=OUTSTANDING).update(
        status=DeliveryStatus.GIVEN_UP,
        next_attempt_at=None,
        last_response="Not sent: the subscription was removed",
    )
    return removed


@transaction.atomic
def webhook_delivery_resend(
    *, actor: "Actor | SystemProcess", delivery: WebhookDelivery
) -> WebhookDelivery:
    """A given-up delivery, sent again now with the whole retry schedule ahead of it."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    locked = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("subscription")
        .get(pk=delivery.pk)
    )
    if locked.status != DeliveryStatus.GIVEN_UP:
        raise ValidationError(_("Only a delivery that was given up can be sent again."))
    if locked.subscription.status != SubscriptionStatus.ACTIVE:
        raise ValidationError(_("Resume the subscription before sending its deliveries again."))
    locked.status = DeliveryStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="webhook_delivery",
        object_id=str(locked.event_id),
        purpose=PURPOSE,
        changes={"status": [DeliveryStatus.GIVEN_UP, DeliveryStatus.PENDING]},
    )
    delivery_enqueue(locked.pk)
    return locked


def webhook_deliveries_requeue(*, actor: SystemProcess, now: datetime | None = None) -> int:
    """Queues again the outstanding deliveries of active subscriptions that have been due for a
    while: their task was lost (a worker stopped mid-attempt, a queue restored from a backup).
    Run by the deadline sweep daily and by `stagewise webhook_deliveries_sweep`."""
    _require_stagewise_itself(actor)
    now = now or timezone.now()
    lost = list(
        WebhookDelivery.objects.filter(
            status__in=OUTSTANDING,
            next_attempt_at__lte=now - LOST_AFTER,
            subscription__status=SubscriptionStatus.ACTIVE,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:REQUEUED_AT_ONCE]
    )
    with transaction.atomic():
        # Due now, so that the attempt's claim takes it (a crashed attempt's lease has passed).
        WebhookDelivery.objects.filter(pk__in=lost).update(next_attempt_at=now)
        for delivery_id in lost:
            delivery_enqueue(delivery_id)
    return len(lost)


@dataclass(frozen=True)
class WebhookDeliveriesExpired:
    deleted: int


def webhook_deliveries_expire(
    *, actor: SystemProcess, kept_for_years: int, today: date | None = None
) -> WebhookDeliveriesExpired:
    """Run by the daily retention review (data_protection/registry.py, ABOUT_NO_ONE_LEARNER):
    deliveries made before their schedule's years, with their attempts, are deleted. Counts
    only."""
    _require_stagewise_itself(actor)
    today = today or timezone.localdate()
    deleted, _by_model = WebhookDelivery.objects.filter(
        created_at__date__lt=years_before(today, kept_for_years)
    ).delete()
    return WebhookDeliveriesExpired(deleted=deleted)


def _require_stagewise_itself(actor: object) -> None:
    """Every integration's deliveries at once: only Stagewise's own scheduled tasks."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own scheduled tasks sweep webhook deliveries.")
