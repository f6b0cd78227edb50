"""Publicity records as a streamed .xlsx (one row per record, appearances joined)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biaoshuai.core.exports import xlsx_response

from .models import Publication


def publications_xlsx(*, records, campaign):
    media = dict(campaign.choices("publication_media"))
    levels = dict(campaign.choices("publication_levels"))
    states = dict(Publication.State.choices)
    headers = [
        pgettext("headline", "title"),
        _("unit"),
        _("Authors"),
        _("Appearances"),
        _("highest level"),
        _("first published on"),
        _("points"),
        _("state"),
        _("link"),
    ]

    def rows():
        for record in records.iterator(chunk_size=500):
            authors = [p.name for p in record.authors.all()]
            if record.authors_text:
                authors.append(record.authors_text)
            appearances = "；".join(
                f"{a.outlet}（{levels.get(a.level, a.level)}·{media.get(a.medium, a.medium)}，"
                f"{a.published_on:%Y-%m-%d}）"
                for a in record.appearances.all()
            )
            yield [
                record.title,
                record.unit.name,
                "、".join(authors),
                appearances,
                levels.get(record.level, record.level),
                record.published_on,
                record.points if record.state == Publication.State.CONFIRMED else 0,
                str(states.get(record.state, record.state)),
                record.link,
            ]

    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        filename=f"{_('Publicity records')}-{stamp}.xlsx",
        sheet_title=_("Publicity records"),
        title=_("Publicity records"),
        headers=headers,
        rows=rows(),
        widths=[40, 16, 20, 60, 10, 14, 8, 10, 30],
    )
