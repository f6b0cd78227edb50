"""The system administrator's token pages, and the demo token."""

from biaoshuai.api.models import ApiToken
from biaoshuai.api.testing import auth, make_token
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login

LIST, NEW = "/api-tokens/", "/api-tokens/new/"


def test_only_the_system_administrator_reaches_the_pages(client, users):
    for url in (LIST, NEW):
        assert_access(
            client,
            url,
            {
                ANONYMOUS: 302,
                users.office: 403,
                users.secadmin: 403,
                users.auditadmin: 403,
                users.liaison_lishi: 403,
                users.sysadmin: 200,
            },
        )
    token, _ = make_token()
    assert_access(
        client,
        f"/api-tokens/{token.pk}/revoke/",
        {ANONYMOUS: 302, users.office: 403},
        method="post",
    )


def test_issue_show_once_and_revoke(client, org, users, campaign):
    login(client, users.sysadmin)
    response = client.post(
        NEW,
        {
            "name": "市级数据看板",
            "unit": org.lishi.pk,
            "scopes": ["stats:read", "org:read"],
            "webhook_url": "https://dashboard.example.cn/hook",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get(name="市级数据看板")
    secret = html.split('id="api-token">')[1].split("<")[0]
    assert secret.startswith(f"bs_{token.prefix}_") and 'id="webhook-secret"' in html
    assert token.secret_hash != secret and secret not in str(token.__dict__)
    assert client.get("/api/v1/org/units", **auth(secret)).status_code == 200
    # The list never shows the secret again.
    listing = client.get(LIST).content.decode()
    assert "市级数据看板" in listing and secret not in listing

    response = client.post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert client.get("/api/v1/org/units", **auth(secret)).status_code == 401


def test_form_keeps_input_and_says_what_is_wrong(client, users):
    login(client, users.sysadmin)
    response = client.post(NEW, {"name": "看板", "webhook_url": "not a url"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="看板"' in html and "is-invalid" in html
    assert not ApiToken.objects.exists()


def test_list_query_count_is_constant(client, users):
    login(client, users.sysadmin)
    make_token()
    # The system administrator holds no campaign role: no query for role assignments.
    assert_constant_queries(client, LIST, lambda: [make_token() for _ in range(3)], expected=6)


def test_demo_token_printed_only_when_created(users):
    from biaoshuai.demo.api import load_api

    lines = []
    assert load_api(log=lines.append) == 1
    assert len(lines) == 1 and "bs_" in lines[0]
    token = ApiToken.objects.get()
    assert sorted(token.scopes) == ["opinions:read", "opinions:write"] and token.unit is None
    assert load_api(log=lines.append) == 0 and len(lines) == 1
