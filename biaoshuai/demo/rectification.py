"""Demo data for rectification: problem lists, items in every state, deadline changes,
sub-items with weights, public and internal problems, and personal plans.

Idempotent: a problem is looked up by its unit and text; when it is there its items are
not created again. Everything goes through the rectification services.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.org.models import Person
from biaoshuai.rectification import services
from biaoshuai.rectification.models import PersonalPlan, Problem, ProblemSource, RectificationItem

from . import data
from .common import demo_root, demo_unit, demo_user

S = RectificationItem.State
PUBLIC, INTERNAL, RESTRICTED = Disclosure.PUBLIC, Disclosure.INTERNAL, Disclosure.RESTRICTED

# (unit, dimension, area, problem, severity, disclosure, source, [items])
# item: (measure, days to deadline, kind, final state, leader, person, [(sub measure, weight, progress)])
PROBLEMS = [
    (
        data.ROOT_NAME,
        "exemplary_role",
        "work",
        "服务基层不够主动，到乡镇、村指导工作次数偏少",
        "serious",
        PUBLIC,
        (ProblemSource.Kind.OPINION, "座谈走访"),
        [
            (
                "建立部领导联系乡镇制度，每月至少到联系点一次",
                -20,
                "immediate",
                S.CLOSED,
                "陈国华",
                "孙晓燕",
                [],
            ),
            (
                "开展“组工干部进村入户”活动，全年走访不少于300户",
                25,
                "by_deadline",
                S.IN_PROGRESS,
                "刘红梅",
                "孙晓燕",
                [
                    ("制定走访方案并分组", 1, 100),
                    ("完成第一轮走访", 2, 60),
                    ("形成走访情况报告", 1, 0),
                ],
            ),
        ],
    ),
    (
        data.ROOT_NAME,
        "thinking_style",
        "study",
        "调研不深入，调研报告质量不高、转化运用不够",
        "general",
        PUBLIC,
        (ProblemSource.Kind.SELF_CHECK, "部机关自查"),
        [
            (
                "每名干部年内完成一篇有分量的调研报告并评审",
                5,
                "by_deadline",
                S.IN_PROGRESS,
                "黄志强",
                "干部科",
                [],
            ),
            ("建立调研成果转化台账", -5, "by_deadline", S.SUBMITTED, "黄志强", "组织科", []),
        ],
    ),
    (
        data.ROOT_NAME,
        "discipline",
        "work",
        "干部考察程序执行不严，个别考察谈话范围偏窄",
        "grave",
        INTERNAL,
        (ProblemSource.Kind.INSPECTION, "督办检查"),
        [
            (
                "修订干部考察工作实施细则，明确谈话范围",
                -10,
                "by_deadline",
                S.RETURNED,
                "陈国华",
                "干部科",
                [],
            ),
            ("开展干部考察工作专项检查", 40, "by_deadline", S.PLANNED, "陈国华", "干部科", []),
        ],
    ),
    (
        data.LISHI,
        "thinking_style",
        "style",
        "会议多、文件多，以会议落实会议的现象仍然存在",
        "general",
        PUBLIC,
        (ProblemSource.Kind.OPINION, "网上留言"),
        [
            (
                "精简会议文件，能合并的会议一律合并",
                -30,
                "immediate",
                S.CLOSED,
                "吴海军",
                "李明辉",
                [],
            ),
            ("建立会议计划报备制度", 3, "by_deadline", S.IN_PROGRESS, "吴海军", "李明辉", []),
        ],
    ),
    (
        data.LISHI,
        "morality",
        "discipline",
        "个别干部工作纪律松弛，上班时间迟到早退",
        "general",
        RESTRICTED,
        (ProblemSource.Kind.APPRAISAL, "民主评议"),
        [
            ("实行考勤通报制度，每月通报一次", -3, "immediate", S.IN_PROGRESS, "吴海军", "", []),
        ],
    ),
    (
        data.ZENGJI,
        "party_spirit",
        "thinking",
        "党员学习教育流于形式，学习笔记应付了事",
        "serious",
        PUBLIC,
        (ProblemSource.Kind.OPINION, "问卷调查"),
        [
            ("建立学习笔记季度检查制度", 0, "by_deadline", S.IN_PROGRESS, "郑丽娟", "", []),
            ("组织党员轮训，全年覆盖全部党员", -45, "by_deadline", S.CLOSED, "郑丽娟", "", []),
        ],
    ),
    (
        data.ZENGJI,
        "exemplary_role",
        "work",
        "为群众办事效率不高，服务窗口办事环节多",
        "general",
        INTERNAL,
        (ProblemSource.Kind.SUPERVISION, "督办事项"),
        [
            ("梳理办事流程，公开办事指南", 6, "by_deadline", S.PLANNED, "郑丽娟", "", []),
        ],
    ),
]
# (person name in the unit, unit, state, problems, measures [(measure, days, done_when, done)])
PLANS = [
    (
        data.CADRE_LISHI.name,
        data.LISHI,
        PersonalPlan.State.ACCEPTED,
        ["深入基层调研不够，掌握村级组织情况不全面"],
        [
            ("每月到村调研不少于4天，撰写调研笔记", 30, "调研笔记和月度调研小结各一份", True),
            (
                "认真学习党章和党性修养论述，每周学习不少于3小时",
                60,
                "学习笔记、心得体会文章一篇",
                False,
            ),
        ],
    ),
    (
        data.LIAISON_LISHI.name,
        data.LISHI,
        PersonalPlan.State.SUBMITTED,
        ["工作中满足于完成任务，创新意识不强"],
        [
            ("提出一条工作创新思路并在本镇试行", 45, "创新思路文本和试行情况报告", False),
        ],
    ),
    (
        data.LIAISON_ZENGJI.name,
        data.ZENGJI,
        PersonalPlan.State.RETURNED,
        ["服务群众主动性不够"],
        [
            ("每周接待来访群众一次", 20, "接待登记簿", False),
        ],
    ),
    (
        data.OFFICE_PERSON.name,
        data.OFFICE_PERSON.unit,
        PersonalPlan.State.DRAFT,
        ["对新形势下组织工作研究不够"],
        [],
    ),
]


@transaction.atomic
def load_rectification(*, log):
    campaign = Campaign.objects.current()
    if campaign is None:
        log("Rectification: no current campaign.")
        return 0
    office = demo_user("office")
    today = timezone.localdate()
    created = 0
    for unit_name, dim, area, text, severity, disclosure, (kind, label), items in PROBLEMS:
        unit = demo_root() if unit_name == data.ROOT_NAME else demo_unit(unit_name)
        if Problem.objects.filter(campaign=campaign, unit=unit, description=text).exists():
            continue
        problem = services.problem_create(
            by=office,
            unit=unit,
            campaign=campaign,
            dimension=dim,
            area=area,
            description=text,
            severity=severity,
            disclosure=disclosure,
            sources=[(kind, "", label)],
        )
        created += 1
        for measure, days, kind_key, state, leader, person, subs in items:
            created += _item(
                problem,
                unit,
                office,
                measure,
                today + timedelta(days=days),
                kind_key,
                state,
                leader,
                person,
                subs,
            )
    created += _deadline_changes(office, today)
    created += _plans(campaign, office, today)
    log(f"Rectification: {created} records created.")
    return created


def _item(problem, unit, office, measure, deadline, kind, state, leader, person, subs):
    cadre = Person.objects.filter(unit=unit, name=person).first() if person else None
    item = services.item_create(
        by=office,
        problem=problem,
        measure=measure,
        unit=unit,
        kind=kind,
        deadline=deadline,
        criteria="有制度文本、有工作记录、有佐证材料",
        leader_name=leader,
        person=cadre,
        person_name=person if cadre is None else "",
    )
    count = 1
    for sub_measure, weight, progress in subs:
        sub = services.item_create(
            by=office,
            problem=problem,
            parent=item,
            measure=sub_measure,
            unit=unit,
            kind=kind,
            deadline=deadline,
            weight=weight,
            leader_name=leader,
            person_name=person,
        )
        if progress:
            services.progress_record(
                item=sub, by=office, text=f"已完成{progress}%", percent=progress
            )
        count += 1
    if subs or state == S.PLANNED:
        return count
    services.progress_record(
        item=item,
        by=office,
        text="已制定工作方案并推进落实",
        percent=60 if state == S.IN_PROGRESS else 100,
    )
    if state == S.IN_PROGRESS:
        return count
    services.item_submit(item=item, by=office, note="已完成，申请验收")
    if state == S.RETURNED:
        services.item_return(
            item=item,
            by=office,
            reason="佐证材料不全：缺少谈话记录和征求意见汇总表，请补充后重新提交",
        )
    elif state == S.CLOSED:
        services.item_close(item=item, by=office, note="经验收，整改到位，同意销号")
    return count


def _deadline_changes(office, today):
    made = 0
    approved = RectificationItem.objects.filter(
        measure__startswith="开展干部考察工作专项检查"
    ).first()
    if approved is not None and not approved.deadline_changes.exists():
        change = services.deadline_change_request(
            item=approved,
            by=office,
            proposed=approved.deadline + timedelta(days=30),
            reason="需与县纪委联合开展，时间另行协调",
        )
        services.deadline_change_decide(change=change, by=office, approve=True, note="同意延期")
        made += 1
    pending = RectificationItem.objects.filter(measure__startswith="建立会议计划报备制度").first()
    if pending is not None and not pending.deadline_changes.exists():
        services.deadline_change_request(
            item=pending,
            by=demo_user("liaison_lishi"),
            proposed=pending.deadline + timedelta(days=14),
            reason="待镇党委会议审议通过后印发",
        )
        made += 1
    return made


def _plans(campaign, office, today):
    made = 0
    for name, unit_name, state, problems, measures in PLANS:
        person = Person.objects.filter(
            unit=demo_unit(unit_name) if unit_name != data.ROOT_NAME else demo_root(), name=name
        ).first()
        if person is None or PersonalPlan.objects.filter(campaign=campaign, person=person).exists():
            continue
        by = person.user or office
        plan = services.plan_start(person=person, campaign=campaign, by=by)
        made += 1
        for text in problems:
            services.plan_problem_add(plan=plan, by=by, text=text, dimension="thinking_style")
        for measure, days, done_when, _done in measures:
            services.plan_measure_add(
                plan=plan,
                by=by,
                measure=measure,
                due_on=today + timedelta(days=days),
                done_when=done_when,
                aspect="conduct_advancement",
            )
        if state == PersonalPlan.State.DRAFT:
            continue
        services.plan_submit(plan=plan, by=by)
        liaison = demo_user("liaison_zengji" if unit_name == data.ZENGJI else "liaison_lishi")
        if state == PersonalPlan.State.RETURNED:
            services.plan_review(
                plan=plan,
                by=liaison,
                accept=False,
                comment="措施还不够具体，请写明时间和可检验的成果",
            )
        elif state == PersonalPlan.State.ACCEPTED:
            services.plan_review(plan=plan, by=liaison, accept=True, comment="方案具体可行")
            for measure in plan.measures.all():
                done = next(m[3] for m in measures if m[0] == measure.measure)
                services.plan_action_record(
                    measure=measure, by=by, text="按计划到村开展调研，形成调研笔记", done=done
                )
    return made
