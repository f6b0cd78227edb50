"""The public form and the lookup by tracking code: no account, no flooding, no leaks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from biaoshuai.opinions import antiflood, public_views, services
from biaoshuai.opinions.codes import code_display
from biaoshuai.opinions.models import Opinion, OpinionAttachment

from .factories import advance, opinion_new, public_form_data, solve

SUBMIT = reverse("opinions_public:submit")
TRACK = reverse("opinions_public:track")
RATE = reverse("opinions_public:rate")


def _submit(client, **overrides):
    token, answer = solve(client, SUBMIT)
    data = public_form_data(challenge=token, answer=answer, **overrides)
    return client.post(SUBMIT, data)


def test_submit_shows_the_code_once_and_the_code_finds_the_opinion(client, campaign, fast_form):
    response = _submit(client, content="村干部培训内容脱离实际，希望多讲实用的。")
    assert response.status_code == 302 and response.url == reverse("opinions_public:thanks")
    page = client.get(response.url).content.decode()
    opinion = Opinion.objects.get()
    assert opinion.channel == "web_form" and opinion.is_anonymous
    code = page.split('data-testid="tracking-code">')[1].split("<")[0]
    assert len(code) == 14
    # The code is not shown a second time.
    assert client.get(reverse("opinions_public:thanks")).status_code == 302
    found = client.post(TRACK, {"code": code})
    assert found.status_code == 200
    assert "村干部培训内容脱离实际" in found.content.decode()


def test_named_submission_with_contact_and_attachment(client, campaign, fast_form):
    pdf = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    token, answer = solve(client, SUBMIT)
    data = public_form_data(
        challenge=token,
        answer=answer,
        is_anonymous="0",
        name="张三",
        phone="13800001111",
        email="z@example.com",
    )
    data["attachments"] = [pdf]
    assert client.post(SUBMIT, data).status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.submitter_name, opinion.submitter_phone) == ("张三", "13800001111")
    assert OpinionAttachment.objects.get().name == "说明.pdf"


def test_a_bad_attachment_is_refused_and_the_text_kept(client, campaign, fast_form):
    exe = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00not a picture", content_type="image/jpeg")
    token, answer = solve(client, SUBMIT)
    data = public_form_data(
        challenge=token, answer=answer, content="附件是假的图片，但文字要保留。"
    )
    data["attachments"] = [exe]
    response = client.post(SUBMIT, data)
    assert response.status_code == 400
    assert "附件是假的图片，但文字要保留。" in response.content.decode()
    assert not Opinion.objects.exists()


def test_named_without_a_name_is_refused(client, campaign, fast_form):
    response = _submit(client, is_anonymous="0", name="")
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_wrong_answer_is_refused_keeping_the_text_with_a_new_question(client, campaign, fast_form):
    token, answer = solve(client, SUBMIT)
    text = "干部档案查询手续繁琐，要跑好几个地方盖章。"
    response = client.post(
        SUBMIT, public_form_data(challenge=token, answer=str(int(answer) + 1), content=text)
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert text in body and str(antiflood.WRONG_ANSWER) in body
    assert f'value="{token}"' not in body  # a fresh question
    assert not Opinion.objects.exists()


def test_answer_in_chinese_numerals_is_accepted(client, campaign, fast_form):
    token, answer = solve(client, SUBMIT)
    chinese = {n: w for n, w in enumerate("零一二三四五六七八九十")}
    value = int(answer)
    typed = chinese[value] if value <= 10 else "十" + chinese[value - 10]
    assert client.post(SUBMIT, public_form_data(challenge=token, answer=typed)).status_code == 302


def test_honeypot_filled_is_refused(client, campaign, fast_form):
    response = _submit(client, website="http://spam.example")
    assert response.status_code == 400 and not Opinion.objects.exists()


def test_forged_or_missing_challenge_is_refused(client, campaign, fast_form):
    response = client.post(SUBMIT, public_form_data(challenge="forged:token", answer="2"))
    assert response.status_code == 400
    response = client.post(SUBMIT, public_form_data())
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_a_form_sent_too_fast_is_refused(client, campaign, settings):
    settings.OPINIONS_MIN_FILL_SECONDS = 60
    response = _submit(client, content="太快提交的意见内容")
    assert response.status_code == 400
    assert str(antiflood.TOO_FAST) in response.content.decode()
    assert "太快提交的意见内容" in response.content.decode()


def _code_shown(client, response):
    assert response.status_code == 302 and response.url == reverse("opinions_public:thanks")
    page = client.get(response.url).content.decode()
    return page.split('data-testid="tracking-code">')[1].split("<")[0]


def test_the_same_form_sent_twice_makes_one_opinion_and_the_same_confirmation(
    client, campaign, fast_form
):
    """A double click, or a resubmit after the answer was lost: the form's token is used."""
    token, answer = solve(client, SUBMIT)
    data = public_form_data(challenge=token, answer=answer)
    first = _code_shown(client, client.post(SUBMIT, data))
    again = _code_shown(client, client.post(SUBMIT, data))
    assert again == first
    assert Opinion.objects.count() == 1
    assert client.post(TRACK, {"code": again}).status_code == 200
    # From another browser too (the answer was lost, the page is sent again from history).
    other = type(client)()
    assert _code_shown(other, other.post(SUBMIT, data)) == first
    assert Opinion.objects.count() == 1


def test_two_tabs_with_their_own_forms_make_two_opinions(client, campaign, fast_form):
    first_tab, second_tab = solve(client, SUBMIT), solve(client, SUBMIT)
    codes = {
        _code_shown(client, client.post(SUBMIT, public_form_data(challenge=t, answer=a)))
        for t, a in (first_tab, second_tab)
    }
    assert len(codes) == 2
    assert Opinion.objects.count() == 2


def test_a_resubmit_does_not_count_against_the_rate_limit(client, campaign, fast_form):
    token, answer = solve(client, SUBMIT)
    data = public_form_data(challenge=token, answer=answer)
    for _ in range(public_views.SUBMISSIONS_PER_HOUR + 2):
        assert client.post(SUBMIT, data).status_code == 302
    assert Opinion.objects.count() == 1
    assert _submit(client).status_code == 302  # a new form is still accepted
    assert Opinion.objects.count() == 2


def test_a_refused_form_reserves_nothing(client, campaign, fast_form):
    from biaoshuai.opinions.models import PublicSubmission

    token, answer = solve(client, SUBMIT)
    wrong = public_form_data(challenge=token, answer=str(int(answer) + 1))
    assert client.post(SUBMIT, wrong).status_code == 400
    assert not PublicSubmission.objects.exists()
    # The same challenge answered right afterwards is not taken for a resubmission.
    assert client.post(SUBMIT, public_form_data(challenge=token, answer=answer)).status_code == 302
    assert Opinion.objects.count() == 1 and PublicSubmission.objects.get().opinion is not None


def test_rate_limit_per_address_keeps_the_text(client, campaign, fast_form):
    for _ in range(public_views.SUBMISSIONS_PER_HOUR):
        assert _submit(client).status_code == 302
    response = _submit(client, content="第六条意见也要保留下来")
    body = response.content.decode()
    assert response.status_code == 400
    assert str(antiflood.RATE_LIMITED) in body and "第六条意见也要保留下来" in body
    assert Opinion.objects.count() == public_views.SUBMISSIONS_PER_HOUR
    # Another address is not limited.
    token, answer = solve(client, SUBMIT)
    other = client.post(
        SUBMIT, public_form_data(challenge=token, answer=answer), REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_lookups_are_rate_limited(client, campaign):
    for _ in range(public_views.LOOKUPS_PER_HOUR):
        assert client.post(TRACK, {"code": "AAAA-AAAA-AAAA"}).status_code == 404
    assert client.post(TRACK, {"code": "AAAA-AAAA-AAAA"}).status_code == 429


def test_a_code_never_reveals_another_opinion(client, campaign):
    mine, code = opinion_new(campaign, content="我的意见：窗口午休无人")
    opinion_new(campaign, content="别人的意见：档案查询繁琐")
    shown = code_display(code)
    ok = client.post(TRACK, {"code": shown})
    assert "我的意见" in ok.content.decode() and "别人的意见" not in ok.content.decode()
    # Lower case and without dashes is the same code: the same opinion, never another.
    same = client.post(TRACK, {"code": code.lower()})
    assert same.status_code == 200 and "我的意见" in same.content.decode()
    # One character changed, partial, extended, empty, wildcard-looking: nothing.
    changed = ("3" if code[0] != "3" else "4") + code[1:]
    for wrong in [changed, code[:8], code[:-1], code + "X", "", "%", "*" * 12, code[::-1]]:
        response = client.post(TRACK, {"code": wrong})
        body = response.content.decode()
        assert response.status_code in (404, 200) and "意见：" not in body, wrong
        assert response.status_code == 404, wrong
    # Rating needs the exact code too.
    assert client.post(RATE, {"code": changed, "rating": "satisfied"}).status_code == 404


def test_submitter_sees_the_reply_and_rates_it(client, campaign, users, org):
    opinion, code = opinion_new(campaign)
    opinion = advance(
        opinion,
        Opinion.State.REPLIED,
        office=users.office,
        liaison=users.liaison_lishi,
        unit=org.lishi,
        reply="已安排午间轮岗",
    )
    body = client.post(TRACK, {"code": code}).content.decode()
    assert "已安排午间轮岗" not in body  # not yet approved by the office
    services.opinion_approve(opinion=opinion, by=users.office)
    body = client.post(TRACK, {"code": code}).content.decode()
    assert "已安排午间轮岗" in body and 'name="rating"' in body
    response = client.post(RATE, {"code": code, "rating": "dissatisfied", "comment": "没有解决"})
    assert response.status_code == 200
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.REOPENED and opinion.rating_comment == "没有解决"
    # Cannot be rated again until a new reply is published.
    again = client.post(RATE, {"code": code, "rating": "satisfied"})
    assert again.status_code == 400
    opinion.refresh_from_db()
    assert opinion.rating == Opinion.Rating.DISSATISFIED


def test_disclosed_summaries_page(client, campaign, users, org):
    opinion, _ = opinion_new(campaign)
    advance(
        opinion,
        Opinion.State.CLOSED,
        office=users.office,
        liaison=users.liaison_lishi,
        unit=org.lishi,
    )
    services.opinion_classify(
        opinion=opinion,
        by=users.office,
        dimension="",
        summary="窗口午休问题已解决",
        disclosure="public",
    )
    other, _ = opinion_new(campaign, content="不公开的意见原文")
    response = client.get(reverse("opinions_public:disclosed"))
    body = response.content.decode()
    assert "窗口午休问题已解决" in body and "不公开的意见原文" not in body
    assert "便民" not in body and "办事窗口中午无人值班" not in body  # the content itself never


@pytest.mark.parametrize(
    "name", ["opinions_public:submit", "opinions_public:track", "opinions_public:disclosed"]
)
def test_public_pages_need_no_login(client, campaign, name):
    assert client.get(reverse(name)).status_code == 200


def test_thanks_without_a_submission_goes_to_lookup(client, campaign):
    assert client.get(reverse("opinions_public:thanks")).status_code == 302


def test_submit_page_without_campaign(client, db):
    response = client.get(SUBMIT)
    assert response.status_code == 200
    assert client.post(SUBMIT, public_form_data()).status_code == 200
    assert not Opinion.objects.exists()


def _question_label(body):
    import re

    return re.search(r'<label class="form-label" for="id_answer">([^<]*)', body).group(1)


@pytest.mark.parametrize(
    "overrides",
    [{"content": "太慢了"}, {"answer": "99"}, {"is_anonymous": "0", "name": ""}],
    ids=["short", "wrong-answer", "no-name"],
)
def test_after_any_mistake_the_form_asks_a_fresh_question_and_keeps_the_text(
    client, campaign, fast_form, overrides
):
    token, answer = solve(client, SUBMIT)
    data = public_form_data(challenge=token, answer=answer, phone="13900002222")
    data.update(overrides)
    body = client.post(SUBMIT, data).content.decode()
    # A real question, not the bare label "Question".
    assert antiflood.DIGITS[1] in _question_label(body) or "加" in _question_label(body)
    assert "验证问题" not in body
    assert 'value="13900002222"' in body and data["content"] in body
    assert f'value="{token}"' not in body
    assert "您填写的内容都还在" in body


def test_the_mistake_is_said_next_to_its_field_in_plain_chinese(client, campaign, fast_form):
    token, answer = solve(client, SUBMIT)
    body = client.post(
        SUBMIT, public_form_data(challenge=token, answer=answer, content="太慢了")
    ).content.decode()
    content_block = body.split('for="id_content"')[1].split('class="mb-3"')[0]
    assert "请至少写 5 个字，现在只有 3 个。" in content_block
    assert "确保该变量" not in body

    token, answer = solve(client, SUBMIT)
    body = client.post(
        SUBMIT, public_form_data(challenge=token, answer=str(int(answer) + 1))
    ).content.decode()
    answer_block = body.split('for="id_answer"')[1]
    assert str(antiflood.WRONG_ANSWER) in answer_block
    # At the top, only a pointer to the field; the message itself is at the question.
    assert str(antiflood.WRONG_ANSWER) not in body.split('for="id_content"')[0]
    assert 'href="#id_answer"' in body


def test_chosen_attachments_are_asked_for_again(client, campaign, fast_form):
    pdf = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    token, answer = solve(client, SUBMIT)
    data = public_form_data(challenge=token, answer=str(int(answer) + 1))
    data["attachments"] = [pdf]
    body = client.post(SUBMIT, data).content.decode()
    assert "请重新选择附件" in body
    # Without a file chosen, no such note.
    token, answer = solve(client, SUBMIT)
    body = client.post(
        SUBMIT, public_form_data(challenge=token, answer=str(int(answer) + 1))
    ).content.decode()
    assert "请重新选择附件" not in body
