"""The login log, the audit administrator's page kept by accounts, and the audit
administrator's block on the home page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from biaoshuai.accounts.models import LoginLog
from biaoshuai.accounts.services import login_log_record
from biaoshuai.core.testing import ANONYMOUS, assert_constant_queries, assert_route_access, login

pytestmark = pytest.mark.django_db
URL = "/accounts/logins/"


def test_only_the_audit_administrator_reaches_the_login_log(client, users):
    assert_route_access(
        client,
        users,
        "accounts:login_log",
        URL,
        extra={
            ANONYMOUS: 302,
            users.office: 403,
            users.leader: 403,
            users.cadre_lishi: 403,
            users.sysadmin: 403,
            users.secadmin: 403,
            users.auditadmin: 200,
        },
    )


def test_the_login_log_cannot_be_written_through_the_application(client, users):
    login(client, users.auditadmin)
    assert client.post(URL, {"note": "x"}).status_code == 405
    assert client.delete(URL).status_code == 405


def test_the_login_log_filters(client, users):
    login_log_record(request=None, username="zhangwei", success=False, reason="bad_credentials")
    login_log_record(request=None, username="liufang", success=True)
    login(client, users.auditadmin)

    def shown(**query):
        return {r.username for r in client.get(URL, query).context["page"].object_list}

    assert shown(username="zhang") == {"zhangwei"}
    assert "liufang" in shown(success="1") and "zhangwei" not in shown(success="1")
    assert shown(success="0") >= {"zhangwei"}
    assert shown(date_to=(timezone.localdate() - timedelta(days=1)).isoformat()) == set()


def test_the_login_log_list_costs_the_same_with_more_rows(client, users):
    login(client, users.auditadmin)

    def add_rows():
        for i in range(30):
            LoginLog.objects.create(username=f"user{i}", success=bool(i % 2), user=users.office)

    assert_constant_queries(client, URL, add_rows)


def test_the_home_page_shows_the_audit_figures(client, users):
    login_log_record(request=None, username="zhangwei", success=False)
    login(client, users.auditadmin)
    panels = dict(client.get("/").context["panels"])
    figures = panels["accounts/panels/audit.html"]
    assert figures["failed_logins"] >= 1
    assert figures["events_today"] >= 1
    assert figures["locked"] == 0
    login(client, users.office)
    assert "accounts/panels/audit.html" not in dict(client.get("/").context["panels"])
