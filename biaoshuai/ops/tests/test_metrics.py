"""Prometheus /metrics: only for the token or the allowed networks; requests, latency, tasks."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task
from prometheus_client.parser import text_string_to_metric_families

from biaoshuai.ops.metrics import FORBIDDEN

TOKEN = "s3cret-metrics-token-for-the-tests"
pytestmark = pytest.mark.django_db


@task()
def always_fails():
    raise RuntimeError("this task fails on purpose")


@task()
def succeeds():
    return 1


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def _samples(response):
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_without_a_token_or_an_allowed_network_metrics_are_refused(client, settings):
    response = client.get("/metrics")
    assert response.status_code == 403 and response.content.decode() == FORBIDDEN
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 403
    settings.METRICS_ALLOWED_NETWORKS = ["10.1.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.5").status_code == 403


def test_an_allowed_network_may_scrape_without_a_token(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.1.0.0/16", "::1"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    # Through a trusted proxy, the client's address counts, not the proxy's.
    settings.TRUSTED_PROXIES = ["10.1.0.1"]
    forwarded = {"REMOTE_ADDR": "10.1.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/metrics", **forwarded).status_code == 403


def test_requests_are_counted_by_view_and_status_with_their_latency(client, token):
    before = _samples(client.get("/metrics", **token))
    login = reverse("accounts:login")
    client.get(login)
    client.get(login)
    client.get("/no-such-page/")
    response = client.get("/metrics", **token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    after = _samples(response)
    name = "biaoshuai_http_requests_total"
    labels = {"view": "accounts:login", "method": "GET", "status": "200"}
    assert _value(after, name, **labels) - _value(before, name, **labels) == 2
    missing = {"view": "<unresolved>", "method": "GET", "status": "404"}
    assert _value(after, name, **missing) - _value(before, name, **missing) == 1
    count = "biaoshuai_http_request_duration_seconds_count"
    assert (
        _value(after, count, view="accounts:login") - _value(before, count, view="accounts:login")
        == 2
    )
    assert (
        _value(
            after,
            "biaoshuai_http_request_duration_seconds_bucket",
            view="accounts:login",
            le="+Inf",
        )
        >= 2
    )


# Committed for real: the worker closes its connection between tasks.
@pytest.mark.django_db(transaction=True)
def test_task_queue_depth_and_failed_tasks_come_from_the_task_table(client, token, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    samples = _samples(client.get("/metrics", **token))
    assert _value(samples, "biaoshuai_task_queue_depth", queue="default") == 0
    always_fails.enqueue()
    succeeds.enqueue()
    succeeds.enqueue()
    samples = _samples(client.get("/metrics", **token))
    assert _value(samples, "biaoshuai_task_queue_depth", queue="default") == 3
    assert _value(samples, "biaoshuai_tasks_failed", queue="default") == 0
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    samples = _samples(client.get("/metrics", **token))
    assert _value(samples, "biaoshuai_task_queue_depth", queue="default") == 0
    assert _value(samples, "biaoshuai_tasks_failed", queue="default") == 1


def test_with_the_immediate_backend_the_task_figures_are_zero(client, token):
    samples = _samples(client.get("/metrics", **token))
    assert ("biaoshuai_task_queue_depth", ()) not in samples
    assert not any(name.startswith("biaoshuai_tasks_failed") for name, _ in samples)
