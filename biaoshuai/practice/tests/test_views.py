"""Pages: forms that keep the user's input, filters, HTMX partials, uploads, exports,
the portal page, the home panel and the registry's figures."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.registry import registry
from biaoshuai.core.testing import login
from biaoshuai.practice import metrics, services
from biaoshuai.practice.models import Discussion, ExemplarStatus, Pairing, Placement, Visit

from .conftest import ANSWERS, DAY, discussion, docx_file, pairing, placement, png_file, visit

pytestmark = pytest.mark.django_db


def discussion_post(org, **overrides):
    data = {
        "unit": org.lishi.pk,
        "title": "李市镇解放思想大讨论",
        "held_on": "2026-03-12",
        "place": "镇政府三楼会议室",
        "host": "镇党委书记",
        "participants": [org.people["lishi_a"].pk, org.people["lishi_b"].pk],
        "attendance": "",
        "conclusions": "一是……二是……",
        "follow_up": "",
        **{f"answer_{key}": text for key, text in ANSWERS.items()},
    }
    data.update(overrides)
    return data


def test_liaison_records_a_discussion_with_the_three_answers(client, campaign, org, users):
    login(client, users.liaison_lishi)
    page = client.get(reverse("practice:discussion_create"))
    for _key, question in campaign.choices("discussion_questions"):
        assert question in page.content.decode()
    # Another town's cadres are not offered.
    assert "张伟" not in page.content.decode()
    response = client.post(reverse("practice:discussion_create"), discussion_post(org))
    record = Discussion.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("practice:discussion_detail", args=[record.pk])
    assert record.attendance == 2  # left empty: the cadres chosen
    assert dict(record.answers.values_list("question_key", "text")) == ANSWERS
    detail = client.get(response.url).content.decode()
    for text in ANSWERS.values():
        assert text in detail


def test_discussion_form_keeps_input_on_errors(client, campaign, org, users):
    login(client, users.liaison_lishi)
    data = discussion_post(org, answer_misfits="", attendance="1")
    response = client.post(reverse("practice:discussion_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert ANSWERS["constraints"] in body  # what was typed is kept
    assert "is-invalid" in body
    assert not Discussion.objects.exists()
    # A cadre of another town, posted by hand, is refused by the form's choices.
    data = discussion_post(org, participants=[org.people["zengji_a"].pk])
    response = client.post(reverse("practice:discussion_create"), data)
    assert response.status_code == 200 and not Discussion.objects.exists()
    # Attendance lower than the cadres chosen: the service's message on the field.
    response = client.post(
        reverse("practice:discussion_create"), discussion_post(org, attendance="1")
    )
    assert str(services.ATTENDANCE_BELOW_PARTICIPANTS) in response.content.decode()


def test_discussion_edit_changes_only_what_changed(client, campaign, org, users):
    record = discussion(org.lishi, participants=[org.people["lishi_a"]], attendance=10)
    login(client, users.liaison_lishi)
    data = discussion_post(
        org,
        title=record.title,
        held_on=record.held_on.isoformat(),
        place=record.place,
        host=record.host,
        attendance="10",
        conclusions=record.conclusions,
        participants=[org.people["lishi_a"].pk],
        answer_room_to_innovate="建立组工干部创新项目库。",
    )
    response = client.post(reverse("practice:discussion_edit", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.answers.get(question_key="room_to_innovate").text == "建立组工干部创新项目库。"


def test_cadre_records_own_pairing_and_visit_with_photos(client, campaign, org, users):
    login(client, users.cadre_lishi)
    page = client.get(reverse("practice:pairing_create")).content.decode()
    assert 'name="cadre"' not in page  # a cadre records their own
    response = client.post(
        reverse("practice:pairing_create"),
        {
            "paired_name": "李市镇新桥村",
            "paired_kind": "village",
            "paired_address": "",
            "starts_on": "2026-03-01",
            "ends_on": "2026-02-01",
            "goals": "发展村集体经济",
        },
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    response = client.post(
        reverse("practice:pairing_create"),
        {
            "paired_name": "李市镇新桥村",
            "paired_kind": "village",
            "starts_on": "2026-03-01",
            "goals": "发展村集体经济",
        },
    )
    record = Pairing.objects.get()
    assert record.cadre == org.people["lishi_a"] and record.unit == org.lishi
    target = reverse("practice:visit_create", args=[record.pk])
    bad = png_file("photo.gif")
    response = client.post(
        target, {"visited_on": "2026-03-05", "activities": "走访", "files": [bad]}
    )
    assert response.status_code == 200
    assert "photo.gif" in str(response.context["form"].errors)
    assert not Visit.objects.exists()
    response = client.post(
        target,
        {
            "visited_on": "2026-03-05",
            "activities": "走访",
            "files": [png_file("现场.png"), docx_file("记录.docx")],
        },
    )
    assert response.status_code == 302
    assert sorted(Visit.objects.get().attachments.values_list("name", flat=True)) == [
        "现场.png",
        "记录.docx",
    ]
    attachment = Visit.objects.get().attachments.get(name="现场.png")
    download = client.get(reverse("practice:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")


def test_placement_form_checks_period_and_report(client, campaign, org, users):
    login(client, users.liaison_lishi)
    data = {
        "cadre": org.people["lishi_b"].pk,
        "kind": "village",
        "host": "李市镇红星村",
        "starts_on": "2026-04-10",
        "ends_on": "2026-04-01",
        "learning": "学",
        "thinking": "思",
        "experience": "体验",
    }
    response = client.post(reverse("practice:placement_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert "学" in response.content.decode()
    data["ends_on"] = "2026-05-10"
    response = client.post(reverse("practice:placement_create"), {**data, "report": png_file()})
    assert "report" in response.context["form"].errors
    response = client.post(reverse("practice:placement_create"), {**data, "report": docx_file()})
    assert response.status_code == 302
    record = Placement.objects.get()
    assert record.unit == org.lishi_sub and record.report_name == "report.docx"
    # Another town's cadre cannot be chosen.
    response = client.post(
        reverse("practice:placement_create"), {**data, "cadre": org.people["zengji_a"].pk}
    )
    assert "cadre" in response.context["form"].errors


def test_list_filters_and_htmx_partial(client, campaign, org, users):
    pairing(org.people["lishi_a"], paired_name="红星村")
    pairing(org.people["lishi_b"], paired_name="某机械公司", paired_kind="enterprise")
    pairing(org.people["zengji_a"], paired_name="曾集镇某村")
    login(client, users.office)
    target = reverse("practice:pairing_list")
    names = lambda response: [r.paired_name for r in response.context["page"]]  # noqa: E731
    assert len(names(client.get(target))) == 3
    assert names(client.get(target, {"unit": org.lishi.pk})) == ["某机械公司", "红星村"]
    assert names(client.get(target, {"kind": "enterprise"})) == ["某机械公司"]
    assert names(client.get(target, {"date_from": "2026-04-01"})) == []
    assert len(names(client.get(target, {"date_to": "bad-date"}))) == 3  # a bad filter is ignored
    partial = client.get(target, {"kind": "village"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="pairing-table">')
    assert "<html" not in body
    login(client, users.liaison_zengji)
    assert names(client.get(target)) == ["曾集镇某村"]


def test_exemplar_flow_through_the_pages(client, campaign, org, users, settings):
    settings.ROOT_URLCONF = "biaoshuai.practice.tests.urls"
    record = discussion(org.lishi)
    hidden = placement(org.people["lishi_a"], host="内部公开的挂职")
    services.practice_exemplar_propose(
        record=hidden, by=None, summary="内部经验", disclosure="internal"
    )
    services.practice_exemplar_confirm(record=hidden, by=None, disclosure="internal")
    waiting = pairing(org.people["lishi_a"], paired_name="待确认的村")
    services.practice_exemplar_propose(
        record=waiting, by=None, summary="待确认经验", disclosure="public"
    )

    login(client, users.liaison_lishi)
    detail = reverse("practice:discussion_detail", args=[record.pk])
    assert 'id="exemplar-propose"' in client.get(detail).content.decode()
    propose = reverse("practice:discussion_exemplar", args=[record.pk, "propose"])
    response = client.post(propose, {"summary": "", "disclosure": "public"})
    assert response.status_code == 200 and response.context["form"].errors["summary"]
    client.post(propose, {"summary": "以“三看”查摆束缚，形成三条共识。", "disclosure": "public"})
    record.refresh_from_db()
    assert record.exemplar_status == ExemplarStatus.PROPOSED
    assert 'id="exemplar-confirm"' not in client.get(detail).content.decode()

    public = reverse("practice_public:exemplar_list")
    client.logout()
    assert "三条共识" not in client.get(public).content.decode()

    login(client, users.office)
    assert 'id="exemplar-confirm"' in client.get(detail).content.decode()
    pending = client.get(reverse("practice:discussion_list"), {"exemplar": "proposed"})
    assert [r.pk for r in pending.context["page"]] == [record.pk]
    confirm = reverse("practice:discussion_exemplar", args=[record.pk, "confirm"])
    client.post(confirm, {"disclosure": "public", "summary": "以“三看”查摆束缚，形成三条共识。"})
    client.logout()
    body = client.get(public).content.decode()
    assert "三条共识" in body
    assert "内部经验" not in body and "内部公开的挂职" not in body
    assert "待确认经验" not in body
    assert "三条共识" not in client.get(public, {"kind": "placement"}).content.decode()


def test_portal_front_page_links_the_section_once_mounted(client, campaign, settings, monkeypatch):
    settings.ROOT_URLCONF = "biaoshuai.practice.tests.urls"
    monkeypatch.setattr(registry, "portal_sections", dict(registry.portal_sections))
    assert metrics.register_portal_section()
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert reverse("practice_public:exemplar_list") in response.content.decode()


def test_exports_stream_every_list(client, campaign, org, users):
    record = discussion(org.lishi)
    p = pairing(org.people["lishi_a"])
    visit(p, files=[png_file()])
    placement(org.people["lishi_a"], kind="study_tour")
    login(client, users.liaison_lishi)
    book = _workbook(client.get(reverse("practice:discussion_export")))
    rows = list(book.active.iter_rows(values_only=True))
    assert "看影响组织部门思想解放的束缚在哪里" in rows[0]
    assert rows[1][2] == record.title and ANSWERS["misfits"] in rows[1]
    rows = list(_workbook(client.get(reverse("practice:pairing_export"))).active.values)
    assert rows[1][2] == "李市镇红星村" and rows[1][8] == 1
    rows = list(_workbook(client.get(reverse("practice:visit_export"))).active.values)
    assert rows[1][3] == "李市镇红星村" and rows[1][7] == 1
    rows = list(_workbook(client.get(reverse("practice:placement_export"))).active.values)
    assert rows[1][2] == "外出参观学习"
    login(client, users.liaison_zengji)
    assert len(list(_workbook(client.get(reverse("practice:placement_export"))).active.values)) == 1


def test_home_panel_shows_recent_records_and_pending(client, campaign, org, users):
    record = pairing(org.people["lishi_a"], paired_name="红星村")
    services.practice_exemplar_propose(record=record, by=None, summary="经验", disclosure="public")
    for user in (users.cadre_lishi, users.liaison_lishi, users.office):
        login(client, user)
        body = client.get(reverse("core:home")).content.decode()
        assert 'id="practice-panel"' in body and "红星村" in body
    login(client, users.liaison_zengji)
    body = client.get(reverse("core:home")).content.decode()
    assert 'id="practice-panel"' in body and "红星村" not in body
    login(client, users.leader)
    assert 'id="practice-panel"' not in client.get(reverse("core:home")).content.decode()


def test_metrics_in_scope_and_by_unit(campaign, org, users):
    discussion(org.lishi)
    discussion(org.lishi_sub)
    discussion(org.zengji)
    p = pairing(org.people["lishi_b"])
    visit(p)
    visit(p, visited_on=DAY + datetime.timedelta(days=7))
    placement(org.people["zengji_a"])
    discussions = registry.metrics["practice.discussions"]
    assert discussions.total(user=users.liaison_lishi) == 2
    assert discussions.total(user=users.office) == 3
    assert discussions.total(user=users.norole) is None
    ids = [org.department.pk, org.lishi.pk, org.lishi_sub.pk, org.zengji.pk]
    assert discussions.by_unit(unit_ids=ids) == {ids[0]: 3, ids[1]: 2, ids[2]: 1, ids[3]: 1}
    assert registry.metrics["practice.visits"].by_unit(unit_ids=ids) == {
        ids[0]: 2,
        ids[1]: 2,
        ids[2]: 2,
        ids[3]: 0,
    }
    assert registry.metrics["practice.placements"].by_unit(unit_ids=ids, campaign=campaign) == {
        ids[0]: 1,
        ids[1]: 0,
        ids[2]: 0,
        ids[3]: 1,
    }


def _workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
