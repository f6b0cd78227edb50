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
    args = parser.parse_args()
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


def _bench(args):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    for username in ["office", "liaison_lishi"]:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        print(f"\nAs {username}:")
        for label, url in [
            ("ledger, page 1", reverse("rectification:ledger")),
            ("ledger, page 2000", reverse("rectification:ledger") + "?page=2000"),
            ("ledger, overdue", reverse("rectification:ledger") + "?urgency=overdue"),
            ("ledger, state closed", reverse("rectification:ledger") + "?state=closed"),
        ]:
            row = run._time_page(client, url, args.runs)
            print(
                f"  {label:<28} median {row['median_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms  {row['queries']} queries  {row['status']}"
            )
        if username == "office":
            row = run._time_export(client, reverse("rectification:ledger_export"), args.export_runs)
            print(
                f"  {'ledger export .xlsx':<28} {row['median_ms'] / 1000:.1f} s  {row['bytes'] / 1e6:.1f} MB  peak Python memory {row['peak_mb']:.1f} MB  {row['queries']} queries"
            )


if __name__ == "__main__":
    main()
