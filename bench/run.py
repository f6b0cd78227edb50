#!/usr/bin/env python
"""Benchmarks: the main list pages and the cadre export, on a database loaded at scale.

    .venv/bin/python bench/run.py [--units 2000 --cadres 100000] [--runs 20]
                                  [--database-url URL] [--fresh]

By default the benchmark database is its own SQLite file, bench/out/bench.sqlite3; with
--database-url it is that database (for PostgreSQL, one whose name contains "bench" is
created when missing). It never touches the developer's db.sqlite3. See bench/README.md.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
import tracemalloc
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PAGES = [
    # (label, URL name, how to build the query string for a user: a function or None)
    ("units list", "org:unit_list", None),
    ("cadre list, page 1", "org:person_list", None),
    ("cadre list, last page", "org:person_list", "deep_page"),
    ("cadre list, one unit's subtree", "org:person_list", "subtree"),
    ("home", "core:home", None),
]
EXPORT = ("cadre export .xlsx", "org:person_export")
USERS = ["office", "liaison_lishi"]
# A page whose warm-up takes longer than this is timed SLOW_RUNS times only.
SLOW_SECONDS = 2
SLOW_RUNS = 3


def main():
    args = _arguments()
    url = args.database_url or f"sqlite:///{OUT / 'bench.sqlite3'}"
    _refuse_developer_database(url)
    OUT.mkdir(parents=True, exist_ok=True)
    _prepare_database(url, fresh=args.fresh)
    _setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({_describe(url)})")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    loads = _load(args)
    results = {"database": connection.vendor, "loads": loads, "pages": []}
    for username in USERS:
        results["pages"] += _bench_user(username, args)
    name = f"results-{connection.vendor}.json"
    (OUT / name).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nResults written to bench/out/{name}")


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000, help="scale units (default 2000)")
    parser.add_argument("--cadres", type=int, default=100_000, help="scale cadres (default 100000)")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--export-runs", type=int, default=3, help="timed exports (default 3)")
    parser.add_argument(
        "--database-url", help="benchmark database (default: bench/out/bench.sqlite3)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="start from an empty benchmark database"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=120,
        help="seconds after which a request's queries are cancelled (default 120)",
    )
    return parser.parse_args()


def _refuse_developer_database(url):
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = _sqlite_path(parts).resolve()
        if path == (ROOT / "db.sqlite3").resolve():
            sys.exit("Refusing to benchmark on the developer's db.sqlite3; use another file.")


def _prepare_database(url, *, fresh):
    """Start afresh if asked; create a PostgreSQL benchmark database that is missing."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = _sqlite_path(parts)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    if "bench" not in name:
        if fresh:
            sys.exit("--fresh drops the database: only for one whose name contains “bench”.")
        return
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            db.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # Pages render without collected static files, and the test client's host is allowed.
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import logging
    import warnings

    import django

    # whitenoise warns when static files were never collected; the pages do not need them.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    django.setup()
    # A cancelled request is reported in the table; its traceback would only be noise.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def _load(args):
    from biaoshuai.demo.loader import load_demo
    from biaoshuai.demo.scale import load_scale
    from biaoshuai.org.models import Person, Unit

    loads = {}
    started = time.perf_counter()
    load_demo()
    loads["demo_s"] = round(time.perf_counter() - started, 2)
    print(f"load_demo: {loads['demo_s']:.1f} s")
    started = time.perf_counter()
    created = load_scale(units=args.units, cadres=args.cadres)
    loads["scale_s"] = round(time.perf_counter() - started, 2)
    note = "" if any(created) else " (already loaded)"
    print(f"load_scale ({args.units} units, {args.cadres} cadres): {loads['scale_s']:.1f} s{note}")
    loads["units"], loads["cadres"] = Unit.objects.count(), Person.objects.count()
    print(f"In the database: {loads['units']} units, {loads['cadres']} cadres")
    return loads


def _bench_user(username, args):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    print(f"\nAs {username}:")
    print(f"  {'page':<32} {'median ms':>10} {'p95 ms':>9} {'queries':>8}  status")
    rows = []
    for label, url_name, variant in PAGES:
        url = _url(url_name, variant, user)
        if url is None:
            print(f"  {label:<32} skipped: no URL named {url_name}")
            continue
        try:
            with _deadline(args.timeout):
                row = _time_page(client, url, args.runs)
        except _TimedOut:
            rows.append({"user": username, "page": label, "url": url, "timeout_s": args.timeout})
            print(f"  {label:<32} cancelled: a request took over {args.timeout:g} s")
            continue
        row.update(user=username, page=label, url=url)
        rows.append(row)
        print(
            f"  {label:<32} {row['median_ms']:>10.1f} {row['p95_ms']:>9.1f} "
            f"{row['queries']:>8}  {row['status']}"
        )
    url = _url(EXPORT[1], None, user)
    if url is None:
        print(f"  {EXPORT[0]:<32} skipped: no URL named {EXPORT[1]}")
        return rows
    try:
        with _deadline(args.timeout):
            row = _time_export(client, url, args.export_runs)
    except _TimedOut:
        rows.append({"user": username, "page": EXPORT[0], "url": url, "timeout_s": args.timeout})
        print(f"  {EXPORT[0]:<32} cancelled: a request took over {args.timeout:g} s")
        return rows
    row.update(user=username, page=EXPORT[0], url=url)
    rows.append(row)
    print(
        f"  {EXPORT[0]:<32} {row['median_ms']:>10.1f} {'':>9} {row['queries']:>8}  "
        f"{row['status']}; {row['bytes'] / 1e6:.1f} MB; peak Python memory "
        f"{row['peak_mb']:.1f} MB"
    )
    return rows


class _TimedOut(Exception):
    pass


@contextmanager
def _deadline(seconds):
    """Cancel any query still running `seconds` after each request starts, so that one slow
    page does not hold the whole benchmark up (SQLite: a progress handler; PostgreSQL:
    statement_timeout, per statement)."""
    from django.db import DatabaseError, connection

    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        started = [time.perf_counter()]

        def reset(**kwargs):
            started[0] = time.perf_counter()

        from django.core.signals import request_started

        request_started.connect(reset)
        raw.set_progress_handler(lambda: time.perf_counter() - started[0] > seconds, 100_000)
        try:
            yield
        except DatabaseError as exc:
            raise _TimedOut from exc
        finally:
            raw.set_progress_handler(None, 0)
            request_started.disconnect(reset)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
    try:
        yield
    except DatabaseError as exc:
        raise _TimedOut from exc
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def _url(url_name, variant, user):
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse(url_name)
    except NoReverseMatch:
        return None
    if variant == "deep_page":
        from biaoshuai.core.paginate import DEFAULT_PER_PAGE
        from biaoshuai.org.models import Person

        pages = max(1, math.ceil(Person.objects.restrict(user).count() / DEFAULT_PER_PAGE))
        return f"{path}?page={pages}"
    if variant == "subtree":
        return f"{path}?unit={_subtree_unit(user).pk}"
    return path


def _subtree_unit(user):
    """A unit with a subtree below it, within the user's scope: a top-level scale unit for
    those who see everything, else the first unit below the user's own."""
    from biaoshuai.core.scope import scope_for
    from biaoshuai.demo.scale import SCALE_PREFIX
    from biaoshuai.org.models import Unit

    visible = Unit.objects.restrict(user).order_by("path")
    if scope_for(user).all:
        unit = visible.filter(name__startswith=SCALE_PREFIX, depth=1).first()
        if unit is not None:
            return unit
    return visible.filter(depth__gt=min(visible.values_list("depth", flat=True))).first() or (
        visible.first()
    )


def _time_page(client, url, runs):
    """Median and p95 over `runs` requests after a warm-up; a slow page gets fewer runs."""
    started = time.perf_counter()
    _request(client, url)  # warm up: templates compiled, caches filled
    if time.perf_counter() - started > SLOW_SECONDS:
        runs = min(runs, SLOW_RUNS)
    timings, status, queries = _timed_requests(client, url, runs)
    return {
        "status": status,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 95), 1),
        "queries": queries,
        "runs": len(timings),
    }


def _time_export(client, url, runs):
    """Median time over `runs` downloads (one, when the first is slow), and the peak of
    Python memory (tracemalloc) during one more."""
    timings, status, queries = _timed_requests(client, url, 1)
    if timings[0] / 1000 < SLOW_SECONDS * 5 and runs > 1:
        timings += _timed_requests(client, url, runs - 1)[0]
    tracemalloc.start()
    _status, size = _request(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "status": status,
        "median_ms": round(statistics.median(timings), 1),
        "queries": queries,
        "bytes": size,
        "peak_mb": round(peak / 1e6, 1),
        "runs": len(timings),
    }


def _timed_requests(client, url, runs):
    """([milliseconds per request], last status, queries of the first request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, status, queries = [], 0, 0
    for index in range(runs):
        capture = CaptureQueriesContext(connection) if index == 0 else nullcontext()
        with capture:
            started = time.perf_counter()
            status, _size = _request(client, url)
            timings.append((time.perf_counter() - started) * 1000)
        if index == 0:
            queries = len(capture.captured_queries)  # read now: the next request clears it
    return timings, status, queries


def _request(client, url):
    """(status, body size): the whole body is read, streamed or not.

    The test client closes the response itself (at the end of a streamed body).
    """
    response = client.get(url)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def _percentile(values, percent):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def _describe(url):
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return str(_sqlite_path(parts))
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


def _sqlite_path(parts):
    # sqlite:////abs/file is absolute, sqlite:///file relative to the working directory.
    return Path(parts.path[1:])


if __name__ == "__main__":
    main()
