"""Helpers for accounts' tests: real accounts through the services, real TOTP codes."""

from django_otp.oath import totp

from biaoshuai.accounts.services import user_create

PASSWORD = "Test-pass-2026"
NEW_PASSWORD = "Fresh-Start-77"
LOGIN_URL = "/accounts/login/"


def account(username="wangjianguo", *, initial=True, **kwargs):
    return user_create(username=username, password=PASSWORD, by=None, initial=initial, **kwargs)


def token_for(device):
    """The code an authenticator app shows now for `device`."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def post_login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)
