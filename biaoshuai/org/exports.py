"""The cadre list as .xlsx (or CSV), streamed row by row; phones masked as on screen.

A large list is written by a background task (core/exports.py, key "org.cadres").
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from biaoshuai.core.exports import Sheet, export_builder, xlsx_response
from biaoshuai.core.scope import MANAGE, scope_for

from . import selectors
from .forms import PersonFilterForm


@export_builder("org.cadres")
def people_sheet(*, user, query):
    """The cadres the user sees, filtered as the list page filters them (`query`)."""
    form = PersonFilterForm(query or None, user=user)
    filters = {}
    if form.is_bound:  # a bad filter value is ignored, the others still apply (as the list)
        form.is_valid()
        filters = form.cleaned_data
    people = selectors.people_visible_to(
        user=user, q=filters.get("q") or "", unit=filters.get("unit")
    )
    return people_sheet_of(people=people, user=user)


def people_xlsx(*, people, user):
    """A download of `people` (already restricted to the user's scope and filtered)."""
    sheet = people_sheet_of(people=people, user=user)
    return xlsx_response(
        filename=sheet.filename,
        sheet_title=sheet.sheet_title,
        headers=sheet.headers,
        rows=sheet.rows,
        widths=sheet.widths,
    )


def people_sheet_of(*, people, user):
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
    return Sheet(
        filename=f"{_('Cadres')}-{today:%Y%m%d}.xlsx",
        sheet_title=_("Cadres"),
        label=_("Cadre roster"),
        headers=headers,
        rows=rows(),
        total=people.count(),
        widths=[12, 24, 8, 14, 20, 16, 26, 8],
    )
