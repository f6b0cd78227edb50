import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from biaoshuai.audit.models import AuditEvent
from biaoshuai.opinions import services
from biaoshuai.opinions.codes import ALPHABET, LENGTH, code_display, code_hash
from biaoshuai.opinions.models import Opinion

from .factories import advance, opinion_new

State = Opinion.State
TRANSITIONS = ["assign", "sign", "reply", "return", "approve", "rate_good", "rate_bad"]
# Which transitions each state allows; every other one is refused.
LEGAL = {
    State.NEW: {"assign"},
    State.ASSIGNED: {"assign", "sign"},
    State.SIGNED: {"reply"},
    State.REPLIED: {"return", "approve"},
    State.RETURNED: {"reply"},
    State.CLOSED: {"rate_good", "rate_bad"},
    State.REOPENED: {"reply"},
}
EXPECTED_AFTER = {
    "assign": State.ASSIGNED,
    "sign": State.SIGNED,
    "reply": State.REPLIED,
    "return": State.RETURNED,
    "approve": State.CLOSED,
    "rate_good": State.CLOSED,
    "rate_bad": State.REOPENED,
}


def _do(step, opinion, users, org):
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    if step == "assign":
        return services.opinion_assign(
            opinion=opinion, by=users.office, unit=org.lishi, deadline=deadline
        )
    if step == "sign":
        return services.opinion_sign(opinion=opinion, by=users.liaison_lishi)
    if step == "reply":
        return services.opinion_reply(opinion=opinion, by=users.liaison_lishi, reply="已整改")
    if step == "return":
        return services.opinion_return(opinion=opinion, by=users.office, note="请补充")
    if step == "approve":
        return services.opinion_approve(opinion=opinion, by=users.office)
    if step == "rate_good":
        return services.opinion_rate(opinion=opinion, rating=Opinion.Rating.SATISFIED)
    return services.opinion_rate(opinion=opinion, rating=Opinion.Rating.DISSATISFIED)


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("step", TRANSITIONS)
def test_every_transition_legal_or_refused(campaign, users, org, state, step):
    opinion, _code = opinion_new(campaign)
    opinion = advance(
        opinion, state, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    assert opinion.state == state
    if step in LEGAL[state]:
        _do(step, opinion, users, org)
        opinion.refresh_from_db()
        assert opinion.state == EXPECTED_AFTER[step]
    else:
        with pytest.raises(ValidationError):
            _do(step, opinion, users, org)
        opinion.refresh_from_db()
        assert opinion.state == state


def test_submit_gives_an_unguessable_code_stored_only_as_a_hash(campaign):
    opinion, code = opinion_new(campaign)
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert opinion.tracking_code_hash == code_hash(code)
    assert code not in str(Opinion.objects.filter(pk=opinion.pk).values().get())
    other, other_code = opinion_new(campaign)
    assert other_code != code


def test_public_submission_keeps_no_ip_and_no_anonymous_name(campaign):
    from biaoshuai.audit.context import bound_client_ip

    with bound_client_ip("203.0.113.9"):
        opinion, _ = opinion_new(campaign, is_anonymous=True, name="不该保存")
    assert opinion.submitter_name == ""
    event = AuditEvent.objects.get(object_type="opinions.opinion", object_id=str(opinion.pk))
    assert event.ip is None


def test_code_is_emailed_after_commit_when_an_address_is_given(
    campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _opinion, code = opinion_new(campaign, email="qunzhong@example.com")
        opinion_new(campaign)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["qunzhong@example.com"]
    assert code_display(code) in mail.outbox[0].body


def test_approval_notifies_the_submitter_by_email(
    campaign, users, org, django_capture_on_commit_callbacks
):
    opinion, _ = opinion_new(campaign, email="a@example.com")
    opinion = advance(
        opinion, State.REPLIED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_approve(opinion=opinion, by=users.office)
    assert len(mail.outbox) == 1


def test_reply_records_whether_the_first_reply_was_on_time(campaign, users, org):
    opinion, _ = opinion_new(campaign)
    opinion = advance(
        opinion, State.SIGNED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    Opinion.objects.filter(pk=opinion.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    opinion.refresh_from_db()
    assert opinion.is_overdue
    services.opinion_reply(opinion=opinion, by=users.liaison_lishi, reply="迟到的答复")
    opinion.refresh_from_db()
    assert opinion.replied_on_time is False and not opinion.is_overdue
    services.opinion_return(opinion=opinion, by=users.office, note="再补充")
    services.opinion_reply(opinion=opinion, by=users.liaison_lishi, reply="补充答复")
    opinion.refresh_from_db()
    assert opinion.replied_on_time is False  # the first reply counts


def test_assign_refuses_a_past_deadline_and_reply_needs_text(campaign, users, org):
    opinion, _ = opinion_new(campaign)
    with pytest.raises(ValidationError) as exc:
        services.opinion_assign(
            opinion=opinion,
            by=users.office,
            unit=org.lishi,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert services.DEADLINE_PAST in exc.value.messages
    opinion = advance(
        opinion, State.SIGNED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    with pytest.raises(ValidationError):
        services.opinion_reply(opinion=opinion, by=users.liaison_lishi, reply="   ")


def test_rating_once_per_published_reply_and_dissatisfied_reopens(campaign, users, org):
    opinion, _ = opinion_new(campaign)
    opinion = advance(
        opinion, State.REOPENED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    assert opinion.reopen_count == 1 and opinion.rating == Opinion.Rating.DISSATISFIED
    assert not opinion.can_be_rated
    services.opinion_reply(opinion=opinion, by=users.liaison_lishi, reply="重新答复")
    services.opinion_approve(opinion=opinion, by=users.office)
    opinion.refresh_from_db()
    assert opinion.can_be_rated
    services.opinion_rate(opinion=opinion, rating=Opinion.Rating.FAIRLY_SATISFIED)
    opinion.refresh_from_db()
    assert opinion.state == State.CLOSED and opinion.rating == Opinion.Rating.FAIRLY_SATISFIED
    with pytest.raises(ValidationError):
        services.opinion_rate(opinion=opinion, rating=Opinion.Rating.SATISFIED)


def test_unknown_channel_and_disclosure_without_summary_refused(campaign, users):
    with pytest.raises(ValidationError):
        opinion_new(campaign, channel="carrier_pigeon")
    opinion, _ = opinion_new(campaign)
    with pytest.raises(ValidationError) as exc:
        services.opinion_classify(
            opinion=opinion,
            by=users.office,
            dimension="discipline",
            summary="",
            disclosure="public",
        )
    assert services.PUBLIC_NEEDS_SUMMARY in exc.value.messages
    with pytest.raises(ValidationError):
        services.opinion_classify(
            opinion=opinion,
            by=users.office,
            dimension="nonsense",
            summary="",
            disclosure="restricted",
        )


def test_public_only_shows_closed_opinions_the_office_disclosed(campaign, users, org):
    closed, _ = opinion_new(campaign)
    closed = advance(
        closed, State.CLOSED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    open_one, _ = opinion_new(campaign)
    for opinion in (closed, open_one):
        services.opinion_classify(
            opinion=opinion,
            by=users.office,
            dimension="",
            summary="群众反映窗口午休无人，已整改。",
            disclosure="public",
        )
    hidden, _ = opinion_new(campaign)
    hidden = advance(
        hidden, State.CLOSED, office=users.office, liaison=users.liaison_lishi, unit=org.lishi
    )
    assert list(Opinion.objects.public()) == [closed]
