"""What a template decides once the campaign runs: modules, names, bulletins, reports, study,
self-ratings and figures; provisioning by command and the template's download."""

import datetime

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from biaoshuai.campaigns.models import Campaign
from biaoshuai.campaigns.selectors import campaign_template_text
from biaoshuai.campaigns.template import template_parse
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import ANONYMOUS, assert_access, login

from .factories import SEED_KEY, campaign_create, campaign_variant, seed_data

TODAY = datetime.date(2026, 11, 18)  # the pinned clock


def practice_off(data):
    data["modules"] = {"practice": False}
    data["labels"] = {}
    data.pop("lists").pop("discussion_questions", None)


@pytest.fixture
def seed(db):
    return campaign_create(starts_on=datetime.date(2026, 3, 1), make_current=True)


# --- modules switched off and the campaign's own names


def test_a_campaign_without_practice_shows_none_of_it(client, users, org):
    data_fix = campaign_variant(
        lambda d: d.update(modules={"practice": False}, labels={}),
        starts_on=datetime.date(2026, 3, 1),
        make_current=True,
    )
    assert not data_fix.module_on("practice") and data_fix.module_on("study")
    login(client, users.office)
    home = client.get(reverse("core:home")).content.decode()
    for url_name in (
        "practice:discussion_list",
        "practice:pairing_list",
        "practice:placement_list",
    ):
        assert reverse(url_name) not in home
    assert reverse("study:session_list") in home
    page = client.get(reverse("practice:discussion_list"))
    assert page.status_code == 404 and 'id="module-off"' in page.content.decode()
    assert client.get(reverse("practice:placement_create")).status_code == 404
    # The portal neither lists nor serves the module's page.
    portal = client.get(reverse("portal:home")).content.decode()
    assert reverse("practice_public:exemplar_list") not in portal
    public = client.get(reverse("practice_public:exemplar_list"))
    assert public.status_code == 404 and 'id="module-off"' in public.content.decode()


def publicity_off(data):
    data["modules"] = {"publicity": False}
    data["labels"] = {}
    indicators = data["lists"]["assessment_indicators"]
    indicators[:] = [i for i in indicators if i["key"] != "publicity"]
    next(i for i in indicators if i["key"] == "study")["weight"] += 10


def test_the_api_of_a_module_switched_off_answers_404(client, users, org):
    campaign_variant(publicity_off, starts_on=datetime.date(2026, 3, 1), make_current=True)
    login(client, users.office)
    off = client.get("/api/v1/publicity/points")
    assert off.status_code == 404
    assert off.json()["code"] == "not_found" and "不包含" in off.json()["message"]
    assert client.get("/api/v1/rectification/problems").status_code == 200


def test_the_module_switch_leaves_other_apps_and_campaigns_alone(client, users, seed):
    login(client, users.office)
    assert client.get(reverse("practice:discussion_list")).status_code == 200
    assert client.get(reverse("study:session_list")).status_code == 200


def test_the_menu_uses_the_campaigns_own_names(client, users, seed):
    login(client, users.office)
    html = client.get(reverse("core:home")).content.decode()
    assert "“三有”审核" in html and "“三个换位”" in html
    assert "学习成果审核" not in html


def test_without_own_names_the_menu_is_neutral(client, users, db):
    campaign_variant(lambda d: d.update(labels={}), make_current=True)
    login(client, users.office)
    html = client.get(reverse("core:home")).content.decode()
    assert "学习成果审核" in html and "换位交流" in html
    assert "三有" not in html and "三个换位" not in html


def test_presentation_of_a_request_without_campaign_shows_everything(rf, db):
    request = rf.get("/")
    presentation = registry.presentation(request)
    assert presentation.shows("practice.discussions") and not presentation.labels


# --- the campaign's template: download and provisioning


def test_template_download_access(client, users, seed):
    assert_access(
        client,
        reverse("campaigns:campaign_template", args=[seed.pk]),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 403,
            users.leader: 403,
            users.office: 200,
        },
    )
    login(client, users.office)
    assert client.get(reverse("campaigns:campaign_template", args=[999])).status_code == 404


def test_the_template_downloaded_is_the_one_given(client, users, seed):
    login(client, users.office)
    response = client.get(reverse("campaigns:campaign_template", args=[seed.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="jiangdangxing-20260301.yaml"'
    text = response.content.decode()
    assert text.startswith("# 全县组工干部")  # the shipped file, comments and all
    assert template_parse(text)["key"] == SEED_KEY
    detail = client.get(reverse("campaigns:campaign_detail", args=[seed.pk])).content.decode()
    assert 'id="template-download"' in detail and "全县组工干部" in detail


def test_a_campaign_without_its_text_gets_a_template_written_from_its_data(seed):
    config = dict(seed.config)
    config.pop("template")
    Campaign.objects.filter(pk=seed.pk).update(config=config)
    seed.refresh_from_db()
    data = template_parse(campaign_template_text(campaign=seed))
    again = campaign_create(data=data, starts_on=seed.starts_on)
    assert [(p.starts_on, p.ends_on) for p in again.phases.order_by("order")] == [
        (p.starts_on, p.ends_on) for p in seed.phases.order_by("order")
    ]
    assert again.ends_on == seed.ends_on


def test_campaign_create_command(tmp_path, db):
    data = seed_data()
    data["key"] = "scripted"
    path = tmp_path / "scripted.yaml"
    path.write_text("# 脚本创建\n" + yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("campaign_create", str(path), "--start", "2026-10-01", "--current")
    campaign = Campaign.objects.get(template_key="scripted")
    assert campaign.is_current and campaign.starts_on == datetime.date(2026, 10, 1)
    assert campaign.config["template"].startswith("# 脚本创建")
    call_command("campaign_create", SEED_KEY, "--start", "2026-01-01")
    assert Campaign.objects.get(template_key=SEED_KEY).is_current is False


def test_campaign_create_command_lists_every_problem_in_chinese(tmp_path, capsys, db):
    data = seed_data()
    data["lists"]["assessment_indicators"][1]["metric"] = "study.homework_rate"
    data["phases"][0]["steps"][0].pop("name")
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("campaign_create", str(path), "--start", "2026-10-01")
    err = capsys.readouterr().err
    assert "phases[1].steps[1].name：此项必填" in err
    assert "lists.assessment_indicators[2].metric：没有名为 study.homework_rate 的指标数据" in err
    assert "2" in str(caught.value)
    assert not Campaign.objects.exists()
    with pytest.raises(CommandError):
        call_command("campaign_create", str(path), "--start", "10/01/2026")


# --- bulletins and unit reports


def test_the_bulletin_takes_issuer_and_number_prefix_from_the_template(org, users, seed):
    from biaoshuai.supervision.services import bulletin_generate

    bulletin = bulletin_generate(
        by=users.office,
        campaign=seed,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
    )
    assert (bulletin.issuer, bulletin.number_prefix) == ("学习实践活动领导小组办公室", "组活办")
    other = campaign_variant(
        lambda d: d["reporting"].update(
            bulletin={
                "frequency": "quarterly",
                "issuer": "主题教育领导小组办公室",
                "number_prefix": "主教办",
            }
        )
    )
    mine = bulletin_generate(
        by=users.office,
        campaign=other,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    assert (mine.issuer, mine.number_prefix) == ("主题教育领导小组办公室", "主教办")


def test_without_a_bulletin_issuer_the_text_is_neutral(org, users, db):
    from biaoshuai.supervision.services import bulletin_generate

    campaign = campaign_variant(lambda d: d["reporting"].pop("bulletin"))
    with translation.override("zh-hans"):
        bulletin = bulletin_generate(
            by=users.office,
            campaign=campaign,
            period_start=datetime.date(2026, 10, 1),
            period_end=datetime.date(2026, 10, 31),
        )
    assert bulletin.issuer == "讲党性、重品行、作表率领导小组办公室"
    assert bulletin.number_prefix == "通报"


def test_bulletin_periods_and_due_dates_follow_the_template(db):
    from biaoshuai.supervision.periods import bulletin_due_on, bulletin_period

    monthly = campaign_create(starts_on=datetime.date(2026, 3, 1))
    assert bulletin_period(monthly, datetime.date(2026, 8, 1)) == (
        datetime.date(2026, 8, 1),
        datetime.date(2026, 8, 31),
    )
    assert bulletin_due_on(monthly, datetime.date(2026, 8, 31)) == datetime.date(2026, 9, 5)
    quarterly = campaign_variant(
        lambda d: d["reporting"].update(bulletin={"frequency": "quarterly", "due_day": 10})
    )
    assert bulletin_period(quarterly, datetime.date(2026, 8, 1)) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
    )
    assert bulletin_due_on(quarterly, datetime.date(2026, 9, 30)) == datetime.date(2026, 10, 10)


def test_weekly_unit_reports_are_weekly(client, users, org, db):
    from biaoshuai.supervision.periods import period_for, report_periods

    campaign = campaign_variant(
        lambda d: d["reporting"].update(unit_report={"frequency": "weekly", "due_day": 5}),
        starts_on=datetime.date(2026, 10, 28),  # a Wednesday
        make_current=True,
    )
    periods = report_periods(campaign, TODAY)
    assert periods[0].start == datetime.date(2026, 10, 26)  # the Monday of that week
    assert [(p.start.day, p.end.day, p.due_on.day) for p in periods[-2:]] == [
        (9, 15, 13),
        (16, 22, 20),
    ]
    assert len(periods) == 4 and periods[-1].key == "2026-11-16"
    assert periods[-1].label == "2026年11月16日—11月22日"
    assert period_for(campaign, datetime.date(2026, 11, 9), TODAY) == periods[-2]
    login(client, users.liaison_lishi)
    url = reverse("supervision:report_submit", args=[org.lishi.pk, "2026-11-09"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("supervision:report_table")).status_code == 200
    bad = reverse("supervision:report_submit", args=[org.lishi.pk, "2026-11-10"])
    assert client.get(bad).status_code == 404


# --- study: deliverables per campaign, sub-kinds


def test_a_deliverable_owed_once_per_campaign(org, users, db):
    from django.core.exceptions import ValidationError

    from biaoshuai.study import completion, services

    def once(data):
        data["lists"]["deliverable_kinds"][0].update(per="campaign", due_month=18)
        data["lists"]["deliverable_kinds"][0].pop("due_month")
        data["lists"]["deliverable_kinds"][0]["due_day"] = 500

    campaign = campaign_variant(once, starts_on=datetime.date(2025, 9, 1), make_current=True)
    first, second = campaign.phases.order_by("order")[:2]
    kind = campaign.config["lists"]["deliverable_kinds"][0]
    assert completion.due_on(second, kind) == datetime.date(2025, 9, 1) + datetime.timedelta(499)
    person = org.people["lishi_a"]
    services.deliverable_create(
        person=person, phase=first, kind=kind["key"], title="心得", by=users.cadre_lishi
    )
    with pytest.raises(ValidationError):
        services.deliverable_create(
            person=person, phase=second, kind=kind["key"], title="再写一篇", by=users.cadre_lishi
        )
    # A kind owed in each phase may be written again in the next one.
    other = campaign.config["lists"]["deliverable_kinds"][1]["key"]
    services.deliverable_create(
        person=person, phase=first, kind=other, title="调研", by=users.cadre_lishi
    )
    services.deliverable_create(
        person=person, phase=second, kind=other, title="调研二", by=users.cadre_lishi
    )


def test_study_sessions_with_sub_kinds(client, users, org, db):
    from biaoshuai.study.models import StudySession

    campaign = campaign_variant(
        lambda d: d["lists"]["study_kinds"][0].update(
            sub_kinds=[
                {"key": "online", "name": "网络培训"},
                {"key": "offline", "name": "集中培训"},
            ]
        ),
        make_current=True,
    )
    login(client, users.office)
    url = reverse("study:session_create")
    form = client.get(url).content.decode()
    assert "网络培训" in form and "集中培训" in form
    start = timezone.localtime() + datetime.timedelta(days=2)
    data = {
        "kind": "training_course",
        "title": "网络专题培训",
        "unit": org.department.pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "县委党校",
        "sign_in_opens_before": 30,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and not StudySession.objects.exists()
    assert client.post(url, {**data, "kind": "discussion", "sub_kind": "online"}).status_code == 200
    assert client.post(url, {**data, "sub_kind": "online"}).status_code == 302
    session = StudySession.objects.get()
    assert session.sub_kind == "online" and session.kind_name() == "专题培训班 · 网络培训"
    assert session.campaign == campaign


def test_the_self_rating_scale_comes_from_the_template(client, users, org, db):
    from django.core.exceptions import ValidationError

    from biaoshuai.appraisal import services
    from biaoshuai.appraisal.selectors import self_check_form_items

    scale = [{"key": "a", "name": "好"}, {"key": "b", "name": "较好"}, {"key": "c", "name": "一般"}]
    campaign = campaign_variant(
        lambda d: d["lists"].update(self_rating_scale=scale), make_current=True
    )
    login(client, users.cadre_lishi)
    html = client.get(reverse("appraisal:self_check_mine")).content.decode()
    assert ">较好<" in html and "Fairly good" not in html
    items = self_check_form_items(campaign=campaign)
    key = items[0]["key"]
    person = org.people["lishi_a"]
    check = services.self_check_save(
        person=person,
        campaign=campaign,
        answers={key: ["a", "c"]},
        findings={},
        by=users.cadre_lishi,
    )
    assert check.ratings[key][:2] == ["a", "c"]
    with pytest.raises(ValidationError):
        services.self_check_save(
            person=person,
            campaign=campaign,
            answers={key: ["good"]},
            findings={},
            by=users.cadre_lishi,
        )


# --- figures


def test_attendance_of_one_study_kind_and_problems_found(org, users, db):
    from biaoshuai.assessment.scoring import indicators_of, scores_compute
    from biaoshuai.rectification.services.problems import problem_create

    def indicators(data):
        items = data["lists"]["assessment_indicators"]
        items[1].update(metric="study.kind_attendance_rate", param="training_course")
        items[3].update(metric="rectification.problems_found")

    campaign = campaign_variant(indicators, starts_on=datetime.date(2026, 3, 1), make_current=True)
    for _ in range(2):
        problem_create(
            by=None,
            unit=org.lishi,
            campaign=campaign,
            dimension="discipline",
            description="纪律松弛",
        )
    metric = registry.metrics["rectification.problems_found"]
    counts = metric.by_unit(campaign=campaign, unit_ids=[org.lishi.pk, org.zengji.pk])
    assert counts == {org.lishi.pk: 2, org.zengji.pk: 0}
    assert metric.total(user=users.office, campaign=campaign) == 2
    assert metric.total(user=users.liaison_zengji, campaign=campaign) == 0
    found = indicators_of(campaign)[1]
    assert (found.metric, found.param) == ("study.kind_attendance_rate", "training_course")
    rows = scores_compute(
        campaign=campaign,
        period_start=datetime.date(2026, 3, 1),
        period_end=TODAY,
        units=[org.lishi, org.zengji],
    )
    by_unit = {row.unit: {i.key: i for i in row.indicators} for row in rows}
    assert by_unit[org.lishi]["self_check"].value == 2.0
    assert by_unit[org.zengji]["self_check"].value == 0.0
    assert by_unit[org.lishi]["study"].note != "not_registered"


def test_the_disclosure_review_uses_the_campaigns_names_for_the_levels(client, users, org):
    from biaoshuai.rectification.models import Problem
    from biaoshuai.rectification.services.problems import problem_create

    def rename(data):
        data["lists"]["disclosure_levels"][1]["name"] = "系统内公开"

    campaign = campaign_variant(rename, make_current=True)
    problem = problem_create(
        by=None, unit=org.lishi, campaign=campaign, dimension="discipline", description="纪律松弛"
    )
    Problem.objects.filter(pk=problem.pk).update(disclosure_proposed="internal")
    login(client, users.office)
    html = client.get(reverse("publicity:disclosure_review")).content.decode()
    assert "系统内公开" in html
