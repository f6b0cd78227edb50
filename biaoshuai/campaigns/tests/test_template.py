import copy
import datetime
import re

import pytest
from django.utils import translation

from biaoshuai.campaigns.models import Campaign, Phase, PlanStep
from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.campaigns.template import (
    TEMPLATE_DIR,
    TemplateError,
    add_months,
    template_load,
    template_parse,
    template_validate,
)

from .factories import SEED_KEY, seed_data

GARBLED = [
    "效劳",
    "原那么",
    "广阔",
    "坚决性",
    "稳固提高年",
    "公正正派",
    "抵抗",
    "科学开展观",
    "202223",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def errors_for(mutate):
    data = seed_data()
    mutate(data)
    return template_validate(data)


def test_shipped_template_is_valid():
    path = TEMPLATE_DIR / f"{SEED_KEY}.yaml"
    import yaml

    assert template_validate(yaml.safe_load(path.read_text(encoding="utf-8"))) == []
    data = template_load(SEED_KEY)
    assert [p["name"] for p in data["phases"]] == ["集中活动年", "深化拓展年", "巩固提高年"]
    assert data["short_name"] == "讲党性、重品行、作表率"


def test_shipped_template_has_the_seed_content():
    data = template_load(SEED_KEY)
    sections = {s["key"]: s for s in data["reference"]}
    names = {key: [i["name"] for i in s["items"]] for key, s in sections.items()}
    assert names["five_natures"][0] == "政治立场的坚定性"
    assert "抵制歪风邪气的战斗性" in names["five_natures"]
    assert len(names["five_firsts"]) == 5
    assert len(names["principles"]) == 5
    assert names["four_images"] == ["可信形象", "可靠形象", "可敬形象", "可亲形象"]
    assert names["three_homes"] == ["党员之家", "干部之家", "人才之家"]
    lists = data["lists"]
    assert len(lists["study_kinds"]) == 4
    assert len(lists["required_topics"]) == 4
    assert len(lists["deliverable_kinds"]) == 3
    assert [c["name"] for c in lists["opinion_channels"]] == [
        "座谈走访",
        "问卷调查",
        "电子邮箱",
        "热线",
        "基层调研",
        "网上留言",
    ]
    assert [d["name"] for d in lists["problem_dimensions"]] == [
        "党性观念",
        "思想作风",
        "遵章守纪",
        "道德品行",
        "表率作用",
    ]
    assert [d["key"] for d in lists["disclosure_levels"]] == ["public", "internal", "restricted"]
    assert sum(i["weight"] for i in lists["assessment_indicators"]) == 100
    assert lists["appraisal_grades"][0]["max_share"] == "1/3"
    assert [m["score"] for m in lists["satisfaction_scale"]] == [100, 80, 60, 30, 0]
    roles = [m["role"] for m in lists["leading_group"]]
    assert roles == ["leader", "deputy_leader", "deputy_leader", "deputy_leader"]


def test_template_text_has_no_garbled_words():
    for path in TEMPLATE_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        found = [word for word in GARBLED if word in text]
        assert not found, f"{path.name}: {found}"
        # 发展 where the seed garbles it into 开展: 科学发展观 must keep 发展.
        assert "科学开展" not in text


def test_missing_field_is_named():
    errors = errors_for(lambda d: d["phases"][1]["steps"][2].pop("name"))
    assert errors == ["phases[2].steps[3].name: this field is required"]


def test_wrong_type_is_named():
    errors = errors_for(lambda d: d["phases"][0].update(months="twelve"))
    assert "phases[1].months: expected a whole number" in errors


def test_unknown_field_and_unknown_list_are_named():
    def mutate(data):
        data["phases"][0]["steps"][0]["owner"] = "x"
        data["lists"]["studdy_kinds"] = []

    errors = errors_for(mutate)
    assert "phases[1].steps[1].owner: unknown field" in errors
    assert "lists.studdy_kinds: unknown list" in errors


def test_duplicate_keys_are_named():
    def mutate(data):
        data["lists"]["opinion_channels"][2]["key"] = "forum_visit"
        data["phases"][2]["key"] = "focus"

    errors = errors_for(mutate)
    assert "lists.opinion_channels[3].key: the key forum_visit is used twice" in errors
    assert "phases[3].key: the key focus is used twice" in errors


def test_weights_must_add_up_to_100():
    errors = errors_for(lambda d: d["lists"]["assessment_indicators"][0].update(weight=15))
    assert errors == ["lists.assessment_indicators: the weights add up to 105, not 100"]


def test_step_must_fit_in_its_phase():
    def mutate(data):
        data["phases"][0]["steps"][4].update(start_month=11, months=3)
        data["phases"][0]["steps"][0].update(start_day=360, days=10)
        data["phases"][1]["steps"][0].update(start_month=13)

    errors = errors_for(mutate)
    assert "phases[1].steps[5].months: the step ends in month 13, after its phase (12 months)" in (
        errors
    )
    assert "phases[1].steps[1].days: the step ends on day 369, after its phase (365 days)" in errors
    assert "phases[2].steps[1]: give either start_month and months, or start_day and days" in errors


def test_known_references_and_points_table():
    def mutate(data):
        data["lists"]["self_check_items"][0]["reference"] = "five_virtues"
        data["lists"]["publication_levels"][0]["points"].pop("tv")
        data["lists"]["publication_levels"][1]["points"]["radio"] = 5

    errors = errors_for(mutate)
    assert (
        "lists.self_check_items[1].reference: five_virtues is not the key of a reference section"
        in errors
    )
    assert "lists.publication_levels[1].points.tv: this field is required" in errors
    assert (
        "lists.publication_levels[2].points.radio: radio is not a key of lists.publication_media"
        in errors
    )


def test_keys_must_be_ascii_identifiers_and_lists_present():
    def mutate(data):
        data["lists"]["study_kinds"][0]["key"] = "专题培训班"
        del data["lists"]["disclosure_levels"]
        data["lists"]["appraisal_grades"][0]["max_share"] = "4/3"

    errors = errors_for(mutate)
    assert any(e.startswith("lists.study_kinds[1].key: use lower-case letters") for e in errors)
    assert "lists.disclosure_levels: this field is required" in errors
    assert any(e.startswith("lists.appraisal_grades[1].max_share:") for e in errors)


def test_every_error_names_a_field():
    data = {"phases": [{"steps": [{}]}], "lists": {"study_kinds": "x"}, "reference": [1]}
    errors = template_validate(data)
    assert len(errors) > 5
    for error in errors:
        assert re.match(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*: ", error), error


def test_messages_are_translated():
    with translation.override("zh-hans"):
        errors = errors_for(lambda d: d["phases"][0]["steps"][0].pop("name"))
    assert errors == ["phases[1].steps[1].name：此项必填"]


def test_bad_yaml_and_non_mapping():
    with pytest.raises(TemplateError) as caught:
        template_parse("key: [unclosed\nname: x")
    assert "line" in caught.value.errors[0]
    with pytest.raises(TemplateError):
        template_parse("- just a list")
    with pytest.raises(TemplateError) as caught:
        template_load("no_such_template")
    assert caught.value.errors == ["key: no template is called no_such_template"]


@pytest.mark.django_db
def test_bad_template_creates_nothing():
    data = seed_data()
    data["phases"][0]["steps"][0]["start_month"] = 0
    with pytest.raises(TemplateError):
        campaign_create_from_template(data=data, starts_on=datetime.date(2026, 1, 1), by=None)
    assert not Campaign.objects.exists()
    assert not Phase.objects.exists()
    assert not PlanStep.objects.exists()


def test_template_data_is_not_changed_by_validation():
    data = seed_data()
    before = copy.deepcopy(data)
    template_validate(data)
    assert data == before


def test_add_months_clamps_to_the_month_end():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)


def alias_bomb(levels=9):
    """The classic "billion laughs": 29 lines that expand to 9**levels strings."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        refs = ",".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_once():
    import time

    started = time.monotonic()
    with pytest.raises(TemplateError) as exc:
        template_parse(alias_bomb())
    assert time.monotonic() - started < 1
    assert "anchor or alias" in exc.value.errors[0] and "line 1" in exc.value.errors[0]
    with pytest.raises(TemplateError, match="alias"):  # a lone alias, not only anchors
        template_parse("a: *x\n")


@pytest.mark.parametrize(
    "text", ["[" * 5000 + "]" * 5000, "a:\n" + "".join(f"{'  ' * n}k{n}:\n" for n in range(1, 400))]
)
def test_deep_nesting_is_refused_not_a_crash(text):
    with pytest.raises(TemplateError) as exc:
        template_parse(text)
    assert exc.value.errors[0].startswith("The template is nested more than 20 levels deep")


def test_oversize_text_is_refused():
    text = (TEMPLATE_DIR / f"{SEED_KEY}.yaml").read_text(encoding="utf-8")
    text += "# " + "x" * (256 * 1024) + "\n"
    with pytest.raises(TemplateError, match="larger than 256 KB"):
        template_parse(text)
