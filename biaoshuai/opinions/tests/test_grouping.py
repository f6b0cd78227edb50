"""Grouping by similarity, the grouping pages, and turning a group into a problem."""

import pytest
from django.urls import reverse

from biaoshuai.appraisal.models import SelfRating
from biaoshuai.appraisal.selectors import self_check_form_items
from biaoshuai.appraisal.services import self_check_save
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.opinions import grouping_services
from biaoshuai.opinions.grouping import Item, group_items, words
from biaoshuai.opinions.models import GroupingRun, GroupMember, Opinion, OpinionGroup
from biaoshuai.rectification.models import Problem
from biaoshuai.rectification.selectors import problems_for_sources

from .factories import advance, opinion_new

WINDOW = [
    "镇政府办事窗口中午午休时间没人值班，群众跑了两趟都办不成事。",
    "便民服务中心窗口午休无人，中午去办事只能干等。",
    "办事窗口中午没有人，希望安排午间值班。",
    "中午到乡镇便民窗口办事，窗口空岗无人办理。",
]
ARCHIVE = [
    "干部档案查询手续繁琐，要跑好几个地方盖章。",
    "查询本人干部档案手续太麻烦，材料要求复杂。",
    "干部档案查询要层层审批，手续繁琐耗时长。",
]
TRAINING = [
    "村干部培训内容脱离实际，讲的理论多，解决问题的办法少。",
    "村干部培训班内容不切实际，和村里工作对不上。",
    "村干部培训内容脱离实际，希望多讲实用技能。",
]
DIFFERENT = [
    "选拔任用干部过程不够公开透明，群众不了解情况。",
    "组工干部下基层调研太少，对基层情况不了解。",
    "党员发展程序要严格，防止优亲厚友。",
    "建议提高基层党组织活动经费。",
    "流动党员管理松散，长期不参加组织生活。",
]


def test_words_drop_stop_words_and_punctuation():
    assert words("办事窗口中午没有人，希望安排午间值班。") == [
        "办事",
        "窗口",
        "中午",
        "安排",
        "中午",
        "值班",
    ]


def test_near_duplicates_grouped_and_different_opinions_kept_apart():
    texts = WINDOW + DIFFERENT[:2] + ARCHIVE + DIFFERENT[2:] + TRAINING
    items = [Item("opinion", i, t) for i, t in enumerate(texts)]
    groups = group_items(items)
    found = sorted(sorted(texts[m.source_id] for m in g.members) for g in groups)
    assert found == sorted([sorted(WINDOW), sorted(ARCHIVE), sorted(TRAINING)])
    keywords = {frozenset(g.keywords) for g in groups}
    assert any({"窗口", "中午"} <= k for k in keywords)
    assert any({"档案", "查询"} <= k for k in keywords)
    assert any({"村干部", "培训"} <= k for k in keywords)
    assert not any(k & {"的", "了", "希望"} for k in keywords)


def test_exact_copies_and_empty_texts():
    items = [Item("opinion", i, t) for i, t in enumerate([WINDOW[0]] * 50 + ["，。！", ""])]
    groups = group_items(items)
    assert len(groups) == 1 and len(groups[0].members) == 50


@pytest.fixture
def grouped(campaign, users, org, django_capture_on_commit_callbacks):
    """Opinions for 李市镇 and 曾集镇, one self-check finding, grouped by the task."""
    made = {}
    for text in WINDOW[:2]:
        opinion, code = opinion_new(campaign, content=text)
        advance(
            opinion,
            Opinion.State.ASSIGNED,
            office=users.office,
            liaison=users.liaison_lishi,
            unit=org.lishi,
        )
        made[text] = (opinion, code)
    for text in WINDOW[2:]:
        opinion, code = opinion_new(campaign, content=text)
        advance(
            opinion,
            Opinion.State.ASSIGNED,
            office=users.office,
            liaison=users.liaison_zengji,
            unit=org.zengji,
        )
        made[text] = (opinion, code)
    for text in ARCHIVE + DIFFERENT:
        made[text] = opinion_new(campaign, content=text)
    answers = {
        item["key"]: [SelfRating.GOOD] * len(item["entries"])
        for item in self_check_form_items(campaign=campaign)
    }
    self_check_save(
        person=org.people["lishi_a"],
        campaign=campaign,
        by=None,
        answers=answers,
        findings={"thinking_style": ["查询干部档案手续繁琐的问题我也有责任，审批层层把关耗时长。"]},
        submit=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = grouping_services.grouping_request(campaign=campaign, by=users.office)
    run.refresh_from_db()
    return run, made


def test_grouping_task_stores_groups_with_findings(grouped):
    run, _made = grouped
    assert run.state == GroupingRun.State.DONE and run.item_count == 13 and run.computed_at
    sizes = sorted(g.size for g in run.groups.all())
    assert sizes == [4, 4]
    archive = OpinionGroup.objects.get(run=run, members__kind="self_check")
    assert archive.members.filter(kind="opinion").count() == 3


def test_recompute_replaces_the_previous_grouping(
    grouped, campaign, users, django_capture_on_commit_callbacks
):
    run, _ = grouped
    with django_capture_on_commit_callbacks(execute=True):
        newer = grouping_services.grouping_request(campaign=campaign, by=users.office)
    assert newer.pk != run.pk
    assert list(GroupingRun.objects.values_list("pk", flat=True)) == [newer.pk]


def test_groups_page_access_and_scope(client, users, grouped):
    run, _ = grouped
    url = reverse("opinions:groups")
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.sysadmin: 404,  # 三员分立: no business page
            users.office: 200,
            users.liaison_lishi: 200,
        },
    )
    window = _group_with(run, WINDOW[0])
    archive = _group_with(run, ARCHIVE[0])
    login(client, users.liaison_lishi)
    body = client.get(url).content.decode()
    # The liaison sees the window group (2 of its 4 items are theirs), not the unassigned archive group
    # (the finding is theirs though, so that group shows with 1 item).
    assert reverse("opinions:group_detail", args=[window.pk]) in body
    detail = client.get(reverse("opinions:group_detail", args=[window.pk])).content.decode()
    assert WINDOW[0] in detail and WINDOW[2] not in detail
    assert_access(
        client,
        reverse("opinions:group_detail", args=[window.pk]),
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.liaison_zengji: 200,
            users.office: 200,
            users.liaison_lishi: 200,
        },
    )
    assert_access(
        client,
        reverse("opinions:group_detail", args=[archive.pk]),
        {users.liaison_zengji: 404, users.office: 200},
    )


def test_recompute_access(client, users, campaign, django_capture_on_commit_callbacks):
    url = reverse("opinions:groups_recompute")
    assert_access(
        client, url, {ANONYMOUS: 302, users.liaison_lishi: 403, users.leader: 403}, method="post"
    )
    login(client, users.office)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert GroupingRun.objects.filter(state=GroupingRun.State.DONE).count() == 1


def test_group_list_query_count(
    client, users, org, campaign, grouped, django_capture_on_commit_callbacks
):
    login(client, users.office)

    def add():
        for i in range(3):
            for text in TRAINING:
                opinion_new(campaign, content=f"{text}（{i}）")
        with django_capture_on_commit_callbacks(execute=True):
            grouping_services.grouping_request(campaign=campaign, by=users.office)

    assert_constant_queries(client, reverse("opinions:groups"), add, expected=EXPECTED["groups"])


def test_group_becomes_a_problem_linked_to_every_source_and_seen_by_code(
    client, users, org, grouped
):
    run, made = grouped
    archive = OpinionGroup.objects.get(run=run, members__kind="self_check")
    members = list(archive.members.order_by("pk"))
    login(client, users.office)
    url = reverse("opinions:group_detail", args=[archive.pk])
    response = client.post(
        url,
        {
            "whole_group": "on",
            "unit": org.department.pk,
            "dimension": "thinking_style",
            "description": "干部档案查询手续繁琐",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert problem.unit == org.department and problem.dimension == "thinking_style"
    opinion_ids = [m.source_id for m in members if m.kind == "opinion"]
    finding_ids = [m.source_id for m in members if m.kind == "self_check"]
    assert len(opinion_ids) == 3 and len(finding_ids) == 1
    linked = problems_for_sources(kind="opinion", source_ids=opinion_ids)
    assert sorted(int(k) for k in linked) == sorted(opinion_ids)
    assert problems_for_sources(kind="self_check", source_ids=finding_ids)
    assert "干部档案查询手续繁琐" in client.get(url).content.decode()
    # The submitter of one of those opinions sees it led to a problem; another does not.
    client.logout()
    _opinion, code = made[ARCHIVE[0]]
    body = client.post(reverse("opinions_public:track"), {"code": code}).content.decode()
    assert 'data-testid="public-problem"' in body
    _other, other_code = made[DIFFERENT[0]]
    body = client.post(reverse("opinions_public:track"), {"code": other_code}).content.decode()
    assert 'data-testid="public-problem"' not in body


def test_problem_needs_items_and_a_unit_in_scope(client, users, org, grouped):
    run, _ = grouped
    window = _group_with(run, WINDOW[0])
    member = GroupMember.objects.filter(group=window, unit=org.lishi).first()
    login(client, users.liaison_lishi)
    url = reverse("opinions:group_detail", args=[window.pk])
    data = {
        "members": [],
        "unit": org.lishi.pk,
        "dimension": "discipline",
        "description": "窗口午休无人",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "窗口午休无人" in response.content.decode()
    data.update(members=[str(member.pk)], unit=org.zengji.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Problem.objects.exists()
    data.update(unit=org.lishi.pk)
    assert client.post(url, data).status_code == 302
    assert Problem.objects.get().unit == org.lishi
    assert [s.source_id for s in Problem.objects.get().sources.all()] == [str(member.source_id)]
    # A member of another unit cannot be slipped in.
    other = GroupMember.objects.filter(group=window, unit=org.zengji).first()
    data.update(members=[str(other.pk)])
    assert client.post(url, data).status_code == 200
    assert Problem.objects.count() == 1
    # The whole group, for the liaison, is the items they can see.
    del data["members"]
    data["whole_group"] = "on"
    assert client.post(url, data).status_code == 302
    sources = Problem.objects.latest("pk").sources.values_list("source_id", flat=True)
    visible = GroupMember.objects.filter(group=window, unit=org.lishi).values_list(
        "source_id", flat=True
    )
    assert sorted(sources) == sorted(str(v) for v in visible)


def test_group_detail_query_count(
    client, users, org, campaign, grouped, django_capture_on_commit_callbacks
):
    run, _ = grouped
    window = _group_with(run, WINDOW[0])
    login(client, users.office)

    def add():
        for i in range(60):
            GroupMember.objects.create(
                group=window, kind="opinion", source_id=1000 + i, unit=org.lishi, text=f"窗口{i}"
            )

    assert_constant_queries(
        client,
        reverse("opinions:group_detail", args=[window.pk]),
        add,
        expected=EXPECTED["group_detail"],
    )


EXPECTED = {"groups": 8, "group_detail": 8}  # the unit field is a picker


def _group_with(run, text):
    return OpinionGroup.objects.get(run=run, members__text=text)


def test_group_list_filters_by_source_kind(client, users, grouped):
    run, _ = grouped
    login(client, users.office)
    url = reverse("opinions:groups")
    window, archive = _group_with(run, WINDOW[0]), _group_with(run, ARCHIVE[0])
    with_findings = client.get(url, {"kind": "self_check"}).content.decode()
    assert reverse("opinions:group_detail", args=[archive.pk]) in with_findings
    assert reverse("opinions:group_detail", args=[window.pk]) not in with_findings
    with_opinions = client.get(url, {"kind": "opinion"}).content.decode()
    assert reverse("opinions:group_detail", args=[window.pk]) in with_opinions
