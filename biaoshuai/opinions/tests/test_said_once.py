"""The public form, its confirmation, the staff's record form and the tracking-code e-mail
each say their text once (they once repeated their intro six times)."""

import re
from html import unescape

from django.core import mail
from django.urls import reverse

from biaoshuai.core.testing import login
from biaoshuai.core.tests.test_catalogue_hygiene import repeated_text

from .factories import opinion_new, public_form_data, solve

SUBMIT = reverse("opinions_public:submit")


def visible_text(html):
    """The words on the page, without its navigation (a breadcrumb ends with the title)."""
    html = re.sub(r"(?s)<(script|style|head|nav)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_public_pages_say_their_text_once(client, campaign, fast_form):
    page = visible_text(client.get(SUBMIT).content.decode())
    assert page.count("您将获得一个查询码") == 1
    assert repeated_text(page) is None
    token, answer = solve(client, SUBMIT)
    response = client.post(SUBMIT, public_form_data(challenge=token, answer=answer))
    thanks = visible_text(client.get(response.url).content.decode())
    assert thanks.count("请记下或截图保存") == 1
    assert repeated_text(thanks) is None


def test_the_staff_record_form_says_its_intro_once(client, campaign, users):
    login(client, users.office)
    page = visible_text(client.get(reverse("opinions:create")).content.decode())
    assert page.count("用于登记座谈走访") == 1
    assert repeated_text(page) is None


def test_the_tracking_code_email_says_it_once(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opinion_new(campaign, email="qunzhong@example.com")
    (message,) = mail.outbox
    assert message.body.count("感谢您提出的意见") == 1
    assert repeated_text(message.body) is None
