#!/usr/bin/env python
"""Benchmark: the public portal's front page and the rectification board at province scale.

    .venv/bin/python bench/portal_pages.py [--units 2000 --cadres 100000] [--news 20000]
                                           [--runs 20] [--database-url URL] [--fresh]

Uses bench/run.py's set-up (its own SQLite file by default, bench/out/portal.sqlite3; never
db.sqlite3): the demo, the scale units and cadres, then `--news` published news articles
written in bulk (a quarter of them internal, so the public filter has work to do). Each
page is timed anonymously twice: with the portal cache off (PORTAL_CACHE_SECONDS=0: every
request builds the page) and on (the default 60 s: a request served from the cache).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: set-up and timing helpers)

PAGES = [
    ("portal home", "portal:home"),
    ("campaign column", "portal:column"),
    ("news list", "publicity_public:news_list"),
    ("news feed", "portal:feed"),
    ("rectification board", "rectification_public:board"),
]
BATCH = 2000
BUDGET_MS = 100


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--news", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{run.OUT / 'portal.sqlite3'}"
    run._refuse_developer_database(url)
    run.OUT.mkdir(parents=True, exist_ok=True)
    run._prepare_database(url, fresh=args.fresh)
    run._setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    run._load(args)
    started = time.perf_counter()
    made = _load_news(args.news)
    print(
        f"Database: {connection.vendor}; news created: {made} in {time.perf_counter() - started:.1f} s"
    )
    ok = _bench(args)
    sys.exit(0 if ok else 1)


def _load_news(total):
    """Published news in bulk, spread over the scale units (one audit event for the load)."""
    from django.db import transaction
    from django.utils import timezone

    from biaoshuai.audit.services import audit_record
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.core.disclosure import Disclosure
    from biaoshuai.org.models import Unit
    from biaoshuai.publicity.models import NewsArticle, ReviewState

    prefix = "基准测试新闻"
    existing = NewsArticle.objects.filter(title__startswith=prefix).count()
    if existing >= total:
        return 0
    campaign = Campaign.objects.current()
    units = list(Unit.objects.values_list("pk", flat=True))
    now = timezone.now()
    body = "基层组工干部深入开展学习实践活动。\n" * 8
    made = 0
    with transaction.atomic():
        for start in range(existing, total, BATCH):
            rows = [
                NewsArticle(
                    campaign=campaign,
                    unit_id=units[n % len(units)],
                    title=f"{prefix}{n:06d}",
                    body=body,
                    state=ReviewState.PUBLISHED,
                    disclosure=Disclosure.INTERNAL if n % 4 == 0 else Disclosure.PUBLIC,
                    disclosure_proposed=Disclosure.PUBLIC,
                    published_at=now - timezone.timedelta(minutes=n),
                )
                for n in range(start, min(start + BATCH, total))
            ]
            NewsArticle.objects.bulk_create(rows)
            made += len(rows)
        audit_record(
            actor=None,
            action="create",
            object_type="publicity.newsarticle",
            object_repr=f"{made} benchmark news articles",
            verb="scale_load",
        )
    return made


def _bench(args):
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import NoReverseMatch, reverse

    client = Client()
    ok = True
    for label, seconds in [("cache off", 0), ("cache on", 60)]:
        print(f"\nAnonymous, {label}:")
        print(f"  {'page':<24} {'median ms':>10} {'p95 ms':>9} {'queries':>8}  status")
        with override_settings(PORTAL_CACHE_SECONDS=seconds):
            for page, url_name in PAGES:
                try:
                    url = reverse(url_name)
                except NoReverseMatch:
                    print(f"  {page:<24} skipped: no URL named {url_name}")
                    continue
                row = run._time_page(client, url, args.runs)
                flag = "" if row["median_ms"] < BUDGET_MS else f"  over {BUDGET_MS} ms"
                ok &= not flag or seconds == 0  # the budget applies to pages as served (cached)
                print(
                    f"  {page:<24} {row['median_ms']:>10.1f} {row['p95_ms']:>9.1f} "
                    f"{row['queries']:>8}  {row['status']}{flag}"
                )
    return ok


if __name__ == "__main__":
    main()
