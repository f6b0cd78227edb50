"""Demo questionnaires: the satisfaction and credibility surveys, a year apart, and two open
questionnaires (one for the public, one for cadres that cadre_lishi has not answered yet)."""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.org.models import Unit
from biaoshuai.surveys import services
from biaoshuai.surveys.models import Question, Survey

from . import data

SATISFACTION = "组织工作满意度测评"
CREDIBILITY = "选人用人公信度测评"
PUBLIC_OPEN = "“组工干部新形象”群众评议问卷"
CADRE_OPEN = "组工干部学习教育情况调查"
RESPONSES_PER_ROUND = (260, 340)
# Rating weights per round: this year's answers lean to the better grades.
LAST_YEAR_WEIGHTS = [22, 34, 26, 12, 6]
THIS_YEAR_WEIGHTS = [36, 38, 18, 6, 2]

IDENTITIES = ["党员干部", "机关工作人员", "企业职工", "农村群众", "社区居民", "其他"]
CHANNELS = ["政府网站", "县电视台", "周刊", "微信公众号", "座谈走访", "亲友介绍"]
SUGGESTIONS = [
    "希望干部选拔任用过程更加公开透明，及时公示考察结果。",
    "组织部门的同志下基层要多听群众的声音，少看材料多看实情。",
    "建议进一步规范村（社区）干部的日常管理和考核。",
    "人才引进政策宣传不够，很多人不知道怎么申请。",
    "希望继续开展干部作风专项整治，对群众反映的问题要有回音。",
    "党员活动室开放时间应更方便上班族。",
    "对年轻干部的培养力度可以再加大，多给基层锻炼机会。",
    "办事效率明显提高了，希望保持下去。",
]


def load_surveys(*, log):
    campaign = Campaign.objects.filter(template_key="jiangdangxing").first()
    if campaign is None:
        log("Surveys: no campaign, skipped.")
        return 0
    if Survey.objects.filter(campaign=campaign, title=SATISFACTION).exists():
        log("Surveys: already there.")
        return 0
    created = _load(campaign)
    log(f"Surveys: 4 questionnaires, {created} responses.")
    return created


@transaction.atomic
def _load(campaign):
    root = Unit.objects.get(parent__isnull=True, name=data.ROOT_NAME)
    units = list(
        Unit.objects.filter(
            path__subtree=root.path, kind__in=[Unit.Kind.TOWNSHIP, Unit.Kind.COUNTY_AGENCY]
        )
    )
    office = _office()
    today = timezone.localdate()
    created = 0
    satisfaction = _survey(
        campaign,
        root,
        office,
        SATISFACTION,
        "public",
        asks_unit=True,
        description="为了解广大干部群众对全县组织工作的评价，特开展本次测评。问卷匿名填写，感谢您的支持！",
        rows=["干部选拔任用", "干部教育管理", "基层党组织建设", "人才工作", "组织部门自身建设"],
        overall="您对全县组织工作的总体评价",
    )
    credibility = _survey(
        campaign,
        root,
        office,
        CREDIBILITY,
        "public",
        asks_unit=True,
        description="请您对本县选人用人工作作出评价。问卷匿名填写。",
        rows=[
            "选人用人的公开程度",
            "选人用人的民主程度",
            "选人用人的竞争程度",
            "整治用人上不正之风",
        ],
        overall="您对本县选人用人工作的总体评价",
    )
    last_year = date(today.year - 1, 11, 1)
    for survey in (satisfaction, credibility):
        created += _round(
            survey,
            office,
            f"{today.year - 1}年",
            last_year,
            last_year + timedelta(29),
            LAST_YEAR_WEIGHTS,
            units,
            close=True,
        )
        created += _round(
            survey,
            office,
            f"{today.year}年（中期）",
            today - timedelta(40),
            today - timedelta(11),
            THIS_YEAR_WEIGHTS,
            units,
            close=True,
        )
    public = _survey(
        campaign,
        root,
        office,
        PUBLIC_OPEN,
        "public",
        asks_unit=True,
        description="您心目中的组工干部应当是什么形象？欢迎提出意见建议。",
        rows=[
            "公道正派、知人善任",
            "清正廉洁、忠诚正直",
            "创新求实、锐意改革",
            "团结和谐、真诚待人",
        ],
        overall="您对身边组工干部形象的总体评价",
        in_assessment=False,
    )
    created += _round(
        public,
        office,
        f"{today.year}年",
        today - timedelta(5),
        today + timedelta(25),
        THIS_YEAR_WEIGHTS,
        units,
        close=False,
        count=(40, 60),
    )
    cadre = _survey(
        campaign,
        root,
        office,
        CADRE_OPEN,
        "cadres",
        description="请全县组工干部如实填写，用于改进学习教育安排。",
        rows=["专题培训班", "专家讲座", "观看电教片", "讨论交流"],
        overall="您对本次学习教育的总体评价",
        in_assessment=False,
    )
    round_ = services.round_create(
        survey=cadre,
        by=office,
        name=f"{today.year}年",
        starts_on=today - timedelta(3),
        ends_on=today + timedelta(20),
    )
    services.round_open(survey_round=round_, by=office)
    return created


def _office():
    return get_user_model().objects.filter(username="office").first()


def _survey(
    campaign,
    root,
    office,
    title,
    audience,
    *,
    description,
    rows,
    overall,
    asks_unit=False,
    in_assessment=True,
):
    survey = services.survey_create(
        campaign=campaign,
        unit=root,
        by=office,
        title=title,
        audience=audience,
        description=description,
        asks_unit=asks_unit,
        in_assessment=in_assessment,
    )
    about = services.section_create(survey=survey, by=office, title="基本情况")
    rating = services.section_create(survey=survey, by=office, title="评价")
    services.question_create(
        survey=survey,
        by=office,
        kind=Question.Kind.SINGLE,
        text="您的身份",
        options=IDENTITIES,
        section=about,
    )
    services.question_create(
        survey=survey,
        by=office,
        kind=Question.Kind.MULTIPLE,
        text="您主要通过哪些渠道了解组织工作",
        options=CHANNELS,
        section=about,
    )
    services.question_create(
        survey=survey, by=office, kind=Question.Kind.RATING, text=overall, section=rating
    )
    services.question_create(
        survey=survey,
        by=office,
        kind=Question.Kind.MATRIX,
        text="请对以下方面作出评价",
        rows=rows,
        section=rating,
    )
    services.question_create(
        survey=survey,
        by=office,
        kind=Question.Kind.TEXT,
        text="您的意见和建议",
        required=False,
        section=rating,
    )
    return survey


def _round(survey, office, name, starts_on, ends_on, weights, units, *, close, count=None):
    survey_round = services.round_create(
        survey=survey, by=office, name=name, starts_on=starts_on, ends_on=ends_on
    )
    services.round_open(survey_round=survey_round, by=office)
    rng = random.Random(f"{data.SEED}:survey:{survey.title}:{name}")
    questions = list(survey.questions.order_by("order", "id"))
    n = rng.randint(*(count or RESPONSES_PER_ROUND))
    last_day = min(ends_on, timezone.localdate())
    span = max(0, (last_day - starts_on).days)
    for index in range(n):
        day = starts_on + timedelta(days=rng.randint(0, span))
        at = timezone.make_aware(
            datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59)))
        )
        services.response_submit_public(
            survey_round=survey_round,
            session_key=f"demo-{survey.pk}-{survey_round.pk}-{index}",
            ip=None,
            answers=_answers(questions, weights, rng),
            unit=rng.choice(units) if units else None,
            now=at,
        )
    if close:
        services.round_close(survey_round=survey_round, by=office)
    return n


def _answers(questions, weights, rng):
    answers = {}
    for question in questions:
        kind = question.Kind
        if question.kind == kind.SINGLE:
            answers[question.pk] = rng.randrange(len(question.options))
        elif question.kind == kind.MULTIPLE:
            answers[question.pk] = rng.sample(range(len(question.options)), rng.randint(1, 3))
        elif question.kind == kind.RATING:
            answers[question.pk] = rng.choices(range(5), weights)[0]
        elif question.kind == kind.MATRIX:
            answers[question.pk] = {
                row: rng.choices(range(5), weights)[0] for row in range(len(question.rows))
            }
        else:
            answers[question.pk] = rng.choice(SUGGESTIONS) if rng.random() < 0.3 else ""
    return answers
