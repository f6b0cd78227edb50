"""Writes for practice records. Each one checks, saves and is audited in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record, changes_between, snapshot
from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.disclosure import Disclosure, disclosure_decider_required
from biaoshuai.core.uploads import validate_upload

from .models import (
    Discussion,
    DiscussionAnswer,
    ExemplarStatus,
    Pairing,
    Placement,
    Visit,
    VisitAttachment,
)

NO_CURRENT_CAMPAIGN = _("There is no current campaign to record this in.")
ANSWER_UNKNOWN_QUESTION = _("“%(key)s” is not one of this campaign's discussion questions.")
ANSWER_MISSING = _("Answer every discussion question.")
PARTICIPANT_OUTSIDE_UNIT = _("%(name)s is not a cadre of %(unit)s.")
ATTENDANCE_BELOW_PARTICIPANTS = _(
    "The attendance cannot be lower than the number of cadres chosen."
)
CADRE_OUTSIDE_UNIT = _("The cadre is not in post.")
PLACEMENT_KIND_UNKNOWN = _("“%(key)s” is not one of this campaign's placement kinds.")
EXEMPLAR_SUMMARY_REQUIRED = _("Write a short summary the public may read.")
EXEMPLAR_ALREADY_CONFIRMED = _("This record is already a confirmed exemplar.")
EXEMPLAR_ALREADY_PROPOSED = _("This record is already awaiting confirmation.")
EXEMPLAR_NOT_PROPOSED = _("Only a record awaiting confirmation can be confirmed or declined.")
EXEMPLAR_NOT_WITHDRAWABLE = _("Only a proposal still awaiting confirmation can be withdrawn.")
EXEMPLAR_NOT_CONFIRMED = _("Only a confirmed exemplar can have its disclosure changed.")
DISCLOSURE_INVALID = _("Choose a disclosure level.")

UPLOAD_EXTENSIONS = ["jpg", "jpeg", "png", "pdf", "docx"]
REPORT_EXTENSIONS = ["pdf", "docx"]
UPLOAD_MAX_MB = 10

DISCUSSION_FIELDS = [
    "unit",
    "title",
    "held_on",
    "place",
    "host",
    "attendance",
    "conclusions",
    "follow_up",
]
PAIRING_FIELDS = [
    "unit",
    "cadre",
    "paired_name",
    "paired_kind",
    "paired_address",
    "starts_on",
    "ends_on",
    "goals",
    "experience_summary",
]
VISIT_FIELDS = ["visited_on", "activities", "outcome", "problems_solved"]
PLACEMENT_FIELDS = [
    "unit",
    "cadre",
    "kind",
    "host",
    "starts_on",
    "ends_on",
    "learning",
    "thinking",
    "experience",
    "report_name",
]
EXEMPLAR_FIELDS = ["exemplar_status", "exemplar_summary", "disclosure", "disclosure_proposed"]


# Discussions


@transaction.atomic
def discussion_create(*, by, unit, answers, participants=(), campaign=None, **fields):
    """A 解放思想大讨论 record of `unit` with one answer per question of the campaign.

    `answers` is {question key: text}; `participants` are cadres of the unit's subtree.
    """
    campaign = campaign or _current_campaign()
    discussion = Discussion(campaign=campaign, unit=unit, created_by=by, **fields)
    participants = list(participants)
    _check_discussion(discussion, participants)
    clean_answers = _checked_answers(campaign, answers)
    discussion.save()
    discussion.participants.set(participants)
    DiscussionAnswer.objects.bulk_create(
        DiscussionAnswer(discussion=discussion, question_key=key, text=text)
        for key, text in clean_answers.items()
    )
    audit_record(
        actor=by,
        action="create",
        obj=discussion,
        changes={
            **changes_between({}, snapshot(discussion, DISCUSSION_FIELDS), DISCUSSION_FIELDS),
            "answers": [None, clean_answers],
            "participants": [None, sorted(p.pk for p in participants)],
        },
    )
    return discussion


@transaction.atomic
def discussion_update(*, discussion, by, answers=None, participants=None, **fields):
    """Change a discussion's fields, answers (all of them) and participants."""
    before = snapshot(discussion, DISCUSSION_FIELDS)
    for name, value in fields.items():
        setattr(discussion, name, value)
    if participants is None:
        current = list(discussion.participants.all())
    else:
        current = list(participants)
    _check_discussion(discussion, current)
    discussion.save(update_fields=[*fields, "updated_at"])
    changes = changes_between(before, snapshot(discussion, DISCUSSION_FIELDS), DISCUSSION_FIELDS)
    if participants is not None:
        old = sorted(discussion.participants.values_list("pk", flat=True))
        new = sorted(p.pk for p in current)
        if old != new:
            discussion.participants.set(current)
            changes["participants"] = [old, new]
    if answers is not None:
        clean_answers = _checked_answers(discussion.campaign, answers)
        old_answers = dict(discussion.answers.values_list("question_key", "text"))
        if old_answers != clean_answers:
            discussion.answers.all().delete()
            DiscussionAnswer.objects.bulk_create(
                DiscussionAnswer(discussion=discussion, question_key=key, text=text)
                for key, text in clean_answers.items()
            )
            changes["answers"] = [old_answers, clean_answers]
    if changes:
        audit_record(actor=by, action="update", obj=discussion, changes=changes)
    return discussion


# Pairings and visits


@transaction.atomic
def pairing_create(*, by, cadre, campaign=None, **fields):
    """A cadre's pairing with a 包联单位; the cadre's unit becomes the record's unit."""
    pairing = Pairing(
        campaign=campaign or _current_campaign(),
        unit_id=cadre.unit_id,
        cadre=cadre,
        created_by=by,
        **fields,
    )
    _check_cadre(cadre)
    pairing.full_clean()
    pairing.save()
    audit_record(
        actor=by,
        action="create",
        obj=pairing,
        changes=changes_between({}, snapshot(pairing, PAIRING_FIELDS), PAIRING_FIELDS),
    )
    return pairing


@transaction.atomic
def pairing_update(*, pairing, by, **fields):
    """Change a pairing; a new cadre brings their unit along."""
    before = snapshot(pairing, PAIRING_FIELDS)
    for name, value in fields.items():
        setattr(pairing, name, value)
    if "cadre" in fields:
        _check_cadre(pairing.cadre)
        pairing.unit_id = pairing.cadre.unit_id
        fields = {**fields, "unit": pairing.unit_id}
    pairing.full_clean()
    pairing.save(update_fields=[*fields, "updated_at"])
    changes = changes_between(before, snapshot(pairing, PAIRING_FIELDS), PAIRING_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=pairing, changes=changes)
    return pairing


@transaction.atomic
def visit_create(*, by, pairing, files=(), **fields):
    """An assistance visit under `pairing`, with its photos and documents (checked first)."""
    files = list(files)
    _check_uploads(files)
    visit = Visit(pairing=pairing, created_by=by, **fields)
    visit.full_clean()
    visit.save()
    names = _attach(visit, files)
    audit_record(
        actor=by,
        action="create",
        obj=visit,
        changes={
            **changes_between({}, snapshot(visit, VISIT_FIELDS), VISIT_FIELDS),
            **({"attachments": [None, names]} if names else {}),
        },
    )
    return visit


@transaction.atomic
def visit_update(*, visit, by, files=(), remove=(), **fields):
    """Change a visit; `files` are added, the attachments in `remove` deleted."""
    files = list(files)
    _check_uploads(files)
    before = snapshot(visit, VISIT_FIELDS)
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.full_clean()
    visit.save(update_fields=[*fields, "updated_at"])
    changes = changes_between(before, snapshot(visit, VISIT_FIELDS), VISIT_FIELDS)
    removed = [a for a in remove if a.visit_id == visit.pk]
    if removed:
        changes["removed"] = [[a.name for a in removed], None]
        for attachment in removed:
            name, storage = attachment.file.name, attachment.file.storage
            attachment.delete()
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    added = _attach(visit, files)
    if added:
        changes["attachments"] = [None, added]
    if changes:
        audit_record(actor=by, action="update", obj=visit, changes=changes)
    return visit


# Placements


@transaction.atomic
def placement_create(*, by, cadre, kind, report=None, campaign=None, **fields):
    """A cadre's exchange placement of one of the campaign's placement kinds."""
    campaign = campaign or _current_campaign()
    placement = Placement(
        campaign=campaign, unit_id=cadre.unit_id, cadre=cadre, kind=kind, created_by=by, **fields
    )
    _check_cadre(cadre)
    _check_placement_kind(campaign, kind)
    if report is not None:
        _check_report(report)
        placement.report = report
        placement.report_name = report.name[:200]
    placement.full_clean()
    placement.save()
    audit_record(
        actor=by,
        action="create",
        obj=placement,
        changes=changes_between({}, snapshot(placement, PLACEMENT_FIELDS), PLACEMENT_FIELDS),
    )
    return placement


@transaction.atomic
def placement_update(*, placement, by, report=None, **fields):
    """Change a placement; a new `report` file replaces the old one."""
    before = snapshot(placement, PLACEMENT_FIELDS)
    for name, value in fields.items():
        setattr(placement, name, value)
    if "cadre" in fields:
        _check_cadre(placement.cadre)
        placement.unit_id = placement.cadre.unit_id
        fields = {**fields, "unit": placement.unit_id}
    if "kind" in fields:
        _check_placement_kind(placement.campaign, placement.kind)
    update_fields = [*fields, "updated_at"]
    if report is not None:
        _check_report(report)
        placement.report = report
        placement.report_name = report.name[:200]
        update_fields += ["report", "report_name"]
    placement.full_clean()
    placement.save(update_fields=update_fields)
    changes = changes_between(before, snapshot(placement, PLACEMENT_FIELDS), PLACEMENT_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=placement, changes=changes)
    return placement


# Exemplars (好经验、好典型): the unit proposes, the office confirms or declines.


@transaction.atomic
def practice_exemplar_propose(*, record, by, summary, disclosure):
    """The unit puts `record` forward as an exemplar, with a public summary and the
    disclosure level it proposes. A declined record may be put forward again."""
    if record.exemplar_status == ExemplarStatus.CONFIRMED:
        raise ValidationError(EXEMPLAR_ALREADY_CONFIRMED)
    if record.exemplar_status == ExemplarStatus.PROPOSED:
        raise ValidationError(EXEMPLAR_ALREADY_PROPOSED)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": EXEMPLAR_SUMMARY_REQUIRED})
    _check_disclosure(disclosure)
    before = snapshot(record, EXEMPLAR_FIELDS)
    record.exemplar_status = ExemplarStatus.PROPOSED
    record.exemplar_summary = summary
    record.disclosure_proposed = disclosure
    record.exemplar_proposed_at = timezone.now()
    record.exemplar_proposed_by = by
    record.exemplar_note = ""
    fields = [
        "exemplar_status",
        "exemplar_summary",
        "disclosure_proposed",
        "exemplar_proposed_at",
        "exemplar_proposed_by",
        "exemplar_note",
    ]
    return _save_exemplar(record, by, before, fields, "exemplar_propose")


@transaction.atomic
def practice_exemplar_withdraw(*, record, by):
    """The unit takes back a proposal the office has not decided on yet."""
    if record.exemplar_status != ExemplarStatus.PROPOSED:
        raise ValidationError(EXEMPLAR_NOT_WITHDRAWABLE)
    before = snapshot(record, EXEMPLAR_FIELDS)
    record.exemplar_status = ExemplarStatus.NONE
    fields = ["exemplar_status"]
    return _save_exemplar(record, by, before, fields, "exemplar_withdraw")


@transaction.atomic
def practice_exemplar_confirm(*, record, by, disclosure, summary=None):
    """The office confirms a proposed exemplar and sets its disclosure level; a public one
    then appears on the portal. The office may edit the public summary as it confirms."""
    disclosure_decider_required(by)
    if record.exemplar_status != ExemplarStatus.PROPOSED:
        raise ValidationError(EXEMPLAR_NOT_PROPOSED)
    _check_disclosure(disclosure)
    before = snapshot(record, EXEMPLAR_FIELDS)
    record.exemplar_status = ExemplarStatus.CONFIRMED
    record.disclosure = disclosure
    record.exemplar_decided_at = timezone.now()
    record.exemplar_decided_by = by
    fields = ["exemplar_status", "disclosure", "exemplar_decided_at", "exemplar_decided_by"]
    if summary is not None and summary.strip():
        record.exemplar_summary = summary.strip()
        fields.append("exemplar_summary")
    return _save_exemplar(record, by, before, fields, "exemplar_confirm")


@transaction.atomic
def practice_exemplar_decline(*, record, by, note=""):
    """The office does not adopt a proposal; the unit may put it forward again."""
    disclosure_decider_required(by)
    if record.exemplar_status != ExemplarStatus.PROPOSED:
        raise ValidationError(EXEMPLAR_NOT_PROPOSED)
    before = snapshot(record, EXEMPLAR_FIELDS)
    record.exemplar_status = ExemplarStatus.DECLINED
    record.exemplar_decided_at = timezone.now()
    record.exemplar_decided_by = by
    record.exemplar_note = note[:300]
    fields = ["exemplar_status", "exemplar_decided_at", "exemplar_decided_by", "exemplar_note"]
    return _save_exemplar(record, by, before, fields, "exemplar_decline")


@transaction.atomic
def practice_exemplar_disclose(*, record, by, disclosure):
    """The office changes the disclosure level of a confirmed exemplar (e.g. to withdraw it
    from the portal)."""
    disclosure_decider_required(by)
    if record.exemplar_status != ExemplarStatus.CONFIRMED:
        raise ValidationError(EXEMPLAR_NOT_CONFIRMED)
    _check_disclosure(disclosure)
    before = snapshot(record, EXEMPLAR_FIELDS)
    record.disclosure = disclosure
    return _save_exemplar(record, by, before, ["disclosure"], "exemplar_disclose")


# Helpers


def _current_campaign():
    campaign = campaign_current()
    if campaign is None:
        raise ValidationError(NO_CURRENT_CAMPAIGN)
    return campaign


def _check_discussion(discussion, participants):
    discussion.full_clean(exclude=["participants"])
    unit = discussion.unit
    errors = []
    for person in participants:
        if not person.unit.path.startswith(unit.path):
            errors.append(PARTICIPANT_OUTSIDE_UNIT % {"name": person.name, "unit": unit.name})
    if errors:
        raise ValidationError({"participants": errors})
    if discussion.attendance is not None and discussion.attendance < len(participants):
        raise ValidationError({"attendance": ATTENDANCE_BELOW_PARTICIPANTS})


def _checked_answers(campaign, answers):
    """{question key: stripped text}, in the template's order; unknown keys are refused."""
    keys = [key for key, _name in campaign.choices("discussion_questions")]
    unknown = [key for key in answers if key not in keys]
    if unknown:
        raise ValidationError(
            {"answers": [ANSWER_UNKNOWN_QUESTION % {"key": key} for key in unknown]}
        )
    clean = {key: (answers.get(key) or "").strip() for key in keys}
    if not all(clean.values()):
        raise ValidationError({"answers": ANSWER_MISSING})
    return clean


def _check_cadre(cadre):
    if not cadre.is_active:
        raise ValidationError({"cadre": CADRE_OUTSIDE_UNIT})


def _check_placement_kind(campaign, kind):
    if kind not in {key for key, _name in campaign.choices("placement_kinds")}:
        raise ValidationError({"kind": PLACEMENT_KIND_UNKNOWN % {"key": kind}})


def _check_disclosure(disclosure):
    if disclosure not in Disclosure.values:
        raise ValidationError({"disclosure": DISCLOSURE_INVALID})


def _check_uploads(files):
    errors = []
    for upload in files:
        try:
            validate_upload(upload, extensions=UPLOAD_EXTENSIONS, max_mb=UPLOAD_MAX_MB)
        except ValidationError as exc:
            errors.extend(f"{upload.name}: {message}" for message in exc.messages)
    if errors:
        raise ValidationError({"files": errors})


def _check_report(report):
    try:
        validate_upload(report, extensions=REPORT_EXTENSIONS, max_mb=UPLOAD_MAX_MB)
    except ValidationError as exc:
        raise ValidationError({"report": exc.messages}) from exc


def _attach(visit, files):
    names = []
    for upload in files:
        attachment = VisitAttachment(
            visit=visit, file=upload, name=upload.name[:200], size=upload.size
        )
        attachment.save()
        names.append(attachment.name)
    return names


def _save_exemplar(record, by, before, fields, verb):
    record.full_clean()
    record.save(update_fields=[*fields, "updated_at"])
    changes = changes_between(before, snapshot(record, EXEMPLAR_FIELDS), EXEMPLAR_FIELDS)
    audit_record(actor=by, action="update", obj=record, changes=changes, verb=verb)
    return record
