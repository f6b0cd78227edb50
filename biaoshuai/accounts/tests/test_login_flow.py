"""Logging in through the real login view: forced password change, expiry, idle timeout."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from biaoshuai.accounts.models import User
from biaoshuai.audit.models import AuditEvent

from .factories import NEW_PASSWORD, PASSWORD, account, post_login

pytestmark = pytest.mark.django_db
HOME = "/"
CHANGE = "/accounts/password/"


def test_login_page_is_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "表率" in response.content.decode()
    assert "登录" in response.content.decode()


def test_a_new_account_must_change_its_initial_password(client):
    account("wangjianguo", initial=True)
    response = post_login(client, "wangjianguo")
    assert response.status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(CHANGE)
    page = client.get(response.url)
    assert "初始密码" in page.content.decode()


def test_a_partial_request_sends_the_browser_to_the_step_instead_of_swapping_it_in(client):
    """The bell polls with HTMX on every page: it must not get the password page as its badge."""
    account("wangjianguo", initial=True)
    post_login(client, "wangjianguo")
    elsewhere = client.get(
        "/notifications/unread/", headers={"HX-Request": "true", "HX-Current-URL": "http://t/"}
    )
    assert elsewhere.status_code == 204 and elsewhere["HX-Redirect"] == CHANGE
    on_the_step = client.get(
        "/notifications/unread/",
        headers={"HX-Request": "true", "HX-Current-URL": f"http://t{CHANGE}?next=/"},
    )
    assert on_the_step.status_code == 204 and "HX-Redirect" not in on_the_step
    assert not on_the_step.content


def test_changing_the_initial_password_opens_the_site(client):
    user = account("wangjianguo", initial=True)
    post_login(client, "wangjianguo")
    response = client.post(
        f"{CHANGE}?next=/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get(HOME).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.filter(verb="password_set").latest("id")
    assert event.actor == user
    assert "Fresh" not in str(event.changes)


def test_a_rejected_new_password_says_why_and_changes_nothing(client):
    user = account("wangjianguo", initial=True)
    post_login(client, "wangjianguo")
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "password_too_short" in {e.code for e in form.errors.as_data()["new_password2"]}
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(PASSWORD)


def test_a_demo_account_is_not_forced(client):
    account("demo_cadre", initial=True, is_demo=True)
    post_login(client, "demo_cadre")
    assert client.get(HOME).status_code == 200


def test_an_expired_password_must_be_changed(client):
    user = account("wangjianguo", initial=False)
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=settings.PASSWORD_EXPIRY_DAYS + 1)
    )
    post_login(client, "wangjianguo")
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(CHANGE)
    page = client.get(response.url).content.decode()
    assert str(settings.PASSWORD_EXPIRY_DAYS) in page


def test_expiry_can_be_turned_off(client, settings):
    settings.PASSWORD_EXPIRY_DAYS = 0
    user = account("wangjianguo", initial=False)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=999))
    post_login(client, "wangjianguo")
    assert client.get(HOME).status_code == 200


def test_an_idle_session_expires(client):
    account("wangjianguo", initial=False)
    post_login(client, "wangjianguo")
    assert client.get(HOME).status_code == 200
    key = client.session.session_key
    # Every request renews the session for the idle timeout...
    expiry = Session.objects.get(session_key=key).expire_date
    assert abs(expiry - timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)) < (
        timedelta(seconds=30)
    )
    # ...and once that much time passes without a request, the user is logged out.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(HOME)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_session_is_saved_when_changed_or_once_a_minute(client):
    account("wangjianguo", initial=False)
    post_login(client, "wangjianguo")
    assert client.get(HOME).status_code == 200
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    # Within the minute a page view writes nothing...
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == first
    # ...a minute later the next one renews the idle timeout.
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        assert client.get(HOME).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > first
