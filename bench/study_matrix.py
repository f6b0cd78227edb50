#!/usr/bin/env python
"""Benchmark: the study completion matrix at scale.

    .venv/bin/python bench/study_matrix.py [--units 2000 --cadres 100000 --sessions 20]
                                           [--runs 20] [--database-url URL] [--fresh]

Loads the demo and the scale units and cadres (bench/run.py's helpers), then `--sessions`
sessions organised by the department for every cadre (one Attendance row per cadre and
session) and deliverables in every state, all with bulk_create; computes the completion
figures once (the refresh task's work, timed) and times the matrix pages. Its database is
its own (default bench/out/study.sqlite3), never the developer's db.sqlite3.
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as base  # noqa: E402  (bench/run.py: database preparation, loading, timing)

SESSION_PREFIX = "规模测试学习"
BATCH = 20_000
TARGET_MS = 300
USERS = ["office", "liaison_lishi"]


def main():
    args = _arguments()
    url = args.database_url or f"sqlite:///{base.OUT / 'study.sqlite3'}"
    base._refuse_developer_database(url)
    base.OUT.mkdir(parents=True, exist_ok=True)
    base._prepare_database(url, fresh=args.fresh)
    base._setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({base._describe(url)})")
    call_command("migrate", interactive=False, verbosity=0)
    _load_base(args)
    _load_study(args)
    _refresh()
    slow = False
    for username in USERS:
        slow |= _bench(username, args)
    print(
        f"\nTarget: under {TARGET_MS} ms with a fixed number of queries: {'MISSED' if slow else 'met'}"
    )


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=20, help="sessions every cadre attends")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    return parser.parse_args()


def _load_base(args):
    """The demo's units, accounts, campaign and study, then the scale units and cadres
    (only the loaders this benchmark needs, so other modules' demo data stays out)."""
    from biaoshuai.demo.loader import load_accounts, load_campaign, load_org
    from biaoshuai.demo.scale import load_scale
    from biaoshuai.demo.study import load_study
    from biaoshuai.org.models import Person, Unit

    started = time.perf_counter()
    for loader in (load_org, load_accounts, load_campaign, load_study):
        loader(log=print)
    load_scale(units=args.units, cadres=args.cadres)
    print(
        f"Demo and scale data: {Unit.objects.count()} units, {Person.objects.count()} cadres "
        f"({time.perf_counter() - started:.1f} s)"
    )


def _load_study(args):
    """Sessions for all, one Attendance row per cadre each, deliverables: bulk_create."""
    from django.db import transaction
    from django.utils import timezone

    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.demo.loader import demo_root
    from biaoshuai.org.models import Person
    from biaoshuai.study.completion import deliverable_kinds, study_phase
    from biaoshuai.study.models import Attendance, Deliverable, StudySession

    if StudySession.objects.filter(title__startswith=SESSION_PREFIX).exists():
        print("Study scale data: already there.")
        return
    started = time.perf_counter()
    campaign = Campaign.objects.current()
    phase = study_phase(campaign)
    root = demo_root()
    rng = random.Random("biaoshuai-study-bench")
    kinds = campaign.choices("study_kinds")
    first = timezone.now() - timedelta(days=args.sessions * 3)
    with transaction.atomic():
        sessions = StudySession.objects.bulk_create(
            StudySession(
                campaign=campaign,
                unit=root,
                kind=kinds[index % len(kinds)][0],
                title=f"{SESSION_PREFIX}第{index + 1}期",
                starts_at=first + timedelta(days=index * 3),
                ends_at=first + timedelta(days=index * 3, hours=3),
                place="县委党校报告厅",
                topics=["congress_and_constitution"],
            )
            for index in range(args.sessions)
        )
        people = list(Person.objects.filter(is_active=True).values_list("pk", "unit_id"))
        statuses = [
            (Attendance.Status.PRESENT, ""),
            (Attendance.Status.LEAVE, "下村督导"),
            (Attendance.Status.ABSENT, ""),
        ]
        rows = 0
        for session in sessions:
            batch = []
            for pk, unit_id in people:
                status, reason = rng.choices(statuses, (86, 9, 5))[0]
                batch.append(
                    Attendance(
                        session_id=session.pk,
                        person_id=pk,
                        unit_id=unit_id,
                        status=status,
                        leave_reason=reason,
                    )
                )
                if len(batch) == BATCH:
                    Attendance.objects.bulk_create(batch, batch_size=BATCH)
                    rows += len(batch)
                    batch = []
            Attendance.objects.bulk_create(batch, batch_size=BATCH)
            rows += len(batch)
        states = [s for s, _ in Deliverable.State.choices]
        batch, made = [], 0
        for pk, unit_id in people:
            for item in deliverable_kinds(campaign):
                if rng.random() < 0.3:
                    continue
                batch.append(
                    Deliverable(
                        campaign=campaign,
                        phase=phase,
                        person_id=pk,
                        unit_id=unit_id,
                        kind=item["key"],
                        title=item["name"],
                        text="……",
                        state=rng.choice(states),
                    )
                )
            if len(batch) >= BATCH:
                Deliverable.objects.bulk_create(batch, batch_size=BATCH)
                made += len(batch)
                batch = []
        Deliverable.objects.bulk_create(batch, batch_size=BATCH)
        made += len(batch)
    print(
        f"Study scale data: {len(sessions)} sessions, {rows} attendance rows, {made} "
        f"deliverables in {time.perf_counter() - started:.1f} s"
    )


def _refresh():
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.study.completion import study_completion_refresh

    started = time.perf_counter()
    count = study_completion_refresh(campaign=Campaign.objects.current())
    print(
        f"Completion figures refreshed (the task's work): {count} in "
        f"{time.perf_counter() - started:.1f} s"
    )


def _bench(username, args):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.org.models import Unit
    from biaoshuai.study.completion import session_column
    from biaoshuai.study.models import StudySession

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    session = StudySession.objects.filter(campaign=Campaign.objects.current()).order_by("pk").last()
    matrix = reverse("study:completion")
    pages = [
        ("matrix, page 1 (by name)", matrix),
        ("matrix, by completion desc", f"{matrix}?sort=-completion"),
        ("matrix, by a session asc, p. 40", f"{matrix}?sort={session_column(session.pk)}&page=40"),
        ("matrix, last page", f"{matrix}?page=999"),
        ("unit drill-down", reverse("study:completion_unit", args=[_unit(user, Unit).pk])),
    ]
    print(f"\nAs {username}:")
    print(f"  {'page':<34} {'median ms':>10} {'p95 ms':>9} {'queries':>8}  status")
    slow = False
    for label, url in pages:
        with base._deadline(args.timeout):
            row = base._time_page(client, url, args.runs)
        slow |= row["median_ms"] > TARGET_MS
        print(
            f"  {label:<34} {row['median_ms']:>10.1f} {row['p95_ms']:>9.1f} "
            f"{row['queries']:>8}  {row['status']}"
        )
    return slow


def _unit(user, Unit):
    from biaoshuai.core.scope import scope_for

    units = Unit.objects.restrict(user).order_by("path")
    if scope_for(user).all:
        return units.filter(depth=1, name__startswith="规模").first() or units.first()
    return units.first()


if __name__ == "__main__":
    main()
