"""Demo self-checks (most cadres submitted, some drafts, some missing) and this year's
democratic appraisal of 李市镇 and 曾集镇."""

import math
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from biaoshuai.appraisal import selectors, services
from biaoshuai.appraisal.models import Appraisal, SelfCheck, SelfRating
from biaoshuai.campaigns.models import Campaign
from biaoshuai.org.models import Person, Unit

from . import data

SUBMITTED_SHARE = 0.78
DRAFT_SHARE = 0.10

FINDINGS = {
    "party_spirit": [
        "理论学习满足于读原文、记笔记，联系实际思考不够深入",
        "对党的创新理论学得不够系统，学用结合不够紧密",
        "政治敏锐性不够强，对苗头性问题警惕不够",
        "服务大局意识有待加强，有时只顾本职工作、统筹考虑不够",
    ],
    "thinking_style": [
        "深入基层调研不够，掌握一手情况不多",
        "工作中存在按部就班的思想，创新意识不强",
        "联系服务群众不够主动，听取意见的渠道不多",
        "对新形势下组织工作的新要求研究不够",
    ],
    "discipline": [
        "执行请销假制度有时不够严格",
        "对干部档案管理规定掌握不够全面，个别环节把关不严",
        "保密意识有待加强，个别文件资料管理不够规范",
    ],
    "morality": [
        "对自己要求有所放松，艰苦奋斗精神有所淡化",
        "与群众谈心交心不够，有时说话办事方式简单",
        "业余时间读书学习少，个人修养有待提高",
    ],
    "exemplary_role": [
        "要求别人做到的自己没有完全先做到，示范带动作用发挥不够",
        "工作标准不够高，满足于完成任务",
        "在攻坚克难上主动担当不够，有畏难情绪",
    ],
}
CADRE_LISHI_FINDINGS = {
    "party_spirit": ["学习党章和党的创新理论不够系统，有时以干代学、以会代学"],
    "thinking_style": [
        "到村（社区）调研多是听汇报、看材料，与普通党员群众面对面交流少",
        "对软弱涣散党组织整顿的新办法思考不多，习惯沿用老做法",
    ],
    "discipline": ["党员发展材料审核有时赶进度，个别环节把关不够严"],
    "morality": ["接待来访群众时有急躁情绪，解释政策不够耐心"],
    "exemplary_role": ["要求村干部坚持坐班值守，自己下村服务的时间安排不够固定"],
}


# Some submitted self-checks the unit sent back, with what to complete.
RETURNED_SHARE = 0.08
RETURN_NOTES = [
    "查摆的问题过于笼统，请结合本人岗位职责逐条写具体，并注明表现和原因。",
    "“作表率”方面没有查摆问题，请补充后重新提交。",
    "部分问题与去年民主生活会查摆的重复，请说明整改进展或补充新问题。",
]


def load_appraisal(*, log):
    campaign = Campaign.objects.filter(template_key="jiangdangxing").first()
    if campaign is None:
        log("Appraisal: no campaign, skipped.")
        return 0
    checks = _self_checks(campaign)
    reviews = _reviews(campaign)
    log(f"Appraisal: {checks} self-checks, {reviews} democratic appraisals created.")
    return checks + reviews


@transaction.atomic
def _self_checks(campaign):
    root = Unit.objects.get(parent__isnull=True, name=data.ROOT_NAME)
    done = set(SelfCheck.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    people = (
        Person.objects.filter(is_active=True, unit__path__subtree=root.path)
        .select_related("unit", "user")
        .order_by("unit__path", "name")
    )
    items = selectors.self_check_form_items(campaign=campaign)
    created = 0
    for person in people:
        if person.pk in done:
            continue
        rng = random.Random(f"{data.SEED}:self-check:{person.unit.name}:{person.name}")
        is_lishi = person.user is not None and person.user.username == "cadre_lishi"
        draw = rng.random()
        if not is_lishi and draw > SUBMITTED_SHARE + DRAFT_SHARE:
            continue  # not started
        submit = is_lishi or draw <= SUBMITTED_SHARE
        by = person.user
        answers = {
            item["key"]: [
                rng.choices(SelfRating.values, [40, 45, 13, 2])[0] for _e in item["entries"]
            ]
            for item in items
        }
        if is_lishi:
            findings = CADRE_LISHI_FINDINGS
        else:
            findings = {
                key: rng.sample(texts, rng.randint(0 if key != "party_spirit" else 1, 2))
                for key, texts in FINDINGS.items()
            }
        if not submit:
            answers = {k: v[: len(v) // 2] for k, v in answers.items()}
        check = services.self_check_save(
            person=person,
            campaign=campaign,
            by=by,
            answers=answers,
            findings=findings,
            submit=submit,
        )
        if submit and not is_lishi and rng.random() < RETURNED_SHARE:
            services.self_check_return(self_check=check, by=None, note=rng.choice(RETURN_NOTES))
        created += 1
    return created


@transaction.atomic
def _reviews(campaign):
    period = f"{timezone.localdate().year}年度"
    liaisons = {
        data.LISHI: get_user_model().objects.filter(username="liaison_lishi").first(),
        data.ZENGJI: get_user_model().objects.filter(username="liaison_zengji").first(),
    }
    created = 0
    for name, liaison in liaisons.items():
        unit = Unit.objects.filter(name=name, kind=Unit.Kind.TOWNSHIP).first()
        if (
            unit is None
            or Appraisal.objects.filter(campaign=campaign, unit=unit, period=period).exists()
        ):
            continue
        appraisal = services.appraisal_create(
            campaign=campaign, unit=unit, period=period, by=liaison
        )
        created += 1
        rng = random.Random(f"{data.SEED}:appraisal:{name}")
        participants = list(appraisal.participants.select_related("person", "person__user"))
        merit = {p.pk: rng.random() for p in participants}
        for participant in participants:
            services.appraisal_self_assess(
                participant=participant,
                by=participant.person.user,
                text="本年度认真学习党的理论，按要求完成各项组织工作任务，"
                "对照“五性”“五先”查找了自身不足并逐项整改。",
                grade="competent",
            )
        for assessor in participants:
            if rng.random() < 0.1:
                continue  # a few did not hand in a ballot
            grades = {}
            for target in participants:
                if target.pk == assessor.pk:
                    continue
                score = merit[target.pk] + rng.uniform(-0.2, 0.2)
                grades[target.pk] = (
                    "excellent"
                    if score > 0.7
                    else "competent"
                    if score > 0.1
                    else "basically_competent"
                )
            services.peer_ballot_submit(
                appraisal=appraisal,
                assessor=assessor.person,
                grades=grades,
                by=assessor.person.user,
            )
        services.appraisal_close_assessment(
            appraisal=appraisal, by=liaison, confirm_incomplete=True
        )
        ranked = sorted(participants, key=lambda p: -merit[p.pk])
        excellent = math.floor(len(ranked) / 3)
        grades = {p.pk: "excellent" if i < excellent else "competent" for i, p in enumerate(ranked)}
        if len(ranked) > 4:
            grades[ranked[-1].pk] = "basically_competent"
        services.appraisal_grades_set(appraisal=appraisal, by=liaison, grades=grades)
        services.appraisal_publish(appraisal=appraisal, by=liaison)
    return created
