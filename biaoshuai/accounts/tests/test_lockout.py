"""Lockout after repeated failures (django-axes), through the real login view."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from biaoshuai.accounts import selectors
from biaoshuai.accounts.models import LoginLog
from biaoshuai.accounts.services import account_unlock
from biaoshuai.audit.models import AuditEvent

from .factories import account, post_login

pytestmark = pytest.mark.django_db
WRONG = "Wrong-pass-1"


def fail(client, times, username="wangjianguo", **extra):
    return [post_login(client, username, WRONG, **extra) for _ in range(times)]


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


ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def at(address):
    return {"REMOTE_ADDR": address}


def test_failures_from_one_address_do_not_lock_the_owner_out_at_another(client):
    account("secadmin2", initial=False)
    fail(client, settings.AXES_FAILURE_LIMIT, username="secadmin2", **at(ATTACKER))
    assert post_login(client, "secadmin2", **at(ATTACKER)).status_code == 429

    owner = post_login(Client(), "secadmin2", **at(OWNER))
    assert owner.status_code == 302
    # The owner's success does not lift the lock on the attacker's address.
    assert post_login(Client(), "secadmin2", **at(ATTACKER)).status_code == 429


def test_attempts_during_the_lock_do_not_extend_it(client):
    account("wangjianguo", initial=False)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(client, settings.AXES_FAILURE_LIMIT, **at(ATTACKER))
        cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
        for minutes in (1, 10, 20, 29):
            clock.move_to(start + timedelta(minutes=minutes))
            locked = post_login(client, "wangjianguo", WRONG, **at(ATTACKER))
            assert locked.status_code == 429
            ends = timezone.localtime(start + cool_off)
            assert ends.strftime("%H:%M") in locked.content.decode()
        clock.move_to(start + cool_off + timedelta(seconds=1))
        assert post_login(client, "wangjianguo", **at(ATTACKER)).status_code == 302


def test_the_lockout_list_shows_an_account_locked_at_one_address(client, users):
    account("wangjianguo", initial=False)
    fail(client, settings.AXES_FAILURE_LIMIT - 1, **at(ATTACKER))
    fail(client, settings.AXES_FAILURE_LIMIT - 1, **at(OWNER))
    assert not selectors.user_is_locked(username="wangjianguo")
    row = selectors.account_security_list(text="wangjianguo").get()
    assert (row.locked, row.recent_failures) == (False, 2 * (settings.AXES_FAILURE_LIMIT - 1))

    fail(client, 1, **at(ATTACKER))
    assert list(selectors.locked_usernames()) == ["wangjianguo"]
    assert selectors.account_security_list(state="locked").get().username == "wangjianguo"


@override_settings(LOGIN_DELAY_AFTER=10, LOGIN_DELAY_MAX_SECONDS=60)
def test_failures_from_many_addresses_slow_the_account_down_with_a_capped_delay(client):
    account("wangjianguo", initial=False)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(10):  # ten addresses, one failure each: no address is locked
            fail(client, 1, **at(f"203.0.113.{n + 1}"))
        assert selectors.login_retry_at(username="wangjianguo") == start + timedelta(seconds=1)

        delayed = post_login(client, "wangjianguo", **at(OWNER))  # even the right password
        assert delayed.status_code == 200
        assert "_auth_user_id" not in client.session
        retry = timezone.localtime(start + timedelta(seconds=1)).strftime("%H:%M:%S")
        message = f"该账号登录失败次数过多，请于 {retry} 后重试（1 秒后）。"
        assert message in delayed.content.decode()
        assert LoginLog.objects.filter(reason=LoginLog.Reason.DELAYED).count() == 1

        # Each further failure doubles the wait, up to the cap.
        waits = []
        for n in range(10):
            clock.move_to(selectors.login_retry_at(username="wangjianguo"))
            fail(client, 1, **at(f"198.51.100.{n + 1}"))
            waits.append(
                (selectors.login_retry_at(username="wangjianguo") - timezone.now()).seconds
            )
        assert waits == [2, 4, 8, 16, 32, 60, 60, 60, 60, 60]

        # Tries refused while waiting are not counted and do not lengthen the wait.
        retry_at = selectors.login_retry_at(username="wangjianguo")
        clock.move_to(retry_at - timedelta(seconds=30))
        for _ in range(5):
            assert post_login(client, "wangjianguo", WRONG, **at(OWNER)).status_code == 200
        assert selectors.login_retry_at(username="wangjianguo") == retry_at

        # Once the wait is over, the owner gets in from an address that is not locked.
        clock.move_to(retry_at)
        assert post_login(client, "wangjianguo", **at(OWNER)).status_code == 302


@override_settings(LOGIN_DELAY_AFTER=10)
def test_a_browser_the_owner_logged_in_with_is_not_delayed(client):
    account("wangjianguo", initial=False)
    assert post_login(client, "wangjianguo", **at(OWNER)).status_code == 302
    client.post("/accounts/logout/")  # the known-device cookie stays in the browser
    assert "_auth_user_id" not in client.session
    attacker = Client()
    for n in range(12):
        fail(attacker, 1, **at(f"203.0.113.{n + 1}"))
    assert selectors.login_retry_at(username="wangjianguo") is not None

    assert post_login(attacker, "wangjianguo", **at(OWNER)).status_code == 200  # delayed
    assert post_login(client, "wangjianguo", **at(OWNER)).status_code == 302


def test_the_unlock_command_lifts_lockouts_and_delays_and_is_audited(client, users):
    account("wangjianguo", initial=False)
    for address in (ATTACKER, OWNER):
        fail(client, settings.AXES_FAILURE_LIMIT, **at(address))
    assert selectors.user_is_locked(username="wangjianguo")
    assert selectors.locked_usernames().count() == 1  # one account, locked at two addresses

    out = StringIO()
    call_command("unlock_account", "wangjianguo", "--by", users.secadmin.username, stdout=out)
    assert "wangjianguo" in out.getvalue()
    assert not selectors.user_is_locked(username="wangjianguo")
    assert selectors.login_retry_at(username="wangjianguo") is None
    event = AuditEvent.objects.get(verb="unlock")
    assert (event.actor, event.object_repr) == (users.secadmin, "wangjianguo")
    assert "manage.py unlock_account" in event.note
    assert post_login(client, "wangjianguo", **at(ATTACKER)).status_code == 302


def test_the_unlock_command_refuses_an_unknown_operator(users):
    with pytest.raises(CommandError):
        call_command("unlock_account", "wangjianguo", "--by", "nobody")
    assert not AuditEvent.objects.filter(verb="unlock").exists()
