"""Demo data for opinions: about 150 opinions from every channel and many units, in every
state of their handling, some overdue, some rated; clusters of near-duplicates so the
problem-finding page shows groups, and one group already turned into a problem.

Idempotent: an opinion is looked up by its campaign and content; what exists is left alone.
Everything goes through the opinions services; only the dates are moved back afterwards,
so that a demo loaded today has a history of several weeks (and some overdue opinions).
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.opinions import grouping_services, services
from biaoshuai.opinions.codes import code_display
from biaoshuai.opinions.models import GroupingRun, GroupMember, Opinion
from biaoshuai.opinions.selectors import problems_for

from . import data
from .common import demo_root, demo_unit, demo_user

# Two opinions a newcomer can look up on the portal (/portal/opinions/track/).
DEMO_CODES = {
    "replied": "DEMQ-7RPK-Y2K8",
    "in_progress": "DEMQ-4WAT-H3N6",
}
S = Opinion.State
# The state each opinion reaches, in turn (so every state appears many times).
STATES = [
    S.CLOSED,
    S.ASSIGNED,
    S.CLOSED,
    S.SIGNED,
    S.REPLIED,
    S.CLOSED,
    S.NEW,
    S.RETURNED,
    S.CLOSED,
    S.REOPENED,
    S.SIGNED,
    S.CLOSED,
    S.NEW,
    S.ASSIGNED,
]
RATINGS = ["satisfied", "satisfied", "fairly_satisfied", "satisfied", "", "fairly_satisfied"]
REPLIES = [
    "收到意见后，我们立即进行了核实，已制定整改措施并落实到人，将在一个月内整改到位，欢迎继续监督。",
    "感谢您的意见。经研究，已建立相关制度并公示，具体情况可来电咨询。",
    "您反映的问题属实，已责成相关科室整改，整改结果将在政务公开栏公示。",
]

# Near-duplicate clusters: (dimension, [texts]); {unit} is a township's name.
CLUSTERS = [
    (
        "exemplary_role",
        [
            "{unit}便民服务中心办事窗口中午午休时间没人值班，群众跑了两趟都办不成事。",
            "{unit}便民服务中心窗口午休无人，中午去办事只能干等。",
            "{unit}办事窗口中午没有人，希望安排午间值班。",
            "中午到{unit}便民窗口办事，窗口空岗无人办理。",
            "{unit}政务服务窗口中午无人值守，外出打工回来的群众办事不方便。",
            "建议{unit}办事窗口实行午间轮流值班，不要中午没人。",
        ],
    ),
    (
        "thinking_style",
        [
            "干部档案查询手续繁琐，要跑好几个地方盖章。",
            "查询本人干部档案手续太麻烦，材料要求复杂。",
            "干部档案查询要层层审批，手续繁琐耗时长。",
            "{unit}干部反映，查询干部档案手续繁琐，审批环节太多。",
            "希望简化干部档案查询手续，减少盖章环节。",
        ],
    ),
    (
        "thinking_style",
        [
            "村干部培训内容脱离实际，讲的理论多，解决问题的办法少。",
            "{unit}村干部培训班内容不切实际，和村里工作对不上。",
            "村干部培训内容脱离实际，希望多讲实用技能。",
            "组织的村干部培训脱离实际，讲课内容用不上。",
            "{unit}村干部反映培训内容脱离农村实际，建议多请基层干部讲课。",
        ],
    ),
    (
        "discipline",
        [
            "选拔任用干部过程不够公开透明，群众不了解考察情况。",
            "希望公开干部选拔任用过程，提高选人用人透明度。",
            "{unit}提拔干部前公示时间太短，选拔过程不够公开透明。",
            "干部选拔任用过程要公开透明，让群众参与评议。",
        ],
    ),
    (
        "exemplary_role",
        [
            "组工干部下基层调研太少，对基层情况不了解。",
            "组织部门干部很少到{unit}调研，基层情况了解不够。",
            "希望组工干部多下基层调研，了解基层实际情况。",
            "组工干部下基层调研走过场，基层情况了解不深。",
        ],
    ),
]
SINGLES = [
    ("party_spirit", "流动党员管理松散，长期不参加组织生活，希望建立流动党员服务站。"),
    ("discipline", "发展党员程序要严格，防止优亲厚友。"),
    ("exemplary_role", "建议提高村级党组织活动经费，保障正常开展活动。"),
    ("morality", "个别干部下乡接受吃请，影响组工干部形象。"),
    ("thinking_style", "组织部门出台的文件太多，基层报表负担重。"),
    ("party_spirit", "部分党员理论学习流于形式，学习笔记互相抄。"),
    ("exemplary_role", "老党员生活困难，希望组织上多关心走访。"),
    ("discipline", "干部请销假制度执行不严，有人上班时间办私事。"),
    ("thinking_style", "大学生村官留不住，待遇和发展空间都不足。"),
    ("morality", "有的干部对群众态度生硬，说话不耐烦。"),
    ("exemplary_role", "远程教育站点设备老化，很久没有播放课件。"),
    ("party_spirit", "党员积分管理办法好，建议在全县推广。"),
    ("thinking_style", "建议建立优秀年轻干部到信访窗口锻炼的制度。"),
    ("discipline", "人才引进政策宣传不够，很多人不知道申报条件。"),
    ("exemplary_role", "希望组织部门网站及时更新，公开的信息太旧。"),
    ("morality", "个别干部在工作群里发表不当言论。"),
    ("thinking_style", "非公企业党建工作覆盖不够，很多企业没有党组织。"),
    ("party_spirit", "党费收缴标准不清楚，希望统一解释。"),
    ("exemplary_role", "社区党员服务中心开放时间短，上班族用不上。"),
    ("discipline", "基层公务员考核流于形式，优秀和一般差不多。"),
]
CHANNELS = ["forum_visit", "questionnaire", "mailbox", "hotline", "field_research", "web_form"]
TARGET = 150


@transaction.atomic
def load_opinions(*, log):
    campaign = Campaign.objects.current()
    if campaign is None:
        log("Opinions: no current campaign, nothing loaded.")
        return 0
    office, root = demo_user("office"), demo_root()
    liaisons = {data.LISHI: demo_user("liaison_lishi"), data.ZENGJI: demo_user("liaison_zengji")}
    units = [demo_unit(name) for name in data.TOWNSHIPS[:10] + data.COUNTY_AGENCIES[:4]]
    for name in (data.LISHI, data.ZENGJI):
        if all(u.name != name for u in units):
            units.insert(0, demo_unit(name))
    rng = random.Random(data.SEED + "-opinions")
    today = timezone.localdate()
    existing = set(Opinion.objects.filter(campaign=campaign).values_list("content", flat=True))
    made = 0
    for index, (dimension, text, unit) in enumerate(_texts(units, rng)):
        if text in existing:
            continue
        code = None
        if index == 0:
            code = DEMO_CODES["replied"]
        elif index == 3:
            code = DEMO_CODES["in_progress"]
        state = S.CLOSED if index == 0 else S.SIGNED if index == 3 else STATES[index % len(STATES)]
        _opinion_make(
            campaign=campaign,
            office=office,
            liaison=liaisons.get(unit.name, office),
            root=root,
            unit=unit,
            text=text,
            dimension=dimension,
            state=state,
            index=index,
            rng=rng,
            today=today,
            code=code,
        )
        made += 1
    problem = _group_and_problem(campaign=campaign, office=office, unit=demo_unit("干部科"))
    log(
        f"Opinions: {made} created ({Opinion.objects.filter(campaign=campaign).count()} in all)"
        f"{'; one group turned into a problem' if problem else ''}. Try the tracking codes "
        f"{DEMO_CODES['replied']} (replied, can be rated) and {DEMO_CODES['in_progress']} "
        "(being handled) at /portal/opinions/track/."
    )
    return made


def _texts(units, rng):
    """(dimension, text, unit) for about TARGET opinions, clusters interleaved with singles."""
    rows = []
    for dimension, texts in CLUSTERS:
        for round_ in range(2):
            for i, text in enumerate(texts):
                unit = units[(i * 3 + round_ * 5 + len(rows)) % len(units)]
                if round_ and "{unit}" not in text:
                    continue
                rows.append((dimension, text.format(unit=unit.name), unit))
    singles = [(d, t, units[i % len(units)]) for i, (d, t) in enumerate(SINGLES)]
    # Repeated reports of the single topics make up the rest, each about its own unit.
    extra = []
    for i in range(TARGET - len(rows) - len(singles)):
        dimension, text = SINGLES[i % len(SINGLES)]
        unit = units[(i * 7 + 3) % len(units)]
        extra.append((dimension, f"{text[:-1]}（第{i // len(SINGLES) + 2}次反映）", unit))
    everything = rows + singles + extra
    rng.shuffle(everything)
    # The two showcase opinions first, with the same text every time.
    everything.sort(key=lambda row: 0 if row[1] in (SINGLES[0][1], SINGLES[1][1]) else 1)
    return everything[:TARGET]


def _opinion_make(
    *, campaign, office, liaison, root, unit, text, dimension, state, index, rng, today, code
):
    channel = CHANNELS[index % len(CHANNELS)]
    age = 3 + (index * 11) % 70
    received = today - timedelta(days=age)
    named = index % 4 == 1
    opinion, _ = services.opinion_record(
        by=None if channel == "web_form" else office,
        campaign=campaign,
        channel=channel,
        received_on=received,
        content=text,
        unit_concerned=unit if index % 3 else None,
        is_anonymous=not named,
        name=rng.choice(["王大爷", "刘女士", "陈先生", "张老师", "李村民"]) if named else "",
        phone=f"139{rng.randrange(10**7, 10**8)}" if named else "",
        code=code,
    )
    if dimension and index % 5:
        services.opinion_classify(
            opinion=opinion,
            by=office,
            dimension=dimension,
            summary="",
            disclosure=Disclosure.RESTRICTED,
        )
    if state == S.NEW:
        return opinion
    deadline_real = received + timedelta(days=15)
    if state in Opinion.WAITING_FOR_UNIT and index % 4:
        # Most opinions still with a unit are within their deadline; one in four is overdue.
        deadline_real = max(deadline_real, today + timedelta(days=3 + index % 10))
    services.opinion_assign(
        opinion=opinion, by=office, unit=unit, deadline=today + timedelta(days=30)
    )
    if state != S.ASSIGNED:
        services.opinion_sign(opinion=opinion, by=liaison)
    if state in (S.REPLIED, S.RETURNED, S.CLOSED, S.REOPENED):
        services.opinion_reply(opinion=opinion, by=liaison, reply=REPLIES[index % len(REPLIES)])
    if state == S.RETURNED:
        services.opinion_return(
            opinion=opinion, by=office, note="答复没有说明具体整改时限，请补充。"
        )
    if state in (S.CLOSED, S.REOPENED):
        services.opinion_approve(opinion=opinion, by=office)
        rating = "dissatisfied" if state == S.REOPENED else RATINGS[index % len(RATINGS)]
        if rating and code is None:  # the showcase opinion is left for the newcomer to rate
            services.opinion_rate(
                opinion=opinion,
                rating=rating,
                comment="" if rating != "dissatisfied" else "问题没有真正解决。",
            )
        if state == S.CLOSED and index % 6 == 0:
            services.opinion_classify(
                opinion=opinion,
                by=office,
                dimension=opinion.dimension,
                summary=f"群众反映：{text[:40]}。已答复并整改。",
                disclosure=Disclosure.PUBLIC,
            )
    # Move the history back in time: assigned the day after arrival, replied days later.
    replied_days = 4 + index % 15
    fields = {"deadline": deadline_real, "assigned_at": _at(received + timedelta(days=1))}
    if state != S.ASSIGNED:
        fields["signed_at"] = _at(received + timedelta(days=2))
    if opinion.first_replied_at:
        replied = min(received + timedelta(days=replied_days), today)
        fields.update(
            first_replied_at=_at(replied),
            replied_at=_at(replied),
            replied_on_time=replied <= deadline_real,
        )
        if opinion.reply_published_at:
            published = min(replied + timedelta(days=1), today)
            fields.update(reply_published_at=_at(published))
            if opinion.closed_at:
                fields.update(closed_at=_at(published))
    Opinion.objects.filter(pk=opinion.pk).update(**fields)
    return opinion


def _at(day):
    return timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time()).replace(hour=10)
    )


def _group_and_problem(*, campaign, office, unit):
    """Group the opinions (once), and turn the 干部档案 group into a problem (once)."""
    run = GroupingRun.objects.filter(campaign=campaign, state=GroupingRun.State.DONE).first()
    if run is None:
        run = grouping_services.grouping_run_now(campaign=campaign, by=office)
    member = GroupMember.objects.filter(
        group__run=run, kind="opinion", text__contains="干部档案查询"
    ).first()
    if member is None:
        return None
    members = list(member.group.members.all())
    opinion_ids = [m.source_id for m in members if m.kind == "opinion"]
    if problems_for(kind="opinion", source_ids=opinion_ids):
        return None
    try:
        return grouping_services.problem_from_members(
            by=office,
            campaign=campaign,
            unit=unit,
            dimension="thinking_style",
            description="干部档案查询手续繁琐、审批环节多，群众和干部多次反映",
            members=members,
        )
    except Exception:  # the problem list is not available
        return None


def demo_codes():
    return [code_display(c.replace("-", "")) for c in DEMO_CODES.values()]
