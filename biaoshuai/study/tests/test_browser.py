import pytest
from django.urls import reverse

from biaoshuai.study.models import Attendance, Deliverable, DeliverableEvent
from conftest import SCREENSHOTS, browser_login

from .conftest import make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"study_{name}.png", full_page=True)


def test_cadre_signs_in_and_resubmits_a_returned_reflection(
    phone_page, browser, live_server, campaign, org, users
):
    session = make_session(campaign, users.office, org.department)
    page = phone_page
    browser_login(page, live_server, "cadre_lishi")

    # The QR code opens the sign-in page; the cadre confirms and is present.
    page.goto(live_server.url + reverse("study:sign_in", args=[session.sign_in_token]))
    page.locator("#sign-in-button").click()
    page.locator("#sign-in-result.alert-success").wait_for()
    assert "王建国" in page.locator("#sign-in-result").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "phone_signed_in")
    attendance = Attendance.objects.get(session=session, person=org.people["lishi_a"])
    assert attendance.status == Attendance.Status.PRESENT

    # My study: the reflection is owed; the cadre writes and submits it.
    page.goto(live_server.url + reverse("study:my_study"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "phone_my_study")
    page.locator("#my-deliverables a[href$='kind=reflection']").click()
    page.fill("input[name=title]", "学习十七大精神的心得体会")
    page.fill(
        "textarea[name=text]", "通过学习，我深刻认识到讲党性的重要性。\n\n今后要做到公道正派。"
    )
    page.locator("#submit-button").click()
    page.locator("#deliverable-state").wait_for()
    essay = Deliverable.objects.get()
    assert essay.state == Deliverable.State.SUBMITTED

    # The liaison, in another browser, returns it with a comment.
    liaison_context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    liaison = liaison_context.new_page()
    try:
        browser_login(liaison, live_server, "liaison_lishi")
        liaison.goto(live_server.url + reverse("study:deliverable_list"))
        liaison.locator(f"a[href='{reverse('study:deliverable_detail', args=[essay.pk])}']").click()
        liaison.fill("textarea[name=comment]", "请结合本镇实际补充具体事例。")
        liaison.locator("#return-button").click()
        liaison.locator("#review-comment").wait_for()
        assert liaison.evaluate("document.documentElement.scrollWidth") <= 390
        _shot(liaison, "phone_liaison_returned")
    finally:
        liaison_context.close()
    essay.refresh_from_db()
    assert essay.state == Deliverable.State.RETURNED

    # The cadre sees the comment, improves the text and resubmits.
    page.goto(live_server.url + reverse("study:deliverable_detail", args=[essay.pk]))
    assert "请结合本镇实际补充具体事例。" in page.locator("#review-comment").inner_text()
    page.locator("#edit-button").click()
    page.fill(
        "textarea[name=text]",
        "通过学习，我深刻认识到讲党性的重要性。\n\n在李市镇换届工作中，我坚持公道正派。",
    )
    page.locator("#submit-button").click()
    page.locator("#history").wait_for()
    essay.refresh_from_db()
    assert (essay.state, essay.submissions) == (Deliverable.State.SUBMITTED, 2)
    actions = list(essay.events.values_list("action", flat=True))
    A = DeliverableEvent.Action
    assert actions == [A.CREATED, A.SUBMITTED, A.RETURNED, A.EDITED, A.RESUBMITTED]
    assert page.locator("#history li").count() == 5
    assert "<p>在李市镇换届工作中，我坚持公道正派。</p>" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
