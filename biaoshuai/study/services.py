"""Writes for study: sessions, materials, attendance and deliverables. Each runs in a
transaction, is audited, and queues a refresh of the completion figures when it moves them."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record, changes_between, snapshot
from biaoshuai.core.scope import MANAGE, scope_for
from biaoshuai.notifications.recipients import liaisons_of, office
from biaoshuai.notifications.services import notify
from biaoshuai.org.models import Person

from . import completion
from .models import (
    Attendance,
    Deliverable,
    DeliverableEvent,
    SessionMaterial,
    StudySession,
    sub_kind_choices,
)
from .tasks import REFRESH_PENDING_KEY, study_completion_refresh_task

UNKNOWN_KIND = _("Choose a kind of the campaign.")
UNKNOWN_SUB_KIND = _("Choose one of the sub-kinds the campaign gives this kind.")
UNKNOWN_TOPIC = _("Choose required topics of the campaign.")
UNIT_OUT_OF_SCOPE = _("You can only organise sessions for units you manage.")
NO_AUDIENCE = _("No cadre in post is expected at this session: choose other units.")
SIGN_IN_WRONG_CODE = _("This sign-in code is not valid. Scan the code shown at the session again.")
SIGN_IN_NOT_OPEN = _("Sign-in for this session has not opened yet. It opens at %(opens)s.")
SIGN_IN_CLOSED = _("Sign-in for this session closed at %(closes)s.")
SIGN_IN_NOT_EXPECTED = _(
    "You are not on the list of cadres expected at this session. Ask its organiser."
)
MARK_NOT_OPEN = _("Attendance can be recorded once sign-in has opened.")
LEAVE_NEEDS_REASON = _("Give the reason for leave of %(name)s.")
UNKNOWN_STATUS = _("Unknown attendance status.")
NOT_THE_AUTHOR = _(
    "Only its author can change or submit a deliverable (or, for a cadre without a login, "
    "the liaison of their unit)."
)
TOO_MANY = _("You already have %(count)s “%(kind)s” in this phase; edit it instead.")
NEEDS_CONTENT = _("Write the text or upload a file before submitting.")
CANNOT_EDIT = _("A deliverable can be changed only while it is a draft or after it was returned.")
CANNOT_SUBMIT = _("Only a draft or a returned deliverable can be submitted.")
CANNOT_REVIEW = _("Only a deliverable awaiting review can be accepted or returned.")
NOT_A_REVIEWER = _(
    "Only the liaison of the cadre's unit or the campaign office can review it, "
    "and nobody reviews their own."
)
RETURN_NEEDS_COMMENT = _("Say what to improve when returning a deliverable.")

SESSION_FIELDS = [
    "unit",
    "kind",
    "sub_kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "speaker",
    "topics",
    "description",
    "sign_in_opens_before",
]
REFRESH_PENDING_SECONDS = 600


# Sessions


@transaction.atomic
def session_create(*, campaign, by, audience_units=(), **values):
    """A session and one Attendance row per active cadre of the audience units' subtrees
    (default: the organising unit's)."""
    session = StudySession(campaign=campaign, created_by=by, **values)
    _check_session(session, by)
    session.full_clean()
    session.save()
    audience = list(audience_units) or [session.unit]
    session.audience_units.set(audience)
    added = _sync_expected(session, audience)
    if not added:
        raise ValidationError({"audience_units": NO_AUDIENCE})
    audit_record(
        actor=by,
        action="create",
        obj=session,
        changes={
            **{k: [None, v] for k, v in snapshot(session, SESSION_FIELDS).items()},
            "expected": [None, added],
        },
    )
    completion_refresh_later(campaign_id=campaign.pk)
    return session


@transaction.atomic
def session_update(*, session, by, audience_units=(), **values):
    """Change a session; cadres newly expected are added, those no longer expected and not
    yet recorded are removed."""
    before = snapshot(session, SESSION_FIELDS)
    for name, value in values.items():
        setattr(session, name, value)
    _check_session(session, by)
    session.full_clean()
    session.save(update_fields=[*values, "updated_at"])
    audience = list(audience_units) or [session.unit]
    session.audience_units.set(audience)
    added = _sync_expected(session, audience)
    removed, _ = (
        Attendance.objects.filter(session=session, status=Attendance.Status.PENDING)
        .exclude(person__in=_expected_people(audience))
        .delete()
    )
    if not session.attendances.exists():
        raise ValidationError({"audience_units": NO_AUDIENCE})
    changes = changes_between(before, snapshot(session, SESSION_FIELDS), SESSION_FIELDS)
    if added or removed:
        changes["expected"] = [f"-{removed}", f"+{added}"]
    audit_record(actor=by, action="update", obj=session, changes=changes)
    completion_refresh_later(campaign_id=session.campaign_id)
    return session


@transaction.atomic
def session_material_add(*, session, by, file):
    """Attach a file (already checked by the form) to a session."""
    material = SessionMaterial(session=session, file=file, name=file.name[:200], size=file.size)
    material.uploaded_by = by
    material.full_clean()
    material.save()
    audit_record(actor=by, action="create", obj=material, note=str(session))
    return material


@transaction.atomic
def session_material_delete(*, material, by):
    audit_record(actor=by, action="delete", obj=material, note=str(material.session))
    material.file.delete(save=False)
    material.delete()


# Attendance


def sign_in_check(*, session, now=None):
    """The Chinese message saying why sign-in is not open now, or None when it is."""
    now = now or timezone.now()
    if now < session.sign_in_opens_at:
        return SIGN_IN_NOT_OPEN % {"opens": _local(session.sign_in_opens_at)}
    if now > session.ends_at:
        return SIGN_IN_CLOSED % {"closes": _local(session.ends_at)}
    return None


@transaction.atomic
def attendance_sign_in(*, token, user, now=None):
    """The cadre signs in on the spot with the session's code; returns their Attendance.

    Signing in again changes nothing. Raises ValidationError with a message saying what
    is wrong: the code, the time, or the cadre not being expected.
    """
    now = now or timezone.now()
    session = StudySession.objects.filter(sign_in_token=token).first() if token else None
    if session is None:
        raise ValidationError(SIGN_IN_WRONG_CODE, code="wrong_code")
    problem = sign_in_check(session=session, now=now)
    if problem:
        raise ValidationError(problem, code="window")
    attendance = (
        Attendance.objects.select_for_update()
        .filter(session=session, person__user=user)
        .select_related("person", "session")
        .first()
        if user.is_authenticated
        else None
    )
    if attendance is None:
        raise ValidationError(SIGN_IN_NOT_EXPECTED, code="not_expected")
    if attendance.status == Attendance.Status.PRESENT and attendance.signed_in_at:
        return attendance
    before = attendance.status
    attendance.status = Attendance.Status.PRESENT
    attendance.leave_reason = ""
    attendance.signed_in_at = attendance.marked_at = now
    attendance.marked_by = user
    attendance.full_clean()
    attendance.save(
        update_fields=["status", "leave_reason", "signed_in_at", "marked_at", "marked_by"]
    )
    audit_record(
        actor=user,
        action="update",
        verb="sign_in",
        obj=attendance,
        changes={"status": [before, attendance.status]},
    )
    completion_refresh_later(campaign_id=session.campaign_id)
    return attendance


def attendance_row_key(pk):
    """The key of an attendance row's errors in attendance_mark's ValidationError."""
    return f"row-{pk}"


@transaction.atomic
def attendance_mark(*, session, by, marks, now=None):
    """Record attendance in bulk: `marks` is {attendance id: (status, leave reason)}.

    Only rows of cadres the user manages are touched; a leave needs its reason. Returns
    the number of rows changed. Nothing is saved when one mark is wrong.
    """
    now = now or timezone.now()
    if now < session.sign_in_opens_at:
        raise ValidationError(MARK_NOT_OPEN)
    rows = {
        a.pk: a
        for a in Attendance.objects.restrict(by, MANAGE)
        .filter(session=session, pk__in=list(marks))
        .select_related("person")
    }
    changed, errors = [], {}
    for pk, (status, reason) in marks.items():
        row = rows.get(pk)
        if row is None:
            continue
        reason = (reason or "").strip() if status == Attendance.Status.LEAVE else ""
        # Each error under its row's key, so the page says it at the row.
        if status not in Attendance.Status.values:
            errors[attendance_row_key(pk)] = [UNKNOWN_STATUS]
            continue
        if status == Attendance.Status.LEAVE and not reason:
            errors[attendance_row_key(pk)] = [LEAVE_NEEDS_REASON % {"name": row.person.name}]
            continue
        if (row.status, row.leave_reason) == (status, reason):
            continue
        row.status, row.leave_reason = status, reason
        row.marked_by, row.marked_at = by, now
        if status != Attendance.Status.PRESENT:
            row.signed_in_at = None
        changed.append(row)
    if errors:
        raise ValidationError(errors)
    Attendance.objects.bulk_update(
        changed, ["status", "leave_reason", "marked_by", "marked_at", "signed_in_at"]
    )
    if changed:
        audit_record(
            actor=by,
            action="update",
            verb="attendance_mark",
            obj=session,
            changes={
                "attendance": {
                    str(row.person): [row.status, row.leave_reason] for row in changed[:200]
                }
            },
            note=f"{len(changed)}",
        )
        completion_refresh_later(campaign_id=session.campaign_id)
    return len(changed)


# Deliverables


@transaction.atomic
def deliverable_create(*, person, phase, kind, title, text="", file=None, by):
    """A draft deliverable of `person` for `phase`; at most count_per_cadre of each kind."""
    campaign = phase.campaign
    kinds = {item["key"]: item for item in campaign.config["lists"].get("deliverable_kinds", [])}
    if kind not in kinds:
        raise ValidationError({"kind": UNKNOWN_KIND})
    _check_author_of(person, by)
    limit = kinds[kind].get("count_per_cadre", 1)
    # A kind owed once per campaign is limited over the campaign, others in each phase.
    written = Deliverable.objects.filter(person=person, kind=kind)
    if completion.per_campaign(kinds[kind]):
        written = written.filter(campaign=campaign)
    else:
        written = written.filter(phase=phase)
    if written.count() >= limit:
        raise ValidationError(TOO_MANY % {"count": limit, "kind": kinds[kind]["name"]})
    deliverable = Deliverable(
        campaign=campaign,
        phase=phase,
        person=person,
        unit=person.unit,
        kind=kind,
        title=title,
        text=text,
        file=file or "",
    )
    deliverable.full_clean()
    deliverable.save()
    _event(deliverable, by, DeliverableEvent.Action.CREATED)
    audit_record(actor=by, action="create", obj=deliverable)
    return deliverable


@transaction.atomic
def deliverable_update(*, deliverable, by, title, text, file=None):
    """The author edits a draft or a returned deliverable; a new file replaces the old."""
    _check_author(deliverable, by)
    if deliverable.state not in (Deliverable.State.DRAFT, Deliverable.State.RETURNED):
        raise ValidationError(CANNOT_EDIT)
    before = snapshot(deliverable, ["title", "text", "file"])
    deliverable.title, deliverable.text = title, text
    fields = ["title", "text", "updated_at"]
    if file:
        deliverable.file = file
        fields.append("file")
    deliverable.full_clean()
    deliverable.save(update_fields=fields)
    changes = changes_between(
        before, snapshot(deliverable, ["title", "text", "file"]), ["title", "text", "file"]
    )
    if "text" in changes:
        changes["text"] = ["…", "…"]  # the history keeps the texts; the log says it changed
    _event(deliverable, by, DeliverableEvent.Action.EDITED)
    audit_record(actor=by, action="update", obj=deliverable, changes=changes)
    return deliverable


@transaction.atomic
def deliverable_submit(*, deliverable, by):
    """draft → submitted, or returned → submitted again (resubmitted)."""
    _check_author(deliverable, by)
    if deliverable.state not in (Deliverable.State.DRAFT, Deliverable.State.RETURNED):
        raise ValidationError(CANNOT_SUBMIT)
    if not deliverable.text.strip() and not deliverable.file:
        raise ValidationError(NEEDS_CONTENT)
    again = deliverable.state == Deliverable.State.RETURNED
    before = deliverable.state
    deliverable.state = Deliverable.State.SUBMITTED
    deliverable.submitted_at = timezone.now()
    deliverable.submissions += 1
    deliverable.full_clean()
    deliverable.save(update_fields=["state", "submitted_at", "submissions", "updated_at"])
    action = DeliverableEvent.Action.RESUBMITTED if again else DeliverableEvent.Action.SUBMITTED
    _event(deliverable, by, action)
    audit_record(
        actor=by,
        action="update",
        verb=action,
        obj=deliverable,
        changes={"state": [before, deliverable.state]},
    )
    # One notice a day per reviewer, however many deliverables come in that day.
    notify(
        recipients=liaisons_of(deliverable.unit) or office(),
        kind="study.submitted",
        text=_("New deliverables await your review (first: %(name)s, %(unit)s)")
        % {"name": deliverable.person.name, "unit": deliverable.unit.name},
        url=reverse("study:deliverable_list") + "?state=submitted",
        actor=by,
        campaign=deliverable.campaign,
        dedupe_key=f"study.submitted:{timezone.localdate().isoformat()}",
    )
    return deliverable


@transaction.atomic
def deliverable_return(*, deliverable, by, comment):
    """submitted → returned, with what to improve."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": RETURN_NEEDS_COMMENT})
    return _review(deliverable, by, Deliverable.State.RETURNED, comment)


@transaction.atomic
def deliverable_accept(*, deliverable, by, comment=""):
    """submitted → accepted."""
    return _review(deliverable, by, Deliverable.State.ACCEPTED, (comment or "").strip())


def can_review(*, user, deliverable):
    """The liaison of the cadre's unit (MANAGE scope) or the office; never the author."""
    return deliverable.person.user_id != user.pk and scope_for(user, MANAGE).covers(
        deliverable.unit
    )


def can_edit(*, user, deliverable):
    person = deliverable.person
    on_behalf = person.user_id is None and scope_for(user, MANAGE).covers(deliverable.unit)
    return (person.user_id == user.pk or on_behalf) and deliverable.state in (
        Deliverable.State.DRAFT,
        Deliverable.State.RETURNED,
    )


# Completion figures


def completion_refresh_later(*, campaign_id):
    """Queue a refresh of the campaign's completion figures after this transaction commits;
    requests made while one is queued are merged into it."""

    def enqueue():
        if cache.add(REFRESH_PENDING_KEY.format(campaign_id), 1, REFRESH_PENDING_SECONDS):
            study_completion_refresh_task.enqueue(campaign_id=campaign_id)

    transaction.on_commit(enqueue)


# Helpers


def _check_session(session, by):
    campaign = session.campaign
    if session.kind not in dict(campaign.choices("study_kinds")):
        raise ValidationError({"kind": UNKNOWN_KIND})
    subs = dict(sub_kind_choices(campaign).get(session.kind, []))
    if (session.sub_kind or "") not in (subs if subs else {""}):
        raise ValidationError({"sub_kind": UNKNOWN_SUB_KIND})
    topics = dict(campaign.choices("required_topics"))
    if any(key not in topics for key in session.topics):
        raise ValidationError({"topics": UNKNOWN_TOPIC})
    if by is not None and not scope_for(by, MANAGE).covers(session.unit):
        raise ValidationError({"unit": UNIT_OUT_OF_SCOPE})


def _expected_people(units):
    query = None
    for unit in units:
        part = Person.objects.filter(unit__path__subtree=unit.path)
        query = part if query is None else query | part
    return query.filter(is_active=True).values("pk")


def _sync_expected(session, units):
    """Add an Attendance row for each active cadre of `units` not yet expected."""
    have = set(session.attendances.values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=_expected_people(units)).values_list("pk", "unit_id")
    rows = [
        Attendance(session=session, person_id=pk, unit_id=unit_id)
        for pk, unit_id in people
        if pk not in have
    ]
    Attendance.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _check_author(deliverable, by):
    _check_author_of(deliverable.person, by)


def _check_author_of(person, by):
    """The cadre writes their own; for a cadre without a login, whoever manages their unit
    enters it on their behalf (e.g. an essay handed in on paper)."""
    if person.user_id == by.pk:
        return
    if person.user_id is None and scope_for(by, MANAGE).covers(person.unit):
        return
    raise ValidationError(NOT_THE_AUTHOR)


def _review(deliverable, by, state, comment):
    if not can_review(user=by, deliverable=deliverable):
        raise ValidationError(NOT_A_REVIEWER)
    if deliverable.state != Deliverable.State.SUBMITTED:
        raise ValidationError(CANNOT_REVIEW)
    deliverable.state = state
    deliverable.reviewed_at = timezone.now()
    deliverable.reviewed_by = by
    deliverable.review_comment = comment
    deliverable.full_clean()
    deliverable.save(
        update_fields=["state", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    _event(deliverable, by, state, comment)
    audit_record(
        actor=by,
        action="update",
        verb=state,
        obj=deliverable,
        changes={"state": [Deliverable.State.SUBMITTED, state]},
        note=comment,
    )
    completion_refresh_later(campaign_id=deliverable.campaign_id)
    text = (
        _("Returned: %(title)s — %(comment)s")
        if state == Deliverable.State.RETURNED
        else _("Accepted: %(title)s")
    )
    notify(
        recipients=[deliverable.person.user_id],
        kind="study.reviewed",
        text=text % {"title": deliverable.title[:100], "comment": comment[:120]},
        url=reverse("study:deliverable_detail", args=[deliverable.pk]),
        actor=by,
        campaign=deliverable.campaign,
    )
    return deliverable


def _event(deliverable, by, action, comment=""):
    DeliverableEvent.objects.create(
        deliverable=deliverable,
        actor=by,
        action=action,
        comment=comment,
        title=deliverable.title,
        text=deliverable.text,
        file=deliverable.file.name if deliverable.file else "",
    )


def _local(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i")
