"""The demo's practice records (搞好结合): 解放思想大讨论 in two towns and the department with
their "三看" answers, cadres' pairings with villages, a community and enterprises with their
assistance visits, exchange placements of every kind, and exemplars in every state: some
confirmed and public, one confirmed for internal reading, one awaiting the office.

Each record is looked up by its natural key first, so loading again changes nothing.
Everything goes through the practice services.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.org.models import Person, Unit
from biaoshuai.practice import services
from biaoshuai.practice.models import Discussion, ExemplarStatus, Pairing, Placement, Visit

from . import data
from .common import demo_unit, demo_user


@dataclass(frozen=True)
class DemoDiscussion:
    unit: str
    liaison: str
    day: int  # day of the campaign it was held
    title: str
    place: str
    host: str
    attendance: int
    answers: dict
    conclusions: str
    follow_up: str
    exemplar: tuple = ()  # (summary, proposed disclosure, office's disclosure or None)


@dataclass(frozen=True)
class DemoPairing:
    unit: str
    cadre: str | None  # None: the unit's first cadre in post (by name) after the named ones
    paired_name: str
    paired_kind: str
    paired_address: str
    day: int
    goals: str
    visits: list = field(default_factory=list)  # (day, what was done, outcome, problems solved)
    experience: str = ""
    exemplar: tuple = ()


@dataclass(frozen=True)
class DemoPlacement:
    unit: str
    cadre: str | None
    kind: str
    host: str
    day: int
    days: int
    learning: str
    thinking: str
    experience: str
    exemplar: tuple = ()


DISCUSSIONS = [
    DemoDiscussion(
        data.LISHI,
        "liaison_lishi",
        62,
        "李市镇组织系统解放思想大讨论",
        "李市镇人民政府三楼会议室",
        "镇党委副书记 吴海军",
        26,
        {
            "constraints": (
                "一是求稳怕乱的思想仍然存在，部分同志认为组织工作“不出事就是本事”，对新情况新问题不敢闯、"
                "不敢试；二是路径依赖较重，选拔使用干部习惯于论资排辈、按部就班，对年轻干部压担子不够；"
                "三是服务意识不强，把管理当作主业，深入村组了解干部、了解群众的时间偏少。"
            ),
            "misfits": (
                "一是村级干部考核重经济指标、轻民生实事，考核结果与群众评价结合不紧；二是农村党员发展"
                "“老龄化”问题突出，近三年发展的党员中35岁以下的不足四成；三是流动党员管理手段单一，"
                "外出务工党员长期游离于组织生活之外，与统筹城乡发展的要求不相适应。"
            ),
            "room_to_innovate": (
                "一是在村“两委”换届中推行“公推直选”，扩大党内基层民主；二是建立“组工干部联村、村干部"
                "联户”的责任链条，把帮扶成效纳入年度考核；三是依托在外务工人员集中的地方建立流动党员"
                "联络站，开展“网上组织生活”试点。"
            ),
        },
        (
            "经过讨论，大家形成三点共识：解放思想首先要从组工干部自身做起，破除“求稳怕乱”的观念；"
            "组织工作要围绕发展、服务群众，考核评价要让群众说了算；要敢于在村级组织建设上先行先试。"
        ),
        (
            "1. 镇党委在下半年村“两委”换届中选择3个村试行“公推直选”；2. 修订村干部年度考核办法，"
            "群众测评权重提高到30%；3. 年底前建立2个流动党员联络站。"
        ),
        (
            "李市镇围绕“三看”开展解放思想大讨论，查找出求稳怕乱、论资排辈等束缚，提出在村“两委”换届中"
            "试行“公推直选”、把群众测评纳入村干部考核等措施，做到了边讨论、边整改、边提高。",
            "public",
            "public",
        ),
    ),
    DemoDiscussion(
        data.ZENGJI,
        "liaison_zengji",
        68,
        "曾集镇“解放思想、创新发展”大讨论",
        "曾集镇党群服务中心会议室",
        "镇党委书记",
        21,
        {
            "constraints": (
                "部分干部存在“等靠要”思想，认为组织工作是上级布置什么就干什么；对在外创业能人回乡担任"
                "村干部顾虑较多，担心“不好管”；干部培训内容多年不变，讲理论多、讲实务少。"
            ),
            "misfits": (
                "村级后备干部队伍断层，有的村连续两届找不到合适人选；党员干部现代远程教育站点利用率不高，"
                "学用脱节；对专业合作社、家庭农场等新型经营主体中的党建工作覆盖不够。"
            ),
            "room_to_innovate": (
                "实施“能人回引”工程，从返乡创业人员中选拔村级后备干部；在专业合作社中建立党小组，推行"
                "“支部+合作社+农户”模式；把远程教育站点办成群众学技术、议村务的“大课堂”。"
            ),
        },
        (
            "大家认为，解放思想的关键在于转变作风、面向基层。要把培养村级后备干部作为当务之急，"
            "让组织工作覆盖到新型经营主体。"
        ),
        "年内回引30名返乡能人进入村级后备干部库；在5个专业合作社中建立党小组。",
        (
            "曾集镇通过大讨论提出“能人回引”工程，从返乡创业人员中选拔村级后备干部，并在专业合作社中"
            "建立党小组，推行“支部+合作社+农户”模式。",
            "public",
            None,  # awaiting the office's confirmation
        ),
    ),
    DemoDiscussion(
        data.ROOT_NAME,
        "office",
        55,
        "县委组织部机关解放思想大讨论",
        "县委组织部三楼会议室",
        "县委组织部部长 周立新",
        38,
        {
            "constraints": (
                "一是“神秘化”观念，认为组织工作只能关起门来做，公开透明不够；二是“经验主义”，习惯于凭"
                "印象识人、凭经验用人；三是“机关化”倾向，联系基层、联系群众少，到村到企业调研不深入。"
            ),
            "misfits": (
                "干部考核评价体系偏重经济总量，对社会事业、生态环境等方面的实绩体现不够；选人用人的"
                "民主程序有时流于形式，群众对选人用人的知情度、参与度不高；组织部门自身建设与“组工干部"
                "之家”的要求还有差距。"
            ),
            "room_to_innovate": (
                "推行干部任前公示、考察预告和差额考察；建立体现科学发展观要求的干部实绩考核评价体系；"
                "开设组织工作开放日，邀请“两代表一委员”和群众代表走进组织部；在全县组工干部中开展"
                "“三个换位”，到企业、到农村、到先进地区去学习。"
            ),
        },
        (
            "组织工作要敢于打破“神秘化”，做到凡是能公开的都要公开；干部工作要坚持群众公认、注重实绩；"
            "组工干部要走出机关、走进基层，在服务发展中提升本领。"
        ),
        "下半年起试行考察预告和差额考察；每季度举办一次组织工作开放日；年内完成首批“三个换位”。",
        (
            "县委组织部机关以“三看”为主线开展大讨论，提出打破组织工作“神秘化”、推行考察预告和差额考察、"
            "举办组织工作开放日等举措。",
            "public",
            "public",
        ),
    ),
]

PAIRINGS = [
    DemoPairing(
        data.LISHI,
        data.CADRE_LISHI.name,
        "李市镇新华村",
        "village",
        "李市镇新华村村委会",
        45,
        "帮助村党支部规范“三会一课”；协助引进一个种养项目，带动村集体增收；为困难党员办好一件实事。",
        [
            (
                50,
                "与村“两委”班子座谈，逐户走访5名老党员、3户困难群众，梳理出村里最急需解决的问题清单。",
                "形成《新华村发展问题清单》，共8条。",
                "协调镇民政办为2户困难群众办理了临时救助。",
            ),
            (
                78,
                "列席村党支部主题党日，指导规范会议记录和党员积分管理；与村干部一起到邻镇考察小龙虾稻田综合种养。",
                "村党支部制定了“三会一课”年度计划；村里决定试点稻虾共作80亩。",
                "解决了党员活动室长期无人管理的问题，确定专人负责。",
            ),
            (
                120,
                "联系县农业局技术人员到村开展稻虾共作技术培训，参训农户42人。",
                "试点面积扩大到120亩，预计户均增收3000元。",
                "协调解决了试点田块的灌溉渠道清淤问题。",
            ),
        ],
        (
            "包联帮扶要先摸清情况再定措施：从群众最关心的一件事做起，用看得见的变化赢得信任；"
            "支部规范化建设要和发展产业结合起来，党员带头、群众跟进，效果才能持久。"
        ),
        (
            "县委组织部干部李明辉包联李市镇新华村，从规范“三会一课”入手，帮助村里引进稻虾共作项目，"
            "试点面积扩大到120亩，带动农户增收。",
            "public",
            "public",
        ),
    ),
    DemoPairing(
        data.LISHI,
        None,
        "李市镇建设社区",
        "community",
        "李市镇建设路18号",
        48,
        "推动社区党组织和驻区单位党组织共驻共建；建立社区党员志愿服务队。",
        [
            (60, "召开驻区单位党组织负责人联席会议，商定共建项目。", "签订共建协议6份。", ""),
            (
                96,
                "组织在职党员到社区报到，成立党员志愿服务队，开展环境整治。",
                "报到在职党员57名，清理卫生死角12处。",
                "解决了建设路背街小巷垃圾长期堆积的问题。",
            ),
        ],
    ),
    DemoPairing(
        data.ZENGJI,
        None,
        "曾集镇高桥村",
        "village",
        "曾集镇高桥村村委会",
        52,
        "帮助村里物色、培养村级后备干部；推动村务公开规范化。",
        [
            (
                58,
                "走访在外创业返乡人员4人，了解其回村任职意愿。",
                "2人表示愿意进入后备干部库。",
                "",
            ),
            (
                88,
                "指导村务公开栏改版，按月公开财务收支。",
                "村务公开做到按月公开、分项公开。",
                "群众反映的2笔招待费支出问题得到说明。",
            ),
            (
                115,
                "参加村民代表会议，听取群众对村“两委”班子的意见。",
                "收集意见建议11条，已交村“两委”研究。",
                "",
            ),
        ],
    ),
    DemoPairing(
        data.ZENGJI,
        None,
        "荆楚绿源农业科技有限公司",
        "enterprise",
        "曾集镇工业园区",
        56,
        "指导企业建立党支部；帮助企业解决用工和技术人才问题。",
        [
            (
                64,
                "与企业负责人座谈，摸排企业内党员6名，组织关系均在原籍。",
                "明确了组建党支部的步骤和时间表。",
                "",
            ),
            (
                99,
                "协助企业召开党员大会，成立党支部，选举支部书记。",
                "企业党支部正式成立。",
                "6名流动党员的组织关系转入企业党支部，解决了长期不过组织生活的问题。",
            ),
        ],
        (
            "在非公企业抓党建，要让企业主看到党建能促发展：从解决企业实际困难入手，"
            "党组织才能建得起、站得住。"
        ),
        (
            "包联干部帮助荆楚绿源农业科技有限公司组建党支部，6名流动党员转入组织关系，"
            "企业党建与生产经营同部署、同推进。",
            "public",
            "public",
        ),
    ),
    DemoPairing(
        data.ROOT_NAME,
        None,
        "李市镇黄岭村",
        "village",
        "李市镇黄岭村",
        47,
        "帮助软弱涣散村党组织整顿提升；协调解决村道硬化问题。",
        [
            (53, "调研村党组织软弱涣散原因，与每名村干部谈心谈话。", "形成整顿方案。", ""),
            (
                101,
                "协调县交通局，将黄岭村2.3公里村道纳入年度硬化计划。",
                "村道硬化项目已立项。",
                "解决了群众出行难这一多年来反映最集中的问题。",
            ),
        ],
    ),
]

PLACEMENTS = [
    DemoPlacement(
        data.LISHI,
        data.CADRE_LISHI.name,
        "enterprise",
        "湖北楚天化工有限公司",
        90,
        30,
        "学习企业的目标管理和绩效考核办法，了解企业对干部作风和服务效率的期望。",
        "站在企业角度看，组织部门服务企业人才工作要主动上门，不能等企业来找。",
        "在车间跟班一周，体会到一线职工的辛苦，更加理解“为基层服务”的分量。",
        (
            "李明辉到企业挂职体验一个月，学习企业绩效管理，提出组织部门主动上门服务企业人才工作的建议。",
            "public",
            "internal",
        ),
    ),
    DemoPlacement(
        data.ZENGJI,
        None,
        "village",
        "曾集镇高桥村",
        75,
        60,
        "学习村干部调解矛盾纠纷、做群众工作的方法。",
        "换位到村干部的位置，才知道上级部署的工作在村里要落地有多难，布置工作要更加实事求是。",
        "驻村两个月，吃住在村，参与了村里的秋收和防汛。",
    ),
    DemoPlacement(
        data.ROOT_NAME,
        None,
        "study_tour",
        "浙江省嘉兴市委组织部",
        110,
        5,
        "学习先进地区在干部实绩考核、基层党组织建设方面的做法。",
        "对照先进地区，我县在干部考核体系、党员教育管理信息化方面还有差距。",
        "参观了村级党建示范点和干部教育培训基地，形成考察报告一份。",
        (
            "县委组织部组织干部赴浙江嘉兴参观学习，对照先进找差距，形成考察报告，提出改进干部实绩考核的建议。",
            "public",
            "public",
        ),
    ),
    DemoPlacement(
        data.LISHI,
        None,
        "village",
        "李市镇新华村",
        100,
        30,
        "学习村里稻虾共作的组织方式和利益联结机制。",
        "从村民的角度想问题，政策好不好，要看老百姓得没得实惠。",
        "和村干部一起入户宣传政策，参与组织技术培训。",
    ),
]


def load_practice(*, log):
    """The demo's practice records; returns the number of records it created."""
    campaign = Campaign.objects.current()
    if campaign is None:
        log("Practice: no current campaign, nothing loaded.")
        return 0
    with transaction.atomic():
        loader = _Loader(campaign, demo_unit, demo_user)
        for item in DISCUSSIONS:
            loader.discussion(item)
        for item in PAIRINGS:
            loader.pairing(item)
        for item in PLACEMENTS:
            loader.placement(item)
    log(
        f"Practice: {loader.created} records created "
        f"({Discussion.objects.count()} discussions, {Pairing.objects.count()} pairings, "
        f"{Visit.objects.count()} visits, {Placement.objects.count()} placements)."
    )
    return loader.created


class _Loader:
    def __init__(self, campaign, demo_unit, demo_user):
        self.campaign = campaign
        self.unit = demo_unit
        self.user = demo_user
        self.office = demo_user("office")
        self.today = timezone.localdate()
        self.created = 0
        self._taken = {}

    def day(self, offset):
        return min(self.campaign.starts_on + timedelta(days=offset), self.today)

    def discussion(self, item):
        unit = self.unit(item.unit)
        record = Discussion.objects.filter(unit=unit, title=item.title).first()
        if record is None:
            people = list(_own_people(unit).order_by("unit__path", "name")[:15])
            record = services.discussion_create(
                by=self.user(item.liaison),
                unit=unit,
                campaign=self.campaign,
                answers=item.answers,
                participants=people,
                title=item.title,
                held_on=self.day(item.day),
                place=item.place,
                host=item.host,
                attendance=max(item.attendance, len(people)),
                conclusions=item.conclusions,
                follow_up=item.follow_up,
            )
            self.created += 1
        self.exemplar(record, item.exemplar, self.user(item.liaison))

    def pairing(self, item):
        cadre = self.cadre(item.unit, item.cadre, item.paired_name)
        by = cadre.user if cadre.user_id else self.liaison_for(item.unit)
        record = Pairing.objects.filter(cadre=cadre, paired_name=item.paired_name).first()
        if record is None:
            record = services.pairing_create(
                by=by,
                cadre=cadre,
                campaign=self.campaign,
                paired_name=item.paired_name,
                paired_kind=item.paired_kind,
                paired_address=item.paired_address,
                starts_on=self.day(item.day),
                goals=item.goals,
            )
            self.created += 1
        for offset, activities, outcome, solved in item.visits:
            visited_on = self.day(offset)
            if not record.visits.filter(visited_on=visited_on).exists():
                services.visit_create(
                    by=by,
                    pairing=record,
                    visited_on=visited_on,
                    activities=activities,
                    outcome=outcome,
                    problems_solved=solved,
                )
                self.created += 1
        if item.experience and not record.experience_summary:
            services.pairing_update(pairing=record, by=by, experience_summary=item.experience)
        self.exemplar(record, item.exemplar, by)

    def placement(self, item):
        cadre = self.cadre(item.unit, item.cadre, item.host)
        by = cadre.user if cadre.user_id else self.liaison_for(item.unit)
        record = Placement.objects.filter(cadre=cadre, kind=item.kind, host=item.host).first()
        if record is None:
            starts_on = self.day(item.day)
            record = services.placement_create(
                by=by,
                cadre=cadre,
                kind=item.kind,
                campaign=self.campaign,
                host=item.host,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=item.days - 1),
                learning=item.learning,
                thinking=item.thinking,
                experience=item.experience,
            )
            self.created += 1
        self.exemplar(record, item.exemplar, by)

    def exemplar(self, record, spec, by):
        """Propose (and, where the spec says so, confirm) once; never undo the office's choice."""
        if not spec or record.exemplar_status == ExemplarStatus.CONFIRMED:
            return
        summary, proposed, decided = spec
        if record.exemplar_status != ExemplarStatus.PROPOSED:
            services.practice_exemplar_propose(
                record=record, by=by, summary=summary, disclosure=proposed
            )
        if decided:
            services.practice_exemplar_confirm(record=record, by=self.office, disclosure=decided)

    def cadre(self, unit_name, name, key):
        """The named cadre, or a cadre of the unit chosen by name order, one per record key,
        skipping the demo accounts' people so that their records stay few and known."""
        unit = self.unit(unit_name)
        if name:
            return _own_people(unit).get(name=name)
        taken = self._taken.setdefault(unit_name, {})
        if key not in taken:
            named = {p.name for p in data.NAMED_PEOPLE}
            people = _own_people(unit).exclude(name__in=named).order_by("name", "pk")
            used = set(taken.values())
            taken[key] = next(p.pk for p in people if p.pk not in used)
        return Person.objects.get(pk=taken[key])

    def liaison_for(self, unit_name):
        return {
            data.LISHI: self.user("liaison_lishi"),
            data.ZENGJI: self.user("liaison_zengji"),
        }.get(unit_name, self.office)


def _own_people(unit):
    """Cadres in post of `unit` and of its sub-units (not of the towns below the department)."""
    return Person.objects.filter(
        unit__path__subtree=unit.path,
        unit__kind__in=[unit.kind, Unit.Kind.SUB_UNIT],
        unit__depth__lte=unit.depth + 1,
        is_active=True,
    )
