"""The API: tokens, scopes, unit scope, errors, pagination, rate limit, audit."""

import datetime
import json

import pytest
from django.utils import timezone

from biaoshuai.api.models import ApiToken
from biaoshuai.api.services import api_token_revoke
from biaoshuai.api.testing import auth, make_token
from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.testing import login
from biaoshuai.opinions.services import opinion_assign, opinion_record
from biaoshuai.rectification.services.items import item_create
from biaoshuai.rectification.services.problems import problem_create

API = "/api/v1"
# token, rate-limit window, campaign, the page (+ the audit event: head lock, insert, update)
# Each includes the shared rate-limit counter (one upsert per call).
QUERIES_OPINIONS, QUERIES_ITEMS, QUERIES_PROBLEMS, QUERIES_UNITS = 7, 7, 7, 6


def _opinion(campaign, unit, content="窗口办事排队时间太长"):
    opinion, _ = opinion_record(
        by=None,
        campaign=campaign,
        channel="hotline",
        received_on=timezone.localdate(),
        content=content,
    )
    return opinion_assign(
        opinion=opinion, by=None, unit=unit, deadline=timezone.localdate() + datetime.timedelta(7)
    )


def _item(campaign, unit):
    problem = problem_create(
        by=None, unit=unit, campaign=campaign, dimension="thinking_style", description="作风不实"
    )
    item = item_create(
        by=None,
        problem=problem,
        measure="建立台账逐项整改",
        unit=unit,
        kind="immediate",
        deadline=timezone.localdate() + datetime.timedelta(30),
    )
    return problem, item


def test_unit_scoped_token_gets_404_for_another_units_items(client, org, campaign, lishi_token):
    _, secret = lishi_token
    lishi_problem, lishi_item = _item(campaign, org.lishi)
    zengji_problem, zengji_item = _item(campaign, org.zengji)
    zengji_opinion = _opinion(campaign, org.zengji)
    lishi_opinion = _opinion(campaign, org.lishi_sub)
    h = auth(secret)

    assert client.get(f"{API}/rectification/items/{lishi_item.pk}", **h).status_code == 200
    for url in (
        f"/rectification/items/{zengji_item.pk}",
        f"/rectification/problems/{zengji_problem.pk}",
        f"/opinions/{zengji_opinion.pk}",
        f"/org/units/{org.zengji.pk}",
        f"/rectification/items?unit={org.zengji.pk}",
    ):
        response = client.get(API + url, **h)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
        assert response.json()["message"]

    items = client.get(f"{API}/rectification/items", **h).json()["items"]
    assert [i["id"] for i in items] == [lishi_item.pk]
    opinions = client.get(f"{API}/opinions", **h).json()["items"]
    assert [o["id"] for o in opinions] == [lishi_opinion.pk]  # the sub-unit's is in the subtree
    units = {u["name"] for u in client.get(f"{API}/org/units", **h).json()["items"]}
    assert units == {"李市镇", "李市镇党建办"}
    counts = client.get(f"{API}/opinions/counts", **h).json()
    assert counts["all"] == 1 and counts["by_state"]["assigned"] == 1
    problems = client.get(f"{API}/rectification/problems", **h).json()["items"]
    assert [(p["id"], p["item_count"]) for p in problems] == [(lishi_problem.pk, 1)]


def test_revoked_expired_and_wrong_tokens_are_rejected(client, org, campaign):
    token, secret = make_token()
    assert client.get(f"{API}/org/units", **auth(secret)).status_code == 200
    api_token_revoke(token=token, by=None)
    response = client.get(f"{API}/org/units", **auth(secret))
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"

    expired, expired_secret = make_token()
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    response = client.get(f"{API}/org/units", **auth(expired_secret))
    assert response.status_code == 401 and response.json()["code"] == "token_expired"

    good, good_secret = make_token()
    tampered = good_secret[:-4] + ("AAAA" if not good_secret.endswith("AAAA") else "BBBB")
    assert client.get(f"{API}/org/units", **auth(tampered)).json()["code"] == "token_invalid"
    assert client.get(f"{API}/org/units", **auth("nonsense")).status_code == 401
    response = client.get(f"{API}/org/units")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert good.secret_hash != good_secret and good_secret not in json.dumps(
        list(ApiToken.objects.values())[0], default=str
    )


@pytest.mark.parametrize(
    ("scope", "url"),
    [
        ("org:read", "/org/units"),
        ("campaigns:read", "/campaigns/current"),
        ("stats:read", "/study/completion"),
        ("opinions:read", "/opinions"),
        ("opinions:read", "/opinions/counts"),
        ("rectification:read", "/rectification/items"),
        ("rectification:read", "/rectification/problems"),
        ("stats:read", "/publicity/points"),
    ],
)
def test_every_scope_is_enforced(client, org, campaign, scope, url):
    _, without = make_token(scopes=["org:read"] if scope != "org:read" else ["stats:read"])
    response = client.get(API + url, **auth(without))
    assert response.status_code == 403
    assert response.json() == {
        "code": "scope_missing",
        "message": response.json()["message"],
        "scope": scope,
    }
    _, with_scope = make_token(scopes=[scope])
    assert client.get(API + url, **auth(with_scope)).status_code == 200


def test_push_needs_opinions_write(client, org, campaign):
    _, secret = make_token(scopes=["opinions:read"])
    response = client.post(
        f"{API}/opinions", {"content": "x"}, content_type="application/json", **auth(secret)
    )
    assert response.status_code == 403


def test_push_then_status_and_published_reply(client, org, campaign, hotline):
    from biaoshuai.opinions.services import opinion_approve, opinion_reply, opinion_sign

    _, secret = hotline
    response = client.post(
        f"{API}/opinions",
        {
            "content": "村里路灯坏了半年没人修",
            "external_id": "12345-0001",
            "unit_concerned": org.zengji.pk,
        },
        content_type="application/json",
        **auth(secret),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["external_id"] == "12345-0001" and len(body["tracking_code"]) == 14
    status = client.get(f"{API}/opinions/{body['id']}", **auth(secret)).json()
    assert status["state"] == "new" and status["reply"] is None
    assert status["content"] == "村里路灯坏了半年没人修"
    assert status["unit_concerned"]["name"] == "曾集镇"

    from biaoshuai.opinions.models import Opinion

    opinion = Opinion.objects.get(pk=body["id"])
    assert opinion.channel == "hotline"
    opinion = opinion_assign(
        opinion=opinion, by=None, unit=org.zengji, deadline=timezone.localdate()
    )
    opinion = opinion_sign(opinion=opinion, by=None)
    opinion = opinion_reply(opinion=opinion, by=None, reply="已安排维修")
    assert client.get(f"{API}/opinions/{body['id']}", **auth(secret)).json()["reply"] is None
    opinion_approve(opinion=opinion, by=None)
    status = client.get(f"{API}/opinions/{body['id']}", **auth(secret)).json()
    assert status["state"] == "closed" and status["reply"] == "已安排维修"

    # The same external id again is a conflict, not a second opinion.
    again = client.post(
        f"{API}/opinions",
        {"content": "重复", "external_id": "12345-0001"},
        content_type="application/json",
        **auth(secret),
    )
    assert again.status_code == 409 and again.json()["code"] == "duplicate_external_id"
    assert again.json()["id"] == body["id"]


def test_scoped_token_cannot_push_about_another_unit(client, org, campaign, lishi_token):
    _, secret = lishi_token
    response = client.post(
        f"{API}/opinions",
        {"content": "反映问题", "unit_concerned": org.zengji.pk},
        content_type="application/json",
        **auth(secret),
    )
    assert response.status_code == 404
    response = client.post(
        f"{API}/opinions", {"content": "反映问题"}, content_type="application/json", **auth(secret)
    )
    assert response.status_code == 201
    # What it pushed it may read, though the opinion is not yet assigned to any unit.
    assert client.get(f"{API}/opinions/{response.json()['id']}", **auth(secret)).status_code == 200


def test_validation_errors_name_the_field(client, org, campaign, hotline):
    _, secret = hotline
    response = client.post(
        f"{API}/opinions", {"content": ""}, content_type="application/json", **auth(secret)
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert [e["field"] for e in response.json()["errors"]] == ["content"]
    response = client.post(
        f"{API}/opinions",
        {"content": "内容", "channel": "carrier_pigeon"},
        content_type="application/json",
        **auth(secret),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "channel"
    assert "渠道" in response.json()["errors"][0]["message"]
    response = client.get(f"{API}/opinions?state=bogus", **auth(secret))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "state"
    response = client.get(f"{API}/opinions?cursor=!!!", **auth(secret))
    assert response.status_code == 422 and response.json()["code"] == "invalid_cursor"


def test_pagination_is_stable_under_inserts(client, org, campaign, hotline):
    _, secret = hotline
    first = [_opinion(campaign, org.lishi, f"意见{i}") for i in range(5)]
    page1 = client.get(f"{API}/opinions?limit=2", **auth(secret)).json()
    assert [o["id"] for o in page1["items"]] == [o.pk for o in first[:2]]
    # Rows added between two pages neither shift nor repeat what follows.
    added = [_opinion(campaign, org.zengji, f"新意见{i}") for i in range(3)]
    seen = [o["id"] for o in page1["items"]]
    cursor = page1["next_cursor"]
    while cursor:
        page = client.get(f"{API}/opinions?limit=2&cursor={cursor}", **auth(secret)).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [o.pk for o in first + added]
    assert len(set(seen)) == len(seen)


def test_rate_limit_per_token(client, org, campaign):
    _, secret = make_token(rate_limit=3)
    statuses = [client.get(f"{API}/org/units", **auth(secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{API}/org/units", **auth(secret))
    assert response.json()["code"] == "rate_limited" and int(response["Retry-After"]) <= 60
    _, other = make_token(rate_limit=3)
    assert client.get(f"{API}/org/units", **auth(other)).status_code == 200


def test_every_call_is_audited(client, org, campaign, hotline):
    token, secret = hotline
    client.get(f"{API}/org/units", **auth(secret))
    client.get(f"{API}/org/units/999999", **auth(secret))
    events = AuditEvent.objects.filter(verb="api_call").order_by("id")
    assert [(e.object_id, e.changes["status"], e.changes["method"]) for e in events] == [
        (str(token.pk), 200, "GET"),
        (str(token.pk), 404, "GET"),
    ]
    assert events[1].changes["path"] == "/api/v1/org/units/999999"


def test_session_auth_reads_within_scope_and_needs_csrf_to_write(org, campaign, users):
    from django.test import Client

    _opinion(campaign, org.lishi)
    _opinion(campaign, org.zengji)
    client = Client(enforce_csrf_checks=True)
    login(client, users.liaison_lishi)
    response = client.get(f"{API}/opinions")
    assert response.status_code == 200 and len(response.json()["items"]) == 1
    payload = json.dumps({"content": "座谈会上群众反映", "channel": "forum_visit"})
    response = client.post(f"{API}/opinions", payload, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    client.get("/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    # As on the pages, the office records opinions; a liaison reads and replies.
    response = client.post(
        f"{API}/opinions", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    login(client, users.office)
    client.get("/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"{API}/opinions", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.filter(verb="api_call").latest("id")
    assert event.actor == users.office and event.changes["status"] == 201
    # A cadre neither reads nor records opinions, on the pages or here.
    login(client, users.cadre_lishi)
    assert client.get(f"{API}/opinions").status_code == 403
    client.get("/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"{API}/opinions", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 403


def test_read_endpoints_answer(client, org, campaign, hotline):
    _, secret = hotline
    h = auth(secret)
    current = client.get(f"{API}/campaigns/current", **h).json()
    assert current["id"] == campaign.pk and len(current["phases"]) >= 1
    assert client.get(f"{API}/campaigns/{campaign.pk}", **h).status_code == 200
    assert client.get(f"{API}/study/completion?column=attendance", **h).status_code == 200
    assert client.get(f"{API}/publicity/points", **h).json() == {"items": [], "next_cursor": None}
    assert client.get(f"{API}/assessment/scores", **h).status_code == 404


def test_docs_load_without_internet(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    import re

    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert "cdn" not in html.lower() and "//" not in "".join(urls)
    for url in urls:
        assert client.get(url).status_code == 200, url
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/opinions" in schema["paths"]


def test_query_counts_do_not_grow(client, org, campaign, hotline):
    _, secret = hotline
    h = auth(secret)
    _opinion(campaign, org.lishi)
    _item(campaign, org.lishi)

    def counts():
        client.get(f"{API}/opinions", **h)
        return (
            count_queries_h(f"{API}/opinions"),
            count_queries_h(f"{API}/rectification/items"),
            count_queries_h(f"{API}/rectification/problems"),
            count_queries_h(f"{API}/org/units"),
        )

    def count_queries_h(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **h).status_code == 200
        return len(ctx.captured_queries)

    before = counts()
    for _ in range(3):
        _opinion(campaign, org.zengji)
        _item(campaign, org.zengji)
    assert counts() == before == (QUERIES_OPINIONS, QUERIES_ITEMS, QUERIES_PROBLEMS, QUERIES_UNITS)


def test_absurd_dates_are_refused_with_a_422_naming_the_field(client, org, campaign, hotline):
    _, secret = hotline

    def push(received_on):
        return client.post(
            f"{API}/opinions",
            {"content": "反映问题", "received_on": received_on},
            content_type="application/json",
            **auth(secret),
        )

    today = timezone.localdate()
    for value, message in [
        ("9999-12-31", "2000-01-01 至 2099-12-31"),
        ("0001-01-01", "2000-01-01 至 2099-12-31"),
        (str(today + datetime.timedelta(days=1)), f"不得晚于今天（{today}）"),
        (str(campaign.starts_on - datetime.timedelta(days=1)), "不得早于活动开始日期"),
    ]:
        response = push(value)
        assert response.status_code == 422, value
        [error] = response.json()["errors"]
        assert error["field"] == "received_on" and message in error["message"], error
    assert push(str(campaign.starts_on)).status_code == 201
    assert push(str(today)).status_code == 201
    for url, field in [
        ("/opinions?received_from=9999-12-31", "received_from"),
        ("/opinions/counts?received_to=0001-01-01", "received_to"),
        ("/rectification/items?deadline_to=9999-12-31", "deadline_to"),
        ("/assessment/scores?period_start=9999-12-01&period_end=9999-12-31", "period_start"),
        ("/publicity/points?published_from=1900-01-01", "published_from"),
    ]:
        response = client.get(API + url, **auth(secret))
        assert response.status_code == 422, url
        assert response.json()["errors"][0]["field"] == field
    # A date in range still filters (a deadline years ahead is a plan, not an error).
    assert (
        client.get(f"{API}/rectification/items?deadline_to=2030-12-31", **auth(secret)).status_code
        == 200
    )
