"""Sending one delivery (ADR 0054, docs/howto/webhooks.md): a POST of the event as JSON, signed
with the subscription's secret, answered within ten seconds; redirects are not followed. A 2xx
answer delivers it; anything else, or no answer, is tried again on the schedule below, and after
the last attempt it is given up (an administrator may send it again)."""

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from stagewise.encryption import fernet_rotating
from stagewise.webhooks.addresses import AddressRefused, Target, target_of
from stagewise.webhooks.models import (
    OUTSTANDING,
    DeliveryStatus,
    SubscriptionStatus,
    WebhookAttempt,
    WebhookDelivery,
)

# The wait after each failed attempt; one attempt more than waits, then it is given up (about
# 14 hours and a half after the event).
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
TIMEOUT_SECONDS = 10
# While an attempt runs its delivery is not due, so that a second worker given the same delivery
# leaves it alone; if the worker dies, the sweep finds it due again when this has passed.
ATTEMPT_LEASE = timedelta(minutes=15)
SIGNATURE_HEADER = "Stagewise-Signature"
USER_AGENT = "Stagewise-Webhooks/1"
SECRET_USE = b"stagewise webhook signing secrets"


def _fernet() -> MultiFernet:
    return fernet_rotating([settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS], use=SECRET_USE)


def secret_encrypt(secret: str) -> bytes:
    return _fernet().encrypt(secret.encode("utf-8"))


def secret_decrypt(encrypted: bytes | memoryview) -> str:
    return _fernet().decrypt(bytes(encrypted)).decode("utf-8")


def signature_of(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of the timestamp, a full stop and the body, in hexadecimal."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {
            "id": str(delivery.event_id),
            "type": delivery.event_type,
            "occurred_at": delivery.occurred_at.isoformat(),
            "data": delivery.data,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")


def _post(target: Target, body: bytes, headers: dict[str, str]) -> int:
    """The receiver's HTTP status. Connects to the checked address itself (never a fresh lookup
    of the name), with the name kept for the certificate and the Host header."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host,
            target.port,
            timeout=TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=TIMEOUT_SECONDS)
    # http.client opens its socket through this attribute: pinning it to the checked address.
    connection._create_connection = lambda _address, *args: socket.create_connection(  # type: ignore[attr-defined]
        (target.address, target.port), *args
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1024)  # nothing of the answer is kept but its status
        return response.status
    finally:
        connection.close()


def _claimed(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """The delivery, if it is due and this attempt is the one to make it."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status__in=OUTSTANDING,
        next_attempt_at__lte=now,
        subscription__status=SubscriptionStatus.ACTIVE,
    ).update(next_attempt_at=now + ATTEMPT_LEASE)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


def delivery_attempt(delivery_id: int, *, now: datetime | None = None) -> str | None:
    """One attempt at the delivery, logged; its status after it, or None if it was not due
    (delivered, given up, paused, or not yet time): running a delivery's task twice sends once."""
    now = now or timezone.now()
    delivery = _claimed(delivery_id, now)
    if delivery is None:
        return None
    body = body_of(delivery)
    timestamp = int(now.timestamp())
    status_code: int | None = None
    error = ""
    started = time.monotonic()
    try:
        target = target_of(delivery.subscription.target_url)
        secret = secret_decrypt(delivery.subscription.encrypted_secret)
        status_code = _post(
            target,
            body,
            {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Stagewise-Event-Id": str(delivery.event_id),
                "Stagewise-Event-Type": delivery.event_type,
                "Stagewise-Timestamp": str(timestamp),
                SIGNATURE_HEADER: f"sha256={signature_of(secret, timestamp, body)}",
            },
        )
    except AddressRefused as refused:
        error = str(refused)
    except TimeoutError:
        error = f"No answer within {TIMEOUT_SECONDS} seconds"
    except (OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"
    except InvalidToken:
        # Kept under a secret key since rotated out of STAGEWISE_SECRET_KEY_FALLBACKS.
        error = "The signing secret cannot be read with this deployment's secret keys"
    duration_ms = int((time.monotonic() - started) * 1000)
    _record(delivery, now, status_code, error[:200], duration_ms)
    return delivery.status


def _record(
    delivery: WebhookDelivery,
    now: datetime,
    status_code: int | None,
    error: str,
    duration_ms: int,
) -> None:
    delivery.attempts += 1
    delivery.last_response = f"HTTP {status_code}" if status_code is not None else error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.GIVEN_UP
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + RETRY_AFTER[delivery.attempts - 1]
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            response_status=status_code,
            error="" if status_code is not None else error,
            duration_ms=duration_ms,
        )
        delivery.save(
            update_fields=[
                "attempts",
                "last_response",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
        if delivery.status == DeliveryStatus.RETRYING:
            delivery_enqueue(delivery.pk, run_after=delivery.next_attempt_at)


def delivery_enqueue(delivery_id: int, *, run_after: datetime | None = None) -> None:
    """Queues the delivery's task once the transaction commits (a write rolled back sends
    nothing); `run_after` for a retry."""
    from stagewise.webhooks.tasks import deliver_webhook

    if run_after is not None and not deliver_webhook.get_backend().supports_defer:
        # The immediate backend (a development machine's choice) cannot wait: the retry is
        # left to the sweep, which queues it once it is due.
        return
    queued = deliver_webhook if run_after is None else deliver_webhook.using(run_after=run_after)
    transaction.on_commit(lambda: queued.enqueue(delivery_id), robust=True)
