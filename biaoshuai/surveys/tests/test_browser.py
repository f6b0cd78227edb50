from biaoshuai.surveys.models import Response
from conftest import browser_login

from .factories import survey_with_questions


def test_cadre_answers_on_a_phone_and_cannot_answer_twice(
    phone_page, live_server, campaign, org, users
):
    survey = survey_with_questions(campaign=campaign, unit=org.department, audience="cadres")
    page = phone_page
    browser_login(page, live_server, "cadre_lishi")
    page.goto(f"{live_server.url}/surveys/mine/")
    page.get_by_role("link", name="填写").click()
    page.wait_for_load_state()
    page.get_by_label("党员干部").check()
    page.get_by_label("政府网站").check()
    page.get_by_label("微信").check()
    question = page.locator(f"#question-{survey.q_rating.pk}")
    question.get_by_text("满意", exact=True).click()
    matrix = page.locator(f"#question-{survey.q_matrix.pk}")
    matrix.locator(".matrix-row").nth(0).get_by_text("很满意", exact=True).click()
    matrix.locator(".matrix-row").nth(1).get_by_text("基本满意", exact=True).click()
    page.locator(f"textarea[name=q{survey.q_text.pk}]").fill("希望多组织专题讲座")
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_load_state()
    assert page.locator("#thanks").inner_text() == "感谢您的填写"
    page.screenshot(path="test-artifacts/screenshots/survey_thanks_phone.png", full_page=True)
    assert Response.objects.filter(round=survey.round).count() == 1
    page.goto(f"{live_server.url}/surveys/rounds/{survey.round.pk}/answer/")
    assert "您已经填写过本问卷" in page.locator("#already-answered").inner_text()
    assert Response.objects.filter(round=survey.round).count() == 1
