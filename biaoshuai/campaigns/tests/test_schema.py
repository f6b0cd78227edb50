"""The template fields real campaigns need: each is validated, with the field's path."""

import datetime

import pytest
from django.utils import translation

from biaoshuai.campaigns.template import phase_dates, template_validate

from .factories import campaign_create, seed_data


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def errors_for(mutate):
    data = seed_data()
    mutate(data)
    return template_validate(data)


def short_phases(data):
    """Four short phases, the last two overlapping, as a recent campaign has them."""
    data["phases"] = [
        {
            "key": "learn",
            "name": "学习教育",
            "days": 20,
            "steps": [{"name": "动员", "start_day": 1, "days": 3}],
        },
        {
            "key": "check",
            "name": "查摆问题",
            "days": 15,
            "steps": [{"name": "查摆", "start_day": 1, "days": 15}],
        },
        {
            "key": "fix",
            "name": "整改落实",
            "start_day": 36,
            "months": 1,
            "steps": [{"name": "整改", "start_month": 1, "months": 1}],
        },
        {
            "key": "sum_up",
            "name": "总结",
            "start_day": 50,
            "days": 10,
            "steps": [{"name": "总结", "start_day": 1, "days": 10}],
        },
    ]
    for item in data["lists"]["deliverable_kinds"]:
        item.pop("due_month")
        item["due_day"] = 10


# --- phases


def test_phases_by_days_and_overlapping_are_valid():
    assert errors_for(short_phases) == []


def test_phase_dates_follow_or_start_where_told():
    data = seed_data()
    short_phases(data)
    dates = phase_dates(datetime.date(2026, 3, 1), data["phases"])
    assert dates == [
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 20)),
        (datetime.date(2026, 3, 21), datetime.date(2026, 4, 4)),
        (datetime.date(2026, 4, 5), datetime.date(2026, 5, 4)),
        (datetime.date(2026, 4, 19), datetime.date(2026, 4, 28)),  # inside the previous one
    ]


@pytest.mark.django_db
def test_a_campaign_of_short_overlapping_phases_is_created_with_their_dates():
    data = seed_data()
    data["key"] = "short"
    short_phases(data)
    campaign = campaign_create(data=data, starts_on=datetime.date(2026, 3, 1))
    phases = list(campaign.phases.order_by("order"))
    assert [(p.starts_on, p.ends_on) for p in phases][3] == (
        datetime.date(2026, 4, 19),
        datetime.date(2026, 4, 28),
    )
    assert campaign.starts_on == datetime.date(2026, 3, 1)
    assert campaign.ends_on == datetime.date(2026, 5, 4)  # the latest end, not the last phase's
    step = phases[0].steps.get()
    assert (step.starts_on, step.ends_on) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 3))


def test_phase_timing_errors_are_named():
    def mutate(data):
        data["phases"][0]["days"] = 30  # besides months: 12
        data["phases"][1].update(start_day=1, start_month=2)
        data["phases"][2].pop("months")
        data["phases"][2]["days"] = 0

    errors = errors_for(mutate)
    assert "phases[1]: give either months or days" in errors
    assert "phases[2]: give either start_month or start_day" in errors
    assert "phases[3].days: must be between 1 and 3660" in errors


def test_steps_of_a_phase_in_days_are_in_days_and_fit():
    def mutate(data):
        short_phases(data)
        data["phases"][0]["steps"].append({"name": "按月", "start_month": 1, "months": 1})
        data["phases"][1]["steps"][0]["days"] = 16

    errors = errors_for(mutate)
    assert (
        "phases[1].steps[2].start_month: the phase is counted in days; give start_day and days"
        in errors
    )
    assert "phases[2].steps[1].days: the step ends on day 16, after its phase (15 days)" in errors


# --- deliverables


def test_deliverables_owed_per_campaign_or_phase():
    def mutate(data):
        data["lists"]["deliverable_kinds"][0]["per"] = "campaign"
        data["lists"]["deliverable_kinds"][1]["per"] = "year"
        data["lists"]["deliverable_kinds"][2]["per"] = "phase"

    errors = errors_for(mutate)
    assert errors == [
        "lists.deliverable_kinds[2].per: year is not one of phase, campaign",
    ]


def test_deliverable_due_month_or_due_day():
    def mutate(data):
        kinds = data["lists"]["deliverable_kinds"]
        kinds[0]["due_day"] = 30  # besides due_month
        kinds[1].pop("due_month")
        kinds[2].pop("due_month")
        kinds[2]["due_day"] = 400

    errors = errors_for(mutate)
    assert "lists.deliverable_kinds[1]: give either due_month or due_day" in errors
    assert "lists.deliverable_kinds[2].due_month: this field is required (or due_day)" in errors
    assert "lists.deliverable_kinds[3].due_day: must be between 1 and 365" in errors


def test_a_deliverable_owed_per_campaign_may_fall_due_after_the_first_phase():
    def mutate(data):
        short_phases(data)
        item = data["lists"]["deliverable_kinds"][0]
        item.update(per="campaign", due_day=60)

    assert errors_for(mutate) == []
    assert errors_for(
        lambda d: (short_phases(d), d["lists"]["deliverable_kinds"][0].update(due_day=60))
    ) == ["lists.deliverable_kinds[1].due_day: must be between 1 and 10"]


# --- study kinds, rating scale, participants


def test_study_kinds_with_sub_kinds():
    def mutate(data):
        data["lists"]["study_kinds"][0]["sub_kinds"] = [
            {"key": "online", "name": "网络培训"},
            {"key": "offline", "name": "集中培训"},
        ]

    assert errors_for(mutate) == []

    def bad(data):
        data["lists"]["study_kinds"][0]["sub_kinds"] = [
            {"key": "online", "name": "网络培训"},
            {"key": "online", "name": "重复"},
            {"key": "线下", "name": ""},
        ]
        data["lists"]["study_kinds"][1]["sub_kinds"] = []
        data["lists"]["study_kinds"][2]["sub_kinds"] = "网络"

    errors = errors_for(bad)
    assert "lists.study_kinds[1].sub_kinds[2].key: the key online is used twice" in errors
    assert any(
        e.startswith("lists.study_kinds[1].sub_kinds[3].key: use lower-case") for e in errors
    )
    assert "lists.study_kinds[1].sub_kinds[3].name: this field is required" in errors
    assert "lists.study_kinds[2].sub_kinds: the list is empty" in errors
    assert "lists.study_kinds[3].sub_kinds: expected a list" in errors


def test_self_rating_scale():
    scale = [{"key": "good", "name": "好"}, {"key": "fair", "name": "较好", "score": 80}]
    assert errors_for(lambda d: d["lists"].update(self_rating_scale=scale)) == []
    errors = errors_for(
        lambda d: d["lists"].update(self_rating_scale=[{"key": "x", "name": "差", "score": 101}])
    )
    assert errors == ["lists.self_rating_scale[1].score: must be between 0 and 100"]
    assert errors_for(lambda d: d["lists"].update(self_rating_scale=[])) == [
        "lists.self_rating_scale: the list is empty"
    ]


def test_participants():
    assert errors_for(lambda d: d.update(participants="全体党员")) == []
    assert errors_for(lambda d: d.update(participants=["党员"])) == ["participants: expected text"]
    assert errors_for(lambda d: d.update(participants="党" * 61)) == [
        "participants: at most 60 characters (it has 61)"
    ]


# --- modules and labels


def test_modules_switched_off():
    assert errors_for(lambda d: d.update(modules={"practice": False, "surveys": True})) == []
    errors = errors_for(lambda d: d.update(modules={"pratice": False, "study": "no"}))
    assert errors[0].startswith("modules.pratice: pratice is not one of study, practice")
    assert errors[1] == "modules.study: expected true or false"


def test_an_indicator_cannot_use_a_figure_of_a_module_switched_off():
    errors = errors_for(lambda d: d.update(modules={"publicity": False}))
    assert errors == [
        "lists.assessment_indicators[7].metric: publicity.points belongs to the module "
        "publicity, which is switched off"
    ]


def test_labels_name_registered_entries():
    assert errors_for(lambda d: d["labels"].update({"practice.placements": "挂职锻炼"})) == []
    errors = errors_for(lambda d: d.update(labels={"study.homework": "作业", "study.mine": ""}))
    assert errors == [
        "labels.study.homework: study.homework is not a menu entry, figure or portal section",
        "labels.study.mine: this field is required",
    ]


# --- reporting


def test_reporting_weekly_and_the_bulletin():
    def mutate(data):
        data["reporting"] = {
            "unit_report": {"frequency": "weekly", "due_day": 5},
            "bulletin": {
                "frequency": "quarterly",
                "issuer": "主题教育领导小组办公室",
                "number_prefix": "主教办",
            },
        }

    assert errors_for(mutate) == []


def test_reporting_errors_are_named():
    def mutate(data):
        data["reporting"] = {
            "unit_report": {"frequency": "weekly", "due_day": 9},
            "bulletin": {"frequency": "weekly", "number_prefix": "前缀" * 11, "signer": "x"},
            "newsletter": {"frequency": "monthly"},
        }

    errors = errors_for(mutate)
    assert "reporting.unit_report.due_day: must be between 1 and 7" in errors
    assert "reporting.bulletin.frequency: weekly is not one of monthly, quarterly" in errors
    assert "reporting.bulletin.number_prefix: at most 20 characters (it has 22)" in errors
    assert "reporting.bulletin.signer: unknown field" in errors
    assert "reporting.newsletter: newsletter is not one of unit_report, bulletin" in errors


# --- channels


def test_channel_roles():
    def mutate(data):
        channels = data["lists"]["opinion_channels"]
        channels[0]["role"] = "mailbox"  # the mailbox channel has it already
        channels[1]["role"] = "fax"
        channels[5]["public"] = False  # the public form's channel

    errors = errors_for(mutate)
    assert "lists.opinion_channels[3].role: another channel already has the role mailbox" in errors
    assert "lists.opinion_channels[2].role: fax is not one of public_form, mailbox, api" in errors
    assert (
        "lists.opinion_channels[6].public: the channel of the public form must be public" in errors
    )


def test_a_template_without_roles_is_valid():
    def mutate(data):
        for item in data["lists"]["opinion_channels"]:
            item.pop("role", None)

    assert errors_for(mutate) == []


# --- indicators


def test_indicator_metrics_must_exist():
    errors = errors_for(
        lambda d: d["lists"]["assessment_indicators"][1].update(metric="study.homework_rate")
    )
    assert errors == [
        "lists.assessment_indicators[2].metric: no figure is called study.homework_rate"
    ]


def test_parametrised_metrics():
    def mutate(data):
        indicators = data["lists"]["assessment_indicators"]
        indicators[1].update(metric="study.kind_attendance_rate", param="expert_lecture")
        indicators[3].update(metric="rectification.problems_found", direction="lower")

    assert errors_for(mutate) == []

    def bad(data):
        indicators = data["lists"]["assessment_indicators"]
        indicators[1].update(metric="study.kind_attendance_rate")
        indicators[2].update(metric="study.kind_attendance_rate", param="cinema")
        indicators[3].update(param="x", scale="log", direction="up")

    errors = errors_for(bad)
    assert (
        "lists.assessment_indicators[2].param: this field is required (a key of lists.study_kinds)"
        in errors
    )
    assert (
        "lists.assessment_indicators[3].param: cinema is not a key of lists.study_kinds" in errors
    )
    assert (
        "lists.assessment_indicators[4].param: the figure appraisal.self_check_rate takes no "
        "parameter" in errors
    )
    assert "lists.assessment_indicators[4].scale: log is not one of percent, relative" in errors
    assert "lists.assessment_indicators[4].direction: up is not one of higher, lower" in errors


def test_new_messages_are_in_chinese():
    with translation.override("zh-hans"):
        errors = errors_for(
            lambda d: d["lists"]["assessment_indicators"][1].update(metric="study.homework_rate")
        )
        roles = errors_for(lambda d: d["lists"]["opinion_channels"][1].update(role="fax"))
    assert errors == [
        "lists.assessment_indicators[2].metric：没有名为 study.homework_rate 的指标数据"
    ]
    assert roles == [
        "lists.opinion_channels[2].role：fax 不在可选值 public_form, mailbox, api 之中"
    ]


def test_disclosure_levels_are_the_products_three_named_by_the_template():
    renamed = [
        {"key": "public", "name": "社会公开"},
        {"key": "internal", "name": "系统内公开"},
        {"key": "restricted", "name": "不予公开"},
    ]
    assert errors_for(lambda d: d["lists"].update(disclosure_levels=renamed)) == []
    errors = errors_for(
        lambda d: d["lists"].update(
            disclosure_levels=[
                {"key": "public", "name": "公开"},
                {"key": "partial", "name": "部分"},
            ]
        )
    )
    assert errors == [
        "lists.disclosure_levels[2].key: partial is not one of public, internal, restricted",
        "lists.disclosure_levels: the level internal is missing",
        "lists.disclosure_levels: the level restricted is missing",
    ]
