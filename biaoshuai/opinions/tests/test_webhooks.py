"""The integrator is called back, signed, when the reply to an opinion it pushed is published;
failed calls are retried with exponential back-off."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from biaoshuai.api.services import api_token_create
from biaoshuai.api.testing import auth
from biaoshuai.opinions.intake import (
    WEBHOOK_FIRST_DELAY,
    WEBHOOK_MAX_ATTEMPTS,
    webhook_retry_due,
)
from biaoshuai.opinions.models import Opinion, WebhookDelivery
from biaoshuai.opinions.services import opinion_approve, opinion_assign, opinion_reply, opinion_sign


@pytest.fixture
def receiver():
    """A web server on this machine that answers with the statuses queued in `.statuses`."""
    calls, statuses = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            calls.append((dict(self.headers), body))
            self.send_response(statuses.pop(0) if statuses else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield type(
        "Receiver",
        (),
        {
            "url": f"http://127.0.0.1:{server.server_port}/hook",
            "calls": calls,
            "statuses": statuses,
        },
    )
    server.shutdown()
    server.server_close()


def _publish_reply(opinion_id, unit):
    opinion = Opinion.objects.get(pk=opinion_id)
    opinion = opinion_assign(opinion=opinion, by=None, unit=unit, deadline=timezone.localdate())
    opinion = opinion_sign(opinion=opinion, by=None)
    opinion = opinion_reply(opinion=opinion, by=None, reply="已督促物业每日清运")
    return opinion_approve(opinion=opinion, by=None)


def test_reply_published_calls_back_signed_and_retries(
    org, campaign, receiver, django_capture_on_commit_callbacks
):
    token, secret, webhook_secret = api_token_create(
        by=None, name="12345", scopes=["opinions:write"], webhook_url=receiver.url
    )
    response = Client().post(
        "/api/v1/opinions",
        {"content": "垃圾清运不及时", "external_id": "HL-9"},
        content_type="application/json",
        **auth(secret),
    )
    opinion_id = response.json()["id"]
    receiver.statuses.append(503)  # the first call fails
    with django_capture_on_commit_callbacks(execute=True):
        _publish_reply(opinion_id, org.lishi)

    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.attempts == 1 and delivery.last_status == 503
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert WEBHOOK_FIRST_DELAY - 5 < wait <= WEBHOOK_FIRST_DELAY
    assert webhook_retry_due() == []  # not yet due

    later = timezone.now() + datetime.timedelta(seconds=WEBHOOK_FIRST_DELAY + 1)
    receiver.statuses.append(500)
    webhook_retry_due(now=later)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    # Back-off doubles: the third attempt waits twice as long as the second.
    assert (delivery.next_attempt_at - later).total_seconds() == 2 * WEBHOOK_FIRST_DELAY

    webhook_retry_due(now=later + datetime.timedelta(seconds=2 * WEBHOOK_FIRST_DELAY + 1))
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 3

    headers, body = receiver.calls[-1]
    expected = hmac.new(
        webhook_secret.encode(),
        headers["X-Biaoshuai-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Biaoshuai-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "opinion.reply_published"
    assert payload["opinion"]["external_id"] == "HL-9"
    assert payload["opinion"]["reply"] == "已督促物业每日清运"
    assert len(receiver.calls) == 3


def test_gives_up_after_the_last_attempt(
    org, campaign, receiver, django_capture_on_commit_callbacks
):
    _, secret, _ = api_token_create(
        by=None, name="12345", scopes=["opinions:write"], webhook_url=receiver.url
    )
    opinion_id = (
        Client()
        .post(
            "/api/v1/opinions", {"content": "反映"}, content_type="application/json", **auth(secret)
        )
        .json()["id"]
    )
    receiver.statuses.extend([500] * WEBHOOK_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        _publish_reply(opinion_id, org.lishi)
    now = timezone.now()
    for _ in range(WEBHOOK_MAX_ATTEMPTS):
        now += datetime.timedelta(days=1)
        call_command("api_webhooks_retry", stdout=open("/dev/null", "w"))  # noqa: SIM115
        webhook_retry_due(now=now)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed" and delivery.attempts == WEBHOOK_MAX_ATTEMPTS


def test_no_call_back_without_a_webhook_or_for_other_opinions(
    org, campaign, django_capture_on_commit_callbacks
):
    from biaoshuai.opinions.services import opinion_record

    opinion, _ = opinion_record(
        by=None, campaign=campaign, channel="hotline", received_on=timezone.localdate(), content="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _publish_reply(opinion.pk, org.lishi)
    assert not WebhookDelivery.objects.exists()
