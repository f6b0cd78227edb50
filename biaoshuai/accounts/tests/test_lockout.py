"""Lockout after repeated failures (django-axes), through the real login view."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from biaoshuai.accounts import selectors
from biaoshuai.accounts.models import LoginLog
from biaoshuai.accounts.services import account_unlock
from biaoshuai.audit.models import AuditEvent

from .factories import account, post_login

pytestmark = pytest.mark.django_db
WRONG = "Wrong-pass-1"


def fail(client, times, username="wangjianguo"):
    return [post_login(client, username, WRONG) for _ in range(times)]


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    account("wangjianguo", initial=False)
    responses = fail(client, settings.AXES_FAILURE_LIMIT)
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    assert "accounts/locked.html" in [t.name for t in responses[-1].templates]
    assert selectors.user_is_locked(username="wangjianguo")

    sixth = post_login(client, "wangjianguo")  # the right password
    assert sixth.status_code == 429
    assert "_auth_user_id" not in client.session
    assert LoginLog.objects.filter(reason=LoginLog.Reason.LOCKED_OUT).count() == 2
    assert not LoginLog.objects.filter(success=True).exists()


def test_the_locked_page_says_when_to_retry(client):
    account("wangjianguo", initial=False)
    locked = fail(client, settings.AXES_FAILURE_LIMIT)[-1]
    retry = timezone.localtime(timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME))
    page = locked.content.decode()
    assert retry.strftime("%H:") in page
    assert "30" in page


def test_the_lock_ends_after_the_cool_off(client):
    account("wangjianguo", initial=False)
    fail(client, settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.filter(username="wangjianguo").update(
        attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    response = post_login(client, "wangjianguo")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_failures_below_the_limit_are_forgotten_on_success(client):
    account("wangjianguo", initial=False)
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert post_login(client, "wangjianguo").status_code == 302
    client.logout()
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert post_login(client, "wangjianguo").status_code == 302


def test_the_security_administrator_can_unlock(client, users):
    account("wangjianguo", initial=False)
    fail(client, settings.AXES_FAILURE_LIMIT)
    cleared = account_unlock(username="wangjianguo", by=users.secadmin)
    assert cleared >= 1
    assert not selectors.user_is_locked(username="wangjianguo")
    event = AuditEvent.objects.get(verb="unlock")
    assert (event.actor, event.object_repr) == (users.secadmin, "wangjianguo")
    assert post_login(client, "wangjianguo").status_code == 302
