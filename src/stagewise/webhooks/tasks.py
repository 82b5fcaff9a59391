"""Webhook deliveries on Django's tasks framework (`stagewise db_worker`, ADR 0054)."""

from django.tasks import task

from stagewise.webhooks.sending import delivery_attempt


@task(backend="webhooks")
def deliver_webhook(delivery_id: int) -> str | None:
    """One attempt at a delivery; a failed one queues the next itself, on the retry schedule.
    Safe to run twice: a delivery not due (delivered, given up, paused, claimed by another
    worker) is left as it is."""
    return delivery_attempt(delivery_id)


@task
def webhook_deliveries_sweep() -> int:
    """Queues again the deliveries that are due but whose task was lost."""
    from stagewise.policy import SYSTEM
    from stagewise.webhooks.services import webhook_deliveries_requeue

    return webhook_deliveries_requeue(actor=SYSTEM)
