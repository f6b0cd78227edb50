"""Writes for rectification items: one service per transition, and progress kept in sync."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record, snapshot
from biaoshuai.core.uploads import validate_upload
from biaoshuai.notifications.recipients import office
from biaoshuai.notifications.services import notify

from ..models import DeadlineChange, Evidence, ItemLog, ProgressUpdate, RectificationItem
from .notices import item_recipients

State = RectificationItem.State

# Which state may follow which (the only way to change `state` is through these services).
ALLOWED = {
    State.PLANNED: {State.IN_PROGRESS},
    State.IN_PROGRESS: {State.IN_PROGRESS, State.SUBMITTED},
    State.RETURNED: {State.IN_PROGRESS, State.SUBMITTED},
    State.SUBMITTED: {State.RETURNED, State.CLOSED},
    State.CLOSED: set(),
}
EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "docx", "xlsx"]
EVIDENCE_MAX_MB = 10

ILLEGAL_TRANSITION = _("An item that is “%(current)s” cannot become “%(target)s”.")
KIND_UNKNOWN = _("Choose one of the campaign's kinds of rectification.")
UNIT_OUTSIDE_PROBLEM = _("The responsible unit must be the problem's unit or a unit below it.")
PARENT_OTHER_PROBLEM = _("A sub-item belongs to the same problem as its parent.")
PARENT_CLOSED = _("A closed item cannot take new sub-items.")
PARENT_PROGRESS_COMPUTED = _(
    "This item's progress comes from its sub-items; report progress on the sub-items."
)
PERCENT_RANGE = _("The percentage is between 0 and 100.")
TEXT_REQUIRED = _("Say what was done.")
SUBMIT_NOT_COMPLETE = _("Only a fully done item (100 percent) can be submitted for verification.")
SUBMIT_CHILDREN_OPEN = _("Every sub-item must be closed before this item is submitted.")
RETURN_REASON_REQUIRED = _("Give the reasons for returning the item.")
DEADLINE_SAME = _("The proposed deadline is the current one.")
DEADLINE_PAST = _("The proposed deadline is in the past.")
DEADLINE_CLOSED = _("The deadline of a closed item cannot change.")
DEADLINE_PENDING = _("A request to change this deadline is already waiting for a decision.")
DEADLINE_REASON_REQUIRED = _("Give the reason for moving the deadline.")
DEADLINE_DECIDED = _("This request has already been decided.")
REFUSAL_NOTE_REQUIRED = _("Say why the request is refused.")

ITEM_FIELDS = [
    "problem",
    "parent",
    "unit",
    "measure",
    "leader_name",
    "person_name",
    "kind",
    "deadline",
    "criteria",
    "weight",
    "state",
    "progress",
]


@transaction.atomic
def item_create(
    *,
    by,
    problem,
    measure,
    unit,
    kind,
    deadline,
    criteria="",
    leader_name="",
    leader=None,
    person_name="",
    person=None,
    parent=None,
    weight=1,
):
    """A rectification item under `problem` (or under `parent`, as a sub-item)."""
    item = RectificationItem(
        problem=problem,
        parent=parent,
        unit=unit,
        measure=measure.strip(),
        kind=kind,
        deadline=deadline,
        criteria=criteria,
        leader_name=leader_name or (leader.name if leader else ""),
        leader=leader,
        person_name=person_name or (person.name if person else ""),
        person=person,
        weight=weight,
        created_by=_user(by),
    )
    item.copy_from_problem()
    _check_item(item)
    item.full_clean()
    item.save()
    ItemLog.objects.create(item=item, action=ItemLog.Action.CREATED, by=_user(by))
    audit_record(actor=by, action="create", obj=item, changes=snapshot(item, ITEM_FIELDS))
    if parent is not None:
        item_progress_sync(item=item)
    return item


@transaction.atomic
def item_start(*, item, by):
    """Planned → in progress."""
    _lock(item)
    if item.state != State.PLANNED:
        _refuse(item, State.IN_PROGRESS)
    _move(item, State.IN_PROGRESS, by, ItemLog.Action.STARTED)
    return item


@transaction.atomic
def progress_record(*, item, by, text, percent=None, files=()):
    """A progress update with evidence; the item is (again) in progress.

    A leaf item takes `percent` as its progress; a parent's progress comes from its children.
    """
    _lock(item)
    if State.IN_PROGRESS not in ALLOWED[item.state]:
        _refuse(item, State.IN_PROGRESS)
    if not (text or "").strip():
        raise ValidationError({"text": TEXT_REQUIRED})
    has_children = item.children.exists()
    if percent is not None:
        if has_children:
            raise ValidationError({"percent": PARENT_PROGRESS_COMPUTED})
        if not 0 <= percent <= 100:
            raise ValidationError({"percent": PERCENT_RANGE})
    for file in files:
        validate_upload(file, extensions=EVIDENCE_EXTENSIONS, max_mb=EVIDENCE_MAX_MB)
    update = ProgressUpdate(item=item, text=text.strip(), percent=percent, created_by=_user(by))
    update.full_clean()
    update.save()
    for file in files:
        Evidence.objects.create(update=update, file=file, name=file.name[:200], size=file.size)
    fields = ["state", "updated_at"]
    item.state = State.IN_PROGRESS
    if percent is not None:
        item.progress = percent
        fields.append("progress")
    item.full_clean()
    item.save(update_fields=fields)
    audit_record(
        actor=by,
        action="update",
        obj=item,
        verb="progress",
        changes={"progress": item.progress, "files": [f.name for f in files]},
        note=update.text[:200],
    )
    _ancestors_start(item=item, by=by)
    item_progress_sync(item=item)
    return update


def _ancestors_start(*, item, by):
    """Work on a sub-item is work on its parents: those not yet started are now in progress."""
    parent_id = item.parent_id
    while parent_id is not None:
        parent = RectificationItem.objects.select_for_update().get(pk=parent_id)
        if parent.state == State.PLANNED:
            parent.state = State.IN_PROGRESS
            parent.save(update_fields=["state", "updated_at"])
            audit_record(
                actor=by,
                action="update",
                obj=parent,
                verb="progress",
                changes={"state": [State.PLANNED, State.IN_PROGRESS]},
                note=item.measure[:200],
            )
        parent_id = parent.parent_id


@transaction.atomic
def item_submit(*, item, by, note=""):
    """In progress or returned → submitted for verification by the office."""
    _lock(item)
    if State.SUBMITTED not in ALLOWED[item.state]:
        _refuse(item, State.SUBMITTED)
    if item.children.exclude(state=State.CLOSED).exists():
        raise ValidationError(SUBMIT_CHILDREN_OPEN)
    if item.progress < 100:
        raise ValidationError(SUBMIT_NOT_COMPLETE)
    item.submitted_at = timezone.now()
    _move(item, State.SUBMITTED, by, ItemLog.Action.SUBMITTED, note, extra=["submitted_at"])
    notify(
        recipients=office(),
        kind="rectification.item",
        text=_("Submitted for verification: %(measure)s") % {"measure": item.measure[:100]},
        url=reverse("rectification:item_detail", args=[item.pk]),
        actor=by,
        campaign=item.campaign,
    )
    return item


@transaction.atomic
def item_return(*, item, by, reason):
    """Submitted → returned, with the office's reasons; the responsible are told."""
    _lock(item)
    if State.RETURNED not in ALLOWED[item.state]:
        _refuse(item, State.RETURNED)
    if not (reason or "").strip():
        raise ValidationError({"reason": RETURN_REASON_REQUIRED})
    item.return_reason = reason.strip()
    _move(item, State.RETURNED, by, ItemLog.Action.RETURNED, reason, extra=["return_reason"])
    notify(
        recipients=item_recipients(items=[item])[item.pk],
        kind="rectification.item",
        text=_("Returned: %(measure)s — %(reason)s")
        % {"measure": item.measure[:60], "reason": item.return_reason[:120]},
        url=reverse("rectification:item_detail", args=[item.pk]),
        actor=by,
        campaign=item.campaign,
    )
    return item


@transaction.atomic
def item_close(*, item, by, note=""):
    """Submitted → closed (销号) by the office."""
    _lock(item)
    if State.CLOSED not in ALLOWED[item.state]:
        _refuse(item, State.CLOSED)
    now = timezone.now()
    item.closed_at, item.closed_on, item.closed_by = now, timezone.localdate(now), _user(by)
    _move(
        item,
        State.CLOSED,
        by,
        ItemLog.Action.CLOSED,
        note,
        extra=["closed_at", "closed_on", "closed_by"],
    )
    notify(
        recipients=item_recipients(items=[item])[item.pk],
        kind="rectification.item",
        text=_("Closed: %(measure)s") % {"measure": item.measure[:100]},
        url=reverse("rectification:item_detail", args=[item.pk]),
        actor=by,
        campaign=item.campaign,
    )
    return item


def item_progress_sync(*, item):
    """Set each ancestor's progress to the weighted average of its children's."""
    parent_id = item.parent_id
    while parent_id is not None:
        totals = RectificationItem.objects.filter(parent_id=parent_id).aggregate(
            weighted=Sum(F("progress") * F("weight")), weight=Sum("weight")
        )
        progress = round((totals["weighted"] or 0) / totals["weight"]) if totals["weight"] else 0
        RectificationItem.objects.filter(pk=parent_id).exclude(progress=progress).update(
            progress=progress, updated_at=timezone.now()
        )
        parent_id = (
            RectificationItem.objects.filter(pk=parent_id)
            .values_list("parent_id", flat=True)
            .first()
        )


@transaction.atomic
def deadline_change_request(*, item, by, proposed, reason):
    """Ask the office to move the deadline; nothing changes until it approves."""
    _lock(item)
    if not item.is_open:
        raise ValidationError(DEADLINE_CLOSED)
    if proposed == item.deadline:
        raise ValidationError({"proposed": DEADLINE_SAME})
    if proposed < timezone.localdate():
        raise ValidationError({"proposed": DEADLINE_PAST})
    if not (reason or "").strip():
        raise ValidationError({"reason": DEADLINE_REASON_REQUIRED})
    if item.deadline_changes.filter(state=DeadlineChange.State.PENDING).exists():
        raise ValidationError(DEADLINE_PENDING)
    change = DeadlineChange(
        item=item,
        old_deadline=item.deadline,
        proposed=proposed,
        reason=reason.strip(),
        requested_by=_user(by),
    )
    change.full_clean()
    change.save()
    audit_record(
        actor=by,
        action="create",
        obj=change,
        changes={"item": item.pk, "deadline": [str(item.deadline), str(proposed)]},
        note=change.reason,
    )
    notify(
        recipients=office(),
        kind="rectification.item",
        text=_("Deadline change requested: %(measure)s, %(old)s → %(new)s")
        % {"measure": item.measure[:80], "old": item.deadline, "new": proposed},
        url=reverse("rectification:deadline_change_list"),
        actor=by,
        campaign=item.campaign,
    )
    return change


@transaction.atomic
def deadline_change_decide(*, change, by, approve, note=""):
    """The office approves (the deadline moves) or refuses (with a note) a request."""
    change = DeadlineChange.objects.select_for_update().select_related("item").get(pk=change.pk)
    if change.state != DeadlineChange.State.PENDING:
        raise ValidationError(DEADLINE_DECIDED)
    if not approve and not (note or "").strip():
        raise ValidationError({"note": REFUSAL_NOTE_REQUIRED})
    item = change.item
    if approve and not item.is_open:
        raise ValidationError(DEADLINE_CLOSED)
    change.state = DeadlineChange.State.APPROVED if approve else DeadlineChange.State.REFUSED
    change.decided_by, change.decided_at, change.decision_note = _user(by), timezone.now(), note
    change.full_clean()
    change.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        item.deadline = change.proposed
        item.full_clean()
        item.save(update_fields=["deadline", "updated_at"])
        ItemLog.objects.create(
            item=item,
            action=ItemLog.Action.DEADLINE,
            by=_user(by),
            note=f"{change.old_deadline} → {change.proposed}：{change.reason}",
        )
    audit_record(
        actor=by,
        action="update",
        obj=change,
        verb=change.state,
        changes={"deadline": [str(change.old_deadline), str(change.proposed)]},
        note=note,
    )
    notify(
        recipients=[change.requested_by] if change.requested_by else [],
        kind="rectification.item",
        text=(
            _("Deadline change approved: %(measure)s")
            if approve
            else _("Deadline change refused: %(measure)s")
        )
        % {"measure": item.measure[:100]},
        url=reverse("rectification:item_detail", args=[item.pk]),
        actor=by,
        campaign=item.campaign,
    )
    return change


def _check_item(item):
    if item.kind not in dict(item.problem.campaign.choices("rectification_kinds")):
        raise ValidationError({"kind": KIND_UNKNOWN})
    if item.unit_id and not item.unit.path.startswith(item.problem.unit.path):
        raise ValidationError({"unit": UNIT_OUTSIDE_PROBLEM})
    if item.parent is not None:
        if item.parent.problem_id != item.problem_id:
            raise ValidationError({"parent": PARENT_OTHER_PROBLEM})
        if not item.parent.is_open:
            raise ValidationError({"parent": PARENT_CLOSED})


def _lock(item):
    """Re-read the state under a row lock, so two transitions cannot race."""
    current = (
        RectificationItem.objects.select_for_update()
        .filter(pk=item.pk)
        .values("state", "progress", "deadline")[0]
    )
    item.state, item.progress, item.deadline = (
        current["state"],
        current["progress"],
        current["deadline"],
    )


def _refuse(item, target):
    raise ValidationError(
        ILLEGAL_TRANSITION % {"current": State(item.state).label, "target": State(target).label},
        code="illegal_transition",
    )


def _move(item, target, by, action, note="", extra=()):
    before = item.state
    item.state = target
    item.full_clean()
    item.save(update_fields=["state", *extra, "updated_at"])
    ItemLog.objects.create(item=item, action=action, by=_user(by), note=note or "")
    audit_record(
        actor=by,
        action="update",
        obj=item,
        verb=action,
        changes={"state": [before, target]},
        note=note,
    )


def _user(by):
    return by if by is not None and by.is_authenticated else None
