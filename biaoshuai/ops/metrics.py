"""Prometheus metrics at /metrics (prometheus-client).

Requests by view and status and their latency are counted by a middleware in each worker;
with several gunicorn workers each keeps its own numbers in PROMETHEUS_MULTIPROC_DIR
(deploy/gunicorn.conf.py sets it up) and a scrape adds them up. The task queue's depth and
failed tasks are read from django_tasks' database tables at each scrape, so every node
reports the same cluster-wide figures.

Only a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`, or comes from one of
METRICS_ALLOWED_NETWORKS, gets an answer; anyone else gets 403.
"""

import hmac
import ipaddress
import logging
import os
import time

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from biaoshuai.core.net import client_ip

logger = logging.getLogger(__name__)

FORBIDDEN = "Metrics need a bearer token (METRICS_TOKEN) or an allowed network."
UNRESOLVED = "<unresolved>"  # a 404 for a path no view serves: one label, not one per path

REQUESTS = Counter(
    "biaoshuai_http_requests",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "biaoshuai_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


class RequestMetricsMiddleware:
    """Counts every request and its duration, labelled with the view's url name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else UNRESOLVED
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        return response


@never_cache
@require_GET
def metrics(request):
    if not allowed(request):
        return HttpResponseForbidden(FORBIDDEN, content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


def allowed(request):
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].strip().encode(), token.encode())
    networks = settings.METRICS_ALLOWED_NETWORKS
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def metrics_text():
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(TaskQueueCollector())
    return generate_latest(registry)


class TaskQueueCollector:
    """Tasks in django_tasks' database table: waiting (the queue's depth), running, failed."""

    def collect(self):
        depth = GaugeMetricFamily(
            "biaoshuai_task_queue_depth", "Tasks waiting to run, by queue.", labels=["queue"]
        )
        running = GaugeMetricFamily(
            "biaoshuai_tasks_running", "Tasks being run by a worker, by queue.", labels=["queue"]
        )
        failed = GaugeMetricFamily(
            "biaoshuai_tasks_failed",
            "Tasks that failed and are kept in the task table, by queue.",
            labels=["queue"],
        )
        readable = GaugeMetricFamily(
            "biaoshuai_task_table_up", "1 when the task table could be read at this scrape."
        )
        if isinstance(task_backends["default"], DatabaseBackend):
            try:
                rows = list(
                    DBTaskResult.objects.values("queue_name", "status")
                    .annotate(n=Count("id"))
                    .order_by("queue_name", "status")
                )
            except DatabaseError:
                # The request figures are still worth having; /readyz reports the database.
                logger.warning("metrics: the task table cannot be read", exc_info=True)
                readable.add_metric([], 0)
                yield readable
                return
            by_status = {"READY": depth, "RUNNING": running, "FAILED": failed}
            for row in rows:
                family = by_status.get(row["status"])
                if family is not None:
                    family.add_metric([row["queue_name"]], row["n"])
            readable.add_metric([], 1)
            yield readable
        yield from (depth, running, failed)


class _ThisProcess:
    """The default registry (this process's counters, process and Python metrics)."""

    def collect(self):
        yield from REGISTRY.collect()
