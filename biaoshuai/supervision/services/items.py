"""Supervision items and each unit's task: issue, sign for, reply, accept or send back, remind."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.core.registry import Deadline
from biaoshuai.core.uploads import validate_upload
from biaoshuai.notifications.recipients import liaisons_by_path, liaisons_of, office
from biaoshuai.notifications.services import DUE_SOON_DAYS, notify

from ..models import SupervisionItem, SupervisionTask, TaskEvent, TaskEvidence

State = SupervisionTask.State
EVIDENCE_EXTENSIONS = ["pdf", "docx", "xlsx", "jpg", "jpeg", "png"]

NO_UNITS = _("Choose at least one unit to issue the item to.")
SIGN_NOT_ISSUED = _("Only a newly issued task can be signed for; this one is “%(state)s”.")
REPLY_NOT_SIGNED = _(
    "A reply can be sent only after signing for the task, or after it was sent back; "
    "this one is “%(state)s”."
)
REPLY_EMPTY = _("Write what the unit did before sending the reply.")
ACCEPT_NOT_REPLIED = _("Only a reply can be accepted; this task is “%(state)s”.")
RETURN_NOT_REPLIED = _("Only a reply can be sent back; this task is “%(state)s”.")
RETURN_NO_REASON = _("Say why the reply is sent back, so the unit knows what to add.")
REMIND_NOT_OWED = _("Only a task the unit still owes can be reminded; this one is “%(state)s”.")


@transaction.atomic
def supervision_item_issue(
    *, by, campaign, subject, requirement, deadline, units, issuer=None, source_label=""
):
    """A supervision item and one task per unit, each starting as issued."""
    units = list(dict.fromkeys(units))
    if not units:
        raise ValidationError(NO_UNITS)
    item = SupervisionItem(
        campaign=campaign,
        subject=subject,
        requirement=requirement,
        deadline=deadline,
        issuer=issuer or SupervisionItem.Issuer.OFFICE,
        issued_by=by if by is not None and by.is_authenticated else None,
        source_label=source_label,
    )
    item.full_clean()
    item.save()
    liaisons = liaisons_by_path(units)
    for unit in units:
        task = SupervisionTask(item=item, unit=unit)
        task.full_clean(exclude=["item"])
        task.save()
        _event(task, TaskEvent.Action.ISSUE, by)
        _tell(
            task,
            liaisons[unit.pk],
            _("New supervision item for %(unit)s: %(subject)s (deadline %(deadline)s)"),
            by,
        )
    audit_record(
        actor=by,
        action="issue",
        obj=item,
        changes={
            "subject": [None, subject],
            "deadline": [None, deadline],
            "units": [None, [u.name for u in units]],
        },
    )
    return item


@transaction.atomic
def task_sign(*, task, by):
    """The unit signs for (签收) a task issued to it."""
    task = _locked(task)
    if task.state != State.ISSUED:
        raise ValidationError(SIGN_NOT_ISSUED % {"state": task.get_state_display()})
    task.state, task.signed_at, task.signed_by = State.SIGNED, timezone.now(), by
    task.full_clean()
    task.save(update_fields=["state", "signed_at", "signed_by", "updated_at"])
    _event(task, TaskEvent.Action.SIGN, by)
    audit_record(actor=by, action="sign", obj=task)
    return task


@transaction.atomic
def task_reply(*, task, by, reply, files=()):
    """The unit replies with what it did and its evidence files (checked before saving)."""
    task = _locked(task)
    if task.state not in (State.SIGNED, State.RETURNED):
        raise ValidationError(REPLY_NOT_SIGNED % {"state": task.get_state_display()})
    if not (reply or "").strip():
        raise ValidationError(REPLY_EMPTY)
    for upload in files:
        validate_upload(upload, extensions=EVIDENCE_EXTENSIONS)
    task.state, task.reply = State.REPLIED, reply.strip()
    task.replied_at, task.replied_by = timezone.now(), by
    task.reply_count += 1
    task.full_clean()
    task.save(
        update_fields=["state", "reply", "replied_at", "replied_by", "reply_count", "updated_at"]
    )
    for upload in files:
        TaskEvidence.objects.create(task=task, file=upload, name=upload.name[:200], uploaded_by=by)
    _event(task, TaskEvent.Action.REPLY, by, reply.strip())
    audit_record(
        actor=by,
        action="reply",
        obj=task,
        changes={"reply": [None, task.reply], "files": [None, [f.name for f in files]]},
    )
    issuer = [task.item.issued_by_id] if task.item.issued_by_id else office()
    _tell(task, issuer, _("%(unit)s replied to the supervision item: %(subject)s"), by)
    return task


@transaction.atomic
def task_accept(*, task, by, note=""):
    """The issuer accepts the reply: the task is done."""
    task = _locked(task)
    if task.state != State.REPLIED:
        raise ValidationError(ACCEPT_NOT_REPLIED % {"state": task.get_state_display()})
    task.state, task.reviewed_at, task.reviewed_by = State.ACCEPTED, timezone.now(), by
    task.full_clean()
    task.save(update_fields=["state", "reviewed_at", "reviewed_by", "updated_at"])
    _event(task, TaskEvent.Action.ACCEPT, by, note)
    audit_record(actor=by, action="accept", obj=task, note=note)
    _tell(task, _answerable(task), _("Reply accepted: %(subject)s"), by)
    return task


@transaction.atomic
def task_return(*, task, by, reason):
    """The issuer sends the reply back with reasons; the unit replies again."""
    task = _locked(task)
    if task.state != State.REPLIED:
        raise ValidationError(RETURN_NOT_REPLIED % {"state": task.get_state_display()})
    if not (reason or "").strip():
        raise ValidationError(RETURN_NO_REASON)
    task.state, task.return_reason = State.RETURNED, reason.strip()
    task.reviewed_at, task.reviewed_by = timezone.now(), by
    task.full_clean()
    task.save(update_fields=["state", "return_reason", "reviewed_at", "reviewed_by", "updated_at"])
    _event(task, TaskEvent.Action.RETURN, by, task.return_reason)
    audit_record(actor=by, action="return", obj=task, note=task.return_reason)
    _tell(
        task,
        _answerable(task),
        _("Reply sent back: %(subject)s — %(reason)s"),
        by,
        reason=task.return_reason[:120],
    )
    return task


@transaction.atomic
def task_remind(*, task, by, note=""):
    """A reminder (催办) from the issuer: a notice to the unit's liaisons, recorded in the
    task's history. Returns the notices written."""
    task = _locked(task)
    if task.state not in SupervisionTask.OWED:
        raise ValidationError(REMIND_NOT_OWED % {"state": task.get_state_display()})
    note = (note or "").strip()[:200]
    _event(task, TaskEvent.Action.REMIND, by, note)
    notices = notify(
        recipients=liaisons_of(task.unit),
        kind="supervision.remind",
        text=(_("Reminder: %(subject)s — %(note)s") if note else _("Reminder: %(subject)s"))
        % {"subject": task.item.subject[:100], "note": note},
        url=reverse("supervision:task_detail", args=[task.pk]),
        actor=by,
        campaign=task.item.campaign,
    )
    audit_record(
        actor=by,
        action="remind",
        obj=task,
        note=note,
        changes={"recipients": [None, len(notices)]},
    )
    return notices


def task_deadlines(*, today):
    """Tasks the units still owe, due within three days or overdue: their liaisons."""
    tasks = list(
        SupervisionTask.objects.filter(
            state__in=SupervisionTask.OWED,
            item__deadline__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("item", "item__campaign", "unit")
        .order_by("item__deadline", "pk")
    )
    liaisons = liaisons_by_path(task.unit for task in tasks)
    for task in tasks:
        yield Deadline(
            key=f"supervision.task:{task.pk}",
            title=f"{task.item.subject}（{task.unit.name}）",
            due=task.item.deadline,
            recipients=liaisons[task.unit.pk],
            url=reverse("supervision:task_detail", args=[task.pk]),
            campaign=task.item.campaign,
        )


def _locked(task):
    """The task re-read under a row lock, so two clicks cannot both pass the state check."""
    return (
        SupervisionTask.objects.select_for_update().select_related("item", "unit").get(pk=task.pk)
    )


def _answerable(task):
    """Who answers for the task: the liaison who replied, and the unit's liaisons."""
    ids = [task.replied_by_id] if task.replied_by_id else []
    return ids + liaisons_of(task.unit)


def _tell(task, recipients, text, by, **values):
    notify(
        recipients=recipients,
        kind="supervision.task",
        text=text
        % {
            "unit": task.unit.name,
            "subject": task.item.subject[:100],
            "deadline": task.item.deadline,
            **values,
        },
        url=reverse("supervision:task_detail", args=[task.pk]),
        actor=by,
        campaign=task.item.campaign,
    )


def _event(task, action, by, note=""):
    TaskEvent.objects.create(
        task=task,
        action=action,
        by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
