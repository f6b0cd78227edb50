import pytest

from biaoshuai.accounts.models import LoginLog

from .factories import account, post_login

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0"


def test_success_and_failure_are_recorded_with_address_and_browser(client):
    user = account("wangjianguo", initial=False)
    post_login(
        client, "wangjianguo", "wrong-Pass-1", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT=BROWSER
    )
    post_login(client, "wangjianguo", REMOTE_ADDR="10.1.2.4", HTTP_USER_AGENT=BROWSER)
    failed, succeeded = LoginLog.objects.order_by("id")
    assert (failed.username, failed.user, failed.success) == ("wangjianguo", user, False)
    assert failed.reason == LoginLog.Reason.BAD_CREDENTIALS
    assert (failed.ip, failed.user_agent) == ("10.1.2.3", BROWSER)
    assert (succeeded.user, succeeded.success, succeeded.ip) == (user, True, "10.1.2.4")
    assert succeeded.at >= failed.at


def test_an_unknown_username_is_recorded_too(client):
    post_login(client, "nobody", "Whatever-123")
    record = LoginLog.objects.get()
    assert (record.username, record.user, record.success) == ("nobody", None, False)
