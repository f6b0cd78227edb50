"""The demo's study: sessions of every kind, their attendance, the 三有 in every state.

Past sessions have their attendance recorded (mostly present, some on leave with a reason,
a few absent); one session is open now, so a newcomer can sign in with its code today; one
is coming. Deliverables of cadres without a login are entered by the office on their
behalf, as paper essays are. Everything goes through the study services.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.org.models import Person
from biaoshuai.study import services
from biaoshuai.study.completion import study_completion_refresh, study_phase
from biaoshuai.study.models import Attendance, StudySession

from . import data
from .common import demo_root, demo_unit, demo_user

LEAVE_REASONS = [
    "参加县委中心组学习",
    "下村督导换届工作",
    "病假",
    "参加市委组织部业务培训",
    "陪同上级调研",
    "事假（家中有事）",
    "在外地开展干部考察",
]
# (day of the phase, start, hours, kind, title, speaker, place, topics, organiser or None)
PAST_SESSIONS = [
    (
        40,
        time(9),
        6,
        "training_course",
        "学习十七大精神和党章专题培训班（第一期）",
        "县委组织部常务副部长 陈国华",
        "县委党校报告厅",
        ["congress_and_constitution", "theory_system"],
        None,
    ),
    (
        55,
        time(14, 30),
        2.5,
        "expert_lecture",
        "加强党性修养和品德修养专题讲座",
        "县委党校 刘志远 副教授",
        "县委党校报告厅",
        ["party_spirit_cultivation"],
        None,
    ),
    (
        70,
        time(9),
        2,
        "video_screening",
        "观看警示教育电教片《忠诚与背叛》",
        "",
        "县委组织部三楼会议室",
        ["party_spirit_cultivation"],
        None,
    ),
    (
        80,
        time(15),
        2,
        "discussion",
        "“讲党性、重品行、作表率”讨论交流会",
        "李市镇党委委员、组织委员",
        "李市镇党委会议室",
        ["congress_and_constitution", "party_spirit_cultivation"],
        data.LISHI,
    ),
    (
        85,
        time(15),
        2,
        "discussion",
        "树组工干部新形象讨论交流会",
        "曾集镇党委委员、组织委员",
        "曾集镇党委会议室",
        ["party_spirit_cultivation", "meeting_spirit"],
        data.ZENGJI,
    ),
]
OPEN_TITLE = "学习省、市、县有关重大会议精神专题培训班（第二期）"
UPCOMING_TITLE = "中国特色社会主义理论体系特别是科学发展观专家讲座"

TEXTS = {
    "reflection": (
        "学习“讲党性、重品行、作表率”的心得体会",
        [
            "通过参加专题培训班和专家讲座，我对“讲党性、重品行、作表率”的深刻内涵有了更深的理解。"
            "组工干部是管党员、管干部、管人才的，自身形象如何，直接关系组织部门的公信力。",
            "对照“五性”要求，我认识到自己在服务大局的自觉性上还有差距，有时就事论事，"
            "没有把手头工作放到全县发展的大局中去思考。",
            "今后我将坚持公道正派，做到要求别人遵守的自己先遵守，要求别人做到的自己先做到，"
            "以实际行动树立组工干部可信、可靠、可敬、可亲的新形象。",
        ],
    ),
    "research_report": (
        "关于农村党员队伍结构情况的调查与思考",
        [
            "为摸清农村党员队伍现状，我利用两个月时间走访了辖区内的行政村，召开座谈会，"
            "查阅党员档案，对党员的年龄、文化程度和发展党员情况进行了统计分析。",
            "调查发现，农村党员年龄偏大、文化程度偏低、外出流动党员较多，"
            "部分村连续几年没有发展年轻党员，后继乏人的问题比较突出。",
            "建议：一是把致富能手、返乡大学生作为重点培养对象；二是完善流动党员管理服务机制；"
            "三是加强党员教育培训，提高党员带头致富和带领群众致富的能力。",
        ],
    ),
    "innovation_idea": (
        "推行“党员积分制管理”的工作创新思路",
        [
            "针对党员管理中存在的“干多干少一个样”的问题，我建议在农村党组织推行党员积分制管理。",
            "积分内容包括学习教育、组织生活、志愿服务、带头致富等方面，按月记录、按季公示、年终评定，"
            "结果与评先评优挂钩。",
            "可先在一到两个村试点，总结经验后在全镇推开，使党员管理由软约束变为硬约束。",
        ],
    ),
}
RETURN_COMMENTS = [
    "内容较空泛，请结合本人工作实际补充具体事例。",
    "调研数据不够详实，请补充走访记录和统计表。",
    "思路有新意，但措施不够具体，请细化实施步骤。",
]
ACCEPT_COMMENTS = ["联系实际，体会深刻。", "调研扎实，建议有针对性。", "思路清晰，可操作性强。", ""]
# For the cadres without a login: (state, weight). None: not started.
STATE_WEIGHTS = [
    (None, 20),
    ("draft", 10),
    ("submitted", 20),
    ("returned", 10),
    ("resubmitted", 10),
    ("accepted", 30),
]


@transaction.atomic
def load_study(*, log):
    """Sessions with attendance and deliverables for the current campaign; once."""
    campaign = Campaign.objects.current()
    if campaign is None:
        log("Study: no current campaign.")
        return 0
    if StudySession.objects.filter(campaign=campaign).exists():
        log("Study: already there.")
        return 0
    rng = random.Random(f"{data.SEED}:study")
    office = demo_user("office")
    root = demo_root()
    phase = study_phase(campaign)
    now = timezone.now()
    made = 0

    liaisons = {data.LISHI: demo_user("liaison_lishi"), data.ZENGJI: demo_user("liaison_zengji")}
    for day, starts, hours, kind, title, speaker, place, topics, organiser in PAST_SESSIONS:
        unit = demo_unit(organiser) if organiser else root
        by = liaisons[organiser] if organiser else office
        starts_at = timezone.make_aware(
            datetime.combine(phase.starts_on + timedelta(days=day), starts)
        )
        session = _session(
            campaign, by, unit, kind, title, speaker, place, topics, starts_at, hours
        )
        _record(session, by, rng, now=starts_at + timedelta(hours=hours))
        made += 1

    open_session = _session(
        campaign,
        office,
        root,
        "training_course",
        OPEN_TITLE,
        "县委组织部副部长 刘红梅",
        "县委党校报告厅",
        ["meeting_spirit", "theory_system"],
        now - timedelta(hours=1),
        4,
    )
    cadre = demo_user("cadre_lishi")
    # Some have signed in already; the demo cadre has not, so they can do it themselves.
    early = {
        pk: (Attendance.Status.PRESENT, "")
        for pk, user_id in open_session.attendances.values_list("pk", "person__user_id")
        if user_id != cadre.pk and rng.random() < 0.4
    }
    services.attendance_mark(session=open_session, by=office, marks=early)
    _session(
        campaign,
        office,
        root,
        "expert_lecture",
        UPCOMING_TITLE,
        "市委党校 陈立民 教授",
        "县委党校报告厅",
        ["theory_system"],
        timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7), time(9))),
        3,
    )
    made += 2

    deliverables = _deliverables(campaign, phase, rng, office, liaisons)
    figures = study_completion_refresh(campaign=campaign)
    log(
        f"Study: {made} sessions (one open now for sign-in: “{OPEN_TITLE}”), "
        f"{deliverables} deliverables, {figures} completion figures."
    )
    return made + deliverables


def _session(campaign, by, unit, kind, title, speaker, place, topics, starts_at, hours):
    return services.session_create(
        campaign=campaign,
        by=by,
        unit=unit,
        kind=kind,
        title=title,
        speaker=speaker,
        place=place,
        topics=topics,
        description="",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        sign_in_opens_before=30,
    )


def _record(session, by, rng, *, now):
    """Most present, some on leave with a reason, a few absent."""
    marks = {}
    for pk in session.attendances.values_list("pk", flat=True):
        draw = rng.random()
        if draw < 0.86:
            marks[pk] = (Attendance.Status.PRESENT, "")
        elif draw < 0.95:
            marks[pk] = (Attendance.Status.LEAVE, rng.choice(LEAVE_REASONS))
        else:
            marks[pk] = (Attendance.Status.ABSENT, "")
    services.attendance_mark(session=session, by=by, marks=marks, now=now)


def _deliverables(campaign, phase, rng, office, liaisons):
    """The demo cadre's own (returned, awaiting review, not started); for the cadres
    without a login in 李市镇, 曾集镇 and every third elsewhere, every state."""
    cadre = demo_user("cadre_lishi")
    person = Person.objects.get(user=cadre)
    reviewer = liaisons[data.LISHI]
    count = 0
    _make(phase, person, cadre, "reflection", "returned", reviewer, rng)
    _make(phase, person, cadre, "research_report", "submitted", reviewer, rng)
    count += 2
    lishi, zengji = demo_unit(data.LISHI), demo_unit(data.ZENGJI)
    people = Person.objects.filter(
        is_active=True, user__isnull=True, unit__path__subtree=demo_root().path
    )
    states, weights = zip(*STATE_WEIGHTS, strict=True)
    for index, other in enumerate(people.select_related("unit").order_by("unit__path", "name")):
        in_focus = other.unit.path.startswith((lishi.path, zengji.path))
        if not in_focus and index % 3:
            continue
        for kind in TEXTS:
            state = rng.choices(states, weights)[0]
            if state is None:
                continue
            by_reviewer = (
                liaisons[data.LISHI]
                if other.unit.path.startswith(lishi.path)
                else liaisons[data.ZENGJI]
                if other.unit.path.startswith(zengji.path)
                else office
            )
            _make(phase, other, office, kind, state, by_reviewer, rng)
            count += 1
    return count


def _make(phase, person, by, kind, state, reviewer, rng):
    title, paragraphs = TEXTS[kind]
    d = services.deliverable_create(
        person=person,
        phase=phase,
        kind=kind,
        title=title,
        text="\n\n".join(paragraphs[:2])
        if state in ("returned", "resubmitted")
        else "\n\n".join(paragraphs),
        by=by,
    )
    if state == "draft":
        return d
    services.deliverable_submit(deliverable=d, by=by)
    if state in ("returned", "resubmitted"):
        services.deliverable_return(deliverable=d, by=reviewer, comment=rng.choice(RETURN_COMMENTS))
    if state == "resubmitted":
        services.deliverable_update(deliverable=d, by=by, title=title, text="\n\n".join(paragraphs))
        services.deliverable_submit(deliverable=d, by=by)
    if state == "accepted":
        services.deliverable_accept(deliverable=d, by=reviewer, comment=rng.choice(ACCEPT_COMMENTS))
    return d
