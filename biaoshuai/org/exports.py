"""The cadre list as .xlsx, streamed row by row; phones masked as on screen."""

from django.utils import timezone
from django.utils.translation import gettext as _

from biaoshuai.core.exports import xlsx_response
from biaoshuai.core.scope import MANAGE, scope_for


def people_xlsx(*, people, user):
    """A download of `people` (already restricted to the user's scope and filtered)."""
    scope = scope_for(user, MANAGE)
    headers = [
        _("Full name"),
        _("Unit"),
        _("Gender"),
        _("Date of birth"),
        _("Position"),
        _("Mobile phone"),
        _("E-mail"),
        _("In post"),
    ]
    yes, no = _("Yes"), _("No")

    def rows():
        for person in people.iterator(chunk_size=2000):
            phone = person.phone if scope.covers(person.unit) else person.masked_phone
            yield [
                person.name,
                person.unit.name,
                person.get_gender_display(),
                person.birth_date,
                person.position,
                phone,
                person.email,
                yes if person.is_active else no,
            ]

    today = timezone.localdate()
    return xlsx_response(
        filename=f"{_('Cadres')}-{today:%Y%m%d}.xlsx",
        sheet_title=_("Cadres"),
        headers=headers,
        rows=rows(),
        widths=[12, 24, 8, 14, 20, 16, 26, 8],
    )
