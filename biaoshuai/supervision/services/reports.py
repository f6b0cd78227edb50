"""Unit reports (情况汇报): submit for a period, reviewed or returned for more by the office."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.campaigns.models import Campaign
from biaoshuai.core.registry import Deadline
from biaoshuai.core.uploads import validate_upload
from biaoshuai.notifications.recipients import liaisons_by_path, liaisons_of, office
from biaoshuai.notifications.services import DUE_SOON_DAYS, notify

from ..models import UnitReport, UnitReportAttachment
from ..periods import participating_units, period_for, report_periods

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
    _tell(report, office(), _("Unit report submitted: %(unit)s, %(period)s"), by)
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
    _tell(report, _answerable(report), _("Unit report reviewed: %(unit)s, %(period)s"), by)
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
    _tell(
        report,
        _answerable(report),
        _("Unit report returned: %(unit)s, %(period)s — %(comment)s"),
        by,
        comment=report.review_comment[:120],
    )
    return report


# Late reports are reminded of for this many days after the due date, then left to the
# office's table of missing reports.
LATE_REMINDER_DAYS = 30


def report_deadlines(*, today):
    """Units whose report for a period is due within three days or late (up to 30 days):
    their liaisons. Campaigns under way only."""
    campaigns = Campaign.objects.filter(
        starts_on__lte=today, ends_on__gte=today - timedelta(days=LATE_REMINDER_DAYS)
    )
    units = list(participating_units())
    liaisons = liaisons_by_path(units)
    for campaign in campaigns:
        periods = [
            p
            for p in report_periods(campaign, today + timedelta(days=DUE_SOON_DAYS))
            if -LATE_REMINDER_DAYS <= (p.due_on - today).days <= DUE_SOON_DAYS
        ]
        for period in periods:
            reported = set(
                UnitReport.objects.filter(campaign=campaign, period_start=period.start).values_list(
                    "unit_id", flat=True
                )
            )
            for unit in units:
                if unit.pk in reported or not liaisons[unit.pk]:
                    continue
                yield Deadline(
                    key=f"supervision.report:{campaign.pk}:{unit.pk}:{period.key}",
                    title=_("Unit report of %(unit)s for %(period)s")
                    % {"unit": unit.name, "period": period.label},
                    due=period.due_on,
                    recipients=liaisons[unit.pk],
                    url=reverse("supervision:report_table"),
                    campaign=campaign,
                )


def _answerable(report):
    ids = [report.submitted_by_id] if report.submitted_by_id else []
    return ids + liaisons_of(report.unit)


def _tell(report, recipients, text, by, **values):
    notify(
        recipients=recipients,
        kind="supervision.report",
        text=text
        % {
            "unit": report.unit.name,
            "period": f"{report.period_start:%Y-%m}",
            **values,
        },
        url=reverse("supervision:report_detail", args=[report.pk]),
        actor=by,
        campaign=report.campaign,
    )
