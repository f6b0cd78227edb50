"""The opinion mailbox (电子邮箱): new messages in an IMAP folder become opinions.

Each unseen message is fetched without marking it read (BODY.PEEK), decoded (any charset
the message declares, GB2312/GBK/GB18030 and UTF-8 included; quoted-printable and base64),
and taken in through the same service as every other channel. Its Message-ID is stored
with a unique constraint in the same transaction, so a message never becomes two opinions;
it is flagged \\Seen only after that transaction commits, so a failure loses nothing: the
message stays unseen and the next run takes it again. The submitter's address receives the
tracking code (the opinions app mails it when an opinion has an e-mail address).
"""

import email
import email.policy
import hashlib
import imaplib
import logging
import re
from dataclasses import dataclass, field
from email.utils import parseaddr, parsedate_to_datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django_tasks import task

from biaoshuai.campaigns.selectors import campaigns_under_way
from biaoshuai.core.uploads import validate_upload

from .models import MailboxMessage
from .services import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_COUNT,
    ATTACHMENT_MAX_MB,
    TOO_MANY_FILES,
    opinion_record,
)

logger = logging.getLogger(__name__)

MAX_CONTENT = 20000
BATCH = 100
# Declared charsets that are really a superset in practice (GB2312 mail often holds GBK).
CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


@dataclass
class FetchResult:
    created: int = 0
    skipped: int = 0
    failed: int = 0
    opinion_ids: list = field(default_factory=list)


@dataclass
class ParsedMessage:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    body: str
    received_on: object
    attachments: list
    refused: list


def mailbox_fetch(*, limit=BATCH, connection=None):
    """Read up to `limit` unseen messages into opinions; returns a FetchResult.

    Does nothing when IMAP_HOST is not set or no campaign under way declares a channel with
    `role: mailbox` (see `mailbox_campaign`).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _fetch(limit=limit, connection=connection)


def mailbox_campaign():
    """The campaign the mailbox's messages go to: of the campaigns under way (as the API
    without ?campaign=, the latest first), the first whose template declares a channel with
    `role: mailbox`; None when none does."""
    return next((c for c in campaigns_under_way() if c.channel_for("mailbox")), None)


def _fetch(*, limit, connection):
    result = FetchResult()
    if connection is None and not settings.IMAP_HOST:
        return result
    campaign = mailbox_campaign()
    if campaign is None:
        logger.info("mailbox not read: no campaign under way declares a mailbox channel")
        return result
    channel = campaign.channel_for("mailbox")
    imap = connection or _connect()
    try:
        status, _ = imap.select(_quote(settings.IMAP_FOLDER))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot select {settings.IMAP_FOLDER}")
        status, data = imap.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split()[:limit] if status == "OK" and data and data[0] else []
        for uid in uids:
            _take_one(imap, uid, campaign, channel, result)
    finally:
        if connection is None:
            try:
                imap.logout()
            except (imaplib.IMAP4.error, OSError):
                pass
    return result


def message_parse(raw):
    """A raw RFC 822 message as a ParsedMessage."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = (message.get("Message-ID") or "").strip()
    if not message_id:
        # No Message-ID: the content itself identifies the message.
        message_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@mailbox>"
    sender_name, sender = parseaddr(str(message.get("From") or ""))
    subject = re.sub(r"\s+", " ", str(message.get("Subject") or "")).strip()
    try:
        received_on = timezone.localdate(parsedate_to_datetime(str(message.get("Date"))))
    except (TypeError, ValueError, OverflowError):
        received_on = timezone.localdate()
    if received_on > timezone.localdate():
        received_on = timezone.localdate()
    body, attachments, refused = "", [], []
    html = ""
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if filename or disposition == "attachment":
            _attachment(part, filename, attachments, refused)
        elif part.get_content_type() == "text/plain" and not body:
            body = _text(part)
        elif part.get_content_type() == "text/html" and not html:
            html = _text(part)
    if not body and html:
        body = re.sub(r"\n{3,}", "\n\n", strip_tags(re.sub(r"(?i)<br\s*/?>|</p>", "\n", html)))
    return ParsedMessage(
        message_id=message_id[:500],
        sender=sender if "@" in sender else "",
        sender_name=sender_name.strip(),
        subject=subject[:300],
        body=body.strip(),
        received_on=received_on,
        attachments=attachments,
        refused=refused,
    )


def _take_one(imap, uid, campaign, channel, result):
    status, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((item[1] for item in data or () if isinstance(item, tuple)), None)
    if status != "OK" or raw is None:
        result.failed += 1
        return
    try:
        parsed = message_parse(raw)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = MailboxMessage.objects.create(
                        message_id=parsed.message_id,
                        sender=parsed.sender,
                        subject=parsed.subject,
                        note="; ".join(parsed.refused)[:300],
                    )
            except IntegrityError:
                record = None  # taken in before (its \Seen flag was lost): only mark it
            if record is not None:
                opinion, _code = opinion_record(
                    by=None,
                    campaign=campaign,
                    channel=channel,
                    received_on=parsed.received_on,
                    content=_content(parsed),
                    is_anonymous=not parsed.sender_name,
                    name=parsed.sender_name[:50],
                    email=parsed.sender[:254],
                    files=parsed.attachments[:ATTACHMENT_MAX_COUNT],
                )
                record.opinion = opinion
                record.save(update_fields=["opinion"])
    except (ValidationError, ValueError, LookupError) as exc:
        # A message that can never be an opinion (e.g. empty): logged and left unseen.
        logger.warning("mailbox message %s not taken in: %s", uid, exc)
        result.failed += 1
        return
    if record is None:
        result.skipped += 1
    else:
        result.created += 1
        result.opinion_ids.append(record.opinion_id)
    imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")


def _content(parsed):
    parts = [parsed.subject, parsed.body]
    if parsed.refused:
        parts.append("（" + "；".join(parsed.refused) + "）")
    content = "\n\n".join(p for p in parts if p).strip()
    if not content:
        raise ValueError("empty message")
    return content[:MAX_CONTENT]


def _text(part):
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    charset = CHARSET_SUPERSETS.get(charset, charset)
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _attachment(part, filename, attachments, refused):
    name = (filename or "attachment").strip()[:200]
    payload = part.get_payload(decode=True) or b""
    upload = SimpleUploadedFile(name, payload, content_type=part.get_content_type())
    if len(attachments) >= ATTACHMENT_MAX_COUNT:
        refused.append(f"{name}: {TOO_MANY_FILES % {'count': ATTACHMENT_MAX_COUNT}}")
        return
    try:
        validate_upload(upload, extensions=ATTACHMENT_EXTENSIONS, max_mb=ATTACHMENT_MAX_MB)
    except ValidationError as exc:
        refused.append(f"{name}: {' '.join(exc.messages)}")
        return
    upload.seek(0)
    attachments.append(upload)


def _connect():
    cls = imaplib.IMAP4_SSL if settings.IMAP_SSL else imaplib.IMAP4
    imap = cls(settings.IMAP_HOST, settings.IMAP_PORT, timeout=30)
    imap.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
    return imap


def _quote(folder):
    return f'"{folder}"' if " " in folder else folder


@task()
def mailbox_fetch_task():
    """Read new messages from the opinion mailbox (IMAP_* settings) into opinions."""
    result = mailbox_fetch()
    return {"created": result.created, "skipped": result.skipped, "failed": result.failed}
