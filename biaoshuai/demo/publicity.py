"""Demo publicity: news in every review state (with images), exemplars, and publicity
records across levels and media, so that the portal reads like a live campaign and the
ranking has leaders, followers and units with nothing this month."""

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.org.models import Person
from biaoshuai.publicity import services
from biaoshuai.publicity.images import png_bytes
from biaoshuai.publicity.models import Exemplar, NewsArticle, Publication

from . import common as demo
from . import data

PUBLIC, INTERNAL = Disclosure.PUBLIC, Disclosure.INTERNAL
# (title, unit, author, days ago, state, level, summary, paragraphs)
NEWS = [
    (
        "全县组织系统“讲党性、重品行、作表率”活动动员大会召开",
        data.ROOT_NAME,
        "活动办公室",
        230,
        "published",
        PUBLIC,
        "会议对全县组工干部学习实践活动进行动员部署，明确了活动的主要内容、工作原则和目标要求。",
        [
            "为深入开展“讲党性、重品行、作表率，树组工干部新形象”学习实践活动，县委组织部召开全县组织系统活动动员大会，各乡镇、县直有关单位组织委员和全体组工干部参加会议。",
            "[图1]",
            "会议指出，开展这次活动是贯彻落实科学发展观的实际行动，是加强组织部门自身建设的迫切需要。全县组工干部要坚持“五性”，做到“五先”，树立可信、可靠、可敬、可亲的新形象。",
            "会议要求，活动分集中活动年、深化拓展年、巩固提高年三个阶段推进，各单位要抓好学习、征求意见、严格整改、搞好结合，做到开门搞活动、阳光操作，凡是能公开的都要公开。",
        ],
    ),
    (
        "首期组工干部专题培训班开班",
        "党员教育中心",
        "党员教育中心",
        200,
        "published",
        PUBLIC,
        "围绕十七大精神和党章、科学发展观等规定内容，首期专题培训班为期五天。",
        [
            "首期组工干部专题培训班在县委党校开班，来自各乡镇和县直单位的六十余名组工干部参加培训。",
            "培训班围绕十七大精神和党章、中国特色社会主义理论体系特别是科学发展观、关于加强党性修养和品德修养的有关论述等规定内容，采取专题辅导、讨论交流、观看电教片相结合的方式进行。",
            "[图1]",
            "学员们表示，要把学习成果转化为做好组织工作的实际本领，做到学习工作两不误、两促进，每人完成心得体会文章、调查研究成果和工作创新思路。",
        ],
    ),
    (
        "李市镇开展解放思想大讨论",
        data.LISHI,
        "吴海军",
        150,
        "published",
        PUBLIC,
        "李市镇围绕“三看”开展解放思想大讨论，查找束缚发展的思想障碍。",
        [
            "李市镇党委组织全镇组工干部和村（社区）党组织书记，围绕“三看”开展解放思想大讨论。",
            "大家看影响组织部门思想解放的束缚在哪里，看组织工作与科学发展观要求不适应不符合的地方在哪里，看组织工作创新发展的空间在哪里，共梳理出问题十二条，提出改进措施二十余条。",
            "[图1]",
            "镇党委负责同志表示，将把讨论成果转化为推动工作的具体举措，逐条明确责任人和完成时限，接受群众监督。",
        ],
    ),
    (
        "曾集镇“三个换位”见闻",
        data.ZENGJI,
        "郑丽娟",
        95,
        "published",
        PUBLIC,
        "曾集镇组工干部到企业挂职体验、到农村驻点帮扶，在换位中找差距、促转变。",
        [
            "曾集镇选派组工干部到企业挂职体验、到农村驻点帮扶，并组织外出参观学习，在换位学习、换位思考、换位体验中查找工作不足。",
            "在驻点村，组工干部和群众同吃同住同劳动，帮助村党支部理清发展思路，协调解决了灌溉水渠修缮等群众关心的实际问题。",
            "[图1]",
            "“换个位置看自己，才知道群众最盼什么。”一位挂职归来的干部在交流会上说，今后办事要多站在服务对象的角度想一想。",
        ],
    ),
    (
        "专家讲座：加强党性修养和品德修养",
        "党员教育中心",
        "党员教育中心",
        175,
        "published",
        PUBLIC,
        "邀请党校教授作专题辅导，全体组工干部聆听讲座。",
        [
            "县委组织部邀请市委党校教授作加强党性修养和品德修养专题辅导讲座。",
            "讲座结合组织工作实际，阐述了政治品行和生活品行的具体要求，强调组工干部要高度负责、公道正派、求真务实、廉洁守纪，守法遵规、情趣健康、谨慎交友。",
        ],
    ),
    (
        "县委组织部公布征求意见电子邮箱和热线",
        data.ROOT_NAME,
        "活动办公室",
        120,
        "published",
        PUBLIC,
        "广泛听取党员干部群众对组织工作和组工干部的意见建议。",
        [
            "为广泛听取党员干部群众的意见建议，县委组织部公布征求意见电子邮箱和热线电话，并在政府网站开通网上留言。",
            "群众可通过本网站提交意见并获得查询码，随时查询办理和答复情况。对群众反映的问题，活动办公室将逐件登记、及时答复。",
        ],
    ),
    (
        "后港镇“三员三帮一促进”结对帮扶见成效",
        "后港镇",
        "后港镇党委",
        60,
        "published",
        PUBLIC,
        "组工干部与包联单位结对，帮思路、帮班子、帮发展。",
        [
            "后港镇组工干部与包联村结对，当好政策宣传员、信息联络员、发展服务员，帮助理清发展思路、加强班子建设、解决实际困难。",
            "[图1]",
            "半年来，结对干部共走访农户三百余户，协调项目资金，帮助两个村建成村级活动场所，群众满意度明显提升。",
        ],
    ),
    (
        "沙洋镇组织观看党性教育电教片",
        "沙洋镇",
        "沙洋镇党委",
        30,
        "published",
        PUBLIC,
        "通过正反典型教育，增强组工干部党性观念。",
        [
            "沙洋镇组织全镇党员干部集中观看党性教育和警示教育电教片。",
            "观看结束后，大家结合各自岗位开展讨论交流，表示要以先进典型为榜样，以反面案例为镜鉴，在工作中作表率。",
        ],
    ),
    (
        "集中活动年中期督查情况通报（内部）",
        data.ROOT_NAME,
        "活动办公室",
        20,
        "published",
        INTERNAL,
        "供系统内部掌握各单位活动推进情况。",
        [
            "活动办公室对各单位集中活动年推进情况开展了中期督查，现将有关情况在系统内部通报。",
            "部分单位学习记录不够完整，“三有”提交进度偏慢，请有关单位对照问题清单抓紧整改。",
        ],
    ),
    (
        "纪山镇开展组工干部岗位练兵",
        "纪山镇",
        "纪山镇党委",
        0,
        "returned",
        PUBLIC,
        "",
        ["纪山镇组织开展组工干部岗位练兵活动。", "活动内容丰富，效果较好。"],
    ),
    (
        "县教育和文化体育局机关党委开展支部主题党日活动",
        "教育和文化体育局",
        "机关党委",
        0,
        "submitted",
        PUBLIC,
        "以主题党日为载体，推动学习实践活动向基层延伸。",
        [
            "县教育和文化体育局机关党委以“讲党性、重品行、作表率”为主题开展支部主题党日活动。",
            "全体党员重温入党誓词，结合岗位职责作公开承诺，并对照“五先”要求查找不足。",
        ],
    ),
    (
        "曾集镇党建办工作随笔（草稿）",
        data.ZENGJI,
        "郑丽娟",
        0,
        "draft",
        PUBLIC,
        "",
        ["草稿：记录党建办日常工作中的点滴体会。"],
    ),
]
RETURN_REASON = "内容较空泛，请补充活动的具体做法、参加人数和取得的实际成效，并配发现场图片。"
COLORS = [
    ((181, 18, 27), (232, 196, 120), (250, 246, 238)),
    ((30, 86, 160), (200, 220, 240), (250, 250, 252)),
    ((28, 120, 72), (210, 236, 214), (250, 252, 250)),
    ((120, 70, 30), (236, 214, 180), (252, 250, 246)),
]
EXEMPLARS = [
    (
        "李市镇“三看”讨论转化为十二项整改措施",
        data.LISHI,
        Exemplar.Kind.PRACTICE,
        "把讨论成果逐条转化为有责任人、有时限的措施，群众看得见。",
        "李市镇在解放思想大讨论中，把查找出的问题逐条建立台账，明确责任人和完成时限，每月公开进展。\n这一做法使讨论不停留在纸面上，得到了群众的认可。",
        "published",
    ),
    (
        "曾集镇驻点帮扶“同吃同住同劳动”",
        data.ZENGJI,
        Exemplar.Kind.PRACTICE,
        "组工干部驻村蹲点，帮助村党支部解决群众关心的实际问题。",
        "曾集镇选派组工干部到村驻点，与群众同吃同住同劳动。\n驻点期间共协调解决群众反映的问题二十余件。",
        "published",
    ),
    (
        "公道正派的“老组工”",
        data.LISHI,
        Exemplar.Kind.PERSON,
        "扎根基层组织工作二十年，坚持原则、公道正派。",
        "他在组织工作岗位上工作二十年，坚持用公道正派的作风选干部、配班子。\n同事们说，他是“要求别人做到的自己先做到”的表率。",
        "published",
    ),
    (
        "后港镇党员积分管理",
        "后港镇",
        Exemplar.Kind.PRACTICE,
        "以积分量化党员日常表现，激发内在动力。",
        "后港镇推行党员积分管理，将学习、服务、表率等内容量化计分。\n积分情况定期公开，接受党员群众监督。",
        "submitted",
    ),
]
OUTLETS = {
    "central": {
        "newspaper": "人民日报",
        "magazine": "党建",
        "tv": "中央电视台",
        "online": "人民网",
    },
    "provincial": {
        "newspaper": "湖北日报",
        "magazine": "党员生活",
        "tv": "湖北电视台",
        "online": "荆楚网",
    },
    "municipal": {
        "newspaper": "荆门日报",
        "magazine": "荆门组工",
        "tv": "荆门电视台",
        "online": "荆门新闻网",
    },
    "county": {
        "newspaper": "县周刊",
        "magazine": "县组工通讯",
        "tv": "县电视台",
        "online": "县政府网站",
    },
}
TOPICS = [
    "组工干部下基层解民忧",
    "党性教育常抓不懈",
    "选人用人公信度稳步提升",
    "“三有”成果丰硕",
    "作表率从小事做起",
    "驻点帮扶暖民心",
    "解放思想谋发展",
    "开门搞活动 阳光操作",
    "组织工作满意度调查启动",
    "专题培训班学员谈体会",
]
# Units that publish, with how many pieces each (so the ranking has a shape).
PUBLISHERS = [
    (data.LISHI, 8),
    (data.ZENGJI, 7),
    ("沙洋镇", 5),
    ("后港镇", 4),
    (data.ROOT_NAME, 4),
    ("教育和文化体育局", 3),
    ("五里铺镇", 3),
    ("纪山镇", 2),
    ("县财政局", 2),
    ("毛李镇", 2),
    ("十里铺镇", 2),
    ("县卫生健康局", 2),
    ("官垱镇", 1),
]


@transaction.atomic
def load_publicity(*, log):
    """News, exemplars and ~40 publicity records, created through the services."""
    campaign = Campaign.objects.current()
    if campaign is None:
        log("Publicity: no current campaign, nothing loaded.")
        return 0
    office = demo.demo_user("office")
    created = _news(office, campaign) + _exemplars(office, campaign)
    created += _publications(office, campaign)
    log(f"Publicity: {created} news articles, exemplars and publicity records created.")
    return created


def _news(office, campaign):
    created = 0
    now = timezone.now()
    for index, (title, unit_name, author, days, state, level, summary, paragraphs) in enumerate(
        NEWS
    ):
        if NewsArticle.objects.filter(title=title).exists():
            continue
        unit = _unit(unit_name)
        by = _writer(unit, office)
        colors = COLORS[index % len(COLORS)]
        images = [
            (_png(f"news{index}-{n}.png", colors[n:] + colors[:n]), "活动现场")
            for n in range(sum(p == "[图1]" for p in paragraphs))
        ]
        article = services.news_create(
            unit=unit,
            by=by,
            title=title,
            body="\n".join(paragraphs),
            author=author,
            summary=summary,
            cover=_png(f"cover{index}.png", colors) if state == "published" else None,
            images=images,
            disclosure_proposed=PUBLIC,
            campaign=campaign,
        )
        created += 1
        if state == "draft":
            continue
        services.review_submit(obj=article, by=by)
        if state == "returned":
            services.review_return(obj=article, by=office, reason=RETURN_REASON)
        elif state == "published":
            services.review_publish(obj=article, by=office, disclosure=level)
            # The demo's history: articles were published over the past months.
            NewsArticle.objects.filter(pk=article.pk).update(
                published_at=now - timedelta(days=days, hours=index)
            )
    return created


def _exemplars(office, campaign):
    created = 0
    for title, unit_name, kind, summary, body, state in EXEMPLARS:
        if Exemplar.objects.filter(title=title).exists():
            continue
        unit = _unit(unit_name)
        by = _writer(unit, office)
        person = (
            Person.objects.filter(unit=unit).order_by("id").first() if kind == "person" else None
        )
        exemplar = services.exemplar_create(
            unit=unit,
            by=by,
            title=title,
            summary=summary,
            body=body,
            kind=kind,
            person=person,
            campaign=campaign,
        )
        created += 1
        services.review_submit(obj=exemplar, by=by)
        if state == "published":
            services.review_publish(obj=exemplar, by=office)
    return created


def _publications(office, campaign):
    rng = random.Random(f"{data.SEED}:publicity")
    today = timezone.localdate()
    span = max(1, (today - campaign.starts_on).days)
    created, number = 0, 0
    for unit_name, count in PUBLISHERS:
        unit = _unit(unit_name)
        people = list(Person.objects.filter(unit__path__subtree=unit.path).order_by("id")[:4])
        by = _writer(unit, office)
        for n in range(count):
            number += 1
            title = f"{unit.name}：{TOPICS[number * 3 % len(TOPICS)]}"
            if Publication.objects.filter(unit=unit, title=title).exists():
                continue
            # The leading units have pieces this month; the others earlier in the campaign.
            days_ago = rng.randint(0, 12) if n < 2 and count >= 4 else rng.randint(20, span)
            published_on = today - timedelta(days=min(days_ago, span))
            appearances = _appearances(rng, published_on)
            authors = rng.sample(people, k=min(len(people), rng.choice([1, 1, 2])))
            piece = services.publication_record(
                campaign=campaign,
                unit=unit,
                by=by,
                title=title,
                appearances=appearances,
                authors=authors,
                authors_text="" if authors else "通讯员",
                link=f"https://news.example.cn/{today.year}/{number:04d}.html",
            )
            created += 1
            if number % 13 == 0:
                services.publication_reject(
                    publication=piece,
                    by=office,
                    reason="链接无法打开，且未附版面扫描件，无法核实。",
                )
            elif number % 6 != 0:  # every sixth awaits confirmation
                services.publication_confirm(publication=piece, by=office)
    return created


def _appearances(rng, published_on):
    level = rng.choices(["central", "provincial", "municipal", "county"], [1, 4, 6, 3])[0]
    medium = rng.choices(["newspaper", "magazine", "tv", "online"], [5, 1, 2, 4])[0]
    rows = [_appearance(level, medium, published_on)]
    if level in ("municipal", "county") and rng.random() < 0.35:
        # Reprinted higher up a few days later: it counts once, at the higher level.
        higher = "provincial" if level == "municipal" else "municipal"
        later = min(published_on + timedelta(days=rng.randint(1, 5)), timezone.localdate())
        rows.append(_appearance(higher, "newspaper", later))
    return rows


def _appearance(level, medium, day):
    return {"outlet": OUTLETS[level][medium], "medium": medium, "level": level, "published_on": day}


def _unit(name):
    return demo.demo_unit(name)


def _writer(unit, office):
    """The unit's liaison where the demo has one, else the office writes for it."""
    names = {data.LISHI: "liaison_lishi", data.ZENGJI: "liaison_zengji"}
    return demo.demo_user(names[unit.name]) if unit.name in names else office


def _png(name, colors):
    return SimpleUploadedFile(name, png_bytes(320, 180, colors), content_type="image/png")
