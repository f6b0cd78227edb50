"""Access to every back-office view, scope across units, HTMX partials and query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from biaoshuai.core.testing import (
    ANONYMOUS,
    assert_access,
    assert_constant_queries,
    assert_route_access,
    login,
)
from biaoshuai.opinions import services
from biaoshuai.opinions.models import Opinion

from .factories import advance, opinion_new

State = Opinion.State


@pytest.fixture
def lishi_opinion(campaign, users, org):
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    opinion, _ = opinion_new(campaign, content="李市镇便民窗口午休无人", files=[pdf])
    return advance(
        opinion, State.ASSIGNED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )


def test_list_access(client, users, campaign):
    assert_route_access(
        client,
        users,
        "opinions:list",
        reverse("opinions:list"),
        extra={
            users.sysadmin: 404,  # 三员分立: no business page
            users.norole: 403,
            users.leader: 200,
            users.liaison_lishi: 200,
        },
    )


def test_list_is_scoped_to_the_units_subtree(client, users, org, campaign, lishi_opinion):
    zengji, _ = opinion_new(campaign, content="曾集镇的意见")
    advance(
        zengji, State.ASSIGNED, office=users.office, liaison=users.liaison_zengji, unit=org.zengji
    )
    unassigned, _ = opinion_new(campaign, content="尚未交办的意见")
    login(client, users.liaison_lishi)
    body = client.get(reverse("opinions:list")).content.decode()
    assert "李市镇便民窗口午休无人" in body
    assert "曾集镇的意见" not in body and "尚未交办的意见" not in body
    login(client, users.office)
    body = client.get(reverse("opinions:list")).content.decode()
    assert all(t in body for t in ["李市镇便民窗口午休无人", "曾集镇的意见", "尚未交办的意见"])


def test_detail_access_and_404_across_units(client, users, campaign, lishi_opinion):
    url = reverse("opinions:detail", args=[lishi_opinion.pk])
    assert_route_access(
        client,
        users,
        "opinions:detail",
        url,
        extra={
            users.sysadmin: 404,  # 三员分立: no business page
            users.liaison_lishi: 200,
            users.leader: 200,
        },
    )
    new, _ = opinion_new(campaign)
    assert_access(
        client,
        reverse("opinions:detail", args=[new.pk]),
        {users.liaison_lishi: 404, users.office: 200},
    )
    assert_access(client, reverse("opinions:detail", args=[99999]), {users.office: 404})


def test_detail_never_shows_an_anonymous_submitters_contact(client, users, campaign):
    opinion, _ = opinion_new(
        campaign, is_anonymous=True, email="secret@example.com", phone="13912345678"
    )
    login(client, users.office)
    body = client.get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert "secret@example.com" not in body and "13912345678" not in body
    named, _ = opinion_new(campaign, is_anonymous=False, name="王大爷", phone="13912345678")
    body = client.get(reverse("opinions:detail", args=[named.pk])).content.decode()
    assert "王大爷" in body and "13912345678" in body


def test_create_access_and_code_shown_once(client, users, campaign):
    url = reverse("opinions:create")
    assert_route_access(
        client, users, "opinions:create", url, extra={users.liaison_lishi: 403, users.leader: 403}
    )
    login(client, users.office)
    data = {
        "channel": "hotline",
        "received_on": timezone.localdate().isoformat(),
        "content": "来电反映干部档案查询手续繁琐",
        "is_anonymous": "1",
    }
    response = client.post(url, data)
    opinion = Opinion.objects.get()
    assert (
        response.status_code == 302
        and opinion.channel == "hotline"
        and opinion.recorded_by == users.office
    )
    first = client.get(response.url).content.decode()
    assert 'data-testid="new-code"' in first
    assert 'data-testid="new-code"' not in client.get(response.url).content.decode()


def test_create_keeps_input_on_error(client, users, campaign):
    login(client, users.office)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("opinions:create"),
        {
            "channel": "forum_visit",
            "received_on": future,
            "content": "座谈会上提出的意见",
            "is_anonymous": "1",
        },
    )
    assert response.status_code == 200
    assert "座谈会上提出的意见" in response.content.decode()
    assert not Opinion.objects.exists()


def _post_cases(client, url, data, cases):
    assert_access(client, url, cases, method="post", data=data)


def test_assign_access(client, users, campaign, org):
    opinion, _ = opinion_new(campaign)
    url = reverse("opinions:assign", args=[opinion.pk])
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    data = {"unit": org.lishi.pk, "deadline": deadline}
    _post_cases(
        client,
        url,
        data,
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.leader: 403, users.office: 302},
    )
    opinion.refresh_from_db()
    assert opinion.state == State.ASSIGNED and opinion.unit == org.lishi


def test_assign_refused_keeps_the_form(client, users, campaign, org):
    opinion, _ = opinion_new(campaign)
    login(client, users.office)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("opinions:assign", args=[opinion.pk]), {"unit": org.lishi.pk, "deadline": past}
    )
    assert response.status_code == 400
    assert str(services.DEADLINE_PAST) in response.content.decode()


def test_sign_and_reply_access(client, users, campaign, lishi_opinion):
    sign = reverse("opinions:sign", args=[lishi_opinion.pk])
    _post_cases(
        client,
        sign,
        {},
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.leader: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 302,
        },
    )
    lishi_opinion.refresh_from_db()
    assert lishi_opinion.state == State.SIGNED
    reply = reverse("opinions:reply", args=[lishi_opinion.pk])
    _post_cases(
        client,
        reply,
        {"reply": "已安排轮岗"},
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 302,
        },
    )
    lishi_opinion.refresh_from_db()
    assert lishi_opinion.state == State.REPLIED


def test_illegal_transition_by_view_is_refused_with_a_message(client, users, lishi_opinion):
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("opinions:reply", args=[lishi_opinion.pk]), {"reply": "还没签收就答复"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert str(services.NOT_WAITING) in body and "还没签收就答复" in body


def test_review_access(client, users, org, campaign):
    opinion, _ = opinion_new(campaign)
    opinion = advance(
        opinion, State.REPLIED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    _post_cases(
        client,
        reverse("opinions:return", args=[opinion.pk]),
        {"note": "请具体说明措施"},
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.leader: 403, users.office: 302},
    )
    opinion.refresh_from_db()
    assert opinion.state == State.RETURNED
    services.opinion_reply(opinion=opinion, by=users.liaison_lishi, reply="具体措施如下")
    _post_cases(
        client,
        reverse("opinions:approve", args=[opinion.pk]),
        {},
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.office: 302},
    )
    opinion.refresh_from_db()
    assert opinion.state == State.CLOSED and opinion.reply_published_at


def test_classify_access(client, users, campaign):
    opinion, _ = opinion_new(campaign)
    _post_cases(
        client,
        reverse("opinions:classify", args=[opinion.pk]),
        {"dimension": "discipline", "summary": "", "disclosure": "restricted"},
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.office: 302},
    )
    opinion.refresh_from_db()
    assert opinion.dimension == "discipline"


def test_attachment_access(client, users, lishi_opinion):
    attachment = lishi_opinion.attachments.get()
    url = reverse("opinions:attachment", args=[attachment.pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 200,
            users.office: 200,
        },
    )


def test_list_boxes_and_overdue(client, users, org, campaign):
    signed, _ = opinion_new(campaign, content="已签收待答复")
    advance(signed, State.SIGNED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi)
    assigned, _ = opinion_new(campaign, content="待签收的意见")
    assigned = advance(
        assigned, State.ASSIGNED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    Opinion.objects.filter(pk=assigned.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    login(client, users.liaison_lishi)
    url = reverse("opinions:list")
    to_sign = client.get(url, {"box": "to_sign"}).content.decode()
    assert "待签收的意见" in to_sign and "已签收待答复" not in to_sign
    to_reply = client.get(url, {"box": "to_reply"}).content.decode()
    assert "已签收待答复" in to_reply and "待签收的意见" not in to_reply
    overdue = client.get(url, {"overdue": "on"}).content.decode()
    assert "待签收的意见" in overdue and "已签收待答复" not in overdue


def test_list_htmx_partial(client, users, lishi_opinion):
    login(client, users.office)
    response = client.get(reverse("opinions:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="opinion-table">') and "<html" not in body


def _many(campaign, users, org, count=6):
    def add():
        for i in range(count):
            opinion, _ = opinion_new(campaign, content=f"第{i}条意见")
            advance(
                opinion,
                State.SIGNED,
                office=users.office,
                liaison=users.liaison_lishi,
                unit=org.lishi_sub,
            )

    return add


def test_list_query_count_office(client, users, org, campaign, lishi_opinion):
    login(client, users.office)
    assert_constant_queries(
        client,
        reverse("opinions:list"),
        _many(campaign, users, org),
        expected=EXPECTED["list_office"],
    )


def test_list_query_count_liaison(client, users, org, campaign, lishi_opinion):
    advance(
        lishi_opinion,
        State.SIGNED,
        office=users.office,
        liaison=users.liaison_lishi,
        unit=org.lishi,
    )
    login(client, users.liaison_lishi)
    assert_constant_queries(
        client,
        reverse("opinions:list") + "?box=to_reply",
        _many(campaign, users, org),
        expected=EXPECTED["list_liaison"],
    )


def test_public_disclosed_list_query_count(client, users, org, campaign):
    def add():
        for i in range(4):
            opinion, _ = opinion_new(campaign, content=f"意见{i}")
            opinion = advance(
                opinion,
                State.CLOSED,
                office=users.office,
                liaison=users.liaison_lishi,
                unit=org.lishi,
            )
            services.opinion_classify(
                opinion=opinion,
                by=users.office,
                dimension="",
                summary=f"摘要{i}",
                disclosure="public",
            )

    add()
    assert_constant_queries(
        client, reverse("opinions_public:disclosed"), add, expected=EXPECTED["disclosed"]
    )
    assert_constant_queries(
        client, reverse("opinions_public:submit"), add, expected=EXPECTED["submit"]
    )


def test_home_panels(client, users, org, campaign, lishi_opinion):
    login(client, users.office)
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("opinions:list") + "?box=unassigned" in body
    login(client, users.liaison_lishi)
    body = client.get(reverse("core:home")).content.decode()
    assert "?box=to_sign" in body
    login(client, users.cadre_lishi)
    body = client.get(reverse("core:home")).content.decode()
    assert "?box=to_sign" not in body


EXPECTED = {
    "list_office": 6,
    "list_liaison": 6,  # unit filter: a picker
    "disclosed": 3,
    "submit": 4,
}
