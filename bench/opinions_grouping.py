#!/usr/bin/env python
"""Benchmark: grouping 100,000 opinions by similarity (target: under 60 s).

    .venv/bin/python bench/opinions_grouping.py [--opinions 100000] [--database-url URL] [--fresh]

Loads the demo's units, accounts and campaign (bench/run.py's helpers), then `--opinions`
generated opinions with bulk_create: about 800 topics (a subject and an issue) written
with varying units, fillers and endings, plus one in ten opinions of random words, so
there are near-duplicate groups of every size and many texts that belong to none. Then it
times the grouping task's work (read, segment and group, store). Its database is its own
(default bench/out/opinions.sqlite3), never the developer's db.sqlite3.
"""

import argparse
import hashlib
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as base  # noqa: E402  (bench/run.py: database preparation, Django set-up)

TARGET_S = 60
BATCH = 5000
SUBJECTS = [
    "便民服务中心办事窗口",
    "干部档案查询",
    "村干部培训",
    "干部选拔任用",
    "组工干部下基层调研",
    "流动党员管理",
    "发展党员工作",
    "基层党组织活动经费",
    "远程教育站点",
    "党员积分管理",
    "大学生村官",
    "人才引进政策",
    "非公企业党建",
    "社区党员服务中心",
    "党费收缴",
    "干部请销假制度",
    "公务员年度考核",
    "组织部门网站",
    "老党员走访慰问",
    "党员学习教育",
    "干部挂职锻炼",
    "村级后备干部",
    "驻村工作队",
    "党务公开栏",
    "干部因私出国管理",
    "基层减负报表",
    "选调生培养",
    "优秀年轻干部",
    "干部谈心谈话",
    "组织生活会",
    "党员先锋岗",
    "乡镇干部值班",
    "机关作风建设",
    "信访接待窗口",
    "干部教育培训经费",
    "村务监督委员会",
    "软弱涣散党组织整顿",
    "党员志愿服务",
    "人才公寓申请",
    "职称评审",
]
ISSUES = [
    "中午无人值班",
    "手续繁琐审批环节多",
    "内容脱离实际",
    "工作人员态度生硬",
    "办事效率低下",
    "信息公开不及时",
    "标准不统一",
    "落实不到位流于形式",
    "经费保障不足",
    "宣传解读不够",
    "程序不够公开透明",
    "制度执行不严",
    "覆盖面不广",
    "考核走过场",
    "群众参与度低",
    "服务时间太短",
    "设备老化无人维护",
    "材料要求重复提交",
    "结果反馈不及时",
    "监督管理松散",
]
FILLERS = [
    "",
    "希望尽快改进，",
    "群众意见比较大，",
    "多次反映没有解决，",
    "建议认真研究，",
    "影响了组织部门形象，",
    "请有关部门重视，",
    "基层干部也有同感，",
]
ENDINGS = ["。", "，谢谢。", "，盼回复。", "，望整改。", "！"]
NOISE = (
    "组织 干部 群众 基层 党员 工作 制度 服务 学习 培训 考核 监督 管理 公开 作风 纪律 "
    "调研 经费 人才 窗口 档案 选拔 任用 教育 志愿 社区 乡镇 企业 信访 网站"
).split()


def main():
    args = _arguments()
    url = args.database_url or f"sqlite:///{base.OUT / 'opinions.sqlite3'}"
    base._refuse_developer_database(url)
    base.OUT.mkdir(parents=True, exist_ok=True)
    base._prepare_database(url, fresh=args.fresh)
    base._setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({base._describe(url)})")
    call_command("migrate", interactive=False, verbosity=0)
    campaign = _load_base()
    _load_opinions(campaign, args.opinions)
    seconds = _bench(campaign)
    _pages()
    print(
        f"\nTarget: grouping {args.opinions} opinions in under {TARGET_S} s: "
        f"{'met' if seconds < TARGET_S else 'MISSED'} ({seconds:.1f} s)"
    )


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opinions", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    return parser.parse_args()


def _load_base():
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.demo.loader import load_accounts, load_campaign, load_org

    for loader in (load_org, load_accounts, load_campaign):
        loader(log=print)
    return Campaign.objects.current()


def _load_opinions(campaign, count):
    from django.utils import timezone

    from biaoshuai.opinions.models import Opinion
    from biaoshuai.org.models import Unit

    have = Opinion.objects.filter(campaign=campaign).count()
    if have >= count:
        print(f"Opinions: {have} already loaded")
        return
    units = list(Unit.objects.values_list("pk", "name"))
    dimensions = [key for key, _ in campaign.choices("problem_dimensions")] + [""]
    channels = [key for key, _ in campaign.choices("opinion_channels")]
    rng = random.Random(2026)
    today = timezone.localdate()
    started = time.perf_counter()
    rows = []
    for i in range(have, count):
        unit_id, unit_name = rng.choice(units)
        if i % 10 == 9:
            text = "".join(rng.sample(NOISE, 6)) + "。"
        else:
            topic = rng.randrange(len(SUBJECTS) * len(ISSUES))
            subject, issue = SUBJECTS[topic % len(SUBJECTS)], ISSUES[topic // len(SUBJECTS)]
            where = unit_name if rng.random() < 0.5 else ""
            text = f"{where}{subject}{issue}，{rng.choice(FILLERS)}{rng.choice(ENDINGS)}"
        rows.append(
            Opinion(
                campaign=campaign,
                channel=rng.choice(channels),
                received_on=today - timedelta(days=rng.randrange(200)),
                content=text,
                dimension=rng.choice(dimensions),
                unit_id=unit_id if i % 3 else None,
                state=Opinion.State.ASSIGNED if i % 3 else Opinion.State.NEW,
                tracking_code_hash=hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
            )
        )
        if len(rows) == BATCH:
            Opinion.objects.bulk_create(rows)
            rows = []
    Opinion.objects.bulk_create(rows)
    print(f"Opinions: {count - have} created in {time.perf_counter() - started:.1f} s")


def _bench(campaign):
    from biaoshuai.opinions.grouping import _store, group_items, grouping_items
    from biaoshuai.opinions.models import GroupingRun

    run = GroupingRun.objects.create(campaign=campaign)
    started = time.perf_counter()
    items = grouping_items(campaign=campaign)
    read = time.perf_counter()
    groups = group_items(items)
    grouped = time.perf_counter()
    _store(run, items, groups, grouped - started)
    stored = time.perf_counter()
    sizes = sorted((len(g.members) for g in groups), reverse=True)
    members = sum(sizes)
    print(f"\nGrouping {len(items)} items:")
    print(f"  read from the database   {read - started:6.1f} s")
    print(f"  segment and group        {grouped - read:6.1f} s")
    print(f"  store groups and members {stored - grouped:6.1f} s")
    print(f"  total                    {stored - started:6.1f} s")
    print(
        f"  {len(groups)} groups holding {members} items; largest {sizes[:5]}; "
        f"{len(items) - members} items in no group"
    )
    sample = groups[len(groups) // 2] if groups else None
    if sample:
        print(f"  e.g. keywords {sample.keywords}: {sample.members[0].text}")
    return stored - started


def _pages():
    """The grouping page on the stored result, as the office and as a liaison."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print("\nThe grouping page (/opinions/groups/), 10 requests each:")
    for username in ("office", "liaison_lishi"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        client.get("/opinions/groups/")
        times = []
        for _ in range(10):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/opinions/groups/")
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"  {username:<15} median {statistics.median(times):7.1f} ms, "
            f"{len(queries)} queries, status {response.status_code}"
        )


if __name__ == "__main__":
    main()
