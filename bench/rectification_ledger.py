#!/usr/bin/env python
"""Benchmark: the rectification ledger page and its full .xlsx export at 200,000 items.

    .venv/bin/python bench/rectification_ledger.py [--items 200000] [--runs 20]
                                                   [--database-url URL] [--fresh]

Uses bench/run.py's database set-up (its own SQLite file, bench/out/rectification.sqlite3, by default, never db.sqlite3) and
timing helpers. Items are written in bulk (one audit event for the load), spread over the
demo's units and problems, with every state and a spread of deadlines.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: set-up and timing helpers)

PREFIX = "基准测试问题"
BATCH = 5000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--export-runs", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--export-only", choices=["time", "tracemalloc"], help=argparse.SUPPRESS)
    parser.add_argument("--user", default="office", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_only:
        url = args.database_url or f"sqlite:///{run.OUT / 'rectification.sqlite3'}"
        run._setup_django(url)
        _export_only(args)
        return
    url = args.database_url or f"sqlite:///{run.OUT / 'rectification.sqlite3'}"
    run._refuse_developer_database(url)
    run.OUT.mkdir(parents=True, exist_ok=True)
    run._prepare_database(url, fresh=args.fresh)
    run._setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from biaoshuai.demo.loader import load_demo

    load_demo()
    started = time.perf_counter()
    made = _load_items(args.items)
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: statistics, and the visibility map that
        # lets a count be answered from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE rectification_rectificationitem")
    print(
        f"Database: {connection.vendor}; items created: {made} in {time.perf_counter() - started:.1f} s"
    )
    _bench(args)


def _load_items(total):
    from django.db import transaction
    from django.utils import timezone

    from biaoshuai.audit.services import audit_record
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.org.models import Unit
    from biaoshuai.rectification.models import Problem, RectificationItem

    campaign = Campaign.objects.current()
    have = RectificationItem.objects.filter(problem__description__startswith=PREFIX).count()
    if have >= total:
        return 0
    rng = random.Random("rectification-bench")
    units = list(Unit.objects.filter(is_active=True).order_by("path")[:400])
    dims = [k for k, _n in campaign.choices("problem_dimensions")]
    states = list(RectificationItem.State.values)
    today = timezone.localdate()
    with transaction.atomic():
        problems = Problem.objects.bulk_create(
            [
                Problem(
                    campaign=campaign,
                    unit=units[i % len(units)],
                    dimension=dims[i % len(dims)],
                    description=f"{PREFIX}{i}：服务基层不够主动，调研不深入",
                )
                for i in range(max(1, (total - have) // 5))
            ],
            batch_size=BATCH,
        )
        rows, made = [], 0
        for i in range(total - have):
            problem = problems[i % len(problems)]
            state = states[rng.randrange(len(states))]
            deadline = today + timezone.timedelta(days=rng.randint(-60, 90))
            rows.append(
                RectificationItem(
                    problem=problem,
                    campaign=campaign,
                    dimension=problem.dimension,
                    unit=problem.unit,
                    measure=f"整改措施{i}：建立制度、明确责任、限期落实",
                    kind="by_deadline",
                    deadline=deadline,
                    leader_name="张伟",
                    person_name="李娜",
                    state=state,
                    progress=100 if state in ("submitted", "closed") else rng.randint(0, 90),
                    closed_on=deadline if state == "closed" else None,
                    criteria="有制度、有记录、有佐证",
                )
            )
            if len(rows) == BATCH:
                RectificationItem.objects.bulk_create(rows)
                made += len(rows)
                rows = []
        RectificationItem.objects.bulk_create(rows)
        made += len(rows)
        audit_record(
            actor=None,
            action="import",
            verb="bench_load",
            object_type="rectification.rectificationitem",
            object_repr=f"{PREFIX}（{made}）",
        )
    return made


def _pages(user):
    """(label, URL) of the ledger pages timed for `user`: the first and deep pages, with and
    without filters."""
    import math

    from django.urls import reverse
    from django.utils import timezone

    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.core.paginate import DEFAULT_PER_PAGE
    from biaoshuai.org.models import Unit
    from biaoshuai.rectification import selectors

    campaign = Campaign.objects.current()
    ledger = reverse("rectification:ledger")
    today = timezone.localdate()

    def last(**filters):
        items = selectors.ledger_items(user=user, campaign=campaign, today=today, **filters)
        return max(1, math.ceil(items.count() / DEFAULT_PER_PAGE))

    unit = Unit.objects.restrict(user).filter(depth__gt=0).order_by("path").first()
    dims = [k for k, _n in campaign.choices("problem_dimensions")]
    return [
        ("page 1", ledger),
        ("page 2000", f"{ledger}?page=2000"),
        ("last page", f"{ledger}?page={last()}"),
        ("overdue", f"{ledger}?urgency=overdue"),
        ("overdue, last page", f"{ledger}?urgency=overdue&page={last(urgency='overdue')}"),
        ("state closed", f"{ledger}?state=closed"),
        ("state closed, last page", f"{ledger}?state=closed&page={last(state='closed')}"),
        ("one dimension", f"{ledger}?dimension={dims[0]}"),
        (f"unit subtree ({unit.name})", f"{ledger}?unit={unit.pk}"),
        ("search (full scan)", f"{ledger}?q=整改措施1999"),
    ]


def _bench(args):
    from django.contrib.auth import get_user_model
    from django.test import Client

    for username in ["office", "liaison_lishi"]:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        print(f"\nAs {username}:")
        for label, url in _pages(user):
            row = _time_page(client, url, args.runs)
            print(
                f"  {label:<30} median {row['median_ms']:>7.1f} ms  p95 {row['p95_ms']:>7.1f} ms"
                f"  CPU {row['cpu_ms']:>6.1f} ms  SQL {row['sql_ms']:>6.1f} ms"
                f"  {row['queries']} queries  {row['status']}"
            )
        if args.explain:
            _explain(user)
        if username == "office" and not args.no_export:
            _export_in_child(args, username)


def _time_page(client, url, runs):
    """Like run._time_page, and also the median CPU time of this process per request (the
    page's Python work, and SQLite's, whatever else the machine runs) and the time spent in
    SQL statements (PostgreSQL's work included; on SQLite only up to each first row)."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run._request(client, url)  # warm up
    walls, cpus, sqls, status, queries = [], [], [], 0, 0
    for _n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            status, _size = run._request(client, url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        sqls.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        queries = len(captured.captured_queries)
    return {
        "status": status,
        "median_ms": statistics.median(walls),
        "p95_ms": run._percentile(walls, 95),
        "cpu_ms": statistics.median(cpus),
        "sql_ms": statistics.median(sqls),
        "queries": queries,
    }


def _explain(user):
    """The plans of the ledger's count and page queries, as they run (EXPLAIN QUERY PLAN on
    SQLite, EXPLAIN on PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.rectification import selectors

    campaign = Campaign.objects.current()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for label, filters in [("all", {}), ("overdue", {"urgency": "overdue"})]:
        items = selectors.ledger_items(
            user=user, campaign=campaign, today=timezone.localdate(), **filters
        )
        with CaptureQueriesContext(connection) as captured:
            list(selectors.ledger_page(items=items, number=2000))
        for what, query in zip(["count", "page 2000"], captured.captured_queries, strict=True):
            with connection.cursor() as cursor:
                cursor.execute(prefix + query["sql"])
                plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
            print(f"    EXPLAIN {label}, {what}:")
            for line in plan:
                print(f"      {line}")


def _export_in_child(args, username):
    """Time the export and measure its memory in fresh processes, so that the peak resident
    size (ru_maxrss) is the export's and not that of loading the benchmark data."""
    import subprocess

    for mode in ("time", "tracemalloc"):
        command = [sys.executable, __file__, "--export-only", mode, "--user", username]
        if args.database_url:
            command += ["--database-url", args.database_url]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        print(result.stdout.rstrip() or result.stderr[-2000:])


def _export_only(args):
    """In a child process: one export as `args.user`, timed (no tracing), or traced."""
    import resource
    import tracemalloc

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    url = reverse("rectification:ledger_export")
    client.get(reverse("rectification:ledger"))  # warm up: imports, templates
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.export_only == "tracemalloc":
        tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        status, size = run._request(client, url)
    seconds = time.perf_counter() - started
    after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.export_only == "tracemalloc":
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  {'export .xlsx, traced':<30} {seconds:.1f} s (slowed by tracing)  "
            f"peak Python memory (tracemalloc) {peak / 1e6:.1f} MB"
        )
        return
    print(
        f"  {'export .xlsx':<30} {seconds:.1f} s  {size / 1e6:.1f} MB  {status}  "
        f"{len(queries.captured_queries)} queries  peak RSS {after_kb / 1024:.0f} MB "
        f"(before the export {before_kb / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
