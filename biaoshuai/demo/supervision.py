"""The demo's supervision: items in every state, two inspections, unit reports, bulletins.

Items issued to 李市镇, 曾集镇 and other units: some overdue (red), some due within three days
(yellow), some accepted, one sent back; a reminder on an overdue one. Two inspections with
findings: one finding becomes a problem on the unit's list, one a supervision item. Unit
reports for every month past its due date (most on time, some late, some missing; the
older ones reviewed, one returned). A published, public bulletin for last month and this month's
awaiting the leader's approval (his work queue and bell show it). Everything goes through the supervision (and rectification) services.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.org.models import Person
from biaoshuai.supervision import services
from biaoshuai.supervision.models import Bulletin, Inspection, SupervisionItem, UnitReport
from biaoshuai.supervision.periods import participating_units, report_periods

from . import data
from .common import demo_unit, demo_user

OTHER_UNITS = ["沙洋镇", "后港镇", "县财政局", "县民政局"]
# (subject, requirement, days from today to the deadline, {unit: state}) — states reached
# through the services in order: signed, replied, accepted or returned.
ITEMS = [
    (
        "组织开展“三看”解放思想大讨论",
        "围绕“三看”问题召开专题讨论会，形成讨论成果，报送会议记录和讨论成果材料。",
        20,
        {data.LISHI: "accepted", data.ZENGJI: "replied", "沙洋镇": "signed", "县财政局": "issued"},
    ),
    (
        "报送个人整改方案汇总表",
        "汇总本单位组工干部个人整改方案，逐人列明整改事项、措施和时限，加盖公章后报送。",
        -6,
        {data.LISHI: "signed", data.ZENGJI: "issued", "后港镇": "returned", "县民政局": "accepted"},
    ),
    (
        "落实领导干部基层联系点制度情况",
        "报送本单位领导干部基层联系点名单及本季度下基层调研、解决问题情况。",
        2,
        {data.LISHI: "issued", data.ZENGJI: "signed", "沙洋镇": "replied", "县民政局": "accepted"},
    ),
    (
        "征求意见建议梳理反馈",
        "对征求到的意见建议逐条梳理，明确责任人和办理时限，向提出人反馈办理结果。",
        -15,
        {data.ZENGJI: "replied", "县财政局": "issued", data.LISHI: "accepted"},
    ),
]
INSPECTIONS = [
    (
        data.LISHI,
        30,
        "活动办公室督导组",
        "查阅学习笔记、会议记录，走访镇党委班子成员和部分组工干部。",
        [
            "部分组工干部学习笔记内容较少，心得体会文章质量不高。",
            "征求意见台账不够规范，部分意见未明确办理时限。",
            "党员之家活动阵地建设基本到位。",
        ],
    ),
    (
        data.ZENGJI,
        12,
        "活动办公室督导组、干部监督科",
        "听取镇党委活动开展情况汇报，抽查个人整改方案。",
        [
            "个人整改方案针对性不强，整改措施笼统，操作性不够。",
            "活动宣传氛围不够浓厚，未向县级以上媒体报送稿件。",
        ],
    ),
]
REPLY_TEXT = "已按要求完成，相关材料附后。"
RETURN_REASON = "材料不完整，缺少会议记录和签到表，请补充后重新报送。"
REPORT_TEXT = (
    "一、本月工作开展情况\n本月我单位按照活动实施方案要求，组织组工干部集中学习{n}次，"
    "开展专题讨论1次，征求意见建议{m}条。\n二、存在的问题\n个别干部学习主动性不强。\n"
    "三、下月工作打算\n继续抓好学习教育，推进整改落实。"
)


def load_supervision(*, log):
    """Supervision's demo records; returns how many were created (0 when already there)."""
    campaign = Campaign.objects.current()
    if campaign is None:
        log("Supervision: no current campaign, nothing loaded.")
        return 0
    made = 0
    made += _items(campaign)
    made += _inspections(campaign)
    made += _reports(campaign)
    made += _bulletins(campaign)
    log(f"Supervision: {made} records created.")
    return made


@transaction.atomic
def _items(campaign):
    if SupervisionItem.objects.filter(campaign=campaign, subject=ITEMS[0][0]).exists():
        return 0
    office, today = demo_user("office"), timezone.localdate()
    made = 0
    for subject, requirement, days, states in ITEMS:
        units = [demo_unit(name) for name in states]
        item = services.supervision_item_issue(
            by=office,
            campaign=campaign,
            subject=subject,
            requirement=requirement,
            deadline=today + timedelta(days=days),
            units=units,
        )
        made += 1
        for task in item.tasks.select_related("unit"):
            _advance(task, states[task.unit.name], office)
        if days < 0:
            owed = item.tasks.filter(state__in=("issued", "signed", "returned")).first()
            if owed is not None:
                services.task_remind(task=owed, by=office, note="该事项已逾期，请抓紧办理并报送。")
    return made


def _advance(task, state, office):
    liaison = _liaison(task.unit)
    steps = {
        "issued": [],
        "signed": ["sign"],
        "replied": ["sign", "reply"],
        "accepted": ["sign", "reply", "accept"],
        "returned": ["sign", "reply", "return"],
    }[state]
    for step in steps:
        if step == "sign":
            services.task_sign(task=task, by=liaison)
        elif step == "reply":
            services.task_reply(task=task, by=liaison, reply=REPLY_TEXT)
        elif step == "accept":
            services.task_accept(task=task, by=office)
        elif step == "return":
            services.task_return(task=task, by=office, reason=RETURN_REASON)


def _liaison(unit):
    """The unit's liaison account if the demo has one, else the office acting for the unit."""
    name = {data.LISHI: "liaison_lishi", data.ZENGJI: "liaison_zengji"}.get(unit.name)
    return demo_user(name) if name else demo_user("office")


@transaction.atomic
def _inspections(campaign):
    if Inspection.objects.filter(campaign=campaign).exists():
        return 0
    office, today = demo_user("office"), timezone.localdate()
    inspectors = list(Person.objects.filter(unit__name=data.OFFICE_SUB_UNIT).order_by("name")[:2])
    made = 0
    for unit_name, days_ago, team, summary, findings in INSPECTIONS:
        inspection = services.inspection_create(
            by=office,
            campaign=campaign,
            unit=demo_unit(unit_name),
            visited_on=today - timedelta(days=days_ago),
            inspectors_text=team,
            inspectors=inspectors,
            summary=summary,
            findings=findings,
        )
        made += 1
        first = inspection.findings.order_by("pk").first()
        if unit_name == data.LISHI:
            dimension = campaign.choices("problem_dimensions")[0][0]
            try:
                services.finding_to_problem(by=office, finding=first, dimension=dimension)
            except Exception:  # noqa: BLE001 — without rectification the finding stays open
                pass
        else:
            services.finding_to_item(
                by=office,
                finding=first,
                subject="完善个人整改方案",
                requirement="对照检查发现的问题，逐人修改完善个人整改方案，做到看得见、摸得着、操作性强。",
                deadline=today + timedelta(days=10),
            )
    return made


@transaction.atomic
def _reports(campaign):
    if UnitReport.objects.filter(campaign=campaign).exists():
        return 0
    office, today = demo_user("office"), timezone.localdate()
    tz = timezone.get_current_timezone()
    periods = [p for p in report_periods(campaign, today) if p.due_on < today]
    made = 0
    returned = False
    for unit in participating_units():
        liaison = _liaison(unit)
        for index, period in enumerate(periods):
            rng = random.Random(f"{data.SEED}:report:{unit.name}:{period.key}")
            roll = rng.random()
            if roll < 0.1 and unit.name != data.LISHI:
                continue  # missing
            late = roll < 0.22 and unit.name != data.LISHI
            day = (
                period.due_on + timedelta(days=rng.randint(1, 6))
                if late
                else (period.due_on - timedelta(days=rng.randint(0, 5)))
            )
            report = services.unit_report_submit(
                by=liaison,
                campaign=campaign,
                unit=unit,
                period_start=period.start,
                text=REPORT_TEXT.format(n=rng.randint(2, 5), m=rng.randint(3, 20)),
                now=datetime.combine(day, time(rng.randint(9, 17)), tzinfo=tz),
            )
            made += 1
            if index < len(periods) - 1:
                services.unit_report_review(by=office, report=report, comment="已阅，内容详实。")
            elif not returned and unit.name == data.ZENGJI:
                services.unit_report_return(
                    by=office, report=report, comment="请补充本月征求意见建议的办理情况。"
                )
                returned = True
    return made


@transaction.atomic
def _bulletins(campaign):
    if Bulletin.objects.filter(campaign=campaign).exists():
        return 0
    office, leader = demo_user("office"), demo_user("leader")
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    published = services.bulletin_generate(
        by=office,
        campaign=campaign,
        period_start=last_month,
        period_end=this_month - timedelta(days=1),
    )
    services.bulletin_submit(by=office, bulletin=published)
    services.bulletin_approve(by=leader, bulletin=published)
    services.bulletin_publish(by=office, bulletin=published, disclosure=Disclosure.PUBLIC)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    current = services.bulletin_generate(
        by=office,
        campaign=campaign,
        period_start=this_month,
        period_end=next_month - timedelta(days=1),
    )
    services.bulletin_submit(by=office, bulletin=current)
    return 2
