#!/usr/bin/env python
"""Benchmark: computing the assessment at province scale, and the pages that read it.

    .venv/bin/python bench/assessment_dashboard.py [--units 2000 --cadres 100000]
        [--items 200000] [--opinions 1000000] [--runs 20] [--all-months]
        [--database-url URL] [--fresh]

Uses bench/run.py's database set-up (its own SQLite file, bench/out/assessment.sqlite3, by
default, never db.sqlite3), its scale loader and timing helpers. The rectification items
and opinions come from bench/rectification_ledger.py's and bench/opinions_grouping.py's
generators (`--items 0` / `--opinions 0` to leave them out). Then:

1. the time to compute this month's scores for every participating unit and store them
   as a snapshot, with each indicator's metric timed as the computation calls it (and,
   with --all-months, every month of the campaign so far: the monthly trend);
2. the dashboard, the ranking (first and last page), a unit's score page and the .xlsx
   export, read from the snapshot: median and p95 latency and query count, for the office,
   the leader and a liaison. Target: the dashboard under 300 ms.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: set-up, scale data and timing helpers)

TARGET_MS = 300


def main():
    args = _arguments()
    url = args.database_url or f"sqlite:///{run.OUT / 'assessment.sqlite3'}"
    run._refuse_developer_database(url)
    run.OUT.mkdir(parents=True, exist_ok=True)
    run._prepare_database(url, fresh=args.fresh)
    run._setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({run._describe(url)})")
    call_command("migrate", interactive=False, verbosity=0)
    run._load(args)
    _load_other_apps(args)
    campaign = _campaign()
    _time_compute(campaign, args.all_months)
    dashboard_ms = _pages(args)
    verdict = "met" if dashboard_ms is not None and dashboard_ms < TARGET_MS else "MISSED"
    print(f"\nTarget: dashboard under {TARGET_MS} ms: {verdict} ({dashboard_ms} ms median)")


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=200_000, help="rectification items")
    parser.add_argument("--opinions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument(
        "--all-months",
        action="store_true",
        help="also time computing every month of the campaign (the monthly trend)",
    )
    return parser.parse_args()


def _load_other_apps(args):
    """The other apps' benchmark data, from their own generators."""
    if args.items:
        import rectification_ledger

        started = time.perf_counter()
        made = rectification_ledger._load_items(args.items)
        print(f"Rectification items: {made} created in {time.perf_counter() - started:.1f} s")
    if args.opinions:
        import opinions_grouping

        from biaoshuai.campaigns.models import Campaign

        opinions_grouping._load_opinions(Campaign.objects.current(), args.opinions)


def _campaign():
    from biaoshuai.assessment.scoring import participating_units
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.opinions.models import Opinion
    from biaoshuai.org.models import Person, Unit
    from biaoshuai.rectification.models import RectificationItem

    campaign = Campaign.objects.current()
    print(
        f"In the database: {Unit.objects.count()} units "
        f"({participating_units().count()} participating), {Person.objects.count()} cadres, "
        f"{RectificationItem.objects.count()} rectification items, "
        f"{Opinion.objects.count()} opinions"
    )
    return campaign


def _time_compute(campaign, all_months):
    """One month's snapshot, with each indicator's metric timed as the computation calls it;
    then, with --all-months, every month of the campaign (the monthly trend)."""
    import dataclasses
    import functools

    from django.utils import timezone

    from biaoshuai.assessment.periods import campaign_months, month_period
    from biaoshuai.assessment.scoring import indicators_of
    from biaoshuai.assessment.services import score_period_compute
    from biaoshuai.core.registry import registry

    timings = {}

    def timed(key, by_unit):
        @functools.wraps(by_unit)  # keeps the signature, so the period is still passed
        def wrapper(**kwargs):
            started = time.perf_counter()
            try:
                return by_unit(**kwargs)
            finally:
                timings[key] = time.perf_counter() - started

        return wrapper

    saved = dict(registry.metrics)
    for key, metric in saved.items():
        if metric.by_unit is not None:
            registry.metrics[key] = dataclasses.replace(metric, by_unit=timed(key, metric.by_unit))
    month = month_period(timezone.localdate())
    try:
        started = time.perf_counter()
        period = score_period_compute(
            campaign=campaign, period_start=month.start, period_end=month.end
        )
        total = time.perf_counter() - started
    finally:
        registry.metrics.clear()
        registry.metrics.update(saved)
    print(f"\nSnapshot of {month.label} for {period.summary['units']} units: {total:.1f} s")
    no_data = period.summary.get("no_data", {})
    for indicator in indicators_of(campaign):
        if indicator.manual:
            figure = "manual scores"
        elif indicator.metric in timings:
            figure = f"{timings[indicator.metric] * 1000:>9.0f} ms"
        else:
            figure = "not registered"
        print(
            f"  {indicator.key:<15} {indicator.metric or '':<28} {figure:>14}  "
            f"({period.summary['units'] - no_data.get(indicator.key, 0)} units with a value)"
        )
    print(f"  storing the snapshot {total - period.seconds:.2f} s")
    if not all_months:
        return
    months = campaign_months(campaign)
    started = time.perf_counter()
    for earlier in months:
        score_period_compute(campaign=campaign, period_start=earlier.start, period_end=earlier.end)
    print(
        f"Every month of the campaign ({len(months)} months): {time.perf_counter() - started:.1f} s"
    )


def _pages(args):
    import math

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from biaoshuai.assessment.scoring import participating_units
    from biaoshuai.assessment.views import PER_PAGE
    from biaoshuai.demo.loader import demo_unit

    last_page = math.ceil(participating_units().count() / PER_PAGE)
    lishi = demo_unit("李市镇")
    pages = {
        "office": [
            ("dashboard", reverse("assessment:dashboard")),
            ("ranking, page 1", reverse("assessment:ranking")),
            ("ranking, last page", f"{reverse('assessment:ranking')}?page={last_page}"),
            ("ranking by total", f"{reverse('assessment:ranking')}?sort=total"),
            ("unit score", reverse("assessment:unit_detail", args=[lishi.pk])),
            ("manual scores", reverse("assessment:manual_scores")),
            ("home", reverse("core:home")),
        ],
        "leader": [
            ("dashboard", reverse("assessment:dashboard")),
            ("home", reverse("core:home")),
        ],
        "liaison_lishi": [
            ("ranking", reverse("assessment:ranking")),
            ("unit score", reverse("assessment:unit_detail", args=[lishi.pk])),
            ("home", reverse("core:home")),
        ],
    }
    dashboard_ms = None
    for username, urls in pages.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        print(f"\nAs {username}:")
        print(f"  {'page':<24} {'median ms':>10} {'p95 ms':>9} {'queries':>8}  status")
        for label, url in urls:
            row = run._time_page(client, url, args.runs)
            print(
                f"  {label:<24} {row['median_ms']:>10.1f} {row['p95_ms']:>9.1f} "
                f"{row['queries']:>8}  {row['status']}"
            )
            if label == "dashboard":
                dashboard_ms = max(dashboard_ms or 0, row["median_ms"])
        if username == "office":
            row = run._time_export(client, reverse("assessment:ranking_export"), args.export_runs)
            print(
                f"  {'ranking export .xlsx':<24} {row['median_ms']:>10.1f} {'':>9} "
                f"{row['queries']:>8}  {row['status']}; {row['bytes'] / 1e3:.0f} kB; "
                f"peak Python memory {row['peak_mb']:.1f} MB"
            )
    return dashboard_ms


if __name__ == "__main__":
    main()
