"""The security administrator's view of every account's security state."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from biaoshuai.accounts import selectors
from biaoshuai.accounts.models import User
from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login

from .factories import account, post_login

pytestmark = pytest.mark.django_db
URL = "/accounts/accounts/"


def test_only_the_security_administrator_reaches_it(client, users):
    assert_access(
        client,
        URL,
        {
            ANONYMOUS: 302,
            users.office: 403,
            users.sysadmin: 403,
            users.auditadmin: 403,
            users.secadmin: 200,
        },
    )


def test_the_own_security_pages_are_for_every_account(client, users):
    for url in ("/accounts/security/", "/accounts/password/", "/accounts/2fa/setup/"):
        assert_access(client, url, {ANONYMOUS: 302, users.cadre_lishi: 200, users.sysadmin: 200})


def test_it_shows_and_unlocks_a_locked_account(client, users):
    account("wangjianguo", initial=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "wangjianguo", "Wrong-pass-1")
    login(client, users.secadmin)
    rows = {u.username: u for u in client.get(URL, {"state": "locked"}).context["page"].object_list}
    assert set(rows) == {"wangjianguo"}
    assert rows["wangjianguo"].recent_failures >= settings.AXES_FAILURE_LIMIT

    response = client.post("/accounts/accounts/unlock/", {"username": "wangjianguo"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="unlock", actor=users.secadmin).exists()
    assert not client.get(URL, {"state": "locked"}).context["page"].object_list
    client.logout()
    assert post_login(client, "wangjianguo").status_code == 302


def test_only_the_security_administrator_unlocks(client, users):
    assert_access(
        client,
        "/accounts/accounts/unlock/",
        {ANONYMOUS: 302, users.office: 403, users.auditadmin: 403},
        method="post",
        data={"username": "x"},
    )


def test_filters_and_home_panel_figures(client, users):
    TOTPDevice.objects.create(user=users.office, name="phone", confirmed=True)
    old = account("laozhang", initial=False)
    User.objects.filter(pk=old.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    login(client, users.secadmin)
    names = lambda **q: {u.username for u in client.get(URL, q).context["page"].object_list}  # noqa: E731
    assert names(state="expired") == {"laozhang"}
    assert "office" not in names(state="no_two_factor")
    assert names(text="laoz") == {"laozhang"}
    panel = dict(client.get("/").context["panels"])["accounts/panels/security.html"]
    assert panel["password_expired"] == 1
    # Everyone active but the office account and the secadmin's test device has no device.
    assert panel["without_two_factor"] == User.objects.count() - 2
    assert panel["locked"] == 0


def test_the_list_costs_the_same_with_more_rows(client, users):
    login(client, users.secadmin)

    def add_rows():
        for i in range(10):
            user = account(f"extra{i}", initial=False)
            TOTPDevice.objects.create(user=user, name="phone", confirmed=bool(i % 2))

    assert_constant_queries(client, URL, add_rows)


@override_settings(LOGIN_DELAY_AFTER=3)
def test_it_lifts_the_login_delay_of_an_account_that_is_not_locked(client, users):
    account("wangjianguo", initial=False)
    for n in range(3):  # three addresses, one failure each: delayed, locked nowhere
        post_login(client, "wangjianguo", "Wrong-pass-1", REMOTE_ADDR=f"203.0.113.{n + 1}")
    assert selectors.login_retry_at(username="wangjianguo") is not None
    login(client, users.secadmin)
    page = client.get(URL, {"text": "wangjianguo"})
    (row,) = page.context["page"].object_list
    assert (row.locked, row.recent_failures) == (False, 3)
    assert 'name="username" value="wangjianguo"' in page.content.decode()

    client.post("/accounts/accounts/unlock/", {"username": "wangjianguo"})
    assert selectors.login_retry_at(username="wangjianguo") is None
