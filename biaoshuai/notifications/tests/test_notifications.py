"""The inbox: notify(), dedupe, preferences, e-mail through a real SMTP server, the daily
jobs, the bell and the inbox pages."""

import json
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse

from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.notifications import services
from biaoshuai.notifications.models import Channel, Notification, NotificationPreference
from biaoshuai.notifications.services import digest_send, notify

KIND = "rectification.item"


def test_notify_writes_one_row_per_recipient_without_the_actor(users):
    notices = notify(
        recipients=[users.office, users.office.pk, users.leader, None, users.liaison_lishi],
        kind=KIND,
        text="退回",
        url="/rectification/",
        actor=users.liaison_lishi,
    )
    assert sorted(n.recipient_id for n in notices) == sorted([users.office.pk, users.leader.pk])
    row = Notification.objects.get(recipient=users.office)
    assert (row.kind, row.text, row.url, row.actor, row.read_at) == (
        KIND,
        "退回",
        "/rectification/",
        users.liaison_lishi,
        None,
    )


def test_unknown_kind_is_refused(users):
    with pytest.raises(ValueError):
        notify(recipients=[users.office], kind="nope", text="x")


def test_dedupe_key_gives_one_notice_per_person(users):
    for _ in range(3):
        notify(recipients=[users.office, users.leader], kind=KIND, text="t", dedupe_key="k:1")
    notify(recipients=[users.office], kind=KIND, text="t", dedupe_key="k:2")
    assert Notification.objects.filter(recipient=users.office).count() == 2
    assert Notification.objects.filter(recipient=users.leader).count() == 1


def test_mark_read_and_all(users):
    first, second = (notify(recipients=[users.office], kind=KIND, text=t)[0] for t in "ab")
    notify(recipients=[users.leader], kind=KIND, text="c")
    services.notification_mark_read(notification=first, by=users.office)
    assert Notification.objects.unread().filter(recipient=users.office).count() == 1
    assert services.notifications_mark_all_read(user=users.office) == 1
    assert Notification.objects.unread().count() == 1  # the leader's


def test_preferences_store_only_what_differs(users):
    services.preferences_set(user=users.office, choices={KIND: Channel.EMAIL})
    assert NotificationPreference.objects.get(user=users.office).channel == Channel.EMAIL
    services.preferences_set(user=users.office, choices={KIND: Channel.APP})  # the default
    assert not NotificationPreference.objects.exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.preferences_set(user=users.office, choices={KIND: "fax"})


# E-mail through a real SMTP server


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.SITE_URL = "https://biaoshuai.example.org"
    yield handler
    controller.stop()


def _received(smtp, count, timeout=5):
    deadline = time.monotonic() + timeout
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return smtp.messages


def _email(user, address):
    user.email = address
    user.save(update_fields=["email"])


def test_email_at_once_goes_through_smtp_after_commit(
    users, smtp, django_capture_on_commit_callbacks
):
    _email(users.office, "office@example.org")
    _email(users.leader, "leader@example.org")
    services.preferences_set(user=users.office, choices={KIND: Channel.EMAIL})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[users.office, users.leader], kind=KIND, text="整改措施被退回", url="/x/")
    messages = _received(smtp, 1)
    assert len(messages) == 1  # the leader keeps the default: in the app only
    assert messages[0].rcpt_tos == ["office@example.org"]
    import email

    body = email.message_from_bytes(messages[0].content).get_payload(decode=True).decode()
    assert "整改措施被退回" in body and "https://biaoshuai.example.org/x/" in body
    row = Notification.objects.get(recipient=users.office)
    assert row.emailed_at is not None
    assert Notification.objects.get(recipient=users.leader).emailed_at is None


def test_a_citizens_tracking_code_goes_through_the_same_mail_path(
    users, smtp, django_capture_on_commit_callbacks
):
    """A citizen has no account: no inbox row, but the mail leaves by notifications.mail."""
    import datetime
    import email

    from biaoshuai.campaigns.services import campaign_create_from_template
    from biaoshuai.opinions.codes import code_display
    from biaoshuai.opinions.services import opinion_record

    campaign = campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date(2026, 11, 1),
        by=None,
        make_current=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        _opinion, code = opinion_record(
            by=users.office,
            campaign=campaign,
            channel="forum_visit",
            received_on=datetime.date(2026, 11, 18),
            content="建议公开干部选拔程序。",
            email="qunzhong@example.com",
        )
    messages = _received(smtp, 1)
    assert [m.rcpt_tos for m in messages] == [["qunzhong@example.com"]]
    body = email.message_from_bytes(messages[0].content).get_payload(decode=True).decode()
    assert code_display(code) in body and "https://biaoshuai.example.org/" in body
    assert not Notification.objects.exists()


def test_no_email_before_commit(users, smtp, django_capture_on_commit_callbacks):
    _email(users.office, "office@example.org")
    services.preferences_set(user=users.office, choices={KIND: Channel.EMAIL})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[users.office], kind=KIND, text="t")
    assert len(callbacks) == 1 and smtp.messages == []


def test_daily_digest_gathers_unread_notices_once(users, smtp):
    _email(users.office, "office@example.org")
    services.preferences_set(user=users.office, choices={KIND: Channel.DIGEST})
    notify(recipients=[users.office, users.leader], kind=KIND, text="第一条")
    notify(recipients=[users.office], kind=KIND, text="第二条")
    read = notify(recipients=[users.office], kind=KIND, text="已读")[0]
    services.notification_mark_read(notification=read, by=users.office)
    assert digest_send() == 1
    messages = _received(smtp, 1)
    assert [m.rcpt_tos for m in messages] == [["office@example.org"]]
    import email

    text = email.message_from_bytes(messages[0].content).get_payload(decode=True).decode()
    assert "第一条" in text and "第二条" in text and "已读" not in text
    assert digest_send() == 0  # already e-mailed
    call_command("notifications_digest")
    assert len(smtp.messages) == 1


# The daily job


def test_daily_command_runs_twice_one_notice(users, org, db):
    from django.utils import timezone

    from biaoshuai.campaigns.services import campaign_create_from_template
    from biaoshuai.opinions.services import opinion_assign, opinion_record

    campaign = campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=timezone.localdate().replace(day=1),
        by=None,
        make_current=True,
    )
    opinion, _code = opinion_record(
        by=users.office,
        campaign=campaign,
        channel="forum_visit",
        received_on=timezone.localdate(),
        content="希望简化办事流程",
    )
    opinion_assign(opinion=opinion, by=users.office, unit=org.lishi, deadline=timezone.localdate())
    call_command("notifications_daily")
    call_command("notifications_daily")
    due = Notification.objects.filter(kind="opinions.deadline")
    assert list(due.values_list("recipient", flat=True)) == [users.liaison_lishi.pk]
    assert "今天到期" in due.get().text


# Pages


@pytest.fixture
def notices(users):
    mine = notify(
        recipients=[users.cadre_lishi], kind="study.reviewed", text="退回：心得体会", url="/study/"
    )
    notify(recipients=[users.cadre_lishi], kind=KIND, text="整改已销号", url="/rectification/")
    other = notify(recipients=[users.liaison_lishi], kind=KIND, text="别人的", url="/")
    return type("N", (), {"mine": mine[0], "other": other[0]})


def test_access(client, users, notices):
    for name in ("inbox", "unread", "preferences"):
        assert_access(
            client,
            reverse(f"notifications:{name}"),
            {ANONYMOUS: 302, users.cadre_lishi: 200, users.norole: 200},
        )
    for name in ("open", "mark_read"):
        assert_access(
            client,
            reverse(f"notifications:{name}", args=[notices.other.pk]),
            {ANONYMOUS: 302, users.cadre_lishi: 404},
            method="post",
        )
    assert_access(client, reverse("notifications:mark_all_read"), {ANONYMOUS: 302}, method="post")
    assert Notification.objects.get(pk=notices.other.pk).read_at is None


def test_unread_answers_json_and_the_badge(client, users, notices):
    login(client, users.cadre_lishi)
    url = reverse("notifications:unread")
    response = client.get(url, headers={"Accept": "application/json"})
    assert json.loads(response.content) == {"unread": 2}
    badge = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-unread="2"' in badge and "<html" not in badge
    login(client, users.norole)
    assert json.loads(client.get(url).content) == {"unread": 0}


def test_bell_on_every_page_loads_lazily(client, users, notices):
    login(client, users.cadre_lishi)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'id="bell"' in page and 'hx-trigger="load, every 60s"' in page


def test_inbox_filters_and_open_marks_read(client, users, notices):
    login(client, users.cadre_lishi)
    inbox = reverse("notifications:inbox")
    page = client.get(inbox).content.decode()
    assert "退回：心得体会" in page and "整改已销号" in page and "别人的" not in page
    page = client.get(inbox, {"kind": "study.reviewed"}).content.decode()
    assert "退回：心得体会" in page and "整改已销号" not in page
    response = client.post(reverse("notifications:open", args=[notices.mine.pk]))
    assert response.status_code == 302 and response.url == "/study/"
    page = client.get(inbox, {"unread": "1"}).content.decode()
    assert "退回：心得体会" not in page and "整改已销号" in page
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.unread().filter(recipient=users.cadre_lishi).exists()


def test_preferences_page_saves_choices(client, users):
    login(client, users.cadre_lishi)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "study.reviewed" in page
    client.post(url, {"study.reviewed": Channel.DIGEST, KIND: Channel.EMAIL})
    chosen = dict(
        NotificationPreference.objects.filter(user=users.cadre_lishi).values_list("kind", "channel")
    )
    assert chosen == {"study.reviewed": Channel.DIGEST, KIND: Channel.EMAIL}


def test_query_counts_do_not_grow(client, users, notices):
    login(client, users.cadre_lishi)

    def add_rows():
        for n in range(30):
            notify(
                recipients=[users.cadre_lishi],
                kind=KIND,
                text=f"通知{n}",
                actor=users.office,
                url="/",
            )

    assert_constant_queries(client, reverse("notifications:unread"), add_rows, expected=3)
    assert_constant_queries(client, reverse("notifications:inbox"), add_rows, expected=6)
