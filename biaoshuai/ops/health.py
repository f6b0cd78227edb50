"""Health checks for load balancers and supervisors.

`/healthz` answers as long as the process serves requests and touches nothing else, so a
database outage does not make the balancer kill every node. `/readyz` says whether this
node can do real work: the database, the cache and the task queue answer; otherwise 503
with what failed, so the balancer sends traffic elsewhere.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

CACHE_PROBE_SECONDS = 10


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {
        "database": _check(_database),
        "cache": _check(_cache),
        "tasks": _check(_task_queue),
    }
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _check(probe):
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as exc:  # any failure makes the node not ready; say which and why
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()[:300]}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connections["default"].vendor


def _cache():
    """Every configured cache stores and returns a value (Redis, when REDIS_URL is set)."""
    backends = []
    for alias in settings.CACHES:
        store = caches[alias]
        key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
        store.set(key, value, CACHE_PROBE_SECONDS)
        if store.get(key) != value:
            raise RuntimeError(f"cache {alias!r} did not return what was stored")
        store.delete(key)
        backends.append(f"{alias}: {type(store).__name__}")
    return ", ".join(backends)


def _task_queue():
    """The database backend's table answers; other backends need nothing reachable."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return type(backend).__name__
    DBTaskResult.objects.ready().exists()
    return type(backend).__name__
