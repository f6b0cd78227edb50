"""The practice lists as .xlsx, streamed row by row (already restricted and filtered)."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biaoshuai.campaigns.models import Campaign
from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.campaign import label as campaign_label
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.exports import xlsx_response

from .models import DiscussionAnswer, ExemplarStatus

CHUNK = 2000


def discussions_xlsx(*, discussions):
    """One row per discussion, one column per question of the current campaign."""
    campaign = campaign_current()
    questions = campaign.choices("discussion_questions") if campaign else []
    headers = [
        pgettext("practice", "Date"),
        pgettext("practice", "Unit"),
        pgettext("practice", "Title"),
        pgettext("practice", "Place"),
        pgettext("practice", "Host"),
        pgettext("practice", "Attendance"),
        *[name for _key, name in questions],
        pgettext("practice", "Conclusions"),
        _("Follow-up actions"),
        *_exemplar_headers(),
    ]
    records = discussions.prefetch_related(
        Prefetch("answers", queryset=DiscussionAnswer.objects.order_by("id"))
    )

    def rows():
        for d in records.iterator(chunk_size=CHUNK):
            answers = {a.question_key: a.text for a in d.answers.all()}
            yield [
                d.held_on,
                d.unit.name,
                d.title,
                d.place,
                d.host,
                d.attendance,
                *[answers.get(key, "") for key, _name in questions],
                d.conclusions,
                d.follow_up,
                *_exemplar_cells(d),
            ]

    return _response(
        campaign_label("practice.discussions", _("Discussions")),
        headers,
        rows(),
        [12, 18, 28, 18, 14, 8],
    )


def pairings_xlsx(*, pairings):
    headers = [
        pgettext("practice", "Cadre"),
        pgettext("practice", "Unit"),
        _("Paired unit"),
        _("Kind of paired unit"),
        pgettext("practice", "Address"),
        _("Starts on"),
        _("Ends on"),
        pgettext("practice", "Goals"),
        pgettext("practice", "Visits"),
        _("Experience summary"),
        *_exemplar_headers(),
    ]

    def rows():
        for p in pairings.iterator(chunk_size=CHUNK):
            yield [
                p.cadre.name,
                p.unit.name,
                p.paired_name,
                p.get_paired_kind_display(),
                p.paired_address,
                p.starts_on,
                p.ends_on,
                p.goals,
                p.visit_count,
                p.experience_summary,
                *_exemplar_cells(p),
            ]

    return _response(
        campaign_label("practice.pairings", _("Pairings")),
        headers,
        rows(),
        [10, 18, 24, 10, 24, 12, 12, 40],
    )


def visits_xlsx(*, visits):
    headers = [
        pgettext("practice", "Date"),
        pgettext("practice", "Cadre"),
        pgettext("practice", "Unit"),
        _("Paired unit"),
        pgettext("practice", "What was done"),
        pgettext("practice", "Outcome"),
        _("Problems solved"),
        pgettext("practice", "Attachments"),
    ]

    def rows():
        for v in visits.iterator(chunk_size=CHUNK):
            yield [
                v.visited_on,
                v.pairing.cadre.name,
                v.pairing.unit.name,
                v.pairing.paired_name,
                v.activities,
                v.outcome,
                v.problems_solved,
                v.attachment_count,
            ]

    return _response(
        campaign_label("practice.visits", _("Assistance visits")),
        headers,
        rows(),
        [12, 10, 18, 24, 40, 30, 30, 8],
    )


def placements_xlsx(*, placements):
    labels = {}
    headers = [
        pgettext("practice", "Cadre"),
        pgettext("practice", "Unit"),
        pgettext("practice", "Kind"),
        _("Host organisation"),
        _("Starts on"),
        _("Ends on"),
        _("Learning in another's place"),
        _("Thinking from another's place"),
        _("Experience in another's place"),
        pgettext("practice", "Report"),
        *_exemplar_headers(),
    ]

    def kind_name(p):
        if p.campaign_id not in labels:
            campaign = Campaign.objects.filter(pk=p.campaign_id).first()
            labels[p.campaign_id] = dict(campaign.choices("placement_kinds")) if campaign else {}
        return labels[p.campaign_id].get(p.kind, p.kind)

    def rows():
        for p in placements.iterator(chunk_size=CHUNK):
            yield [
                p.cadre.name,
                p.unit.name,
                kind_name(p),
                p.host,
                p.starts_on,
                p.ends_on,
                p.learning,
                p.thinking,
                p.experience,
                p.report_name,
                *_exemplar_cells(p),
            ]

    return _response(
        campaign_label("practice.placements", _("Exchange placements")),
        headers,
        rows(),
        [10, 18, 16, 24, 12, 12, 36, 36, 36, 20],
    )


def _exemplar_headers():
    return [_("Exemplar"), _("Public summary"), _("Disclosure")]


def _exemplar_cells(record):
    if record.exemplar_status == ExemplarStatus.NONE:
        return ["", "", ""]
    return [
        str(ExemplarStatus(record.exemplar_status).label),
        record.exemplar_summary,
        str(Disclosure(record.disclosure).label),
    ]


def _response(title, headers, rows, widths):
    today = timezone.localdate()
    return xlsx_response(
        filename=f"{title}-{today:%Y%m%d}.xlsx",
        sheet_title=title,
        headers=headers,
        rows=rows,
        widths=widths,
    )
