"""Opinions taken in from outside: pushes through the API made safe to retry, and the
call-backs (webhooks) to the integrator when a reply is published."""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .codes import code_display, code_seal, code_unseal
from .models import IdempotencyKey, PushedOpinion, WebhookDelivery

EVENT_REPLY_PUBLISHED = "opinion.reply_published"

WEBHOOK_MAX_ATTEMPTS = 8
WEBHOOK_FIRST_DELAY = 30  # seconds; doubled after each failed attempt
WEBHOOK_TIMEOUT = 10


class IdempotencyConflict(Exception):
    """The key was used before with another request body."""


class DuplicateExternalId(Exception):
    def __init__(self, opinion_id):
        super().__init__(opinion_id)
        self.opinion_id = opinion_id


def request_hash(data):
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def opinion_push(*, token, by, key, data, take_in, record_call=None):
    """Take an opinion in once per (token, Idempotency-Key): (status, body, replayed).

    One transaction: the key, the opinion, its audit event and, through `record_call(status)`
    when given, the call's own audit event.

    The key's row is inserted first, in this transaction: a concurrent retry with the same
    key blocks on the unique constraint until this one commits, then reads what it stored.
    `take_in()` records the opinion and returns (opinion, tracking code).
    """
    record = None
    if key:
        digest = request_hash(data)
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(token=token, key=key, request_hash=digest)
        except IntegrityError:
            stored = IdempotencyKey.objects.get(token=token, key=key)
            if stored.request_hash != digest:
                raise IdempotencyConflict() from None
            body = dict(stored.response)
            sealed = body.pop("sealed", None)
            if sealed:
                body["tracking_code"] = code_display(code_unseal(*sealed))
            if record_call is not None:
                record_call(stored.status)
            return stored.status, body, True
    external_id = (data.get("external_id") or "").strip()
    if token is not None and external_id:
        existing = PushedOpinion.objects.filter(token=token, external_id=external_id).first()
        if existing is not None:
            raise DuplicateExternalId(existing.opinion_id)
    opinion, code = take_in()
    if token is not None:
        PushedOpinion.objects.create(token=token, opinion=opinion, external_id=external_id)
    body = {
        "id": opinion.pk,
        "external_id": external_id,
        "state": opinion.state,
        "received_on": opinion.received_on.isoformat(),
    }
    if record is not None:
        # The code is kept sealed (as the opinions app does), never in clear.
        record.status, record.response = 201, {**body, "sealed": list(code_seal(code))}
        record.save(update_fields=["status", "response"])
    if record_call is not None:
        record_call(201)
    return 201, {**body, "tracking_code": code_display(code)}, False


def webhook_deliveries_create(*, opinion, event):
    """Queue a call-back to the token that pushed `opinion`, if it has a webhook."""
    push = (
        PushedOpinion.objects.select_related("token")
        .filter(opinion=opinion, token__revoked_at__isnull=True)
        .exclude(token__webhook_url="")
        .first()
    )
    if push is None:
        return None
    delivery = WebhookDelivery.objects.create(
        token=push.token,
        event=event,
        opinion=opinion,
        payload={
            "event": event,
            "opinion": {
                "id": opinion.pk,
                "external_id": push.external_id,
                "state": opinion.state,
                "reply": opinion.reply,
                "reply_published_at": opinion.reply_published_at.isoformat()
                if opinion.reply_published_at
                else None,
            },
        },
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: webhook_deliver.enqueue(delivery_id=delivery.pk))
    return delivery


def webhook_signature(secret, timestamp, body):
    """hex HMAC-SHA256 of "<timestamp>.<body>" with the token's webhook secret."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_attempt(*, delivery_id, now=None):
    """POST one delivery; on failure schedule the next attempt with exponential back-off.

    Returns the delivery, or None when there is nothing to do (already delivered, or
    claimed by another worker).
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("token")
            .filter(pk=delivery_id, state=WebhookDelivery.State.PENDING)
            .first()
        )
        if delivery is None:
            return None
        # Claim it: another worker finding it meanwhile waits for the next slot.
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=WEBHOOK_TIMEOUT * 3)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    token = delivery.token
    body = json.dumps(
        {**delivery.payload, "delivery": delivery.pk}, ensure_ascii=False, sort_keys=True
    ).encode()
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        token.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Biaoshuai-Webhook/1",
            "X-Biaoshuai-Event": delivery.event,
            "X-Biaoshuai-Delivery": str(delivery.pk),
            "X-Biaoshuai-Timestamp": timestamp,
            "X-Biaoshuai-Signature": "sha256="
            + webhook_signature(token.webhook_secret, timestamp, body),
        },
    )
    status, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(exc)[:500]
    delivery.last_status, delivery.last_error = status, error
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
            WebhookDelivery.State.DELIVERED,
            timezone.now(),
            None,
        )
    elif delivery.attempts >= WEBHOOK_MAX_ATTEMPTS:
        delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
    else:
        delay = WEBHOOK_FIRST_DELAY * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = now + timedelta(seconds=delay)
    delivery.save(
        update_fields=["state", "last_status", "last_error", "delivered_at", "next_attempt_at"]
    )
    return delivery


@task()
def webhook_deliver(*, delivery_id):
    """Attempt a webhook delivery; on failure, queue the next attempt for later when the
    task backend can defer (otherwise `manage.py api_webhooks_retry` picks it up)."""
    delivery = webhook_attempt(delivery_id=delivery_id)
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return delivery.state if delivery else None
    if webhook_deliver.get_backend().supports_defer:
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)
    return delivery.state


def webhook_retry_due(*, now=None):
    """Attempt every pending delivery whose time has come (the periodic command calls it)."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return [webhook_attempt(delivery_id=pk, now=now) for pk in list(due[:500])]
