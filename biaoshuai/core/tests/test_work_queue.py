"""The work queue ("what I must do now"): the lines each role sees, the home page's first
panel, the navigation's badges (same counts), grouped navigation, fixed query counts."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.registry import NAV_GROUPS, WorkItem, registry
from biaoshuai.core.testing import assert_constant_queries, count_queries, login
from biaoshuai.opinions.services import opinion_assign, opinion_record
from biaoshuai.study import services as study
from biaoshuai.study.completion import study_phase

HOME = "/"
BADGES = "/work/badges/"


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
        by=None,
        make_current=True,
    )


def _opinion(campaign, office, unit=None):
    opinion, _code = opinion_record(
        by=office,
        campaign=campaign,
        channel="forum_visit",
        received_on=timezone.localdate(),
        content="希望简化基层报表，减少重复填报。",
    )
    if unit is not None:
        opinion_assign(
            opinion=opinion,
            by=office,
            unit=unit,
            deadline=timezone.localdate() + datetime.timedelta(days=10),
        )
    return opinion


@pytest.fixture
def work(campaign, org, users):
    """cadre_lishi's 三有 returned by liaison_lishi; another cadre's awaiting review; one
    opinion unassigned, one assigned to 李市镇."""
    phase = study_phase(campaign)
    mine = study.deliverable_create(
        person=org.people["lishi_a"],
        phase=phase,
        kind="reflection",
        title="学习十七大精神心得",
        text="第一段。\n\n第二段。",
        by=users.cadre_lishi,
    )
    study.deliverable_submit(deliverable=mine, by=users.cadre_lishi)
    study.deliverable_return(deliverable=mine, by=users.liaison_lishi, comment="请结合工作实际。")
    other = study.deliverable_create(
        person=org.people["lishi_b"],
        phase=phase,
        kind="reflection",
        title="调研报告",
        text="正文。",
        by=users.liaison_lishi,
    )
    study.deliverable_submit(deliverable=other, by=users.liaison_lishi)
    _opinion(campaign, users.office)
    _opinion(campaign, users.office, unit=org.lishi)
    return type("Work", (), {"mine": mine, "other": other, "phase": phase})


def _lines(client, user):
    login(client, user)
    response = client.get(HOME)
    panels = dict(response.context["panels"])
    panel = panels.get("core/panels/work.html")
    if panel is None:
        return None
    lines = {line["item"].key: line["count"] for line in panel["waiting"]}
    lines.update({item.key: 0 for item in panel["clear"]})
    return lines


def test_each_role_sees_the_work_it_can_act_on(client, users, work):
    office = _lines(client, users.office)
    assert office["opinions.unassigned"] == 1
    assert "opinions.to_sign" not in office  # the office does not sign for opinions
    assert office["rectification.to_verify"] == 0

    liaison = _lines(client, users.liaison_lishi)
    assert liaison["study.to_review"] == 1
    assert liaison["opinions.to_sign"] == 1
    assert "opinions.unassigned" not in liaison

    other = _lines(client, users.liaison_zengji)
    assert other["study.to_review"] == 0 and other["opinions.to_sign"] == 0  # not their unit

    cadre = _lines(client, users.cadre_lishi)
    assert cadre == {
        "study.returned": 1,
        "rectification.plan_returned": 0,
        "appraisal.self_check_returned": 0,
        "surveys.to_answer": 0,
    }


def test_the_leader_sees_only_what_he_may_act_on(client, users, work):
    leader = _lines(client, users.leader)
    # He approves bulletins and checks supervision replies; he reviews no 三有 and assigns
    # no opinion, so those lines are not his.
    assert set(leader) == {"supervision.bulletins_to_approve", "supervision.replies"}


def test_system_roles_and_no_role_have_no_queue(client, users, work):
    for user in (users.sysadmin, users.norole):
        login(client, user)
        response = client.get(HOME)
        assert "core/panels/work.html" not in dict(response.context["panels"])


def test_the_queue_is_the_first_panel_and_links_to_filtered_lists(client, users, work):
    login(client, users.cadre_lishi)
    response = client.get(HOME)
    assert response.context["panels"][0][0] == "core/panels/work.html"
    page = response.content.decode()
    assert page.index('id="work-queue"') < page.index("</main>")
    assert f'href="{reverse("study:my_study")}" data-work="study.returned" data-count="1"' in page
    login(client, users.liaison_lishi)
    page = client.get(HOME).content.decode()
    assert f'href="{reverse("study:deliverable_list")}?state=submitted"' in page
    assert f'href="{reverse("opinions:list")}?box=to_sign"' in page


def test_the_links_open_lists_showing_the_counted_records(client, users, work):
    login(client, users.liaison_lishi)
    page = client.get(reverse("study:deliverable_list") + "?state=submitted").content.decode()
    assert work.other.title in page
    page = client.get(reverse("opinions:list") + "?box=to_sign").content.decode()
    assert "希望简化基层报表" in page


def test_badges_read_the_same_counts(client, users, work):
    login(client, users.liaison_lishi)
    data = json.loads(client.get(BADGES).content)
    assert data["badges"] == {"study.deliverables": 1, "opinions.list": 1}
    assert data["total"] == 2
    oob = client.get(BADGES, headers={"HX-Request": "true"}).content.decode()
    assert 'id="nav-badge-studydeliverables" hx-swap-oob="true">1<' in oob
    assert 'id="nav-group-badge-study" hx-swap-oob="true">1<' in oob
    assert 'id="nav-badge-total" hx-swap-oob="true">2<' in oob
    # The home page works the queue out already: its menu shows the badges at once.
    home = client.get(HOME).content.decode()
    assert 'id="nav-badge-studydeliverables">1<' in home
    assert f'hx-get="{BADGES}"' not in home
    # Any other page leaves them to the menu's request after loading.
    page = client.get(reverse("study:my_study")).content.decode()
    assert f'hx-get="{BADGES}"' in page


def test_badges_access(client, users, work):
    response = client.get(BADGES)
    assert response.status_code == 302 and "/login" in response.url
    login(client, users.sysadmin)
    assert json.loads(client.get(BADGES).content) == {"badges": {}, "total": 0}
    login(client, users.liaison_zengji)
    assert json.loads(client.get(BADGES).content)["total"] == 0


def test_query_counts_do_not_grow(client, users, work, campaign, org):
    def more():
        for _ in range(3):
            _opinion(campaign, users.office, unit=org.lishi)
            _opinion(campaign, users.office)

    for user in (users.office, users.liaison_lishi, users.cadre_lishi, users.leader):
        login(client, user)
        assert_constant_queries(client, BADGES, more)
        assert_constant_queries(client, HOME, more)


# Queries of GET /work/badges/ once the session is warm: the session, the user, the campaign
# and the roles, then one query per app whose lines the role can act on (a cadre's open
# questionnaires: the cadre and the rounds, and the answers when a round is open).
BADGE_QUERIES = {"office": 4 + 8, "leader": 4 + 2, "liaison_lishi": 4 + 6, "cadre_lishi": 4 + 5}


@pytest.mark.parametrize("role", list(BADGE_QUERIES))
def test_badges_cost_a_fixed_number_of_queries(client, users, work, role):
    login(client, getattr(users, role))
    count_queries(client, BADGES)
    _status, queries, sql = count_queries(client, BADGES)
    assert queries == BADGE_QUERIES[role], "\n".join(sql)


def test_a_module_switched_off_leaves_its_lines_out(client, users, work, campaign):
    campaign.config = {**campaign.config, "modules": {"study": False}}
    campaign.save(update_fields=["config"])
    lines = _lines(client, users.liaison_lishi)
    assert "study.to_review" not in lines and "opinions.to_sign" in lines


def test_a_campaign_may_relabel_a_line_and_a_menu_group(client, users, work, campaign):
    labels = {"study.to_review": "待审核的“三有”", "nav.study": "抓好学习"}
    campaign.config = {**campaign.config, "labels": labels}
    campaign.save(update_fields=["config"])
    login(client, users.liaison_lishi)
    page = client.get(HOME).content.decode()
    assert "待审核的“三有”" in page and "抓好学习" in page


def test_navigation_is_grouped_by_stage(client, users, work):
    login(client, users.office)
    response = client.get(reverse("study:my_study"))
    groups = response.context["nav_groups"]
    keys = [g["key"] for g in groups]
    assert keys[0] == ""  # the plan and the notices stand above the groups
    assert keys[1:] == [k for k in NAV_GROUPS if k in keys[1:]]
    assert {"study", "opinions", "rectification", "supervision", "system"} <= set(keys)
    current = [g for g in groups if g["open"]]
    assert [g["key"] for g in current] == ["study"]
    page = response.content.decode()
    assert 'data-nav-group="study" open data-current' in page
    assert 'aria-current="page"' in page
    every = {e["item"].key for g in groups for e in g["entries"]}
    assert {n.key for n in registry.nav_for(users.office)} == every


def test_every_entry_has_a_group_but_the_plan_and_the_notices():
    ungrouped = {n.key for n in registry.nav_items.values() if not n.group}
    assert ungrouped == {"campaigns.plan", "notifications.inbox"}


def test_every_line_names_a_menu_entry_and_a_known_bucket():
    for item in registry.work_items.values():
        assert item.nav in registry.nav_items, item.key
    with pytest.raises(ValueError):
        WorkItem("x.y", "x", lambda **kw: 0, "core:home", bucket="later")


# In a real browser: each role's home on a phone and a desktop


ROLES = ["leader", "office", "liaison_lishi", "liaison_zengji", "cadre_lishi"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_roles_home_on_a_phone_and_a_desktop(browser, live_server, users, work):
    from conftest import SCREENSHOTS, browser_login

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sizes = {
        "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
        "desktop": {"viewport": {"width": 1366, "height": 900}},
    }
    for role in ROLES:
        for size, options in sizes.items():
            context = browser.new_context(locale="zh-CN", **options)
            page = context.new_page()
            try:
                browser_login(page, live_server, role)
                page.goto(live_server.url + "/")
                page.wait_for_load_state("networkidle")
                queue = page.locator("#work-queue")
                box = queue.bounding_box()
                # The work queue is the first thing seen: it starts within the first screen,
                # above every other panel.
                assert box["y"] < options["viewport"]["height"] / 3, (role, size)
                first = page.locator("main .card").first
                assert first.get_attribute("id") == "work-queue", (role, size)
                width = options["viewport"]["width"]
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=SCREENSHOTS / f"home_{size}_{role}.png")
            finally:
                context.close()
