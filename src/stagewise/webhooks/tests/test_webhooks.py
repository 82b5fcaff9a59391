"""Webhooks (ADR 0054): who is told of an event, what a delivery carries and how it is signed,
retries on the schedule, giving up, and the addresses refused. Deliveries go to a real HTTP
server on 127.0.0.1 in a thread (allowed by WEBHOOKS_ALLOW_LOCAL, as in a test or a demo). Who
reaches the administration pages is in the access harness (webhooks/tests/access_matrix.py)."""

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.fernet import InvalidToken
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.api.models import Integration
from stagewise.api.services import integration_create
from stagewise.conftest import build_world, make_support_lead
from stagewise.coordination.services import request_send
from stagewise.data_protection.services import retention_review_run
from stagewise.learners.models import Learner
from stagewise.organisations.models import Agency, Role
from stagewise.policy import SYSTEM
from stagewise.testing.access_harness import drafted_request
from stagewise.testing.plans import acting, finalised_plan
from stagewise.testing.worlds import built_once_per_module
from stagewise.transfers.services import record_transfer_export
from stagewise.webhooks.events import webhook_event_emit
from stagewise.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
)
from stagewise.webhooks.sending import (
    MAX_ATTEMPTS,
    RETRY_AFTER,
    delivery_attempt,
    secret_decrypt,
    secret_encrypt,
)
from stagewise.webhooks.services import (
    webhook_deliveries_requeue,
    webhook_delivery_resend,
    webhook_subscription_create,
)
from stagewise.webhooks.tasks import deliver_webhook


@dataclass
class Received:
    """What the receiver was sent, and the statuses it answers with, in turn (then 200)."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, Received]]:
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append((dict(self.headers), body))
            status = received.answers.pop(0) if received.answers else 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks?from=stagewise", received
    server.shutdown()
    server.server_close()


@dataclass
class HookWorld:
    learner: Learner
    service: Agency  # the speech and language therapy service involved with her
    support_lead: User  # at her school
    school_system: Integration  # Riverside's, as its support-for-learning lead: sees the learner
    fife_system: Integration  # Fife's authority's: does not
    url: str
    received: Received
    secret: str


def _build(url: str, received: Received) -> HookWorld:
    world = build_world()
    school_system = integration_create(
        actor=SYSTEM,
        name="Riverside MIS",
        role=Role.SUPPORT_FOR_LEARNING_LEAD,
        setting=world.school,
    )
    fife_system = integration_create(
        actor=SYSTEM,
        name="Fife case system",
        role=Role.LOCAL_AUTHORITY_OFFICER,
        authority=world.fife_school.authority,
    )
    with override_settings(WEBHOOKS_ALLOW_LOCAL=True):
        issued = webhook_subscription_create(
            actor=SYSTEM,
            integration=school_system,
            target_url=url,
            event_types=EventType.values,
        )
        webhook_subscription_create(
            actor=SYSTEM, integration=fife_system, target_url=url, event_types=EventType.values
        )
    return HookWorld(
        world.learner,
        world.agency,
        make_support_lead(world),
        school_system,
        fife_system,
        url,
        received,
        issued.secret,
    )


@pytest.fixture(scope="module")
def module_world(
    receiver: tuple[str, Received], django_db_setup: None, django_db_blocker: Any
) -> Iterator[HookWorld]:
    with built_once_per_module(lambda: _build(*receiver), django_db_blocker) as built:
        yield built


@pytest.fixture
def hooks(module_world: HookWorld, db: None, settings: Any) -> HookWorld:
    settings.WEBHOOKS_ALLOW_LOCAL = True
    module_world.received.requests.clear()
    module_world.received.answers.clear()
    deliver_webhook.get_backend().clear()  # type: ignore[attr-defined]
    return module_world


def _emit(hooks: HookWorld) -> WebhookDelivery:
    (delivery,) = webhook_event_emit(
        event_type=EventType.PLAN_FINALISED,
        learner=hooks.learner,
        data={"plan": "5c0b3a52-7d6e-4d57-9a4e-6b0f6f1d2a10"},
    )
    return delivery


def verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, as docs/howto/webhooks.md shows it."""
    signed = headers["Stagewise-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["Stagewise-Signature"])


def test_a_delivery_reaches_the_receiver_signed_with_ids_only(hooks):
    delivery = _emit(hooks)

    assert delivery_attempt(delivery.pk) == DeliveryStatus.DELIVERED

    ((headers, body),) = hooks.received.requests
    assert json.loads(body) == {
        "id": str(delivery.event_id),
        "type": "plan.finalised",
        "occurred_at": delivery.occurred_at.isoformat(),
        "data": {
            "learner": str(hooks.learner.public_id),
            "plan": "5c0b3a52-7d6e-4d57-9a4e-6b0f6f1d2a10",
        },
    }
    assert headers["Content-Type"] == "application/json"
    assert headers["Stagewise-Event-Id"] == str(delivery.event_id)
    assert headers["Stagewise-Event-Type"] == "plan.finalised"
    assert verified(hooks.secret, headers, body)
    assert not verified(hooks.secret, headers, body.replace(b"plan", b"plam"))
    assert not verified("whsec_another", headers, body)
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_response) == (1, "HTTP 200")
    # Run again (a task given twice): not due, nothing more is sent.
    assert delivery_attempt(delivery.pk) is None
    assert len(hooks.received.requests) == 1


def test_a_failed_attempt_is_retried_on_the_schedule_then_delivered(
    hooks, django_capture_on_commit_callbacks
):
    delivery = _emit(hooks)
    hooks.received.answers.append(500)
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        first = delivery_attempt(delivery.pk, now=now)

    delivery.refresh_from_db()
    assert (first, delivery.attempts, delivery.last_response) == ("retrying", 1, "HTTP 500")
    assert delivery.next_attempt_at == now + RETRY_AFTER[0] == now + timedelta(minutes=1)
    (queued,) = deliver_webhook.get_backend().results  # type: ignore[attr-defined]
    assert (queued.args, queued.task.run_after) == ([delivery.pk], delivery.next_attempt_at)
    assert delivery_attempt(delivery.pk, now=now + timedelta(seconds=30)) is None  # not yet

    assert delivery_attempt(delivery.pk, now=now + timedelta(minutes=1)) == "delivered"
    assert list(
        WebhookAttempt.objects.filter(delivery=delivery).values_list("response_status", flat=True)
    ) == [500, 200]


def test_after_the_last_attempt_it_is_given_up_and_may_be_sent_again(
    hooks, django_capture_on_commit_callbacks
):
    delivery = _emit(hooks)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    hooks.received.answers.append(302)  # a redirect is not followed: it is not a delivery

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_attempt(delivery.pk) == DeliveryStatus.GIVEN_UP

    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at) == (MAX_ATTEMPTS, None)
    assert delivery.last_response == "HTTP 302"
    assert len(hooks.received.requests) == 1
    assert deliver_webhook.get_backend().results == []  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_resend(actor=SYSTEM, delivery=delivery)
    assert delivery_attempt(delivery.pk) == DeliveryStatus.DELIVERED


def test_only_an_integration_that_sees_the_learner_is_told_and_queries_do_not_grow(hooks):
    with CaptureQueriesContext(connection) as two:
        deliveries = webhook_event_emit(
            event_type=EventType.LEARNER_TRANSFERRED, learner=hooks.learner, data={}
        )
    assert [delivery.subscription.integration for delivery in deliveries] == [hooks.school_system]
    for integration in (hooks.school_system, hooks.fife_system):
        webhook_subscription_create(
            actor=SYSTEM,
            integration=integration,
            target_url=hooks.url,
            event_types=[EventType.LEARNER_TRANSFERRED],
        )
    with CaptureQueriesContext(connection) as four:
        deliveries = webhook_event_emit(
            event_type=EventType.LEARNER_TRANSFERRED, learner=hooks.learner, data={}
        )

    assert {delivery.subscription.integration for delivery in deliveries} == {hooks.school_system}
    assert len(deliveries) == 2
    assert len(four) == len(two)


def test_a_request_sent_makes_a_delivery_but_not_when_its_transaction_is_rolled_back(
    hooks, django_capture_on_commit_callbacks
):
    request = drafted_request(hooks.learner, hooks.service, consented=True)
    before = WebhookDelivery.objects.count()

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        request_send(actor=SYSTEM, request=request)
        transaction.set_rollback(True)
    assert (callbacks, WebhookDelivery.objects.count()) == ([], before)

    with django_capture_on_commit_callbacks(execute=True):
        request_send(actor=SYSTEM, request=request)
    (delivery,) = WebhookDelivery.objects.filter(event_type=EventType.REQUEST_STATUS_CHANGED)
    assert delivery.data == {
        "learner": str(hooks.learner.public_id),
        "request": str(request.public_id),
    }
    assert delivery.subscription.integration == hooks.school_system
    (queued,) = deliver_webhook.get_backend().results  # type: ignore[attr-defined]
    assert queued.args == [delivery.pk]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.org/hooks", "Enter an address that starts with https://"),
        ("example.org/hooks", "Enter an address that starts with https://"),
        ("https://", "Enter a full web address"),
        ("https://someone:secret@example.org/", "without a user name or password"),
        ("https://127.0.0.1/hooks", "127.0.0.1 is on a private or local network"),
        ("https://10.1.2.3/hooks", "10.1.2.3 is on a private or local network"),
        ("https://169.254.169.254/latest", "169.254.169.254 is on a private or local network"),
        ("https://[::1]:8443/hooks", "::1 is on a private or local network"),
        ("https://[::ffff:192.168.0.1]/", "is on a private or local network"),
    ],
)
def test_addresses_that_are_not_https_on_the_public_internet_are_refused(
    hooks, settings, url, message
):
    settings.WEBHOOKS_ALLOW_LOCAL = False

    with pytest.raises(ValidationError) as refused:
        webhook_subscription_create(
            actor=SYSTEM,
            integration=hooks.school_system,
            target_url=url,
            event_types=[EventType.PLAN_FINALISED],
        )

    assert message in refused.value.message_dict["target_url"][0]


def test_a_lost_delivery_is_queued_again_and_old_ones_go_with_the_retention_review(
    hooks, django_capture_on_commit_callbacks
):
    lost, recent, old = _emit(hooks), _emit(hooks), _emit(hooks)
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=lost.pk).update(next_attempt_at=now - timedelta(minutes=11))
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=367), status=DeliveryStatus.DELIVERED
    )
    WebhookAttempt.objects.create(delivery=old, attempted_at=now, duration_ms=5)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = webhook_deliveries_requeue(actor=SYSTEM, now=now)
    review = retention_review_run(actor=SYSTEM)

    queued = deliver_webhook.get_backend().results  # type: ignore[attr-defined]
    assert (requeued, [result.args for result in queued]) == (1, [[lost.pk]])
    assert review.expired["webhooks.WebhookDelivery"] == {"deleted": 2}  # with its attempt
    assert set(WebhookDelivery.objects.filter(pk__in=[lost.pk, recent.pk, old.pk])) == {
        lost,
        recent,
    }


def test_a_signing_secret_is_kept_encrypted_and_read_while_its_key_is_a_fallback(settings):
    kept = secret_encrypt("whsec_kept")
    assert b"whsec_kept" not in kept

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-after-a-rotation-0123456789-abcdefghijklmnopqrstuvwxyz"
    assert secret_decrypt(kept) == "whsec_kept"

    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(InvalidToken):
        secret_decrypt(kept)


def test_a_plan_finalised_and_a_record_transferred_tell_the_school_system_their_ids(hooks):
    plan = finalised_plan(
        acting(hooks.support_lead), hooks.learner, "individualised_educational_programme"
    )
    envelope = record_transfer_export(actor=acting(hooks.support_lead), learner=hooks.learner)

    told = WebhookDelivery.objects.filter(
        subscription__integration=hooks.school_system,
        event_type__in=[EventType.PLAN_FINALISED, EventType.LEARNER_TRANSFERRED],
    ).order_by("pk")
    learner = str(hooks.learner.public_id)
    assert [(delivery.event_type, delivery.data) for delivery in told] == [
        ("plan.finalised", {"learner": learner, "plan": str(plan.public_id)}),
        (
            "learner.transferred",
            {
                "learner": learner,
                "transfer": envelope["document"]["transfer_id"],
                "direction": "sent",
            },
        ),
    ]
