"""Writes: taking opinions in, handling them on the 12345 model, and rating the reply.

One service per transition of the state machine:

    new ──assign──▶ assigned ──sign──▶ signed ──reply──▶ replied ──approve──▶ closed
                       │ (reassign)                        │  ▲                  │
                       ▼                                   ▼  │ reply            │ rated
                    assigned                            returned                 │ dissatisfied
                                                                                 ▼
                                                        replied ◀──reply── reopened
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.context import bound_client_ip
from biaoshuai.audit.services import audit_record
from biaoshuai.core.disclosure import Disclosure, disclosure_decider_required
from biaoshuai.core.registry import Deadline
from biaoshuai.core.uploads import validate_upload
from biaoshuai.notifications.recipients import liaisons_by_path, liaisons_of, office
from biaoshuai.notifications.services import DUE_SOON_DAYS, notify

from . import tasks
from .codes import (
    code_for_submission,
    code_hash,
    code_new,
    code_normalize,
    code_seal,
    submission_key,
)
from .intake import EVENT_REPLY_PUBLISHED, webhook_deliveries_create
from .models import Opinion, OpinionAttachment, PublicSubmission

ATTACHMENT_EXTENSIONS = ["jpg", "jpeg", "png", "pdf", "docx"]
ATTACHMENT_MAX_MB = 10
ATTACHMENT_MAX_COUNT = 3

NOT_NEW = _("Only a new opinion, or one not yet signed for, can be assigned.")
NOT_ASSIGNED = _("Only an opinion assigned to the unit and not yet signed for can be signed for.")
NOT_WAITING = _(
    "The unit can reply only after signing for the opinion, or when it was returned or reopened."
)
NOT_REPLIED = _("Only a reply waiting for review can be approved or returned.")
NOT_RATEABLE = _("This reply cannot be rated now.")
DEADLINE_PAST = _("The deadline cannot be in the past.")
UNKNOWN_CHANNEL = _("Unknown channel.")
# The campaign's template gives no channel the role (see campaigns.template.CHANNEL_ROLES).
PUBLIC_FORM_OFF = _("This campaign does not take opinions through this site.")
API_CHANNEL_OFF = _(
    "Name the channel: this campaign declares no channel for opinions pushed through the API."
)
UNKNOWN_DIMENSION = _("Unknown problem dimension.")
EMPTY_REPLY = _("Write the reply.")
EMPTY_REASON = _("Say why the reply is returned.")
TOO_MANY_FILES = _("Attach at most %(count)s files.")
PUBLIC_NEEDS_SUMMARY = _("Write a summary before disclosing the opinion to the public.")


def opinion_submit(
    *,
    campaign,
    content,
    unit_concerned=None,
    is_anonymous=True,
    name="",
    phone="",
    email="",
    files=(),
    code=None,
):
    """A member of the public submits an opinion on the portal: returns (opinion, code).

    It comes in on the channel the campaign's template declares with `role: public_form`;
    without one the portal does not take opinions (ValidationError). Nothing about the
    request (IP address, browser) is stored, not even in the audit log.
    """
    channel = campaign.channel_for("public_form")
    if channel is None:
        raise ValidationError(PUBLIC_FORM_OFF)
    with bound_client_ip(None):
        return _opinion_take_in(
            by=None,
            campaign=campaign,
            channel=channel,
            received_on=timezone.localdate(),
            unit_concerned=unit_concerned,
            content=content,
            is_anonymous=is_anonymous,
            name=name,
            phone=phone,
            email=email,
            files=files,
            code=code,
        )


@transaction.atomic
def opinion_submit_once(*, token, admit, **submission):
    """opinion_submit for the portal's form, once per form: returns (opinion, code).

    `token` is the form's one-time token. The first post of the form reserves it, calls
    `admit()` (the bot check and the rate limit, which raise ValidationError to refuse) and
    submits. Any later post of the same form — a double click, a resubmit after a lost
    answer, even at the same moment on another worker or machine — gets the opinion the first
    made and the same tracking code, derived from the token.
    """
    key, code = submission_key(token), code_for_submission(token)
    try:
        with transaction.atomic():
            reservation = PublicSubmission.objects.create(key=key)
    except IntegrityError:  # sent before; the database made us wait for that post's commit
        earlier = PublicSubmission.objects.select_related("opinion").get(key=key)
        return earlier.opinion, code
    admit()
    opinion, code = opinion_submit(code=code, **submission)
    reservation.opinion = opinion
    reservation.save(update_fields=["opinion"])
    return opinion, code


def opinion_record(
    *,
    by,
    campaign,
    channel,
    received_on,
    content,
    unit_concerned=None,
    is_anonymous=True,
    name="",
    phone="",
    email="",
    files=(),
    code=None,
):
    """Staff record an opinion that came by visit, forum, phone or mail: (opinion, code)."""
    return _opinion_take_in(
        by=by,
        campaign=campaign,
        channel=channel,
        received_on=received_on,
        unit_concerned=unit_concerned,
        content=content,
        is_anonymous=is_anonymous,
        name=name,
        phone=phone,
        email=email,
        files=files,
        code=code,
    )


@transaction.atomic
def opinion_assign(*, opinion, by, unit, deadline):
    """The office assigns the opinion to a unit with a reply deadline (again, to reassign)."""
    if opinion.state not in (Opinion.State.NEW, Opinion.State.ASSIGNED):
        raise ValidationError(NOT_NEW)
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": DEADLINE_PAST})
    before = {"unit": opinion.unit_id, "deadline": str(opinion.deadline or "")}
    opinion.state, opinion.unit, opinion.deadline = Opinion.State.ASSIGNED, unit, deadline
    opinion.assigned_at = timezone.now()
    _save(
        opinion,
        by,
        "assign",
        ["state", "unit", "deadline", "assigned_at"],
        changes={
            "unit": [before["unit"], unit.pk],
            "deadline": [before["deadline"], str(deadline)],
        },
    )
    _tell(
        opinion,
        "opinions.assigned",
        liaisons_of(unit),
        _("Opinion assigned to %(unit)s, reply by %(deadline)s: %(text)s"),
        by,
        unit=unit.name,
        deadline=deadline,
    )
    return opinion


@transaction.atomic
def opinion_sign(*, opinion, by):
    """The unit signs for (签收) the opinion assigned to it."""
    if opinion.state != Opinion.State.ASSIGNED:
        raise ValidationError(NOT_ASSIGNED)
    opinion.state, opinion.signed_at, opinion.signed_by = Opinion.State.SIGNED, timezone.now(), by
    return _save(opinion, by, "sign", ["state", "signed_at", "signed_by"])


@transaction.atomic
def opinion_reply(*, opinion, by, reply):
    """The unit replies; the office reviews the reply before the submitter sees it."""
    if opinion.state not in (
        Opinion.State.SIGNED,
        Opinion.State.RETURNED,
        Opinion.State.REOPENED,
    ):
        raise ValidationError(NOT_WAITING)
    if not (reply or "").strip():
        raise ValidationError({"reply": EMPTY_REPLY})
    now = timezone.now()
    fields = ["state", "reply", "replied_at", "replied_by"]
    if opinion.first_replied_at is None:
        opinion.first_replied_at = now
        opinion.replied_on_time = timezone.localdate(now) <= opinion.deadline
        fields += ["first_replied_at", "replied_on_time"]
    opinion.state, opinion.reply = Opinion.State.REPLIED, reply.strip()
    opinion.replied_at, opinion.replied_by = now, by
    _save(opinion, by, "reply", fields)
    _tell(
        opinion,
        "opinions.replied",
        office(),
        _("%(unit)s replied; the reply awaits review: %(text)s"),
        by,
        unit=opinion.unit.name if opinion.unit_id else "",
    )
    return opinion


@transaction.atomic
def opinion_return(*, opinion, by, note):
    """The office sends the reply back to the unit, saying why."""
    if opinion.state != Opinion.State.REPLIED:
        raise ValidationError(NOT_REPLIED)
    if not (note or "").strip():
        raise ValidationError({"note": EMPTY_REASON})
    opinion.state, opinion.review_note = Opinion.State.RETURNED, note.strip()
    _save(opinion, by, "return", ["state", "review_note"], note=note)
    _tell(
        opinion,
        "opinions.reviewed",
        _answerable(opinion),
        _("Reply returned: %(text)s — %(reason)s"),
        by,
        reason=opinion.review_note[:120],
    )
    return opinion


@transaction.atomic
def opinion_approve(*, opinion, by):
    """The office approves the reply: it is published to the submitter and the opinion closes."""
    disclosure_decider_required(by)
    if opinion.state != Opinion.State.REPLIED:
        raise ValidationError(NOT_REPLIED)
    now = timezone.now()
    opinion.state, opinion.reply_published_at, opinion.closed_at = Opinion.State.CLOSED, now, now
    opinion.review_note = ""
    _save(opinion, by, "approve", ["state", "reply_published_at", "closed_at", "review_note"])
    _tell(opinion, "opinions.reviewed", _answerable(opinion), _("Reply approved: %(text)s"), by)
    # The integrator that pushed the opinion is called back (if its token has a webhook).
    webhook_deliveries_create(opinion=opinion, event=EVENT_REPLY_PUBLISHED)
    if opinion.submitter_email:
        pk = opinion.pk
        transaction.on_commit(lambda: tasks.opinion_reply_notify.enqueue(opinion_id=pk))
    return opinion


@transaction.atomic
def opinion_rate(*, opinion, rating, comment=""):
    """The submitter rates the published reply; "dissatisfied" reopens it for the unit."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not opinion.can_be_rated or rating not in Opinion.Rating.values:
        raise ValidationError(NOT_RATEABLE)
    opinion.rating, opinion.rating_comment = rating, (comment or "").strip()[:500]
    opinion.rated_at = timezone.now()
    fields = ["rating", "rating_comment", "rated_at"]
    if rating == Opinion.Rating.DISSATISFIED:
        opinion.state, opinion.closed_at = Opinion.State.REOPENED, None
        opinion.reopen_count += 1
        fields += ["state", "closed_at", "reopen_count"]
    with bound_client_ip(None):
        _save(opinion, None, "rate", fields, changes={"rating": [None, rating]})
    if rating == Opinion.Rating.DISSATISFIED:
        _tell(
            opinion,
            "opinions.unsatisfied",
            office() + _answerable(opinion),
            _("The submitter is dissatisfied with the reply; the opinion is reopened: %(text)s"),
            None,
        )
    return opinion


@transaction.atomic
def opinion_classify(*, opinion, by, dimension, summary, disclosure):
    """The office files the opinion under a problem dimension and decides what is disclosed."""
    disclosure_decider_required(by)
    if dimension and dimension not in dict(opinion.campaign.choices("problem_dimensions")):
        raise ValidationError({"dimension": UNKNOWN_DIMENSION})
    if disclosure == Disclosure.PUBLIC and not (summary or "").strip():
        raise ValidationError({"summary": PUBLIC_NEEDS_SUMMARY})
    opinion.dimension, opinion.summary = dimension, (summary or "").strip()
    opinion.disclosure = disclosure
    return _save(opinion, by, "classify", ["dimension", "summary", "disclosure"])


@transaction.atomic
def _opinion_take_in(
    *,
    by,
    campaign,
    channel,
    received_on,
    unit_concerned,
    content,
    is_anonymous,
    name,
    phone,
    email,
    files,
    code=None,
):
    if channel not in dict(campaign.choices("opinion_channels")):
        raise ValidationError({"channel": UNKNOWN_CHANNEL})
    files = list(files or ())
    if len(files) > ATTACHMENT_MAX_COUNT:
        raise ValidationError({"attachments": TOO_MANY_FILES % {"count": ATTACHMENT_MAX_COUNT}})
    for file in files:
        validate_upload(file, extensions=ATTACHMENT_EXTENSIONS, max_mb=ATTACHMENT_MAX_MB)
    # A given code (the demo publishes two) must be a valid one; otherwise a random one.
    code = code_normalize(code or "") or code_new()
    opinion = Opinion(
        campaign=campaign,
        channel=channel,
        received_on=received_on,
        unit_concerned=unit_concerned,
        content=content.strip(),
        is_anonymous=is_anonymous,
        # An anonymous submitter's name is not kept even if typed.
        submitter_name="" if is_anonymous else name.strip(),
        submitter_phone=phone.strip(),
        submitter_email=email.strip(),
        recorded_by=by,
        tracking_code_hash=code_hash(code),
    )
    opinion.full_clean()
    opinion.save()
    for file in files:
        attachment = OpinionAttachment(opinion=opinion, name=file.name[:200], size=file.size)
        attachment.file.save(file.name, file, save=False)
        attachment.save()
    audit_record(
        actor=by,
        action="create",
        obj=opinion,
        changes={"channel": [None, channel], "attachments": [None, len(files)]},
    )
    if opinion.submitter_email:
        pk, (nonce, sealed) = opinion.pk, code_seal(code)
        transaction.on_commit(
            lambda: tasks.opinion_code_send.enqueue(opinion_id=pk, nonce=nonce, sealed=sealed)
        )
    return opinion, code


def opinion_deadlines(*, today):
    """Opinions a unit still owes a reply, due within three days or overdue: its liaisons."""
    opinions = list(
        Opinion.objects.filter(
            state__in=Opinion.WAITING_FOR_UNIT,
            deadline__lte=today + timedelta(days=DUE_SOON_DAYS),
            unit__isnull=False,
        )
        .select_related("unit", "campaign")
        .order_by("deadline", "pk")
    )
    liaisons = liaisons_by_path(o.unit for o in opinions)
    for opinion in opinions:
        yield Deadline(
            key=f"opinion:{opinion.pk}",
            title=_title(opinion),
            due=opinion.deadline,
            recipients=liaisons[opinion.unit.pk],
            url=reverse("opinions:detail", args=[opinion.pk]),
            campaign=opinion.campaign,
        )


def _title(opinion):
    return f"{opinion}：{(opinion.summary or opinion.content)[:60]}"


def _answerable(opinion):
    """Who answers for the reply: the one who wrote it, and the unit's liaisons."""
    ids = [opinion.replied_by_id] if opinion.replied_by_id else []
    return ids + (liaisons_of(opinion.unit) if opinion.unit_id else [])


def _tell(opinion, kind, recipients, text, by, **values):
    notify(
        recipients=recipients,
        kind=kind,
        text=text % {"text": _title(opinion), **values},
        url=reverse("opinions:detail", args=[opinion.pk]),
        actor=by,
        campaign=opinion.campaign,
    )


def _save(opinion, by, action, fields, *, changes=None, note=""):
    opinion.full_clean()
    opinion.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=by,
        action=action,
        obj=opinion,
        changes=changes or {"state": [None, opinion.state]},
        note=note,
    )
    return opinion
