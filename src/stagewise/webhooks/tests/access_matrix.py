"""Who reaches an integration's webhook pages (ADR 0054), run by
stagewise/tests/test_access_harness.py on its world: system administrators only; everyone else
is told nothing is there (404), and a write they try changes nothing. Each check makes its
integration itself (a few rows, rolled back with the test)."""

import re

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from stagewise.api.models import Integration
from stagewise.api.services import integration_create
from stagewise.audit.models import AuditEvent
from stagewise.organisations.models import Role
from stagewise.policy import SYSTEM
from stagewise.testing.access_harness import Specification, World, text
from stagewise.webhooks.models import (
    DeliveryStatus,
    EventType,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from stagewise.webhooks.services import webhook_subscription_create

RECEIVER = "https://127.0.0.1:9/hooks"  # nothing is sent: the checks make no delivery attempt


def _integration(world: World) -> Integration:
    return integration_create(
        actor=SYSTEM,
        name="Riverside MIS",
        role=Role.HEAD_TEACHER,
        setting=world.users["support_lead"].memberships.get().setting,
    )


def check_only_administrators_reach_the_webhook_pages(world: World, spec: Specification) -> None:
    integration = _integration(world)
    with override_settings(WEBHOOKS_ALLOW_LOCAL=True):
        subscription = webhook_subscription_create(
            actor=SYSTEM,
            integration=integration,
            target_url=RECEIVER,
            event_types=[EventType.PLAN_FINALISED],
        ).subscription
    given_up = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type=EventType.PLAN_FINALISED,
        occurred_at=timezone.now(),
        status=DeliveryStatus.GIVEN_UP,
        attempts=6,
    )
    pages = [
        reverse("integrations:webhooks", args=[integration.pk]),
        reverse("integrations:webhook_create", args=[integration.pk]),
        *(
            reverse(f"integrations:webhook_{change}", args=[subscription.pk])
            for change in ("pause", "resume", "remove")
        ),
    ]
    resend = reverse("integrations:webhook_resend", args=[given_up.pk])
    wrong = []
    for name in spec.actors:
        client = world.client(name)
        expected = 200 if name == "administrator" else 404
        wrong += [(name, page) for page in pages if client.get(page).status_code != expected]
        if name != "administrator":
            added = {"target_url": RECEIVER, "event_types": ["plan.finalised"]}
            posted = [
                client.post(resend).status_code,
                client.post(pages[1], added).status_code,
                client.post(pages[4]).status_code,  # remove
            ]
            if posted != [404, 404, 404]:
                wrong.append((name, "writes"))

    assert wrong == []
    given_up.refresh_from_db()
    subscription.refresh_from_db()
    assert (given_up.status, subscription.status) == ("given_up", "active")
    assert WebhookSubscription.objects.filter(integration=integration).count() == 1
    administrator = world.client("administrator")
    unknown = reverse("integrations:webhooks", args=[999_999])
    assert administrator.get(unknown).status_code == 404
    assert administrator.post(resend).status_code == 302
    given_up.refresh_from_db()
    assert given_up.status == DeliveryStatus.PENDING


def check_an_administrator_subscribes_with_clear_errors_and_the_secret_shown_once(
    world: World, spec: Specification
) -> None:
    integration = _integration(world)
    administrator = world.client("administrator")
    add = reverse("integrations:webhook_create", args=[integration.pk])

    empty = administrator.post(add, {})
    plain = administrator.post(add, {"target_url": "http://example.org/hooks", "event_types": []})
    private = administrator.post(
        add, {"target_url": "https://10.0.0.5/hooks", "event_types": ["plan.finalised"]}
    )
    unknown_event = administrator.post(
        add, {"target_url": RECEIVER, "event_types": ["plan.deleted"]}
    )

    assert [page.status_code for page in (empty, plain, private, unknown_event)] == [200] * 4
    assert "Enter the address to send events to." in text(empty)
    assert "Choose at least one event." in text(empty)
    assert "Enter an address that starts with https://" in text(plain)
    assert "10.0.0.5 is on a private or local network" in text(private)
    assert "Choose events from the list." in text(unknown_event)
    assert not WebhookSubscription.objects.filter(integration=integration).exists()

    with override_settings(WEBHOOKS_ALLOW_LOCAL=True):
        shown = administrator.post(
            add, {"target_url": RECEIVER, "event_types": ["plan.finalised", "learner.transferred"]}
        )
    secret = re.search(r"<code data-secret>(whsec_[\w-]+)</code>", shown.content.decode())
    assert secret is not None
    subscription = WebhookSubscription.objects.get(integration=integration)
    assert subscription.event_types == ["plan.finalised", "learner.transferred"]
    listed = administrator.get(reverse("integrations:webhooks", args=[integration.pk]))
    assert secret[1] not in listed.content.decode()
    assert f"{subscription.secret_hint}…" in text(listed)
    assert secret[1].encode() not in bytes(subscription.encrypted_secret)

    for change, status in (("pause", "paused"), ("resume", "active"), ("remove", "removed")):
        done = administrator.post(reverse(f"integrations:webhook_{change}", args=[subscription.pk]))
        subscription.refresh_from_db()
        assert (done.status_code, subscription.status) == (302, status)
    assert subscription.status == SubscriptionStatus.REMOVED
    assert (
        AuditEvent.objects.filter(
            object_type="webhook_subscription", role=Role.SYSTEM_ADMINISTRATOR
        ).count()
        == 4
    )


CHECKS = [
    check_only_administrators_reach_the_webhook_pages,
    check_an_administrator_subscribes_with_clear_errors_and_the_secret_shown_once,
]
