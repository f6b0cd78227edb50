"""State that every web worker and every machine must agree on: single-use tokens (the
public form's challenge), rate-limit counters and cache version numbers.

Per-process memory (Django's LocMemCache, the default cache) gives each gunicorn worker
its own copy, so a limit of 5 lets 5 through per worker and a solved challenge is accepted
once per worker. These counters live instead in the database, one row per key changed by
a single atomic upsert (SQLite and PostgreSQL alike), or in Redis when REDIS_URL is set
(the "shared" cache alias, whose add and incr are atomic).
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from .models import SharedCounter

ALIAS = "shared"


def hit(key, *, seconds=None):
    """Count one for `key` and return the count, which starts again from 1 once `seconds`
    have passed since the window's first hit (None: never expires). A fixed window per key:
    callers use one key per client, so rows stay as few as the clients."""
    store = _cache()
    if store is not None:
        return _cache_hit(store, key, seconds)
    return _db_hit(key, seconds)


def use_once(key, *, seconds):
    """True for the first caller only, across every worker and machine, for `seconds`."""
    return hit(f"once:{key}", seconds=seconds) == 1


def value(key):
    """The current count of `key` (0 when never hit or expired)."""
    store = _cache()
    if store is not None:
        return store.get(key, 0)
    row = SharedCounter.objects.filter(key=key).values_list("value", "expires_at").first()
    if row is None or (row[1] is not None and row[1] <= timezone.now()):
        return 0
    return row[0]


def expires_in(key):
    """Seconds until the window of `key` ends (0 when it has; None when it never does)."""
    store = _cache()
    if store is not None:
        try:  # the Redis client's TTL; Django's cache API does not expose it
            ttl = store._cache.get_client(key).ttl(store.make_and_validate_key(key))
        except AttributeError:
            return None
        return max(ttl, 0) if ttl != -1 else None
    row = SharedCounter.objects.filter(key=key).values_list("expires_at").first()
    if row is None:
        return 0
    if row[0] is None:
        return None
    return max(0, int((row[0] - timezone.now()).total_seconds()) + 1)


def purge_expired():
    """Delete the database rows whose window has passed."""
    return SharedCounter.objects.filter(expires_at__lte=timezone.now()).delete()[0]


def _cache():
    return caches[ALIAS] if ALIAS in settings.CACHES else None


def _cache_hit(store, key, seconds):
    store.add(key, 0, seconds)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.add(key, 0, seconds)
        return store.incr(key)


def _db_hit(key, seconds):
    now = timezone.now()
    expires = now + timedelta(seconds=seconds) if seconds is not None else None
    ops = connection.ops
    table = ops.quote_name(SharedCounter._meta.db_table)
    k, v, e = (ops.quote_name(n) for n in ("key", "value", "expires_at"))
    expired = f"{table}.{e} <= %s"
    # One statement: insert, or add one (or start again when the window has passed).
    sql = (
        f"INSERT INTO {table} ({k}, {v}, {e}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({k}) DO UPDATE SET "
        f"{v} = CASE WHEN {expired} THEN 1 ELSE {table}.{v} + 1 END, "
        f"{e} = CASE WHEN {expired} THEN excluded.{e} ELSE {table}.{e} END "
        f"RETURNING {v}"
    )
    at = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, ops.adapt_datetimefield_value(expires), at, at])
        count = cursor.fetchone()[0]
    if seconds is not None and count == 1:  # a window starts: clear the ones that ended
        purge_expired()
    return count
