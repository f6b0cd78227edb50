#!/usr/bin/env python
"""Benchmark: a questionnaire round with 250,000 responses — its results page and the
streamed export of every response.

    .venv/bin/python bench/surveys_results.py [--responses 250000] [--runs 20]
                                              [--database-url URL] [--fresh]

Uses bench/run.py's database set-up (bench/out/bench.sqlite3 by default, never the
developer's database). The questionnaire is built through the services; the responses are
inserted in bulk (one of each question type per response).
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import run  # noqa: E402  bench/run.py: database set-up and timing helpers

TITLE = "满意度测评（性能测试）"
BATCH = 5000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--export-runs", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{run.OUT / 'bench.sqlite3'}"
    run._refuse_developer_database(url)
    run.OUT.mkdir(parents=True, exist_ok=True)
    run._prepare_database(url, fresh=args.fresh)
    run._setup_django(url)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", interactive=False, verbosity=0)
    print(f"Database: {connection.vendor} ({run._describe(url)})")
    survey_round = _prepare(args.responses)
    user = get_user_model().objects.get(username="office")
    client = Client()
    client.force_login(user)
    results_url = reverse("surveys:round_results", args=[survey_round.pk])
    page = run._time_page(client, results_url, args.runs)
    print(
        f"results page ({args.responses} responses): median {page['median_ms']:.1f} ms, "
        f"p95 {page['p95_ms']:.1f} ms, {page['queries']} queries, status {page['status']}"
    )
    export_url = reverse("surveys:round_export", args=[survey_round.pk])
    export = run._time_export(client, export_url, args.export_runs)
    print(
        f"export .xlsx: {export['median_ms'] / 1000:.1f} s, {export['bytes'] / 1e6:.1f} MB, "
        f"peak Python memory {export['peak_mb']:.1f} MB, {export['queries']} queries, "
        f"status {export['status']}"
    )


def _prepare(count):
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.demo.loader import load_demo
    from biaoshuai.org.models import Unit
    from biaoshuai.surveys import services
    from biaoshuai.surveys.models import Answer, Question, Response, Survey

    if not Campaign.objects.exists():
        started = time.perf_counter()
        load_demo()
        print(f"load_demo: {time.perf_counter() - started:.1f} s")
    campaign = Campaign.objects.get(is_current=True)
    survey = Survey.objects.filter(title=TITLE).first()
    if survey is None:
        root = Unit.objects.get(parent__isnull=True, name="县委组织部部机关")
        survey = services.survey_create(
            campaign=campaign, unit=root, by=None, title=TITLE, audience="public", asks_unit=True
        )
        kinds = Question.Kind
        services.question_create(
            survey=survey,
            by=None,
            kind=kinds.SINGLE,
            text="您的身份",
            options=["党员干部", "群众", "其他"],
        )
        services.question_create(
            survey=survey,
            by=None,
            kind=kinds.MULTIPLE,
            text="了解渠道",
            options=["网站", "电视", "报刊", "微信", "走访"],
        )
        services.question_create(survey=survey, by=None, kind=kinds.RATING, text="总体评价")
        services.question_create(
            survey=survey,
            by=None,
            kind=kinds.MATRIX,
            text="分项评价",
            rows=["选人用人", "干部管理", "基层党建", "人才工作"],
        )
        services.question_create(
            survey=survey, by=None, kind=kinds.TEXT, text="意见建议", required=False
        )
        today = timezone.localdate()
        services.round_create(
            survey=survey,
            by=None,
            name="性能测试",
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=30),
        )
    survey_round = survey.rounds.get()
    have = Response.objects.filter(round=survey_round).count()
    if have >= count:
        print(f"{have} responses already there")
        _rebuild(survey_round, have)
        return survey_round
    questions = list(survey.questions.order_by("order"))
    single, multiple, rating, matrix, text = questions
    scores = [s["score"] for s in survey.scale]
    units = list(
        Unit.objects.filter(kind__in=["township", "county_agency"]).values_list("pk", flat=True)
    )
    rng = random.Random("bench-surveys")
    started = time.perf_counter()
    now = timezone.now()
    for first in range(have, count, BATCH):
        size = min(BATCH, count - first)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(
                    round=survey_round,
                    respondent_key=f"bench-{first + i}",
                    unit_id=rng.choice(units),
                    submitted_at=now,
                )
                for i in range(size)
            )
            answers = []
            for response in responses:
                unit_id = response.unit_id

                def add(
                    question,
                    row=0,
                    choice=None,
                    score=None,
                    value="",
                    unit_id=unit_id,
                    response=response,
                    answers=answers,
                ):
                    answers.append(
                        Answer(
                            response=response,
                            round=survey_round,
                            question=question,
                            row=row,
                            choice=choice,
                            score=score,
                            text=value,
                            unit_id=unit_id,
                        )
                    )

                add(single, choice=rng.randrange(3))
                for choice in rng.sample(range(5), rng.randint(1, 3)):
                    add(multiple, choice=choice)
                pick = rng.choices(range(5), [35, 35, 18, 8, 4])[0]
                add(rating, choice=pick, score=scores[pick])
                for row in range(4):
                    pick = rng.choices(range(5), [35, 35, 18, 8, 4])[0]
                    add(matrix, row=row, choice=pick, score=scores[pick])
                if rng.random() < 0.2:
                    add(text, value="希望组织部门多下基层、多听意见。")
            Answer.objects.bulk_create(answers, batch_size=BATCH)
    print(f"inserted {count - have} responses in {time.perf_counter() - started:.1f} s")
    if survey_round.state == "draft":
        services.round_open(survey_round=survey_round, by=None)
    _rebuild(survey_round, count)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return survey_round


def _rebuild(survey_round, count):
    """Bulk-inserted answers bypass the tallies the services keep: recompute them once."""
    from biaoshuai.surveys import services

    survey_round.refresh_from_db()
    if survey_round.response_total == count:
        return
    started = time.perf_counter()
    services.tally_rebuild(survey_round=survey_round)
    print(f"tally_rebuild: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
