"""A real account with an initial password logs in from a phone and sets its own."""

import pytest

from biaoshuai.accounts.models import User
from conftest import SCREENSHOTS, browser_login

from .factories import NEW_PASSWORD, PASSWORD, account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_login_changes_the_initial_password(phone_page, live_server):
    account("wangjianguo", initial=True, name="王建国")
    page = phone_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=SCREENSHOTS / "accounts_login_phone.png", full_page=True)
    browser_login(page, live_server, "wangjianguo", PASSWORD)

    assert "/accounts/password/" in page.url
    assert page.get_by_text("初始密码").is_visible()
    page.screenshot(path=SCREENSHOTS / "accounts_password_change_phone.png", full_page=True)
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/"
    assert page.get_by_text("密码已修改").is_visible()
    assert page.get_by_text("欢迎").first.is_visible()
    user = User.objects.get(username="wangjianguo")
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
