"""The demo's second campaign: a three-month 作风建设专项整治 run inside the long campaign.

It began last month, so both campaigns are under way and the top bar's switcher has
something to switch between; it holds a few records of its own (opinions, a problem and
its rectification item, a supervision item, a news article, a questionnaire), so the
lists differ from one campaign to the other. It is not the default campaign.
"""

from datetime import timedelta
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.opinions import services as opinions
from biaoshuai.publicity import services as publicity
from biaoshuai.rectification.services import items as rectification_items
from biaoshuai.rectification.services import problems as rectification_problems
from biaoshuai.supervision.services import items as supervision
from biaoshuai.surveys import services as surveys
from biaoshuai.surveys.models import Survey

from . import data
from .common import demo_unit, demo_user, months_before

TEMPLATE = Path(__file__).parent / "templates" / "zuofeng.yaml"
TEMPLATE_KEY = "zuofeng"
# It began this many months ago (on the first of the month) and lasts three months.
MONTHS_AGO = 1

OPINIONS = [
    ("forum_visit", data.LISHI, "李市镇便民服务中心中午不安排人值班，群众办事要等到下午。"),
    ("hotline", data.ZENGJI, "曾集镇村干部报表太多，一个月要填十几种台账，没时间下村入户。"),
    ("forum_visit", data.LISHI, "有的站所开会传达文件照本宣科，会议多、落实少。"),
]
PROBLEM = (
    data.LISHI,
    "formalism",
    "便民服务中心午间无人值守、群众办事来回跑",
    "实行午间轮流值班和首问负责制，公开值班电话",
)
SUPERVISION = (
    "开展窗口单位午间值守情况自查",
    "各单位对照作风建设专项整治要求，自查窗口服务午间值守和首问负责落实情况，报送自查报告。",
    10,
    [data.LISHI, data.ZENGJI],
)
NEWS = (
    "县委组织部召开作风建设专项整治动员会",
    "会议通报了近年来组织系统作风方面的典型问题，对专项整治作出具体部署。",
    [
        "县委组织部召开全县组织系统作风建设专项整治动员会，部署为期三个月的专项整治。",
        "会议要求，各单位要聚焦形式主义、官僚主义、享乐主义和奢靡之风，逐岗位查摆问题，"
        "建立问题清单，做到边查边改、立行立改。",
    ],
)
SURVEY = "作风建设专项整治群众满意度测评"


@transaction.atomic
def load_second_campaign(*, log):
    if Campaign.objects.filter(template_key=TEMPLATE_KEY).exists():
        log("Second campaign: already there.")
        return 0
    today = timezone.localdate()
    campaign = campaign_create_from_template(
        data=yaml.safe_load(TEMPLATE.read_text(encoding="utf-8")),
        starts_on=months_before(today, MONTHS_AGO),
        by=None,
    )
    office = demo_user("office")
    made = 1
    for channel, unit_name, text in OPINIONS:
        opinion, _code = opinions.opinion_record(
            by=office,
            campaign=campaign,
            channel=channel,
            received_on=today - timedelta(days=made * 3),
            content=text,
            unit_concerned=demo_unit(unit_name),
        )
        opinions.opinion_assign(
            opinion=opinion, by=office, unit=demo_unit(unit_name), deadline=today + timedelta(7)
        )
        made += 1

    unit_name, dimension, description, measure = PROBLEM
    problem = rectification_problems.problem_create(
        by=office,
        unit=demo_unit(unit_name),
        campaign=campaign,
        dimension=dimension,
        description=description,
        disclosure=Disclosure.PUBLIC,
    )
    rectification_items.item_create(
        by=office,
        problem=problem,
        measure=measure,
        unit=demo_unit(unit_name),
        kind="immediate",
        deadline=today + timedelta(days=5),
    )
    made += 2

    subject, requirement, days, unit_names = SUPERVISION
    supervision.supervision_item_issue(
        by=office,
        campaign=campaign,
        subject=subject,
        requirement=requirement,
        deadline=today + timedelta(days=days),
        units=[demo_unit(name) for name in unit_names],
    )
    made += 1

    title, summary, paragraphs = NEWS
    article = publicity.news_create(
        unit=demo_unit(data.ROOT_NAME),
        by=office,
        title=title,
        body="\n".join(paragraphs),
        summary=summary,
        disclosure_proposed=Disclosure.PUBLIC,
        campaign=campaign,
    )
    publicity.review_submit(obj=article, by=office)
    publicity.review_publish(obj=article, by=office, disclosure=Disclosure.PUBLIC)
    made += 1

    surveys.survey_create(
        campaign=campaign,
        unit=demo_unit(data.ROOT_NAME),
        by=office,
        title=SURVEY,
        audience=Survey.Audience.PUBLIC,
        description="请您对我县组织系统作风建设专项整治的成效作出评价。",
    )
    made += 1
    log(f"Second campaign: “{campaign}” from {campaign.starts_on}; {made - 1} records.")
    return made
