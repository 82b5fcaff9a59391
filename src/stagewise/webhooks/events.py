"""Emitting an event (ADR 0054): called by the services where it happens, inside their
transaction. Each active subscription to the event whose integration sees the learner, in its
role today, gets one delivery; the learner's id (and every other id) never reaches an
integration that could not fetch the learner. The deliveries are queued when the transaction
commits, so a write rolled back sends nothing. Three queries whatever the number of
subscriptions: the subscriptions, which of their integrations see the learner (one query with an
EXISTS each), and the deliveries' insert."""

import uuid

from django.db.models import Exists, OuterRef
from django.utils import timezone

from stagewise.api.authentication import integration_actor
from stagewise.learners.access import visible_learners
from stagewise.learners.models import Learner
from stagewise.organisations.models import Membership
from stagewise.webhooks.models import (
    DeliveryStatus,
    EventType,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from stagewise.webhooks.sending import delivery_enqueue


def webhook_event_emit(
    *, event_type: EventType, learner: Learner, data: dict[str, str]
) -> list[WebhookDelivery]:
    """`data` holds the ids the event is about besides the learner's (a plan's, a request's):
    ids only, never a name or words someone wrote."""
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(
            status=SubscriptionStatus.ACTIVE,
            integration__membership__in=Membership.objects.current(),
        ).select_related("integration__service_user", "integration__membership")
        # A JSON list: filtered here, as SQLite cannot look inside it (a handful of rows).
        if event_type in subscription.event_types
    ]
    if not subscriptions:
        return []
    sees = {
        f"sees_{subscription.pk}": Exists(
            visible_learners(
                integration_actor(subscription.integration, subscription.integration.membership)
            ).filter(pk=OuterRef("pk"))
        )
        for subscription in subscriptions
    }
    seen = Learner.objects.filter(pk=learner.pk).annotate(**sees).values(*sees).first() or {}
    now = timezone.now()
    event_id = uuid.uuid4()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event_id=event_id,
            event_type=event_type,
            occurred_at=now,
            data={"learner": str(learner.public_id), **data},
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
        )
        for subscription in subscriptions
        if seen.get(f"sees_{subscription.pk}")
    )
    for delivery in deliveries:
        delivery_enqueue(delivery.pk)
    return deliveries
