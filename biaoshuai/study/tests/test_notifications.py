"""Deliverables reach who must act: the unit's reviewers (one notice a day however many come
in), and the cadre when the deliverable is returned or accepted."""

import pytest
from django.urls import reverse

from biaoshuai.notifications.models import Notification
from biaoshuai.study import services
from conftest import SCREENSHOTS, browser_login

from .conftest import make_deliverable


def _to(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_submissions_reach_the_units_liaison_batched(campaign, phase, org, users, authors):
    make_deliverable(phase, org.people["lishi_a"], authors["lishi_a"], state="submitted")
    make_deliverable(phase, org.people["lishi_b"], authors["lishi_b"], state="submitted")
    [notice] = _to(users.liaison_lishi, "study.submitted")  # two submissions, one notice
    assert "王建国" in notice.text and notice.url.endswith("?state=submitted")
    assert _to(users.liaison_zengji, "study.submitted") == []
    make_deliverable(phase, org.people["zengji_a"], authors["zengji_a"], state="submitted")
    assert len(_to(users.liaison_zengji, "study.submitted")) == 1
    assert len(_to(users.liaison_lishi, "study.submitted")) == 1


def test_return_and_accept_reach_the_cadre(campaign, phase, org, users):
    d = make_deliverable(phase, org.people["lishi_a"], users.cadre_lishi, state="submitted")
    services.deliverable_return(deliverable=d, by=users.liaison_lishi, comment="请补充事例")
    [returned] = _to(users.cadre_lishi, "study.reviewed")
    assert "请补充事例" in returned.text and returned.actor == users.liaison_lishi
    assert returned.url == reverse("study:deliverable_detail", args=[d.pk])
    services.deliverable_submit(deliverable=d, by=users.cadre_lishi)
    services.deliverable_accept(deliverable=d, by=users.liaison_lishi)
    assert len(_to(users.cadre_lishi, "study.reviewed")) == 2
    assert not Notification.objects.filter(recipient=users.liaison_zengji).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_returned_deliverable_rings_the_cadres_bell(
    phone_page, browser, live_server, campaign, phase, org, users
):
    essay = make_deliverable(phase, org.people["lishi_a"], users.cadre_lishi, state="submitted")
    page = phone_page
    browser_login(page, live_server, "cadre_lishi")
    page.goto(live_server.url + reverse("study:my_study"))
    page.locator("#bell-count").wait_for(state="attached")
    page.wait_for_timeout(500)
    assert page.locator("#bell-count [data-unread]").count() == 0

    # The liaison, in another browser, returns the deliverable with a comment.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    liaison = context.new_page()
    try:
        browser_login(liaison, live_server, "liaison_lishi")
        liaison.goto(live_server.url + reverse("study:deliverable_detail", args=[essay.pk]))
        liaison.fill("textarea[name=comment]", "请结合本镇实际补充具体事例。")
        liaison.locator("#return-button").click()
        liaison.locator("#review-comment").wait_for()
    finally:
        context.close()

    # The cadre's bell counts it on the next page (and on its next poll).
    page.reload()
    badge = page.locator("#bell-count [data-unread]")
    badge.wait_for()
    assert badge.get_attribute("data-unread") == "1"
    assert page.locator("#bell").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "notifications_phone_bell.png")
    page.locator("#bell").click()
    page.wait_for_url("**/notifications/")
    item = page.locator("#inbox li").first
    assert "请结合本镇实际补充具体事例。" in item.inner_text()
    page.screenshot(path=SCREENSHOTS / "notifications_phone_inbox.png", full_page=True)
    item.locator("button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('study:deliverable_detail', args=[essay.pk])}")
    assert "请结合本镇实际补充具体事例。" in page.locator("#review-comment").inner_text()
    page.locator("#bell-count").wait_for(state="attached")
    page.wait_for_timeout(500)
    assert page.locator("#bell-count [data-unread]").count() == 0
    assert Notification.objects.get(recipient=users.cadre_lishi).read_at is not None
