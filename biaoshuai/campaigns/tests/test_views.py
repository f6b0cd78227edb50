import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign, PlanStep
from biaoshuai.campaigns.template import TEMPLATE_DIR
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login

from .factories import SEED_KEY, campaign_create, small_template


def readers(users):
    """Everyone who holds a role reads campaigns; an account without one does not."""
    return {
        ANONYMOUS: 302,
        users.norole: 403,
        users.cadre_lishi: 200,
        users.liaison_lishi: 200,
        users.leader: 200,
        users.office: 200,
    }


def office_only(users, ok=200):
    return {
        ANONYMOUS: 302,
        users.norole: 403,
        users.cadre_lishi: 403,
        users.liaison_lishi: 403,
        users.leader: 403,
        users.office: ok,
    }


@pytest.fixture
def campaign(db):
    return campaign_create(
        starts_on=timezone.localdate().replace(month=1, day=1), make_current=True
    )


def test_read_pages_access(client, users, campaign):
    for url in [
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
        reverse("campaigns:plan", args=[campaign.pk]),
        reverse("campaigns:current_plan"),
    ]:
        assert_access(client, url, readers(users))


def test_office_pages_access(client, users, campaign):
    assert_access(client, reverse("campaigns:campaign_create"), office_only(users))
    assert_access(
        client, reverse("campaigns:template_download", args=[SEED_KEY]), office_only(users)
    )
    step = PlanStep.objects.filter(phase__campaign=campaign).first()
    assert_access(
        client,
        reverse("campaigns:step_update", args=[step.pk]),
        office_only(users, ok=302),
        method="post",
        data={"status": "in_progress"},
    )
    other = campaign_create(data=small_template())
    assert_access(
        client,
        reverse("campaigns:set_current", args=[other.pk]),
        office_only(users, ok=302),
        method="post",
    )
    other.refresh_from_db()
    assert other.is_current


def test_missing_campaign_is_404(client, users, campaign):
    login(client, users.office)
    assert client.get(reverse("campaigns:plan", args=[campaign.pk + 100])).status_code == 404
    assert client.get(reverse("campaigns:template_download", args=["nope"])).status_code == 404


def test_detail_shows_reference_content(client, users, campaign):
    login(client, users.cadre_lishi)
    html = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).content.decode()
    for text in [
        "政治立场的坚定性",
        "公道正派、知人善任",
        "党员之家",
        "座谈走访",
        "向社会公开",
        "满意度",
    ]:
        assert text in html


def test_plan_page_filters(client, users, campaign):
    login(client, users.leader)
    url = reverse("campaigns:plan", args=[campaign.pk])
    html = client.get(url, {"phase": "deepen"}).content.decode()
    assert "深化拓展年" in html and "整改情况“回头看”" in html
    assert "举办专题培训班" not in html
    step = PlanStep.objects.filter(phase__campaign=campaign, phase__key="focus").first()
    step.status = PlanStep.Status.DONE
    step.done_on = campaign.starts_on
    step.save()
    html = client.get(url, {"status": "done"}).content.decode()
    assert f'id="step-{step.pk}"' in html
    assert html.count('id="step-') == 1
    assert "Update status" not in html and "更新状态" not in html  # the leader only reads


def test_plan_page_queries_do_not_grow_with_steps(client, users):
    campaign = campaign_create(data=small_template(steps=3))
    login(client, users.office)
    url = reverse("campaigns:plan", args=[campaign.pk])
    client.get(url)  # the session's first request does one-off work

    def add_steps():
        phase = campaign.phases.get()
        for i in range(20):
            PlanStep.objects.create(
                phase=phase,
                order=10 + i,
                name=f"新增{i}",
                starts_on=phase.starts_on,
                ends_on=phase.ends_on,
                responsible_text="各单位",
            )

    assert_constant_queries(client, url, add_steps)


def test_list_queries_do_not_grow_with_campaigns(client, users):
    campaign_create(data=small_template())
    login(client, users.office)
    client.get(reverse("campaigns:campaign_list"))  # the session's first request does one-off work
    assert_constant_queries(
        client,
        reverse("campaigns:campaign_list"),
        lambda: [campaign_create(data=small_template(key=f"t{i}")) for i in range(3)],
    )


def test_step_update_htmx_returns_the_row(client, users, campaign):
    login(client, users.office)
    step = PlanStep.objects.filter(phase__campaign=campaign).order_by("starts_on").first()
    response = client.post(
        reverse("campaigns:step_update", args=[step.pk]),
        {"status": "done", "note": "按期完成"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<div class="plan-row updated" id="step-{step.pk}"')
    assert 'data-status="done"' in html and "按期完成" in html
    step.refresh_from_db()
    assert step.status == "done"


def test_step_update_error_keeps_input(client, users, campaign):
    login(client, users.office)
    step = PlanStep.objects.filter(phase__campaign=campaign).first()
    future = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    response = client.post(
        reverse("campaigns:step_update", args=[step.pk]),
        {"status": "done", "note": "提前写好", "done_on": future},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "提前写好" in html and future in html and "invalid-feedback" in html
    step.refresh_from_db()
    assert step.status == "not_started"


def test_create_from_shipped_template(client, users, org):
    login(client, users.office)
    response = client.post(
        reverse("campaigns:campaign_create"),
        {"template": SEED_KEY, "starts_on": "2026-01-01", "make_current": "on"},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("campaigns:campaign_detail", args=[campaign.pk])
    assert campaign.is_current and campaign.phases.count() == 3


def test_create_from_upload(client, users, org):
    login(client, users.office)
    text = (TEMPLATE_DIR / f"{SEED_KEY}.yaml").read_text(encoding="utf-8")
    text = text.replace("key: jiangdangxing", "key: uploaded")
    upload = SimpleUploadedFile("mine.yaml", text.encode(), content_type="application/x-yaml")
    response = client.post(
        reverse("campaigns:campaign_create"), {"file": upload, "starts_on": "2027-01-01"}
    )
    assert response.status_code == 302
    assert Campaign.objects.get().template_key == "uploaded"


def test_bad_upload_lists_every_error_and_keeps_input(client, users, org):
    login(client, users.office)
    text = (TEMPLATE_DIR / f"{SEED_KEY}.yaml").read_text(encoding="utf-8")
    text = text.replace("months: 12", "months: twelve", 1).replace(
        "{key: leadership, name: 组织领导, weight: 10",
        "{key: leadership, name: 组织领导, weight: 11",
    )
    upload = SimpleUploadedFile("mine.yaml", text.encode(), content_type="application/x-yaml")
    response = client.post(
        reverse("campaigns:campaign_create"), {"file": upload, "starts_on": "2027-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "phases[1].months" in html
    assert "lists.assessment_indicators" in html
    assert "months: twelve" in html  # the file's text is kept in the text box
    assert 'value="2027-01-01"' in html
    assert not Campaign.objects.exists()


def test_create_rejects_non_yaml_and_missing_source(client, users, org):
    login(client, users.office)
    upload = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04", content_type="application/zip")
    response = client.post(
        reverse("campaigns:campaign_create"), {"file": upload, "starts_on": "2027-01-01"}
    )
    assert response.status_code == 200 and not Campaign.objects.exists()
    response = client.post(reverse("campaigns:campaign_create"), {"starts_on": "2027-01-01"})
    assert response.status_code == 200 and not Campaign.objects.exists()


def test_home_panel_shows_current_phase(client, users, campaign):
    login(client, users.cadre_lishi)
    html = client.get(reverse("core:home")).content.decode()
    assert campaign.name in html
    assert "集中活动年" in html
    assert reverse("campaigns:current_plan") in html


def test_home_panel_without_current_campaign(client, users):
    login(client, users.office)
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("campaigns:campaign_create") in html


def test_current_plan_without_campaign(client, users):
    login(client, users.cadre_lishi)
    assert client.get(reverse("campaigns:current_plan")).status_code == 200


@pytest.mark.parametrize(
    "text, message",
    [
        ('a: &a ["x","x"]\nb: [*a,*a]\n', "锚点或别名"),
        ("[" * 3000 + "]" * 3000, "嵌套超过 20 层"),
        ("# " + "x" * (300 * 1024), "256 KB"),
    ],
)
def test_hostile_uploads_get_a_form_message_not_a_500(client, users, org, text, message):
    login(client, users.office)
    upload = SimpleUploadedFile("mine.yaml", text.encode(), content_type="application/x-yaml")
    response = client.post(
        reverse("campaigns:campaign_create"), {"file": upload, "starts_on": "2027-01-01"}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Campaign.objects.exists()
    pasted = client.post(
        reverse("campaigns:campaign_create"), {"text": text, "starts_on": "2027-01-01"}
    )
    assert pasted.status_code == 200 and message in pasted.content.decode()
