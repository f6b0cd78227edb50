"""The demo's data: the unit tree, the named people and a deterministic name generator."""

import random
from dataclasses import dataclass, field
from datetime import date

from biaoshuai.org.models import Person, Unit

SEED = "biaoshuai-demo"

ROOT_NAME = "县委组织部部机关"
LISHI = "李市镇"
ZENGJI = "曾集镇"
# The campaign office (活动办公室) is a section of the department, staffed from the others.
OFFICE_SUB_UNIT = "活动办公室"

DEPARTMENT_SUB_UNITS = [
    "办公室",
    "组织科",
    "干部科",
    "干部监督科",
    "人才工作科",
    "党员教育中心",
    OFFICE_SUB_UNIT,
]
TOWNSHIPS = [
    LISHI,
    ZENGJI,
    "沙洋镇",
    "五里铺镇",
    "十里铺镇",
    "纪山镇",
    "拾回桥镇",
    "后港镇",
    "毛李镇",
    "官垱镇",
    "马良镇",
    "高阳镇",
    "沈集镇",
    "西湖乡",
]
COUNTY_AGENCIES = [
    "教育和文化体育局",
    "国税局",
    "县财政局",
    "县人力资源和社会保障局",
    "县卫生健康局",
    "县发展和改革局",
    "县民政局",
    "县农业农村局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县自然资源和规划局",
    "县市场监督管理局",
]
# A few participating units have sub-units of their own.
SUB_UNITS = {
    LISHI: ["李市镇党建办"],
    ZENGJI: ["曾集镇党建办"],
    "教育和文化体育局": ["教育和文化体育局机关党委"],
}

POSITIONS = {
    Unit.Kind.TOWNSHIP: [
        "党委委员、组织委员",
        "组织干事",
        "党建办主任",
        "党建办副主任",
        "人才工作专干",
        "党建指导员",
        "组织员",
        "党务工作者",
    ],
    Unit.Kind.COUNTY_AGENCY: [
        "机关党委专职副书记",
        "人事股股长",
        "人事股副股长",
        "党办主任",
        "组织干事",
        "党建工作专干",
        "政工股股长",
        "机关党支部书记",
    ],
    # A section of the department, and a sub-unit of a township or agency.
    "section": ["科长", "副科长", "主任科员", "科员"],
    "campaign_office": ["副主任", "综合组组长", "宣传组组长", "督导组组长", "工作人员"],
    Unit.Kind.SUB_UNIT: ["主任", "副主任", "干事"],
}
CADRES_PER_UNIT = (5, 9)
CADRES_PER_SUB_UNIT = (2, 4)


@dataclass(frozen=True)
class NamedPerson:
    """Someone the demo refers to by name: a member of the leading group or an account holder."""

    unit: str  # the unit's name; ROOT_NAME for the department itself
    name: str
    gender: str
    birth_date: date
    position: str
    phone: str
    account: dict = field(default_factory=dict)


# The leading group (seed §15): the department head is 组长, the three deputy heads 副组长.
LEADING_GROUP = [
    NamedPerson(ROOT_NAME, "周立新", "male", date(1971, 3, 12), "部长", "13907161208"),
    NamedPerson(ROOT_NAME, "陈国华", "male", date(1974, 9, 2), "常务副部长", "13872550317"),
    NamedPerson(ROOT_NAME, "刘红梅", "female", date(1978, 5, 23), "副部长", "13597842906"),
    NamedPerson(ROOT_NAME, "黄志强", "male", date(1976, 11, 8), "副部长", "15971263584"),
]
OFFICE_PERSON = NamedPerson(
    OFFICE_SUB_UNIT, "孙晓燕", "female", date(1985, 7, 19), "活动办公室主任", "18672908153"
)
LIAISON_LISHI = NamedPerson(LISHI, "吴海军", "male", date(1983, 1, 27), "组织干事", "13476014592")
LIAISON_ZENGJI = NamedPerson(
    ZENGJI, "郑丽娟", "female", date(1987, 4, 4), "组织干事", "15072835610"
)
CADRE_LISHI = NamedPerson(LISHI, "李明辉", "male", date(1990, 10, 15), "党建指导员", "18771345028")
NAMED_PEOPLE = [*LEADING_GROUP, OFFICE_PERSON, LIAISON_LISHI, LIAISON_ZENGJI, CADRE_LISHI]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
# The most common surnames are drawn more often, as they are in a real roster.
SURNAME_WEIGHTS = [12 if i < 10 else 5 if i < 30 else 2 for i in range(len(SURNAMES))]
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁浩凯健俊帆旭宇林峰建国志文海东亮晨立鸿博岩松毅成振兴德永春江荣新祥胜"
GIVEN_FEMALE = (
    "芳娜敏静丽艳娟霞秀英玲燕萍红婷雪琳洁慧颖倩莉兰梅琴云莹丹玉佳欣悦蕾薇璐晶妍月华春芬凤"
)
PHONE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 "
    "177 180 181 182 183 186 187 188 189 199"
).split()


class NameGenerator:
    """Plausible cadres from a seeded random source: the same seed gives the same people."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def gender(self):
        return Person.Gender.MALE if self.rng.random() < 0.58 else Person.Gender.FEMALE

    def name(self, gender):
        rng = self.rng
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        pool = GIVEN_MALE if gender == Person.Gender.MALE else GIVEN_FEMALE
        length = 2 if rng.random() < 0.7 else 1
        return surname + "".join(rng.choice(pool) for _ in range(length))

    def birth_date(self):
        return date(self.rng.randint(1966, 1999), self.rng.randint(1, 12), self.rng.randint(1, 28))

    def phone(self):
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def person(self, position, taken=()):
        """Field values for one cadre, with a name not in `taken`."""
        gender = self.gender()
        name = self.name(gender)
        while name in taken:
            name = self.name(gender)
        phone = self.phone()
        email = f"{phone}@139.com" if self.rng.random() < 0.3 else ""
        return {
            "name": name,
            "gender": gender,
            "birth_date": self.birth_date(),
            "position": position,
            "phone": phone,
            "email": email,
        }


def cadres_for(unit_name, kind, *, exclude=()):
    """The generated cadres of one unit: the same list on every run, names unique in the unit.

    `kind` is a Unit.Kind, or "section" / "campaign_office" for a section of the department.
    """
    gen = NameGenerator(f"{SEED}:{unit_name}")
    small = kind in (Unit.Kind.SUB_UNIT, "section", "campaign_office")
    low, high = CADRES_PER_SUB_UNIT if small else CADRES_PER_UNIT
    count = gen.rng.randint(low, high)
    positions = POSITIONS[kind]
    taken = set(exclude)
    people = []
    for index in range(count):
        # The first ones hold the unit's distinct posts; the rest are 干事 and the like.
        position = positions[index] if index < len(positions) else positions[-1]
        values = gen.person(position, taken)
        taken.add(values["name"])
        people.append(values)
    return people
