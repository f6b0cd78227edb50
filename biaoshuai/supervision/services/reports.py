"""Unit reports (情况汇报): submit for a period, reviewed or returned for more by the office."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.core.uploads import validate_upload

from ..models import UnitReport, UnitReportAttachment
from ..periods import participating_units, period_for

ATTACHMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "jpg", "jpeg", "png"]
Report = UnitReport.State

NOT_A_PERIOD = _("There is no reporting period starting on that date.")
NOT_PARTICIPATING = _("This unit does not report: only participating units do.")
REPORT_EMPTY = _("Write the report before submitting it.")
ALREADY_SUBMITTED = _(
    "The report for this period is already in; it can be changed only when the office returns it."
)
REVIEW_NOT_SUBMITTED = _("Only a submitted report can be reviewed; this one is “%(state)s”.")
RETURN_NOT_SUBMITTED = _("Only a submitted report can be returned; this one is “%(state)s”.")
RETURN_NO_COMMENT = _("Say what the unit should add.")


@transaction.atomic
def unit_report_submit(*, by, campaign, unit, period_start, text, files=(), now=None):
    """The unit's report for a period; a returned report is submitted again in place.

    Lateness is judged on when the report first came in.
    """
    now = now or timezone.now()
    period = period_for(campaign, period_start, timezone.localdate(now))
    if period is None:
        raise ValidationError(NOT_A_PERIOD)
    if not participating_units().filter(pk=unit.pk).exists():
        raise ValidationError(NOT_PARTICIPATING)
    if not (text or "").strip():
        raise ValidationError(REPORT_EMPTY)
    for upload in files:
        validate_upload(upload, extensions=ATTACHMENT_EXTENSIONS)
    report = (
        UnitReport.objects.select_for_update()
        .filter(campaign=campaign, unit=unit, period_start=period.start)
        .first()
    )
    if report is None:
        report = UnitReport(
            campaign=campaign,
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            due_on=period.due_on,
            text=text.strip(),
            submitted_at=now,
            first_submitted_at=now,
            submitted_by=by if by is not None and by.is_authenticated else None,
        )
        report.full_clean()
        report.save()
        action = "submit"
    elif report.state == Report.RETURNED:
        report.text, report.state, report.submitted_at = text.strip(), Report.SUBMITTED, now
        report.submitted_by = by if by is not None and by.is_authenticated else None
        report.full_clean()
        report.save(update_fields=["text", "state", "submitted_at", "submitted_by", "updated_at"])
        action = "resubmit"
    else:
        raise ValidationError(ALREADY_SUBMITTED)
    for upload in files:
        UnitReportAttachment.objects.create(report=report, file=upload, name=upload.name[:200])
    audit_record(
        actor=by,
        action=action,
        obj=report,
        changes={"period": [None, period.key], "files": [None, [f.name for f in files]]},
    )
    return report


@transaction.atomic
def unit_report_review(*, by, report, comment=""):
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if report.state != Report.SUBMITTED:
        raise ValidationError(REVIEW_NOT_SUBMITTED % {"state": report.get_state_display()})
    report.state, report.review_comment = Report.REVIEWED, (comment or "").strip()
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.full_clean()
    report.save(
        update_fields=["state", "review_comment", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit_record(actor=by, action="review", obj=report, note=report.review_comment)
    return report


@transaction.atomic
def unit_report_return(*, by, report, comment):
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if report.state != Report.SUBMITTED:
        raise ValidationError(RETURN_NOT_SUBMITTED % {"state": report.get_state_display()})
    if not (comment or "").strip():
        raise ValidationError(RETURN_NO_COMMENT)
    report.state, report.review_comment = Report.RETURNED, comment.strip()
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.full_clean()
    report.save(
        update_fields=["state", "review_comment", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit_record(actor=by, action="return", obj=report, note=report.review_comment)
    return report
