"""Two-factor authentication: required for system roles, optional for everyone else."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from biaoshuai.accounts.models import LoginLog
from biaoshuai.accounts.services import TWO_FACTOR_REQUIRED, totp_device_remove
from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.roles import SystemRole

from .factories import account, post_login, token_for

pytestmark = pytest.mark.django_db
SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def wait_out_throttle(device):
    """django-otp slows down guessing after a wrong code; let that back-off pass."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


@pytest.mark.parametrize("role", [SystemRole.SYSADMIN, SystemRole.SECADMIN, SystemRole.AUDITADMIN])
def test_a_system_role_must_set_up_two_factor(client, role):
    user = account("admin1", initial=False, system_role=role)
    post_login(client, "admin1")
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(SETUP)

    page = client.get(response.url)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"]

    wrong = client.post(
        response.url, {"token": "000000" if token_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    wait_out_throttle(device)

    done = client.post(response.url, {"token": token_for(device)})
    assert done.status_code == 302 and done.url == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(verb="totp_enable", actor=user).exists()


def test_initial_password_first_then_two_factor(client):
    account("admin1", initial=True, system_role=SystemRole.AUDITADMIN)
    post_login(client, "admin1")
    assert client.get("/").url.startswith("/accounts/password/")
    # The setup page is not a way round the password change.
    assert client.get(SETUP).url.startswith("/accounts/password/")


def test_an_account_with_an_authenticator_verifies_at_login(client):
    user = account("wangjianguo", initial=False)
    device = confirmed_device(user)
    post_login(client, "wangjianguo")
    response = client.get("/accounts/security/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)

    bad = client.post(response.url, {"token": "12345a"})
    assert bad.status_code == 200
    client.post(response.url, {"token": "000000" if token_for(device) != "000000" else "111111"})
    assert LoginLog.objects.filter(reason=LoginLog.Reason.BAD_TOKEN, user=user).exists()
    wait_out_throttle(device)

    ok = client.post(response.url, {"token": token_for(device)})
    assert ok.status_code == 302 and ok.url == "/accounts/security/"
    assert client.get("/").status_code == 200


def test_verification_comes_before_a_password_change(client):
    """A stolen password alone cannot change the password of an account with an authenticator."""
    user = account("wangjianguo", initial=True)
    confirmed_device(user)
    post_login(client, "wangjianguo")
    assert client.get("/").url.startswith(VERIFY)
    assert client.get("/accounts/password/").url.startswith(VERIFY)


def test_setting_up_a_new_device_does_not_skip_verification(client):
    user = account("admin1", initial=False, system_role=SystemRole.SYSADMIN)
    confirmed_device(user)
    post_login(client, "admin1")
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_two_factor_is_optional_for_others(client):
    user = account("wangjianguo", initial=False)
    post_login(client, "wangjianguo")
    assert client.get("/").status_code == 200
    client.get(SETUP + "?next=/accounts/security/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP + "?next=/accounts/security/", {"token": token_for(device)})
    assert response.url == "/accounts/security/"
    assert "已开启" in client.get("/accounts/security/").content.decode()


def test_others_can_turn_it_off_with_a_current_code(client):
    user = account("wangjianguo", initial=False)
    device = confirmed_device(user)
    post_login(client, "wangjianguo")
    client.post(VERIFY, {"token": token_for(device)})
    # A used code cannot be replayed; a wrong one is refused.
    refused = client.post("/accounts/2fa/disable/", {"token": token_for(device)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()
    # A new time step has come and the throttle's back-off has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    wait_out_throttle(device)
    response = client.post("/accounts/2fa/disable/", {"token": token_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(verb="totp_disable").exists()
    assert client.get("/").status_code == 200


def test_system_roles_cannot_turn_it_off(users):
    confirmed_device(users.sysadmin)
    with pytest.raises(ValidationError) as error:
        totp_device_remove(user=users.sysadmin, by=users.sysadmin)
    assert error.value.messages == [str(TWO_FACTOR_REQUIRED)]
    assert TOTPDevice.objects.filter(user=users.sysadmin).exists()
