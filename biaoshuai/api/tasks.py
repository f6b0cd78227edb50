"""Background jobs: webhook call-backs (retried with back-off) and reading the mailbox."""

from django_tasks import task


@task()
def webhook_deliver(*, delivery_id):
    """Attempt a webhook delivery; on failure, queue the next attempt for later when the
    task backend can defer (otherwise `manage.py api_webhooks_retry` picks it up)."""
    from .models import WebhookDelivery
    from .services import webhook_attempt

    delivery = webhook_attempt(delivery_id=delivery_id)
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return delivery.state if delivery else None
    if webhook_deliver.get_backend().supports_defer:
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)
    return delivery.state


@task()
def mailbox_fetch_task():
    """Read new messages from the opinion mailbox (IMAP_* settings) into opinions."""
    from biaoshuai.opinions.mailbox import mailbox_fetch

    result = mailbox_fetch()
    return {"created": result.created, "skipped": result.skipped, "failed": result.failed}
