"""The mailbox channel against a real IMAP server: Dovecot, started by the test with its own
configuration in a temporary directory (Debian's dovecot-imapd must be installed)."""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from django.core import mail
from django.db import DatabaseError

from biaoshuai.opinions import mailbox
from biaoshuai.opinions.codes import code_display
from biaoshuai.opinions.models import MailboxMessage, Opinion

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "opinions", "mailbox-pass"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@pytest.fixture(scope="module")
def dovecot():
    """A running Dovecot on a free port of 127.0.0.1: yields (host, port)."""
    assert os.path.exists(DOVECOT), "install Debian's dovecot-imapd (make system-deps)"
    # Not under pytest's tmp dir: Dovecot's own users must be able to reach the mail folder.
    root = Path(tempfile.mkdtemp(prefix="biaoshuai-dovecot-"))
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    if os.getuid() == 0:
        # Dovecot refuses to serve logins or mail as root.
        internal, login = pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
        mail_user = internal
        os.chmod(root, 0o755)
        shutil.chown(root / "mail", mail_user.pw_uid, mail_user.pw_gid)
    else:
        internal = login = mail_user = pwd.getpwuid(os.getuid())
    port = _free_port()
    (root / "dovecot.conf").write_text(
        CONFIG.format(
            root=root,
            port=port,
            password=PASSWORD,
            internal=internal.pw_name,
            internal_group=_group(internal.pw_gid),
            login=login.pw_name,
            mail_uid=mail_user.pw_uid,
            mail_gid=mail_user.pw_gid,
        )
    )
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])
    try:
        _wait_for_login(port, root)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_settings(settings, dovecot):
    settings.IMAP_HOST, settings.IMAP_PORT = dovecot
    settings.IMAP_USER, settings.IMAP_PASSWORD = USER, PASSWORD
    settings.IMAP_SSL, settings.IMAP_FOLDER = False, "INBOX"
    imap = _imap(dovecot)
    # Each test starts with an empty mailbox.
    imap.select("INBOX")
    if _count(imap):
        imap.store("1:*", "+FLAGS", "(\\Deleted)")
        imap.expunge()
    yield imap
    imap.logout()


def test_messages_become_opinions_once_and_senders_get_their_code(
    imap_settings, campaign, django_capture_on_commit_callbacks
):
    imap = imap_settings
    _append(imap, _gbk_message())
    _append(imap, _utf8_message("<two@example.cn>"))
    _append(imap, _utf8_message("<two@example.cn>"))  # the same message delivered twice

    with django_capture_on_commit_callbacks(execute=True):
        result = mailbox.mailbox_fetch()
    assert (result.created, result.skipped, result.failed) == (2, 1, 0)
    assert Opinion.objects.filter(channel="mailbox").count() == 2

    gbk = Opinion.objects.get(
        pk=MailboxMessage.objects.get(message_id="<one@example.cn>").opinion_id
    )
    assert gbk.content.startswith("关于窗口服务态度的意见")
    assert "办事群众反映窗口工作人员态度生硬" in gbk.content
    assert "virus.exe" in gbk.content  # the refused attachment is noted, not kept
    assert [a.name for a in gbk.attachments.all()] == ["现场照片.png"]
    assert gbk.submitter_email == "zhang@example.cn" and gbk.submitter_name == "张三"

    utf8 = Opinion.objects.exclude(pk=gbk.pk).get(channel="mailbox")
    assert "建议公开整改进度" in utf8.content and utf8.is_anonymous

    # Every message is now seen; each sender got a tracking code that finds their opinion.
    assert _unseen(imap) == []
    assert sorted(m.to[0] for m in mail.outbox) == ["li@example.cn", "zhang@example.cn"]
    from biaoshuai.opinions.selectors import opinion_by_code

    for message in mail.outbox:
        code = next(w for w in message.body.replace("。", " ").split() if w.count("-") == 2)
        found = opinion_by_code(code=code.strip(".，,"))
        assert found is not None and found.submitter_email == message.to[0]
        assert code_display(code.replace("-", "")) == code

    # A second run finds nothing new.
    assert mailbox.mailbox_fetch().created == 0


def test_a_failed_read_loses_nothing(imap_settings, campaign, monkeypatch):
    imap = imap_settings
    _append(imap, _utf8_message("<retry@example.cn>"))
    real = mailbox.opinion_record

    def broken(**kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(mailbox, "opinion_record", broken)
    with pytest.raises(DatabaseError):
        mailbox.mailbox_fetch()
    assert len(_unseen(imap)) == 1  # still unseen: the next run takes it
    assert not MailboxMessage.objects.exists() and not Opinion.objects.exists()

    monkeypatch.setattr(mailbox, "opinion_record", real)
    assert mailbox.mailbox_fetch().created == 1
    assert _unseen(imap) == []
    assert MailboxMessage.objects.get().opinion.channel == "mailbox"


def test_an_empty_message_is_left_unseen(imap_settings, campaign):
    imap = imap_settings
    message = MIMEText("", "plain", "utf-8")
    message["Message-ID"] = "<empty@example.cn>"
    message["From"] = "x@example.cn"
    _append(imap, message)
    result = mailbox.mailbox_fetch()
    assert (result.created, result.failed) == (0, 1)
    assert len(_unseen(imap)) == 1


def test_the_command_runs_it(imap_settings, campaign):
    from io import StringIO

    from django.core.management import call_command

    _append(imap_settings, _utf8_message("<cmd@example.cn>"))
    out = StringIO()
    call_command("mailbox_fetch", stdout=out)
    assert "created 1" in out.getvalue()


def test_off_without_imap_host(settings, campaign):
    from django.core.management import CommandError, call_command

    settings.IMAP_HOST = ""
    assert mailbox.mailbox_fetch().created == 0
    with pytest.raises(CommandError):
        call_command("mailbox_fetch")


def test_parse_decodes_charsets_and_transfer_encodings():
    parsed = mailbox.message_parse(_gbk_message().as_bytes())
    assert parsed.subject == "关于窗口服务态度的意见"
    assert parsed.body.startswith("办事群众反映窗口工作人员态度生硬")
    assert parsed.sender == "zhang@example.cn" and parsed.sender_name == "张三"
    html = MIMEText("<p>第一段</p><p>第二段<br>换行</p>", "html", "gb2312")
    html["Subject"] = str(Header("网页邮件", "gb2312"))
    parsed = mailbox.message_parse(html.as_bytes())
    assert "第一段" in parsed.body and "<p>" not in parsed.body
    assert parsed.message_id.startswith("<sha256-")


def _gbk_message():
    message = MIMEMultipart()
    message["Subject"] = Header("关于窗口服务态度的意见", "gb2312").encode()
    message["From"] = f"{Header('张三', 'gbk').encode()} <zhang@example.cn>"
    message["To"] = "opinions@example.cn"
    message["Message-ID"] = "<one@example.cn>"
    message["Date"] = "Mon, 02 Nov 2026 09:30:00 +0800"
    message.attach(_quoted_printable("办事群众反映窗口工作人员态度生硬，希望改进。", "gbk"))
    image = MIMEImage(PNG, "png")
    image.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "现场照片.png"))
    message.attach(image)
    exe = MIMEApplication(b"MZ" + b"\0" * 32)
    exe.add_header("Content-Disposition", "attachment", filename="virus.exe")
    message.attach(exe)
    return message


def _quoted_printable(text, charset):
    from email import charset as email_charset

    cs = email_charset.Charset(charset)
    cs.body_encoding = email_charset.QP
    part = MIMEText("", "plain")
    part.set_payload(text, cs)
    return part


def _utf8_message(message_id):
    message = MIMEText("建议公开整改进度，接受群众监督。", "plain", "utf-8")  # base64
    message["Subject"] = Header("整改建议", "utf-8").encode()
    message["From"] = "li@example.cn"
    message["Message-ID"] = message_id
    return message


def _append(imap, message):
    status, _ = imap.append("INBOX", None, None, message.as_bytes())
    assert status == "OK"


def _unseen(imap):
    imap.select("INBOX")
    return imap.uid("SEARCH", None, "UNSEEN")[1][0].split()


def _count(imap):
    return int(imap.select("INBOX")[1][0])


def _imap(address):
    imap = imaplib.IMAP4(*address)
    imap.login(USER, PASSWORD)
    return imap


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _group(gid):
    import grp

    return grp.getgrgid(gid).gr_name


def _wait_for_login(port, root):
    deadline = time.monotonic() + 20
    while True:
        try:
            _imap(("127.0.0.1", port)).logout()
            return
        except (OSError, imaplib.IMAP4.error):
            if time.monotonic() > deadline:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                raise AssertionError(f"Dovecot did not start:\n{log}") from None
            time.sleep(0.2)
